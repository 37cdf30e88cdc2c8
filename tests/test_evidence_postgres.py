"""The corpus on PostgreSQL: migration (GIN index), storing, BM25 in Python, quote resolution.

Starts a throw-away server from the machine's PostgreSQL binaries (as the `postgres` user, on a
Unix socket in a temporary folder); skipped where there are none."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

from qimma.evidence import store as st
from qimma.evidence.ingest import Document, Metadata
from qimma.evidence.links import resolve_quote
from qimma.evidence.search import bm25_search, search
from qimma.evidence.segment import segment
from qimma.store.db import open_store
from tests.postgres import as_postgres, bin_dir_of_postgres, runuser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def pg_url():
    bin_dir = bin_dir_of_postgres()
    if bin_dir is None or (os.geteuid() == 0 and runuser() is None):
        pytest.skip("PostgreSQL binaries not installed")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg not installed")
    base = Path(tempfile.mkdtemp(prefix="qimma-pg-"))
    os.chmod(base, 0o777)
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    os.chmod(sock, 0o777)
    port = _free_port()
    try:
        subprocess.run(
            as_postgres([str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "qimma"]),
            check=True,
            capture_output=True,
            timeout=120,
        )
        subprocess.run(
            as_postgres(
                [
                    str(bin_dir / "pg_ctl"),
                    "-D",
                    str(data),
                    "-w",
                    "-l",
                    str(base / "log"),
                    "-o",
                    f"-k {sock} -p {port} -c listen_addresses=127.0.0.1",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
            timeout=120,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:
        shutil.rmtree(base, ignore_errors=True)
        pytest.skip(f"could not start PostgreSQL: {e}")
    try:
        # TCP on loopback: a socket-path URL (…?host=%2F…) trips store.db's Alembic config, whose
        # ConfigParser reads % as interpolation (reported to the store's owner)
        yield f"postgresql://qimma@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(base, ignore_errors=True)


def _doc(doc_id: str, text: str, lang: str) -> Document:
    return Document(
        doc_id, text, Metadata(title=doc_id, language=lang), "", "0" * 64, segment(doc_id, text)
    )


def test_corpus_on_postgresql(pg_url):
    engine = open_store(pg_url)
    docs = [
        _doc("a1", "قالت موسكو إن العقوبات لن تغير موقفها. ويرى الكرملين أن الحياد شرط.", "ar"),
        _doc("e1", "The White House may ease sanctions. Kyiv rejects neutrality.", "en"),
    ]
    assert st.add_documents(engine, docs) == ["a1", "e1"]
    assert st.count_passages(engine) == 4
    hits = bm25_search(engine, "للعقوبات", limit=5)
    assert [h.passage.id for h in hits] == ["a1.p001.s01"]
    assert bm25_search(engine, "sanctions", limit=5)[0].passage.id == "e1.p001.s01"
    # no embeddings stored: fused search still answers (model present) or falls back
    assert search(engine, "الحياد", mode="bm25").hits[0].passage.id == "a1.p001.s02"
    assert resolve_quote(engine, "a1", "ويرى الكرملين أن الحياد شرط.") == ["a1.p001.s02"]
    st.remove_document(engine, "e1")
    assert st.count_passages(engine) == 2
    engine.dispose()
