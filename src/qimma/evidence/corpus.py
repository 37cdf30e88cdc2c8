"""The corpus as the rest of qimma sees it: open the store, with the default seeds pre-ingested.

Pre-ingestion: the first time a store is opened for the corpus, the default scenario's sources
that name a ``resource`` are read from the package data (``qimma.data.corpus``), cleaned,
segmented, embedded and stored under their scenario ids (``doc1``, ``doc2``), flagged
``is_default``. It happens once per store (the documents are then present) and takes a few
seconds; no prebuilt index is shipped, so the index can never disagree with the cleaner.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import numpy as np
from sqlalchemy import Engine

from qimma.evidence import semantic
from qimma.evidence import store as st
from qimma.evidence.ingest import Document, Metadata, read_document
from qimma.scenario.model import Scenario
from qimma.store.db import open_store

CORPUS_PACKAGE = "qimma.data.corpus"


def _package_dir() -> Path | None:
    try:
        base = resources.files(CORPUS_PACKAGE)
    except ModuleNotFoundError:
        return None
    path = Path(str(base))
    return path if path.is_dir() else None


def _resource_path(resource: str, resource_dir: Path | None) -> Path | None:
    """``package.name/file.txt`` (or a bare file name in ``qimma.data.corpus``); with
    `resource_dir`, the file of that name there (tests use their own copy of the seeds)."""
    package, _, name = resource.rpartition("/")
    if resource_dir is not None:
        return resource_dir / name
    if not package:
        base = _package_dir()
        return base / name if base else None
    try:
        return Path(str(resources.files(package).joinpath(name)))
    except ModuleNotFoundError:
        return None


def default_documents(scenario: Scenario, resource_dir: Path | None = None) -> list[Document]:
    """The scenario's sources that ship as package data (or lie in `resource_dir`)."""
    docs = []
    for src in scenario.sources:
        if not src.resource:
            continue
        path = _resource_path(src.resource, resource_dir)
        if path is None or not path.is_file():
            continue
        meta = Metadata(
            title=src.title.get(src.language),
            author=src.author,
            venue=src.venue,
            date=src.date,
            language=src.language,
        )
        docs.append(read_document(path, meta=meta, doc_id=src.id))
    return docs


def embed_documents(docs: Sequence[Document]) -> list[list[np.ndarray]] | None:
    """Embeddings for every passage, or None when the model is not installed."""
    if not semantic.available():
        return None
    return [semantic.embed_passages([p.text for p in d.passages]) for d in docs]


def add(engine: Engine, docs: Sequence[Document], *, is_default: bool = False) -> list[str]:
    return st.add_documents(engine, docs, embeddings=embed_documents(docs), is_default=is_default)


def ensure_default_corpus(
    engine: Engine, scenario: Scenario | None = None, resource_dir: Path | None = None
) -> list[str]:
    """Pre-ingest the default seeds if they are not in the store yet; return the ids added."""
    if scenario is None:
        from qimma.scenario.formats import load_default_scenario

        scenario = load_default_scenario()
    present = st.document_ids(engine)
    wanted = [s.id for s in scenario.sources if s.resource]
    if all(w in present for w in wanted):
        return []
    docs = [d for d in default_documents(scenario, resource_dir) if d.id not in present]
    return add(engine, docs, is_default=True)


def open_corpus(
    url: str | None = None, *, scenario: Scenario | None = None, resource_dir: Path | None = None
) -> Engine:
    """An up-to-date store with the default corpus in it."""
    engine = open_store(url)
    ensure_default_corpus(engine, scenario, resource_dir)
    return engine
