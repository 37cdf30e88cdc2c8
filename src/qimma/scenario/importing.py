"""What every importer shares: lines, ids, names, numbers, generated scales, located validation.

An importer reads the user's table into a plain scenario document (the same nested dicts the YAML
format gives), remembers which line of the file each actor, issue and stance came from, and hands
both to :func:`finish`, which validates the document and reports every problem against the user's
own lines and column names.
"""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qimma import i18n
from qimma.errors import InputError, Problem
from qimma.scenario.model import Scenario
from qimma.scenario.validation import Loc, format_loc, validate_document

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
_NOT_ID = re.compile(r"[^A-Za-z0-9_.\-]+")


def split_lines(text: str) -> list[str]:
    """Lines as an editor numbers them: CR-only (old Mac), LF and CRLF endings all count."""
    return _LINE_BREAK.split(text)


def csv_cells(line: str, delimiter: str, quotechar: str = '"') -> list[str]:
    """One line's fields, stripped; a line the csv module refuses (NUL bytes) is split plainly."""
    try:
        reader = csv.reader([line], delimiter=delimiter, quotechar=quotechar, skipinitialspace=True)
        return [c.strip() for c in next(reader, [])]
    except csv.Error:
        return [c.strip() for c in line.split(delimiter)]


def has_arabic(s: str) -> bool:
    return bool(_ARABIC.search(s))


def text_of(name: str) -> dict[str, str]:
    """A name in the language it is written in (Arabic script → ar, otherwise en), in NFC.

    NFC composes what some editors store decomposed (alef + combining hamza → أ), so that the same
    name typed on two machines is the same text."""
    name = unicodedata.normalize("NFC", name)
    return {"ar": name} if has_arabic(name) else {"en": name}


class IdMaker:
    """Valid, unique qimma ids from the names in a file: "EU (incl Norway)" → EU_incl_Norway."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.taken: set[str] = set()

    def make(self, raw: str) -> str:
        base = _NOT_ID.sub("_", raw.strip()).strip("_.-")[:60]
        if not base or not base[0].isalpha():
            base = f"{self.prefix}_{base}" if base else f"{self.prefix}{len(self.taken) + 1}"
        candidate, n = base, 2
        while candidate.lower() in self.taken:
            candidate = f"{base}_{n}"
            n += 1
        self.taken.add(candidate.lower())
        return candidate


def id_from_path(path: str) -> str:
    return IdMaker("scenario").make(Path(path).stem or "scenario")


# A decimal comma (European spreadsheets: 0,08), possible only where ',' does not separate fields.
_DECIMAL_COMMA = re.compile(r"^[+-]?\d*,\d+$")
DECIMAL_COMMA_NOTE_EN = i18n.t("import.decimal_comma", "en")
DECIMAL_COMMA_NOTE_AR = i18n.t("import.decimal_comma", "ar")


def parse_number(raw: str, delimiter: str = ",") -> float | None:
    """A finite number, or None if the text is not one (nan and inf are not numbers here).

    In a file whose fields are not separated by ',' (European spreadsheets: ';' or tab), a
    decimal comma is read as a decimal point: '0,08' is 0.08 (see `is_decimal_comma`)."""
    s = raw.strip()
    if not s:
        return None
    if delimiter != "," and _DECIMAL_COMMA.match(s):
        s = s.replace(",", ".")
    try:
        x = float(s)
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def is_decimal_comma(raw: str, delimiter: str) -> bool:
    """Whether `parse_number` reads `raw` through its decimal comma."""
    return delimiter != "," and bool(_DECIMAL_COMMA.match(raw.strip()))


def end_anchors(lo: float, hi: float) -> list[dict[str, Any]]:
    """Labelled anchors at both ends of a scale the source format does not label."""
    return [
        {
            "value": lo,
            "label": {"en": f"{lo:g} (bottom of the scale)", "ar": f"{lo:g} (أدنى المقياس)"},
        },
        {
            "value": hi,
            "label": {"en": f"{hi:g} (top of the scale)", "ar": f"{hi:g} (أعلى المقياس)"},
        },
    ]


def scale_for(positions: list[float]) -> tuple[float, float]:
    """0–100 when every position fits, else the data's own [min, max]."""
    if not positions or all(0 <= x <= 100 for x in positions):
        return 0.0, 100.0
    lo, hi = min(positions), max(positions)
    if hi <= lo:  # one distinct value outside 0-100: give the scale some width
        hi = lo + 1.0
    return lo, hi


