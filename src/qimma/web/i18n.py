"""The web app's words: the `web` section of the shared word table (qimma.i18n)."""

from __future__ import annotations

from qimma import i18n


def words(lang: str) -> dict[str, str]:
    return i18n.words("web", i18n.lang_of(lang))
