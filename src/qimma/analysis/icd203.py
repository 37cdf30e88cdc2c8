"""ICD-203 estimative language in English and Arabic.

English terms and bands: Office of the Director of National Intelligence, Intelligence Community
Directive 203 "Analytic Standards" (2 January 2015), section D.6.e(2)(a), the table of
likelihood terms. Arabic terms: the words Arabic-language analysis uses for the same judgements;
those marked `attested` occur in the seed analyses (see the draft's `estimative_language`,
/work/shared/design/seed-scenario-draft.yaml), the others are the usual renderings. See
docs/analysis.md for the table and its sources.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Band:
    key: str
    low: float  # probability, inclusive
    high: float  # exclusive except for the last band
    en: str
    en_alt: str
    ar: str
    ar_alt: str


BANDS: tuple[Band, ...] = (
    Band(
        "almost_no_chance",
        0.00,
        0.05,
        "almost no chance",
        "remote",
        "شبه مستحيل",
        "احتمال ضئيل جدًا",
    ),
    Band(
        "very_unlikely",
        0.05,
        0.20,
        "very unlikely",
        "highly improbable",
        "مستبعد جدًا",
        "بعيد الاحتمال",
    ),
    Band("unlikely", 0.20, 0.45, "unlikely", "improbable", "غير مرجح", "من غير المحتمل"),
    Band(
        "roughly_even",
        0.45,
        0.55,
        "roughly even chance",
        "roughly even odds",
        "احتمال متكافئ تقريبًا",
        "من غير الواضح",
    ),
    Band("likely", 0.55, 0.80, "likely", "probable", "مرجح", "على الأرجح"),
    Band("very_likely", 0.80, 0.95, "very likely", "highly probable", "مرجح جدًا", "مرجح بقوة"),
    Band(
        "almost_certain",
        0.95,
        1.00,
        "almost certain",
        "nearly certain",
        "شبه مؤكد",
        "يكاد يكون مؤكدًا",
    ),
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


def wording(p: float, lang: str) -> str:
    b = band(p)
    return b.ar if lang == "ar" else b.en


def wording_range(lo: float, hi: float, lang: str) -> str:
    """'unlikely' or, when an interval straddles bands, 'unlikely to roughly even chance'."""
    a, b = band(lo), band(hi)
    if a.key == b.key:
        return a.ar if lang == "ar" else a.en
    if lang == "ar":
        return f"من {a.ar} إلى {b.ar}"
    return f"{a.en} to {b.en}"
