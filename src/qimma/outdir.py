"""The output folder rule, shared by every writer of results (forecast, Monte Carlo, backtest,
report): checked before any work, so a long run never ends in a refusal; earlier results are never
replaced unless the caller allows it, and then every earlier output of that writer goes, so old and
new files are never mixed.

Front ends name their own options: `OutputFolderError.problem` takes their words for "the output
folder" and "allow replacing" (each front end passes its own option names).
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from qimma.errors import InputError, Problem

Kind = Literal["file", "taken", "create"]

FOLDER_WORDS = ("the output path", "مسار الإخراج")
REPLACE_WORDS = ("allow replacing them", "اسمح باستبدالها")


class OutputFolderError(InputError):
    """The output folder cannot be used as it is."""

    def __init__(self, kind: Kind, folder: Path, taken: Sequence[str] = (), detail: str = ""):
        self.kind, self.folder, self.taken, self.detail = kind, folder, list(taken), detail
        super().__init__([self.problem()])

    def problem(
        self,
        folder_words: tuple[str, str] = FOLDER_WORDS,
        replace_words: tuple[str, str] = REPLACE_WORDS,
    ) -> Problem:
        """The problem in the caller's words: (English, Arabic) for the folder and for allowing
        replacement."""
        (what_en, what_ar), (rep_en, rep_ar) = folder_words, replace_words
        if self.kind == "file":
            return Problem(
                f"{what_en} must be a folder, and this is a file",
                f"يجب أن يكون {what_ar} مجلدًا، وهذا ملف",
                file=str(self.folder),
                fix_en="give the name of a folder (it is created if missing)",
                fix_ar="حدد اسم مجلد (يُنشأ إن لم يكن موجودًا)",
            )
        if self.kind == "taken":
            return Problem(
                f"the folder already holds {', '.join(self.taken)}",
                f"المجلد يحتوي مسبقًا على {'، '.join(self.taken)}",
                file=str(self.folder),
                fix_en=f"choose another folder, or {rep_en}",
                fix_ar=f"اختر مجلدًا آخر، أو {rep_ar}",
            )
        return Problem(
            f"cannot create the folder: {self.detail}",
            f"تعذّر إنشاء المجلد: {self.detail}",
            file=str(self.folder),
            fix_en="give a folder inside one you can write to",
            fix_ar="حدد مجلدًا داخل مجلد يمكنك الكتابة فيه",
        )


def prepare_output_folder(folder: Path, names: Sequence[str], *, replace: bool = False) -> None:
    """Check `folder` for a writer whose outputs are `names` (files or sub-folders), before any
    work: refuses a path that is a file, and a folder already holding any of `names` unless
    `replace`. Creates the folder if missing; removes nothing (see `clear_outputs`)."""
    if folder.exists() and not folder.is_dir():
        raise OutputFolderError("file", folder)
    taken = [n for n in names if (folder / n).exists() or (folder / n).is_symlink()]
    if taken and not replace:
        raise OutputFolderError("taken", folder, taken)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputFolderError("create", folder, detail=str(e.strerror)) from e


def clear_outputs(folder: Path, names: Sequence[str]) -> None:
    """Remove every one of `names` in `folder` (and nothing else), right before writing new
    outputs, so they are never mixed with older ones. Called after the work succeeded: a failed
    run loses nothing."""
    for n in names:
        path = folder / n
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()
