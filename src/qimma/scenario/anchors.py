"""A value on an issue's scale, in words: near one labelled point (anchor) or between two.

Every surface that says a forecast in words (the CLI legend, forecast.json/.csv, the report, the
web run page) takes its words from :func:`read_on_scale`; the rule is here only.

The rule (docs/analysis.md, "A forecast in words"): between two neighbouring anchors A < B with
gap g = B − A, a value within a quarter of g of A is "near A", within a quarter of g of B is
"near B", and in the middle half it is "between A and B", naming both. A value in the outer
quarter is at least three times as close to its anchor as to the other one, so that anchor's
label alone describes it; in the middle half neither label does, and naming only the nearer one
(38.3 on anchors 25 and 50 as "50") says more than the number does. A value at or beyond the
outermost anchors is near the outermost one.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from qimma import i18n
from qimma.scenario.model import Anchor, Scale

# share of the gap between two neighbouring anchors, on each side, that counts as "near" an anchor
NEAR_SHARE = 0.25


@dataclass(frozen=True)
class AnchorReading:
    """Where a value lies among the anchors: `low` = `high` when it is near one anchor."""

    low: Anchor
    high: Anchor

    @property
    def kind(self) -> str:
        """'near' (one anchor describes the value) or 'between' (it lies between two)."""
        return "near" if self.low.value == self.high.value else "between"

    def text(self, lang: str) -> str:
        """«near 25 "…"» or «between 25 "…" and 50 "…"» in `lang` (word table section `anchor`)."""
        if self.kind == "near":
            return i18n.t(
                "anchor.near", lang, value=f"{self.low.value:g}", label=self.low.label.get(lang)
            )
        return i18n.t(
            "anchor.between",
            lang,
            low=f"{self.low.value:g}",
            low_label=self.low.label.get(lang),
            high=f"{self.high.value:g}",
            high_label=self.high.label.get(lang),
        )

    def to_json(self) -> dict[str, Any]:
        """The keys a forecast row carries: the words in both languages and the anchors' values."""
        return {
            "anchor_description": {lang: self.text(lang) for lang in i18n.LANGS},
            "anchor_kind": self.kind,
            "anchor_low": self.low.value,
            "anchor_high": self.high.value,
        }


def read_on_scale(scale: Scale, x: float) -> AnchorReading:
    """`x` described against the anchors of `scale` (see the module's rule)."""
    anchors = sorted(scale.anchors, key=lambda a: a.value)
    if x <= anchors[0].value:
        return AnchorReading(anchors[0], anchors[0])
    if x >= anchors[-1].value:
        return AnchorReading(anchors[-1], anchors[-1])
    lo, hi = next((a, b) for a, b in pairwise(anchors) if a.value < b.value and x <= b.value)
    near = NEAR_SHARE * (hi.value - lo.value)
    if x - lo.value <= near:
        return AnchorReading(lo, lo)
    if hi.value - x <= near:
        return AnchorReading(hi, hi)
    return AnchorReading(lo, hi)
