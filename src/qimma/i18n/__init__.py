"""Every user-visible word of qimma, one table per language.

`en.toml` and `ar.toml` hold the same keys, grouped in sections: `common` (words every surface
shares), `report`, `web`, `cli`, `show`, `backtest`, `format`, `icd203`, `track`, `confidence`,
`vs`, `usage` (command-line usage errors), `form` (form validation messages) and `import`
(notes of the file importers), `help` and `helpfmt` (every `--help`, see qimma.cli.help).
The CLI, the web
app and the report read their words from here only, so one concept has one Arabic form everywhere
(docs/i18n.md lists the terminology choices). A key is written `section.name`; a name missing
from its section is looked up in `common`.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources
from typing import Any

from markupsafe import Markup, escape

LANGS = ("en", "ar")


def lang_of(lang: str | None) -> str:
    """'ar' for Arabic, 'en' for anything else (an unknown language falls back to English)."""
    return "ar" if lang == "ar" else "en"


@cache
def table(lang: str) -> dict[str, dict[str, str]]:
    """The whole word table of one language, by section."""
    text = resources.files(__package__).joinpath(f"{lang_of(lang)}.toml").read_text("utf-8")
    return tomllib.loads(text)


def t(key: str, lang: str, **fields: Any) -> str:
    """The word for `section.name` in `lang`, with `{fields}` filled in when given."""
    sec, _, name = key.partition(".")
    tab = table(lang)
    word = tab[sec].get(name)
    if word is None:
        word = tab["common"][name]
    return word.format(**fields) if fields else word


def words(section: str, lang: str) -> dict[str, str]:
    """One section's words (with the common words) as a flat dict, e.g. for a template."""
    tab = table(lang)
    return {**tab["common"], **tab[section]}


LRI, PDI = "\u2066", "\u2069"  # a left-to-right isolate inside right-to-left text


def arrow(lang: str) -> str:
    """ "from → to" in the reading direction: right to left in Arabic the arrow points left, so
    "50 ← 52" reads from 50 to 52 (a "→" between two numbers shows them in reverse)."""
    return "←" if lang == "ar" else "→"


def english_only(text: str, lang: str, html: bool = False) -> str:
    """A text the scenario holds in English only (a judgement's note, why an input changed
    between editions), for a reader of `lang`. In English: itself. In Arabic: marked
    «(بالإنجليزية)» and set apart left to right (an isolate in plain text; `lang="en"` in HTML,
    where the text is escaped and the result is markup), so that it is neither passed off as
    Arabic nor replaced by other words. Empty stays empty."""
    if not text or lang_of(lang) == "en":
        return escape(text) if html else text
    mark = t("common.in_english", lang)
    if html:
        return Markup('{} <bdi lang="en" dir="ltr">{}</bdi>').format(mark, text)
    return f"{mark} {LRI}{text}{PDI}"


def dated(text: str, lang: str) -> str:
    """A free-text date of a source, e.g. '2025 (spring, inferred)', in `lang`: each English
    word through the table's `date` section or common words (a word in neither is kept), Arabic
    commas."""
    if lang_of(lang) == "en" or not text:
        return text
    names = {**table(lang)["common"], **table(lang)["date"]}
    out = re.sub(r"[A-Za-z]+", lambda m: names.get(m[0].lower(), m[0]), text)
    return out.replace(", ", t("common.comma", lang))
