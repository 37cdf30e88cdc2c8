"""Normalisation for search only — never for display or quoting.

A token becomes a small set of index terms so that «والمعارضة», «المعارضة», «للمعارضة» meet:

1. NFKC, strip tashkeel (U+064B–U+0652, U+0670) and tatweel (U+0640);
2. fold alef forms (أ إ آ ٱ → ا), alef maqsura (ى → ي) and ta marbuta (ة → ه);
3. strip the article with its attached particles (ال، وال، بال، فال، كال، لل، وبال);
4. emit the folded word, the word without one leading particle (و ف ب ل ك) when at least four
   letters remain — both, because «بوتين» starts with ب and only a dictionary could tell — and
   its light stem by tashaphyne (prefixes and suffixes off, e.g. «العقوبات» → «عقوب»).

English tokens are lower-cased with a plural/possessive strip. Scoring treats the terms as
words of the passage (FTS5 BM25 on SQLite, the same formula in Python on PostgreSQL).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from tashaphyne.stemming import ArabicLightStemmer

_TASHKEEL = re.compile("[\u064b-\u0652\u0670\u0640]")
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
_TOKEN = re.compile(r"[\u0621-\u064a]+|[A-Za-z0-9]+")
_ARTICLE = ("وبال", "وال", "بال", "فال", "كال", "لل", "ال")
_PARTICLES = "وفبلك"
_STEMMER = ArabicLightStemmer()


def fold_arabic(text: str) -> str:
    """NFKC + tashkeel/tatweel removal + letter folding (no stemming)."""
    return _TASHKEEL.sub("", unicodedata.normalize("NFKC", text)).translate(_FOLD)


@lru_cache(maxsize=65536)
def arabic_terms(word: str) -> tuple[str, ...]:
    """The index terms of one folded Arabic word."""
    terms: list[str] = []
    base = word
    for art in _ARTICLE:
        if base.startswith(art) and len(base) - len(art) >= 2:
            base = base[len(art) :]
            break
    terms.append(base)
    if base is word and len(base) >= 5 and base[0] in _PARTICLES:
        terms.append(base[1:])
    if len(base) >= 4:
        _STEMMER.light_stem(base)
        stem = str(_STEMMER.get_stem())
        if len(stem) >= 2 and stem not in terms:
            terms.append(stem)
    return tuple(dict.fromkeys(terms))


def english_term(word: str) -> str:
    w = word.lower()
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def search_terms(text: str) -> list[str]:
    """All index terms of a text, in order (duplicates kept: they count in BM25)."""
    out: list[str] = []
    for tok in _TOKEN.findall(fold_arabic(text)):
        if "\u0621" <= tok[0] <= "\u064a":
            out.extend(arabic_terms(tok))
        elif len(tok) > 1:
            out.append(english_term(tok))
    return out


def normalise_for_search(text: str) -> str:
    """The space-separated index terms of `text` (what FTS5 indexes)."""
    return " ".join(search_terms(text))


_QUOTE_KEY_DROP = re.compile(r"[\s\-–—_ـ\u064b-\u0652\u0670«»\"“”'()\[\]]+")


def quote_key(text: str) -> str:
    """A key to compare a quote with its passage, blind to layout: spacing, dashes, quotation
    marks and diacritics (a quote typed as «word- » still matches the cleaned «word – »)."""
    return _QUOTE_KEY_DROP.sub("", unicodedata.normalize("NFKC", text)).translate(_FOLD)
