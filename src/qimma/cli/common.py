"""Shared command-line plumbing: language option, console, error exit."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console

from qimma import i18n
from qimma.errors import InputError
from qimma.outdir import OutputFolderError, prepare_output_folder

# markup=False: names, notes and paths from the user's files are printed as they are; a '[' in an
# actor's name must neither vanish nor stop the program (rich would read it as a style tag).
console = Console(markup=False)
err_console = Console(stderr=True, markup=False)


class Lang(StrEnum):
    en = "en"
    ar = "ar"


# The language chosen by the running command; errors raised later are printed in it.
state = {"lang": "en"}

LangOption = typer.Option(
    Lang.en,
    "--lang",
    "-l",
    envvar="QIMMA_LANG",
)


def show_progress(json_out: bool) -> bool:
    """Progress (what a command is doing, its bar, a compile notice) only for a person at a
    terminal: never with --json, into a pipe or a file."""
    return not json_out and sys.stdout.isatty() and err_console.is_terminal


def set_lang(lang: Lang) -> str:
    state["lang"] = lang.value
    return lang.value


def prepare_out_dir(out: Path, names: Sequence[str], force: bool) -> None:
    """The library's output-folder rule (`qimma.outdir`) in the words of the command line:
    `--out` is the folder, `--force` allows replacing earlier results."""
    try:
        prepare_output_folder(out, names, replace=force)
    except OutputFolderError as e:
        raise InputError(
            [
                e.problem(
                    ("--out", "--out"),
                    (i18n.t("cli.add_force", "en"), i18n.t("cli.add_force", "ar")),
                )
            ]
        ) from None
