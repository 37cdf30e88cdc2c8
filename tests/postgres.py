"""A throwaway PostgreSQL server for tests, from Debian's `postgresql` package.

`postgres_server` (session scope) runs initdb and pg_ctl on a temporary folder and a free port on
127.0.0.1 (as the `postgres` user when the tests run as root, since PostgreSQL refuses to run as
root), and stops it at the end. `postgres_url` gives each test a fresh, empty database. Tests
skip, saying why, when the binaries are missing.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web_server import free_port


def bin_dir_of_postgres() -> Path | None:
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def runuser() -> str | None:
    """util-linux's runuser, also when /usr/sbin is not on PATH (PATH=/usr/bin:/bin)."""
    return shutil.which("runuser") or shutil.which("runuser", path="/usr/sbin:/sbin")


def as_postgres(cmd: list[str]) -> list[str]:
    """`cmd` run as the `postgres` user when the tests run as root (PostgreSQL refuses root)."""
    if os.geteuid() != 0:
        return cmd
    return [runuser() or "runuser", "-u", "postgres", "--", *cmd]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """URL of the server's maintenance database (postgresql://postgres@127.0.0.1:PORT/postgres)."""
    bin_dir = bin_dir_of_postgres()
    if bin_dir is None:
        pytest.skip("PostgreSQL binaries (Debian package `postgresql`) are not installed")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed (pip install 'qimma[postgres]')")
    if os.geteuid() == 0 and runuser() is None:
        pytest.skip("running as root without runuser: cannot start PostgreSQL as `postgres`")
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("no `postgres` system user to run the server as")
    root = Path(tempfile.mkdtemp(prefix="qimma-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    data, sockets, log = root / "data", root / "sockets", root / "server.log"
    subprocess.run(
        as_postgres(["mkdir", "-p", str(sockets)]), check=True, capture_output=True, timeout=30
    )
    port = free_port()
    try:
        initdb = [
            str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        ]  # fmt: skip
        subprocess.run(
            as_postgres(initdb),
            check=True,
            capture_output=True,
            timeout=120,
        )
        options = (
            f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
            " -c synchronous_commit=off -c full_page_writes=off -c max_connections=60"
        )
        start = [
            str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log),
            "-w", "-t", "60", "start",
        ]  # fmt: skip
        subprocess.run(
            as_postgres(start),
            check=True,
            capture_output=True,
            timeout=90,
        )
    except subprocess.CalledProcessError as e:
        text = log.read_text() if log.exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL did not start: {e.stderr!r} {text}") from e
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: str) -> str:
    """A new empty database on the test server."""
    import psycopg

    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return postgres_server.rsplit("/", 1)[0] + "/" + name
