"""Time the evidence corpus: cleaning, pre-ingestion, and search, with ratios in the same run.

Search times are compared with a baseline measured in the same run: a plain Python BM25 over all
passages (the PostgreSQL path) for FTS5, and BM25 for the semantic and fused modes.

    PYTHONPATH=src python benchmarks/bench_evidence.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from importlib import resources
from pathlib import Path

from qimma.evidence import store as st
from qimma.evidence.cleaning import clean_pdf_text
from qimma.evidence.corpus import open_corpus
from qimma.evidence.normalise import search_terms
from qimma.evidence.search import bm25_rank, search
from qimma.scenario.formats import load_default_scenario

QUERIES = ["العقوبات على روسيا", "Russia demands neutrality", "هدنة مؤقتة", "rare earths deal"]


def best_of(repeat: int, fn) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    raw = (
        resources.files("qimma.data.corpus").joinpath("000_f42cc997617dfbe4.txt").read_text("utf-8")
    )
    t_clean = best_of(args.repeat, lambda: clean_pdf_text(raw))
    print(f"clean doc1 ({len(raw.splitlines())} lines): {t_clean * 1000:8.1f} ms")

    scenario = load_default_scenario()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        t0 = time.perf_counter()
        engine = open_corpus(url, scenario=scenario)
        t_ingest = time.perf_counter() - t0
        n = st.count_passages(engine)
        print(f"pre-ingest both seeds ({n} passages, embeddings included): {t_ingest:6.2f} s")

        rows = st.all_passages(engine)
        docs = [r.norm.split() for r in rows]

        def python_bm25() -> None:
            for q in QUERIES:
                bm25_rank(docs, search_terms(q))[:10]

        def run(mode: str) -> None:
            for q in QUERIES:
                search(engine, q, mode=mode, limit=10, scenario=scenario)  # type: ignore[arg-type]

        run("fused")  # load the model and the passage embeddings once
        base = best_of(args.repeat, python_bm25)
        print(f"{len(QUERIES)} queries, per query:")
        print(f"  python BM25:  {base / len(QUERIES) * 1000:8.2f} ms   ×  1.00")
        for mode in ("bm25", "semantic", "fused"):
            t = best_of(args.repeat, lambda m=mode: run(m))  # type: ignore[misc]
            print(f"  {mode:12s} {t / len(QUERIES) * 1000:8.2f} ms   × {t / base:5.2f}")
        engine.dispose()


if __name__ == "__main__":
    main()
