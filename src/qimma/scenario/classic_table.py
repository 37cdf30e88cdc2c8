"""The classic single-issue table: one row per actor, columns Actor, Capability, Position, Salience.

This is the layout of the expected-utility literature's examples (Bueno de Mesquita's EU car
emissions table, the China and Honduras cases). Columns may come in any order; headers are matched
without regard to case, with the aliases the literature uses (Stakeholder for Actor; Resources,
Clout, Power or Influence for Capability) and Arabic names (الفاعل، القدرة، الموقف، الأهمية and a
few synonyms, see ROLES_AR). Other columns are ignored. Delimiter: comma, semicolon
or tab; line endings CR (old Mac spreadsheets), LF or CRLF.

Scales, because the table has none, inferred from the positions (`_scale`):
- every position within 0–1: the scale is 0–1 (fractions of a scale, the Honduras table);
- every position within 0–100 and spread over at least a tenth of it: the scale is 0–100;
- otherwise (positions outside 0–100, or all within 10 points: years, as in the EC car-emission
  table at 4–10) the data's own [min, max], in the data's units;
  with generated labelled anchors at both ends.
- the table gives no status quo: the middle of the actors' positions stands in for it, always
  inside their range, and the scenario's description says so (`SQ_STAND_IN_EN`);
- saliences are read as 0–100, unless every salience is within 0–1 (the Honduras table), in which
  case they are fractions and are multiplied by 100 (see importing.fractions_to_percent).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from qimma import i18n
from qimma.errors import InputError
from qimma.scenario.importing import (
    Draft,
    IdMaker,
    Origin,
    csv_cells,
    end_anchors,
    fractions_to_percent,
    id_from_path,
    is_decimal_comma,
    midpoint,
    parse_number,
    scale_for,
    split_lines,
    stance_doc,
    text_of,
)
from qimma.scenario.model import Scenario

ROLES: dict[str, tuple[str, ...]] = {
    "actor": ("actor", "stakeholder"),
    "capability": ("capability", "resources", "clout", "power", "influence"),
    "position": ("position",),
    "salience": ("salience",),
}
# Arabic headers, compared after removing diacritics and tatweel and unifying alef forms.
ROLES_AR: dict[str, tuple[str, ...]] = {
    "actor": ("الفاعل", "فاعل", "الطرف", "الجهة"),
    "capability": ("القدرة", "قدرة", "القوة", "النفوذ", "الموارد"),
    "position": ("الموقف", "موقف"),
    "salience": ("الأهمية", "أهمية", "الاهتمام"),
}
_DIACRITICS = re.compile("[\u064b-\u0652\u0670\u0640]")
_ALEF = str.maketrans("أإآ", "ااا")


def _header_key(cell: str) -> str:
    name = unicodedata.normalize("NFC", cell.strip().strip("'\"").strip())
    return _DIACRITICS.sub("", name).translate(_ALEF).lower()


ROLE_TITLES = {"actor": "Actor", "capability": "Capability", "position": "Position",
               "salience": "Salience"}  # fmt: skip
DELIMITERS = (",", ";", "\t")


_ARABIC_KEYS = {role: {_header_key(a) for a in names} for role, names in ROLES_AR.items()}


def _cells(line: str, delimiter: str) -> list[str]:
    return csv_cells(line, delimiter)


def _roles(header: list[str]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {r: [] for r in ROLES}
    for k, cell in enumerate(header):
        name = _header_key(cell)
        for role, aliases in ROLES.items():
            if name in aliases or name in _ARABIC_KEYS[role]:
                found[role].append(k)
    return found


def header_delimiter(line: str) -> str | None:
    """The delimiter under which `line` is a classic header (Actor plus two more roles), if any."""
    best: tuple[int, str] | None = None
    for d in DELIMITERS:
        roles = _roles(_cells(line, d))
        n = sum(1 for cols in roles.values() if cols)
        if roles["actor"] and n >= 3 and (best is None or n > best[0]):
            best = (n, d)
    return best[1] if best else None


def parse_classic_table(text: str, file: str) -> Scenario:
    lines = split_lines(text)
    first = next((k for k, ln in enumerate(lines) if ln.strip()), None)
    delimiter = header_delimiter(lines[first]) if first is not None else None
    if first is None or delimiter is None:
        raise InputError.single(
            "the first line is not a table header with Actor, Capability, Position and Salience",
            "السطر الأول ليس رأس جدول فيه Actor وCapability وPosition وSalience",
            file=file,
            line=(first or 0) + 1,
            fix_en="start the file with the line: Actor,Capability,Position,Salience",
            fix_ar="ابدأ الملف بالسطر: Actor,Capability,Position,Salience",
        )
    draft = Draft(file)
    header_no = first + 1
    header = _cells(lines[first], delimiter)
    roles = _roles(header)
    for role, cols in roles.items():
        title = ROLE_TITLES[role]
        aliases = ", ".join(a.capitalize() for a in ROLES[role])
        aliases_ar = ", ".join([*ROLES_AR[role], *(a.capitalize() for a in ROLES[role])])
        if not cols:
            draft.problem(
                header_no,
                title,
                f"the header has no {title} column",
                f"لا يوجد عمود {title} في رأس الجدول",
                f"add a column named one of: {aliases}",
                f"أضف عمودًا باسم أحد: {aliases_ar}",
            )
        elif len(cols) > 1:
            clash = ", ".join(header[c] for c in cols)
            draft.problem(
                header_no,
                title,
                f"several columns mean {title}: {clash}",
                f"أكثر من عمود بمعنى {title}: {clash}",
                "keep one of them",
                "أبقِ واحدًا منها",
            )
    draft.stop_if_problems()
    col = {role: cols[0] for role, cols in roles.items()}
    names = {role: header[c] for role, c in col.items()}

    rows: list[tuple[int, str, float, float, float]] = []
    seen: dict[str, int] = {}
    decimal_comma = False
    for k in range(first + 1, len(lines)):
        line_no = k + 1
        if not lines[k].strip():
            continue
        cells = _cells(lines[k], delimiter)
        if not any(cells):
            continue
        if len(cells) <= max(col.values()):
            if lines[k].count('"') % 2:  # an unclosed quote swallows the rest of the row
                draft.problem(
                    line_no,
                    None,
                    'this row opens a quotation mark (") that it never closes',
                    'يفتح هذا الصف علامة تنصيص (") ولا يغلقها',
                    "close the quotation mark, or remove it",
                    "أغلق علامة التنصيص أو احذفها",
                )
                continue
            draft.problem(
                line_no,
                None,
                f"this row has {len(cells)} of the header's {len(header)} columns",
                f"عدد أعمدة هذا الصف {len(cells)}، وعدد أعمدة رأس الجدول {len(header)}",
                f"give every row the header's columns: {delimiter.join(header)}",
                f"أعطِ كل صف أعمدة رأس الجدول: {delimiter.join(header)}",
            )
            continue
        actor = cells[col["actor"]].strip("'\"").strip()
        values: dict[str, float] = {}
        for role in ("capability", "position", "salience"):
            raw = cells[col[role]]
            x = parse_number(raw, delimiter)
            decimal_comma = decimal_comma or (x is not None and is_decimal_comma(raw, delimiter))
            if x is None:
                draft.problem(
                    line_no,
                    names[role],
                    f"'{raw}' is not a number" if raw else "the value is missing",
                    f"'{raw}' ليس عددًا" if raw else "القيمة مفقودة",
                    "write a number such as 42 or 0.08"
                    + ("" if delimiter == "," else " (or 0,08)"),
                    "اكتب عددًا مثل 42 أو 0.08" + ("" if delimiter == "," else " (أو 0,08)"),
                )
            else:
                values[role] = x
        if not actor:
            draft.problem(
                line_no,
                names["actor"],
                "the actor's name is missing",
                "اسم الفاعل مفقود",
                "write the actor's name in the first column",
                "اكتب اسم الفاعل",
            )
            continue
        if actor.lower() in seen:
            draft.problem(
                line_no,
                names["actor"],
                f"actor '{actor}' appears twice (first on line {seen[actor.lower()]})",
                f"الفاعل '{actor}' مكرر (أول مرة في السطر {seen[actor.lower()]})",
                "give each actor one row",
                "اجعل لكل فاعل صفًا واحدًا",
            )
            continue
        seen[actor.lower()] = line_no
        if len(values) == 3:
            rows.append(
                (line_no, actor, values["capability"], values["position"], values["salience"])
            )
    if not rows and not draft.problems:
        draft.problem(
            header_no,
            None,
            "the table has a header but no actor rows",
            "في الجدول رأس دون صفوف للفاعلين",
            "add one row per actor under the header",
            "أضف صفًا لكل فاعل تحت رأس الجدول",
        )
    return draft.finish(_document(draft, file, rows, names, decimal_comma))


SQ_STAND_IN_EN = i18n.t("import.sq_stand_in", "en")
NARROW = 10.0  # positions within 10 points of each other are not on a 0–100 scale


def _scale(positions: list[float]) -> tuple[float, float, str]:
    """The issue's scale inferred from the positions, and the word-table key of the note saying
    which rule applied."""
    if not positions:  # no rows: the caller reports the error
        return 0.0, 100.0, "import.scale_100"
    lo, hi = min(positions), max(positions)
    if all(0 <= x <= 1 for x in positions):
        return 0.0, 1.0, "import.scale_01"
    inside = all(0 <= x <= 100 for x in positions)
    if inside and (hi - lo >= NARROW or hi == lo):
        return 0.0, 100.0, "import.scale_100"
    if not inside:
        lo, hi = scale_for(positions)
    return lo, hi, "import.scale_own"


def _document(
    draft: Draft,
    file: str,
    rows: list[tuple[int, str, float, float, float]],
    names: dict[str, str],
    decimal_comma: bool = False,
) -> dict[str, Any]:
    stem = Path(file).stem or "table"
    saliences = [r[4] for r in rows]
    fractions = fractions_to_percent(saliences)
    positions = [r[3] for r in rows]
    issue_id = IdMaker("issue").make(stem)
    lo, hi, scale_note = _scale(positions)
    sq = midpoint(min(positions), max(positions)) if positions else midpoint(lo, hi)
    keys: list[tuple[str, dict[str, Any]]] = [
        ("import.imported_classic", {"file": Path(file).name}),
        *([("import.decimal_comma", {})] if decimal_comma else []),
        *([("import.fractions", {})] if fractions else []),
        (scale_note, {"lo": lo, "hi": hi}),
        ("import.sq_stand_in", {"sq": sq}),
    ]
    notes = [i18n.t(k, "en", **f) for k, f in keys]
    notes_ar = [i18n.t(k, "ar", **f) for k, f in keys]
    ids = IdMaker("A")
    actors: list[dict[str, Any]] = []
    stances: list[dict[str, Any]] = []
    for line_no, name, cap, pos, sal in rows:
        aid = ids.make(name)
        k = len(actors)
        actors.append({"id": aid, "name": text_of(name)})
        draft.origins[("actors", k)] = Origin(line_no, {"id": names["actor"], "name": "Actor"})
        draft.origins[("stances", k)] = Origin(
            line_no,
            {
                "position": names["position"],
                "salience": names["salience"],
                "capability": names["capability"],
            },
        )
        stances.append(
            stance_doc(
                aid,
                issue_id,
                pos,
                sal * 100 if fractions else sal,
                cap,
                f"imported from {Path(file).name}, line {line_no}",
            )
        )
    return {
        "id": id_from_path(file),
        "title": {"en": stem},
        "description": {"en": " ".join(notes), "ar": " ".join(notes_ar)},
        "actors": actors,
        "issues": [
            {
                "id": issue_id,
                "name": {"en": stem},
                "scale": {"min": lo, "max": hi, "anchors": end_anchors(lo, hi)},
                "status_quo": sq,
                "note": SQ_STAND_IN_EN.format(sq=sq),
            }
        ],
        "stances": stances,
    }
