"""Shared helpers for the evidence tests: the default scenario with a bilingual lexicon."""

from __future__ import annotations

from pathlib import Path

import yaml

from qimma.scenario.formats import load_default_scenario
from qimma.scenario.model import Keywords, Scenario

EVIDENCE = Path(__file__).resolve().parent / "fixtures" / "evidence"
# The seeds as shipped in the package data (the default corpus).
SEEDS = Path(__file__).resolve().parents[1] / "src" / "qimma" / "data" / "corpus"
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


def _build_key() -> str:
    """Changes whenever the evidence code, the seeds or the lexicon change."""
    import hashlib

    h = hashlib.sha256()
    src = Path(__file__).resolve().parents[1] / "src" / "qimma" / "evidence"
    scenario = src.parent / "data" / "scenarios" / "default.yaml"
    for f in sorted([*src.glob("*.py"), *SEEDS.glob("*.txt"), EVIDENCE / "lexicon.yaml", scenario]):
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def seeded_store_file() -> Path:
    """A SQLite store with the two seeds pre-ingested. Built once and shared by the test
    processes (xdist workers wait on a lock), keyed by the code and data it depends on."""
    if "path" not in _BUILT:
        import fcntl
        import tempfile

        from qimma.evidence.corpus import open_corpus

        folder = Path(tempfile.gettempdir()) / f"qimma-evidence-{_build_key()}"
        folder.mkdir(exist_ok=True)
        path = folder / "seeded.sqlite3"
        with open(folder / "lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not (folder / "done").exists():
                path.unlink(missing_ok=True)
                # the default corpus exactly as a user gets it: from the package data
                engine = open_corpus(f"sqlite:///{path}", scenario=scenario_with_lexicon())
                engine.dispose()
                (folder / "done").touch()
        _BUILT["path"] = path
    return _BUILT["path"]


def seeded_store_copy(dest_dir: Path) -> str:
    """A private copy of the seeded store (for tests that write); returns its URL."""
    import shutil

    dest = dest_dir / "store.sqlite3"
    shutil.copy(seeded_store_file(), dest)
    return f"sqlite:///{dest}"
