"""Shared command-line plumbing: language option, console, error exit."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console

from qimma.errors import InputError

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
    help="Language of the output and of error messages: en or ar (or set QIMMA_LANG).",
)


def set_lang(lang: Lang) -> str:
    state["lang"] = lang.value
    return lang.value


def prepare_out_dir(out: Path, names: Sequence[str], force: bool) -> None:
    """Check `--out` before any work: a folder we can create, holding none of `names` unless
    --force. A long run must not end in a refusal; earlier results are never replaced silently."""
    if out.exists() and not out.is_dir():
        raise InputError.single(
            "--out must be a folder, and this is a file",
            "يجب أن يكون --out مجلدًا، وهذا ملف",
            file=str(out),
            fix_en="give the name of a folder",
            fix_ar="حدد اسم مجلد",
        )
    existing = [n for n in names if (out / n).exists()]
    if existing and not force:
        raise InputError.single(
            f"the folder already holds {', '.join(existing)}",
            f"المجلد يحتوي مسبقًا على {'، '.join(existing)}",
            file=str(out),
            fix_en="choose another folder, or add --force to replace them",
            fix_ar="اختر مجلدًا آخر، أو أضف --force لاستبدالها",
        )
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError.single(
            f"cannot create the folder: {e.strerror}",
            f"تعذّر إنشاء المجلد: {e.strerror}",
            file=str(out),
            fix_en="give a folder inside one you can write to",
            fix_ar="حدد مجلدًا داخل مجلد يمكنك الكتابة فيه",
        ) from e
