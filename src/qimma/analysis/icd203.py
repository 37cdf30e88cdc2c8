"""ICD-203 estimative language: the likelihood bands and their words.

Bands: Office of the Director of National Intelligence, Intelligence Community Directive 203
"Analytic Standards" (2 January 2015), section D.6.e(2)(a), the table of likelihood terms. The
words (one English and one Arabic term per band) are in the `icd203` section of the word table
(qimma.i18n); docs/analysis.md gives the table and the reasons for the Arabic choices.
"""

from __future__ import annotations

from dataclasses import dataclass

from qimma import i18n


@dataclass(frozen=True)
class Band:
    key: str
    low: float  # probability, inclusive
    high: float  # exclusive except for the last band

    def word(self, lang: str) -> str:
        return i18n.t(f"icd203.{self.key}", lang)

    @property
    def en(self) -> str:
        return self.word("en")

    @property
    def ar(self) -> str:
        return self.word("ar")


BANDS: tuple[Band, ...] = (
    Band("almost_no_chance", 0.00, 0.05),
    Band("very_unlikely", 0.05, 0.20),
    Band("unlikely", 0.20, 0.45),
    Band("roughly_even", 0.45, 0.55),
    Band("likely", 0.55, 0.80),
    Band("very_likely", 0.80, 0.95),
    Band("almost_certain", 0.95, 1.00),
)


def band(p: float) -> Band:
    """The ICD-203 band of probability p (0..1). A value on a shared edge goes to the upper
    band, except 1.0 which is 'almost certain'."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"probability {p} is outside 0..1")
    for b in BANDS:
        if b.low <= p < b.high:
            return b
    return BANDS[-1]


EDGES_PCT = frozenset(round(100 * b.low) for b in BANDS[1:])


def percent_text(p: float) -> str:
    """p (0..1) as a percentage without the sign: whole, or with one decimal when the whole number
    would be a band's edge, so that two values on either side of an edge (44.7, 45.2) never print
    as the same "45%" beside two different band words or verdicts."""
    whole = round(100 * p)
    return f"{100 * p:.1f}" if whole in EDGES_PCT else f"{whole:.0f}"


def agreement(p: float, low_pct: float | None, high_pct: float | None) -> str | None:
    """'agrees', 'higher' or 'lower' of probability p against a band in percent (the texts'
    estimative words), at the precision `percent_text` prints; None without a band."""
    if low_pct is None or high_pct is None:
        return None
    pct = round(100 * p, 1)
    return "lower" if pct < low_pct else "higher" if pct > high_pct else "agrees"


def wording(p: float, lang: str) -> str:
    return band(p).word(lang)


def wording_range(lo: float, hi: float, lang: str) -> str:
    """'unlikely' or, when an interval straddles bands, 'unlikely to roughly even chance'."""
    a, b = band(lo), band(hi)
    if a.key == b.key:
        return a.word(lang)
    return i18n.t("icd203.range", lang, low=a.word(lang), high=b.word(lang))
