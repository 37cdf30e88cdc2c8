"""Quality figures of the tagger and of search, computed from the hand-made fixtures.

Run `python tests/evidence_quality.py` to print them (they go into docs/evidence.md);
tests/test_evidence_quality.py checks them against the documented floors."""

from __future__ import annotations

from dataclasses import dataclass

import yaml
from sqlalchemy import Engine

from qimma.evidence.estimative import estimate
from qimma.evidence.ingest import read_document
from qimma.evidence.search import search
from qimma.evidence.tagging import Tagger
from tests.evidence_helpers import DOC1, DOC2, EVIDENCE, scenario_with_lexicon


@dataclass
class TaggerFigures:
    sentences: int
    actor_precision: float
    actor_recall: float
    estimative_precision: float  # "this sentence is estimative" detection
    estimative_recall: float
    band_accuracy: float  # over sentences labelled estimative


def _passages() -> dict[str, str]:
    docs = (read_document(DOC1, doc_id="doc1"), read_document(DOC2, doc_id="doc2"))
    return {p.id: p.text for d in docs for p in d.passages}


def tagger_figures(name: str = "labels.yaml") -> TaggerFigures:
    """Figures on a label file: labels.yaml (development) or labels_heldout.yaml (held out)."""
    labels = yaml.safe_load((EVIDENCE / name).read_text("utf-8"))["labels"]
    texts = _passages()
    tagger = Tagger(scenario_with_lexicon())
    tp = fp = fn = 0
    etp = efp = efn = 0
    band_ok = band_n = 0
    for lab in labels:
        text = texts[lab["id"]]
        assert text.startswith(lab["starts"]), f"{lab['id']} drifted: {text[:40]}"
        gold, got = set(lab["actors"]), set(tagger.actors_in(text))
        tp += len(gold & got)
        fp += len(got - gold)
        fn += len(gold - got)
        est = estimate(text)
        is_gold, is_got = lab["band"] != "none", est is not None
        etp += is_gold and is_got
        efp += is_got and not is_gold
        efn += is_gold and not is_got
        if is_gold:
            band_n += 1
            band_ok += est is not None and est.band == lab["band"]
    return TaggerFigures(
        len(labels),
        tp / (tp + fp),
        tp / (tp + fn),
        etp / (etp + efp),
        etp / (etp + efn),
        band_ok / band_n,
    )


def judged_queries(engine: Engine) -> list[tuple[str, set[str]]]:
    from qimma.evidence import store as st

    rows = st.all_passages(engine)
    out = []
    for q in yaml.safe_load((EVIDENCE / "queries.yaml").read_text("utf-8"))["queries"]:
        rel: set[str] = set()
        for frag in q["relevant"]:
            hits = {r.id for r in rows if frag in r.text}
            assert hits, f"relevant fragment not found: {frag}"
            rel |= hits
        out.append((q["q"], rel))
    return out


def recall_at_5(engine: Engine) -> dict[str, float]:
    """Mean recall@5 over the judged queries, per search mode (bm25 plain and with the
    scenario's bilingual alias expansion)."""
    queries = judged_queries(engine)
    scenario = scenario_with_lexicon()
    runs = {
        "bm25": ("bm25", False),
        "bm25_expanded": ("bm25", True),
        "semantic": ("semantic", True),
        "fused": ("fused", True),
    }
    figures = {}
    for name, (mode, expand) in runs.items():
        total = 0.0
        for q, rel in queries:
            res = search(engine, q, mode=mode, limit=5, scenario=scenario, expand=expand)  # type: ignore[arg-type]
            total += len({h.passage.id for h in res.hits} & rel) / len(rel)
        figures[name] = total / len(queries)
    return figures


if __name__ == "__main__":
    from sqlalchemy import create_engine

    from tests.evidence_helpers import seeded_store_file

    print("development:", tagger_figures())
    print("held out:", tagger_figures("labels_heldout.yaml"))
    eng = create_engine(f"sqlite:///{seeded_store_file()}")
    print("queries:", len(judged_queries(eng)), recall_at_5(eng))
