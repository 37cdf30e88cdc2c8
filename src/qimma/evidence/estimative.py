"""Estimative language: sentences that hedge a claim, mapped to ICD-203 likelihood bands.

Bands (ODNI, Intelligence Community Directive 203, 2015, §D.6.e.(2)(a)): almost no chance 1-5%,
very unlikely 5-20%, unlikely 20-45%, roughly even chance 45-55%, likely 55-80%, very likely
80-95%, almost certain 95-99%. ICD-203 gives no band to bare "may / could" (Arabic قد + present
tense, يمكن أن، ربما، محتمل): such sentences are kept as "possible", with no percentage, so that
a reader sees the hedge without a number the author never gave.

Cues are matched on the folded text (no diacritics; alef, ya/alef-maqsura and ta-marbuta folded,
so the patterns are written folded: «على» is «علي»); negated cues are
tried before the plain ones (غير مرجح before مرجح) and mask what they cover.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qimma import i18n
from qimma.evidence.normalise import fold_arabic

BANDS: dict[str, tuple[int | None, int | None, str]] = {
    # key: (low %, high %, key of its words in the word table's `icd203` section)
    "remote": (1, 5, "almost_no_chance"),
    "very_unlikely": (5, 20, "very_unlikely"),
    "unlikely": (20, 45, "unlikely"),
    "even": (45, 55, "roughly_even"),
    "likely": (55, 80, "likely"),
    "very_likely": (80, 95, "very_likely"),
    "almost_certain": (95, 99, "almost_certain"),
    "possible": (None, None, "possible"),
}
# Words that say the author does not know («من غير الواضح», "it is unclear"): no estimate at all.
# They are matched first and mask what they cover, and give no band.
UNCLEAR = "unclear"

_W = r"(?<![\w])(?:[وفلب](?=\w))?"  # word start, after an optional attached conjunction
_E = r"(?![\w])"  # word end

# (band, pattern) in priority order: specific and negated cues first.
_CUES: list[tuple[str, str]] = [
    (UNCLEAR, r"(?:من )?غير (?:الواضح|واضح)|(?:it is |it's )?unclear|not clear|uncertain"),
    (
        "remote",
        r"(?:احتمال )?ضئيل جدا|شبه مستحيل|مستحيل|almost no chance|remote (?:chance|possibility)",
    ),
    (
        "very_unlikely",
        r"(?:من )?المستبعد|مستبعد[اه]?|(?:ضعيف|ضعيفين|ضعيفه|ضعيفان) للغايه|صعب للغايه"
        r"|ليست? في وضع يمكن\w*|لن يجد تجاوبا|very unlikely|highly unlikely|highly improbable",
    ),
    (
        "unlikely",
        r"(?:من )?غير (?:المرجح|مرجح|المحتمل|محتمل)|لا يرجح|لا يبدو|unlikely|improbable|doubtful",
    ),
    ("even", r"roughly even|even chance|fifty-fifty|toss-up"),
    (
        "almost_certain",
        r"من المؤكد|بالتاكيد|مما لا شك فيه|لا شك|اليقين|حتما|almost certain(?:ly)?|nearly certain|"
        r"without (?:a )?doubt|certainly",
    ),
    ("very_likely", r"(?:من )?المرجح جدا|مرجح جدا|very likely|highly likely|highly probable"),
    (
        "likely",
        r"(?:من )?المرجح|مرجح|علي الارجح|يرجح|(?<!غير )(?:من )?المتوقع|يتوقع|likely|probabl[ey]"
        r"|expected to",
    ),
    (
        "possible",
        r"قد(?= [يتن])|يمكن ان|من الممكن|ربما|محتمل[اه]?|احتمال|\bmay\b|\bmight\b|\bcould\b"
        r"|possibl[ey]|perhaps",
    ),
]
_COMPILED = [(b, re.compile(_W + "(?:" + p + ")" + _E, re.IGNORECASE)) for b, p in _CUES]


@dataclass(frozen=True)
class Estimate:
    band: str
    cue: str  # the matched words, as folded text

    @property
    def low_pct(self) -> int | None:
        return BANDS[self.band][0]

    @property
    def high_pct(self) -> int | None:
        return BANDS[self.band][1]

    def label(self, lang: str = "en") -> str:
        lo, hi, key = BANDS[self.band]
        name = i18n.t(f"icd203.{key}", lang)
        return name if lo is None else i18n.t("icd203.with_band", lang, name=name, lo=lo, hi=hi)


def cues_in(text: str) -> list[Estimate]:
    """Every estimative cue in `text`, most specific first («من غير الواضح», unclear, is none)."""
    folded = fold_arabic(text)
    mask = [False] * len(folded)
    found: list[Estimate] = []
    for band, pat in _COMPILED:
        for m in pat.finditer(folded):
            if any(mask[m.start() : m.end()]):
                continue
            for k in range(m.start(), m.end()):
                mask[k] = True
            if band != UNCLEAR:
                found.append(Estimate(band, m.group(0)))
    return found


_CLAUSE = re.compile(r"(?<=[،؛;,:])\s+")


def hedged_claim(text: str, est: Estimate) -> str:
    """The part of the sentence the cue hedges: from the clause holding the cue to the end of
    the sentence («... فإن التعاون قد يتعثر» → «فإن التعاون قد يتعثر»)."""
    clauses = _CLAUSE.split(text)
    for k, clause in enumerate(clauses):
        if any(c.cue == est.cue for c in cues_in(clause)):
            return " ".join(clauses[k:]).strip()
    return text


def estimate(text: str) -> Estimate | None:
    """The sentence's band: its most specific cue (a banded one beats a bare "may")."""
    cues = cues_in(text)
    return cues[0] if cues else None
