"""Shared command-line plumbing: language option, console, error exit."""

from __future__ import annotations

from enum import StrEnum

import typer
from rich.console import Console

console = Console()
err_console = Console(stderr=True)


class Lang(StrEnum):
    en = "en"
    ar = "ar"


# The language chosen by the running command; errors raised later are printed in it.
state = {"lang": "en"}

LangOption = typer.Option(
    Lang.en, "--lang", "-l", help="Language of the output and of error messages: en or ar."
)


def set_lang(lang: Lang) -> str:
    state["lang"] = lang.value
    return lang.value
