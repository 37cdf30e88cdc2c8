"""Shared helpers for the evidence tests: the default scenario with a bilingual lexicon."""

from __future__ import annotations

from pathlib import Path

import yaml

from qimma.scenario.formats import load_default_scenario
from qimma.scenario.model import Keywords, Scenario

EVIDENCE = Path(__file__).resolve().parent / "fixtures" / "evidence"
SEEDS = EVIDENCE / "seeds"
DOC1 = SEEDS / "000_f42cc997617dfbe4.txt"
DOC2 = SEEDS / "001_2de7d1e86f968ab5.txt"


def scenario_with_lexicon() -> Scenario:
    """The default scenario; where it declares no aliases/keywords, those of lexicon.yaml."""
    s = load_default_scenario()
    lex = yaml.safe_load((EVIDENCE / "lexicon.yaml").read_text("utf-8"))
    for a in s.actors:
        if not a.aliases:
            a.aliases = list(lex["actors"].get(a.id, []))
    for i in s.issues:
        if not (i.keywords.ar or i.keywords.en) and i.id in lex["issues"]:
            i.keywords = Keywords(**lex["issues"][i.id])
    return s


_BUILT: dict[str, Path] = {}


def seeded_store_file() -> Path:
    """A SQLite store with the two seeds pre-ingested, built once per test process."""
    if "path" not in _BUILT:
        import tempfile

        from qimma.evidence.corpus import open_corpus

        path = Path(tempfile.mkdtemp(prefix="qimma-evidence-")) / "seeded.sqlite3"
        engine = open_corpus(f"sqlite:///{path}", scenario=scenario_with_lexicon(), resource_dir=SEEDS)
        engine.dispose()
        _BUILT["path"] = path
    return _BUILT["path"]


def seeded_store_copy(dest_dir: Path) -> str:
    """A private copy of the seeded store (for tests that write); returns its URL."""
    import shutil

    dest = dest_dir / "store.sqlite3"
    shutil.copy(seeded_store_file(), dest)
    return f"sqlite:///{dest}"
