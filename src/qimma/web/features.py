"""Which engines this version of qimma has: pages of features not landed say so (no fake data)."""

from __future__ import annotations

from functools import cache
from importlib.util import find_spec


@cache
def has(module: str) -> bool:
    try:
        return find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def analysis() -> bool:
    """Monte Carlo, named outcomes and what-if levers (qimma.analysis)."""
    return has("qimma.analysis.montecarlo") and has("qimma.analysis.whatif")


def evidence() -> bool:
    """The document corpus: search, ingestion, passages (qimma.evidence)."""
    return has("qimma.evidence.search") and has("qimma.evidence.store")
