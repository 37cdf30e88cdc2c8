"""The corpus tables of the store (schema: migration ``0003_corpus``) and their queries.

All writes of one `corpus add` happen in one transaction: either every document goes in, with its
passages, search index and embeddings, or nothing changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
    text,
)

from qimma.evidence.ingest import Document
from qimma.evidence.normalise import normalise_for_search

metadata = MetaData()

documents = Table(
    "corpus_documents",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("title", Text),
    Column("author", Text),
    Column("venue", Text),
    Column("date", String(64)),
    Column("language", String(8)),
    Column("origin", Text),
    Column("sha256", String(64)),
    Column("text", Text),
    Column("is_default", Boolean),
    Column("added_at", DateTime, server_default=func.now()),
)

passages = Table(
    "corpus_passages",
    metadata,
    Column("id", String(96), primary_key=True),
    Column("document_id", String(64), ForeignKey("corpus_documents.id", ondelete="CASCADE")),
    Column("paragraph", Integer),
    Column("sentence", Integer),
    Column("text", Text),
    Column("norm", Text),
    Column("language", String(8)),
    Column("embedding", LargeBinary),
)


@dataclass(frozen=True)
class PassageRow:
    id: str
    document_id: str
    paragraph: int
    sentence: int
    text: str
    norm: str
    language: str


def _is_sqlite(conn: Connection | Engine) -> bool:
    return conn.dialect.name == "sqlite"


def document_ids(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(conn.scalars(select(documents.c.id)))


def add_documents(
    engine: Engine,
    docs: Sequence[Document],
    *,
    embeddings: Sequence[Sequence[np.ndarray]] | None = None,
    is_default: bool = False,
) -> list[str]:
    """Store documents (skipping ids already present); return the ids actually added."""
    added: list[str] = []
    with engine.begin() as conn:
        present = set(conn.scalars(select(documents.c.id)))
        for k, doc in enumerate(docs):
            if doc.id in present:
                continue
            present.add(doc.id)
            conn.execute(
                insert(documents).values(
                    id=doc.id,
                    title=doc.meta.title,
                    author=doc.meta.author,
                    venue=doc.meta.venue,
                    date=doc.meta.date,
                    language=doc.meta.language,
                    origin=doc.origin,
                    sha256=doc.sha256,
                    text=doc.text,
                    is_default=is_default,
                )
            )
            vecs = embeddings[k] if embeddings is not None else None
            rows = []
            for j, p in enumerate(doc.passages):
                rows.append(
                    {
                        "id": p.id,
                        "document_id": doc.id,
                        "paragraph": p.paragraph,
                        "sentence": p.sentence,
                        "text": p.text,
                        "norm": normalise_for_search(p.text),
                        "language": doc.meta.language,
                        "embedding": (
                            None if vecs is None else np.asarray(vecs[j], np.float32).tobytes()
                        ),
                    }
                )
            if rows:
                conn.execute(insert(passages), rows)
                if _is_sqlite(conn):
                    conn.execute(
                        text("INSERT INTO corpus_fts (norm, passage_id) VALUES (:norm, :id)"),
                        [{"norm": r["norm"], "id": r["id"]} for r in rows],
                    )
            added.append(doc.id)
    return added


def remove_document(engine: Engine, doc_id: str) -> None:
    with engine.begin() as conn:
        ids = list(conn.scalars(select(passages.c.id).where(passages.c.document_id == doc_id)))
        if _is_sqlite(conn) and ids:
            conn.execute(
                text("DELETE FROM corpus_fts WHERE passage_id = :id"), [{"id": i} for i in ids]
            )
        conn.execute(delete(passages).where(passages.c.document_id == doc_id))
        conn.execute(delete(documents).where(documents.c.id == doc_id))


def passage_ids(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.scalars(select(passages.c.id).order_by(passages.c.id)))


def count_passages(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(passages)) or 0)


def _row(r: object) -> PassageRow:
    m = r._mapping  # type: ignore[attr-defined]
    return PassageRow(
        m["id"],
        m["document_id"],
        m["paragraph"],
        m["sentence"],
        m["text"],
        m["norm"],
        m["language"],
    )


_COLS = (
    passages.c.id,
    passages.c.document_id,
    passages.c.paragraph,
    passages.c.sentence,
    passages.c.text,
    passages.c.norm,
    passages.c.language,
)


def all_passages(engine: Engine) -> list[PassageRow]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(*_COLS).order_by(
                passages.c.document_id, passages.c.paragraph, passages.c.sentence
            )
        )
        return [_row(r) for r in rows]


def get_passages(engine: Engine, ids: Iterable[str]) -> dict[str, PassageRow]:
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    with engine.connect() as conn:
        rows = conn.execute(select(*_COLS).where(passages.c.id.in_(wanted)))
        return {r.id: r for r in map(_row, rows)}


def document_passages(engine: Engine, doc_id: str) -> list[PassageRow]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(*_COLS)
            .where(passages.c.document_id == doc_id)
            .order_by(passages.c.paragraph, passages.c.sentence)
        )
        return [_row(r) for r in rows]


def list_documents(engine: Engine) -> list[dict[str, object]]:
    with engine.connect() as conn:
        q = (
            select(
                documents.c.id,
                documents.c.title,
                documents.c.author,
                documents.c.language,
                documents.c.is_default,
                func.count(passages.c.id).label("passages"),
            )
            .select_from(documents.outerjoin(passages, passages.c.document_id == documents.c.id))
            .group_by(documents.c.id)
            .order_by(documents.c.id)
        )
        return [dict(r._mapping) for r in conn.execute(q)]


def embeddings(engine: Engine) -> tuple[list[str], np.ndarray, np.ndarray] | None:
    """Passage ids, the stacked chunk embeddings, and for each chunk row the index of its
    passage in ids; None if some passage has no embedding yet."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(passages.c.id, passages.c.embedding).order_by(passages.c.id)
        ).all()
    if any(r[1] is None for r in rows):
        return None
    ids = [r[0] for r in rows]
    mats = [np.frombuffer(r[1], dtype=np.float32).reshape(-1, 512) for r in rows]
    owner = (
        np.concatenate([np.full(len(m), k) for k, m in enumerate(mats)])
        if mats
        else np.zeros(0, int)
    )
    return ids, (np.vstack(mats) if mats else np.zeros((0, 512), np.float32)), owner


def set_embeddings(engine: Engine, vectors: dict[str, np.ndarray]) -> None:
    with engine.begin() as conn:
        for pid, v in vectors.items():
            conn.execute(
                passages.update()
                .where(passages.c.id == pid)
                .values(embedding=np.asarray(v, np.float32).tobytes())
            )


def fts_bm25(engine: Engine, terms: Sequence[str], limit: int) -> list[tuple[str, float]]:
    """SQLite FTS5: passages matching any term, best BM25 first (score: higher is better)."""
    if not terms:
        return []
    match = " OR ".join('"' + t.replace('"', "") + '"' for t in dict.fromkeys(terms))
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT passage_id, bm25(corpus_fts) AS s FROM corpus_fts "
                "WHERE corpus_fts MATCH :q ORDER BY s LIMIT :n"
            ),
            {"q": match, "n": limit},
        ).all()
    return [(r[0], -float(r[1])) for r in rows]
