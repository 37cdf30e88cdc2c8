"""The default scenario's MINERALS forecast in words, written out by hand (the rule:
qimma.scenario.anchors, docs/analysis.md §5c), for the tests of every surface that shows it."""

from __future__ import annotations

from qimma.scenario.formats import load_default_scenario


def minerals_words() -> dict[str, str]:
    """MINERALS between its anchors 25 and 50, written out by hand from the scenario's labels."""
    iss = load_default_scenario().issue("MINERALS")
    lab = {a.value: a.label for a in iss.scale.anchors}
    return {
        "en": f"between 25 «{lab[25].en}» and 50 «{lab[50].en}»",
        "ar": f"بين 25 «{lab[25].ar}» و50 «{lab[50].ar}»",
    }


def in_middle_half(x: float) -> bool:
    """Whether a MINERALS value is in the middle half of 25–50 (the default scenario's forecast
    is; a change of the scenario that moves it out needs another example issue)."""
    return 31.25 < x < 43.75