SQ_NOTE_EN = "The source format has no status quo; set to the middle of the scale (an assumption)."


def midpoint(lo: float, hi: float) -> float:
    # halves first: lo + (hi - lo) / 2 overflows to inf for ends near ±1.8e308
    return lo / 2 + hi / 2


def fractions_to_percent(values: list[float]) -> bool:
    """True when a file gives saliences as fractions: every value within 0–1.

    A 0–100 file whose saliences all happen to be at most 1 would be misread, but such a file says
    every actor barely cares about the issue, which no sample or published case does."""
    return bool(values) and all(0 <= v <= 1 for v in values)


@dataclass
class Origin:
    """Where part of the document came from: a line, and the user's names for its fields."""

    line: int
    fields: dict[str, str] = field(default_factory=dict)  # document field -> user's name


@dataclass
class Draft:
    """A scenario document being built from a user's file, with the origin of each part."""

    file: str
    problems: list[Problem] = field(default_factory=list)
    origins: dict[Loc, Origin] = field(default_factory=dict)

    def problem(
        self,
        line: int | None,
        where: str | None,
        en: str,
        ar: str,
        fix_en: str | None = None,
        fix_ar: str | None = None,
    ) -> None:
        self.problems.append(Problem(en, ar, self.file, line, where, fix_en, fix_ar))

    def locate(self, loc: Loc) -> tuple[int | None, str]:
        for n in range(len(loc), 0, -1):
            origin = self.origins.get(loc[:n])
            if origin is not None:
                rest = loc[n:]
                if rest and isinstance(rest[0], str) and rest[0] in origin.fields:
                    return origin.line, origin.fields[rest[0]]
                if not rest and origin.fields.get(""):
                    return origin.line, origin.fields[""]
                return origin.line, format_loc(loc)
        return None, format_loc(loc)

    def stop_if_problems(self) -> None:
        """Raise the problems found so far (used when nothing more can be read)."""
        if self.problems:
            raise InputError(sorted(dict.fromkeys(self.problems), key=_line_order))

    def finish(self, doc: dict[str, Any]) -> Scenario:
        if not doc.get("actors") or not doc.get("issues"):
            self.stop_if_problems()  # nothing was readable: the row problems say why
        return validate_document(doc, self.file, self.locate, self.problems)


def _line_order(p: Problem) -> tuple[int, str]:
    return (p.line if p.line is not None else 0, p.path or "")


def stance_doc(
    actor: str, issue: str, position: float, salience: float, capability: float, source: str
) -> dict[str, Any]:
    return {
        "actor": actor,
        "issue": issue,
        "position": {"value": position},
        "salience": {"value": salience},
        "capability": {"value": capability},
        "basis": "assumption",
        "justification": source,
    }


def ktab_document(
    file: str,
    name: str,
    description: str,
    actors: list[dict[str, Any]],
    issues: list[dict[str, Any]],
    stances: list[dict[str, Any]],
) -> dict[str, Any]:
    """The scenario document of a KTAB file (CSV or XML): its name gives the id and title."""
    doc: dict[str, Any] = {
        "id": IdMaker("scenario").make(name) if name else id_from_path(file),
        "title": text_of(name or Path(file).stem or "KTAB scenario"),
        "actors": actors,
        "issues": issues,
        "stances": stances,
    }
    if description:
        doc["description"] = text_of(description)
    return doc
