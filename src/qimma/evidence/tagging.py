"""Which actors and issues a passage talks about, from the scenario's own bilingual lexicon.

An actor is named by its Arabic and English names (each part between " / ", without the
parenthesised remarks), by its ``aliases`` (metonyms, leaders: «الكرملين», «بوتين», "Moscow",
"the Kremlin"), and by the nationality adjectives of one-word names (روسيا → «الروسية»,
Ukraine → "Ukrainian"; :func:`nationality_adjectives`). An issue is named by its ``keywords``
(``ar`` and ``en``).

Matching works on search-normalised words (:mod:`qimma.evidence.normalise`), so clitics and
diacritics do not matter: «لروسيا» and «وبروسيا» name Russia. A multi-word alias must match
consecutive words. Short all-capital Latin aliases ("US", "EU") match case-sensitively, so the
pronoun "us" is not the United States.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qimma.evidence.normalise import arabic_terms, english_term, fold_arabic
from qimma.scenario.model import Scenario

_WORD = re.compile(r"[\u0621-\u064a]+|[A-Za-z0-9]+(?:\.[A-Za-z]\.?)*")


def _word_forms(tok: str) -> frozenset[str]:
    if "\u0621" <= tok[0] <= "\u064a":
        return frozenset(arabic_terms(tok))
    return frozenset({english_term(tok.replace(".", ""))})


def _alias_key(tok: str) -> str:
    """The one form of an alias word that any inflected occurrence also yields."""
    if "\u0621" <= tok[0] <= "\u064a":
        return arabic_terms(tok)[0]
    return english_term(tok.replace(".", ""))


@dataclass
class _Pattern:
    owner: str
    words: tuple[str, ...]
    exact: bool  # case-sensitive raw token match (short acronyms)


def nationality_adjectives(name: str) -> list[str]:
    """The adjectives of a one-word place name: the Arabic nisba (روسيا → روسي/روسية,
    أوروبا → أوروبي/أوروبية, الصين → صيني/صينية) and the regular English -an/-ian forms
    (Russia → Russian, Ukraine → Ukrainian, Europe → European, Iran → Iranian). People's and
    city names yield adjectives no text uses, which is harmless."""
    if " " in name.strip():
        return []
    w = name.strip()
    if re.fullmatch(r"[\u0621-\u064a]+", w):
        for art in ("ال",):
            if w.startswith(art) and len(w) > 4:
                w = w[len(art) :]
        if w.endswith("يا"):
            base = w[:-1]
        elif w.endswith("ا"):
            base = w[:-1] + "ي"
        else:
            base = w + "ي"
        return [base, base + "ة"]
    if re.fullmatch(r"[A-Z][a-z]+", w):
        if w.endswith("a"):
            return [w + "n"]
        if w.endswith("e"):
            return [w[:-1] + "ian", w + "an"]
        return [w + "ian"]
    return []


def _name_parts(name: str) -> list[str]:
    name = re.sub(r"\([^)]*\)", " ", name)
    return [p.strip() for p in re.split(r"\s+/\s+|/", name) if p.strip()]


@dataclass
class Tagger:
    scenario: Scenario
    actor_names: dict[str, list[str]] = field(init=False)
    issue_words: dict[str, list[str]] = field(init=False)
    _patterns: list[_Pattern] = field(init=False)
    _by_first: dict[str, list[tuple[int, _Pattern]]] = field(init=False)

    def __post_init__(self) -> None:
        self.actor_names = {}
        for a in self.scenario.actors:
            names = [*_name_parts(a.name.ar), *_name_parts(a.name.en), *a.aliases]
            names += [adj for n in names for adj in nationality_adjectives(n)]
            self.actor_names[a.id] = list(dict.fromkeys(n for n in names if n))
        self.issue_words = {
            i.id: list(dict.fromkeys([*i.keywords.ar, *i.keywords.en]))
            for i in self.scenario.issues
        }
        pats: list[_Pattern] = []
        for owner, names in [
            *(("actor:" + k, v) for k, v in self.actor_names.items()),
            *(("issue:" + k, v) for k, v in self.issue_words.items()),
        ]:
            for n in names:
                toks = _WORD.findall(fold_arabic(n))
                if not toks:
                    continue
                exact = len(toks) == 1 and toks[0].isupper() and len(toks[0].replace(".", "")) <= 3
                words = tuple(toks) if exact else tuple(_alias_key(t) for t in toks)
                pats.append(_Pattern(owner, words, exact))
        # Longest first: «المملكة المتحدة» must win over a shorter alias inside it.
        self._patterns = sorted(pats, key=lambda p: -len(p.words))
        self._by_first = {}
        for order, p in enumerate(self._patterns):
            key = "=" + p.words[0].replace(".", "") if p.exact else p.words[0]
            self._by_first.setdefault(key, []).append((order, p))

    def _owners(self, text: str) -> list[str]:
        toks = _WORD.findall(fold_arabic(text))
        forms = [_word_forms(t) for t in toks]
        # candidate matches: (start, length, owner), found through the first word's index
        cands: list[tuple[int, int, int, str]] = []
        for i, tok in enumerate(toks):
            keys = set(forms[i]) | {"=" + tok.replace(".", "")}
            for key in keys:
                for order, p in self._by_first.get(key, ()):
                    n = len(p.words)
                    if i + n <= len(toks) and all(p.words[j] in forms[i + j] for j in range(1, n)):
                        cands.append((order, i, n, p.owner))
        # longest first (the pattern order), then left to right; a word names one actor and
        # belongs to one issue keyword, but may do both («مخاوف أوكرانيا الأمنية»)
        taken = {"actor": [False] * len(toks), "issue": [False] * len(toks)}
        found: list[str] = []
        for _order, i, n, owner in sorted(cands):
            mask = taken[owner.split(":", 1)[0]]
            if any(mask[i : i + n]):
                continue
            for j in range(i, i + n):
                mask[j] = True
            if owner not in found:
                found.append(owner)
        return found

    def actors_in(self, text: str) -> list[str]:
        """Actor ids named in `text`, in scenario order."""
        got = {o[6:] for o in self._owners(text) if o.startswith("actor:")}
        return [a.id for a in self.scenario.actors if a.id in got]

    def issues_in(self, text: str) -> list[str]:
        got = {o[6:] for o in self._owners(text) if o.startswith("issue:")}
        return [i.id for i in self.scenario.issues if i.id in got]
