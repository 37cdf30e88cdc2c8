"""The report's words: the `report` section of the shared word table (qimma.i18n)."""

from __future__ import annotations

from qimma import i18n


def t(key: str, lang: str) -> str:
    return i18n.t(f"report.{key}", lang)


def words(lang: str) -> dict[str, str]:
    return i18n.words("report", lang)
