"""Errors a user can act on.

Every problem names the file, the place in it (line and field path), what is wrong and how to fix
it, in English and Arabic. The command line prints them and exits with status 2; the web app turns
them into HTTP 4xx responses. No traceback ever reaches the user for bad input.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from qimma import i18n

Lang = Literal["en", "ar"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as we can."""

    message_en: str
    message_ar: str
    file: str | None = None
    line: int | None = None
    path: str | None = None  # field path inside the document, e.g. "stances[3].salience.value"
    fix_en: str | None = None
    fix_ar: str | None = None

    def render(self, lang: Lang = "en") -> str:
        where: list[str] = []
        if self.file:
            where.append(self.file)
        if self.line is not None:
            where.append(i18n.t("common.line", lang, n=self.line))
        if self.path:
            where.append(self.path)
        prefix = i18n.t("common.comma", lang).join(where) if where else ""
        msg = self.message_en if lang == "en" else self.message_ar
        fix = self.fix_en if lang == "en" else self.fix_ar
        text = f"{prefix}: {msg}" if prefix else msg
        if fix:
            text += f" — {i18n.t('common.fix', lang)}: {fix}"
        return text

    def located(self, file: str | None = None, line: int | None = None) -> Problem:
        """The same problem with a file or line filled in where it was missing."""
        return Problem(
            self.message_en,
            self.message_ar,
            self.file or file,
            self.line if self.line is not None else line,
            self.path,
            self.fix_en,
            self.fix_ar,
        )


@dataclass
class QimmaError(Exception):
    """Bad input or an impossible request: one or more problems, reported together."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.render("en"))

    @classmethod
    def single(
        cls,
        message_en: str,
        message_ar: str,
        *,
        file: str | None = None,
        line: int | None = None,
        path: str | None = None,
        fix_en: str | None = None,
        fix_ar: str | None = None,
    ) -> QimmaError:
        return cls([Problem(message_en, message_ar, file, line, path, fix_en, fix_ar)])

    def render(self, lang: Lang = "en") -> str:
        return "\n".join(p.render(lang) for p in self.problems)

    def __str__(self) -> str:
        return self.render("en")


class InputError(QimmaError):
    """A file or form the user gave us is malformed or inconsistent."""


class NotFoundError(QimmaError):
    """Something named by the user (model, lever, actor, file) does not exist."""


def collect(problems: Iterable[Problem], cls: type[QimmaError] = InputError) -> None:
    """Raise all problems at once, if there are any."""
    found = list(problems)
    if found:
        raise cls(found)
