"""Decide's tagged input format (Stokman & Van Oosten's exchange model, `decide-exchange-model`).

Each line starts with a tag; fields are separated by a tab, ';' or ',', quoted with ' or " or not:

    #A  actor-id  full name  [comment]
    #P  issue-id  description  [comment]
    #M  issue-id  position  [label]            a labelled point of the issue's scale
    #D  actor-id  issue-id  position  salience  power  [comment]
    #O  description of the data set            #/  comment (ignored)

Read more carefully than Decide itself: the delimiter is taken from each line (the character after
the tag), not guessed once for the whole file by `csv.Sniffer`, which is why Decide crashes on
unquoted files that start with `#O`/`#/` lines (`copenhagen_with_errors.csv`). Unlike Decide, rows
that break a rule are reported, never dropped silently, and an out-of-scale position is an error.

Scales: an issue's scale runs from the lowest to the highest of its `#M` positions, which become
its labelled anchors; an issue with no `#M` line gets 0–100 with generated end labels. Saliences are
read as 0–100 unless every salience in the file is within 0–1 (all bundled Decide files), in which
case they are fractions and are multiplied by 100. Power becomes capability (>= 0) unchanged.
Decide has no status quo: the middle of each scale is used (an assumption, noted on the issue).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qimma.scenario.importing import (
    DECIMAL_COMMA_NOTE_AR,
    DECIMAL_COMMA_NOTE_EN,
    SQ_NOTE_EN,
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
    split_lines,
    stance_doc,
    text_of,
)
from qimma.scenario.model import Scenario

TAGS = ("A", "P", "M", "D", "O", "/")
_TAG = re.compile(r"""^\s*(['"]?)#(\S)\1?(?P<delim>[\t;,])?""")
# Required fields per tag (an actor's full name and an issue's description may be left out).
_FIELDS = {
    "A": ("id",),
    "P": ("id",),
    "M": ("issue", "position"),
    "D": ("actor", "issue", "position", "salience", "power"),
}
_D_FIELDS = {"position": "#D position", "salience": "#D salience", "capability": "#D power",
             "actor": "#D actor", "issue": "#D issue"}  # fmt: skip


def tag_of(line: str) -> str | None:
    """The tag letter of a Decide line ('A', 'D', '/', ...), or None."""
    m = _TAG.match(line)
    return m.group(2) if m else None


def looks_like_decide(lines: list[str]) -> bool:
    tagged = [tag_of(ln) for ln in lines if ln.strip()]
    return bool(tagged) and tagged[0] is not None and any(t in ("A", "D") for t in tagged)


@dataclass
class _Row:
    line: int
    tag: str
    fields: list[str]
    delimiter: str = ","


def _split(line: str, delimiter: str) -> list[str]:
    return csv_cells(line, delimiter, "'" if line.lstrip().startswith("'") else '"')


def parse_decide(text: str, file: str) -> Scenario:
    draft = Draft(file)
    rows: list[_Row] = []
    for k, line in enumerate(split_lines(text)):
        line_no = k + 1
        if not line.strip():
            continue
        m = _TAG.match(line)
        tag = m.group(2) if m else None
        if m is not None and tag not in TAGS:
            draft.problem(
                line_no,
                None,
                f"unknown tag '#{tag}'",
                f"وسم غير معروف '#{tag}'",
                "use #A, #P, #M, #D, #O or #/ (comment)",
                "استخدم #A أو #P أو #M أو #D أو #O أو #/ (تعليق)",
            )
            continue
        if m is None:
            shown = line.strip()[:40]
            draft.problem(
                line_no,
                None,
                f"the line does not start with a Decide tag: '{shown}'",
                f"لا يبدأ السطر بوسم Decide: '{shown}'",
                "start it with #A, #P, #M, #D, #O or #/ (comment), then a tab, ';' or ','",
                "ابدأه بـ #A أو #P أو #M أو #D أو #O أو #/ (تعليق)، ثم مسافة جدولة أو ';' أو ','",
            )
            continue
        assert tag is not None
        delim = m.group("delim")
        if tag in ("/", "O"):
            rows.append(_Row(line_no, tag, [line[m.end() :].strip().strip("'\"")]))
            continue
        if delim is None:
            draft.problem(
                line_no,
                f"#{tag}",
                f"no tab, ';' or ',' after the tag #{tag}",
                f"لا توجد مسافة جدولة أو ';' أو ',' بعد الوسم #{tag}",
                "separate the fields with a tab, ';' or ','",
                "افصل الحقول بمسافة جدولة أو ';' أو ','",
            )
            continue
        fields = _split(line, delim)[1:]
        need = _FIELDS[tag]
        while fields and not fields[-1] and len(fields) > len(need):
            fields.pop()
        if len(fields) < len(need) or any(not f for f in fields[: len(need)]):
            draft.problem(
                line_no,
                f"#{tag}",
                f"#{tag} needs {len(need)} fields ({', '.join(need)}), this line has "
                f"{sum(1 for f in fields[: len(need)] if f)}",
                f"يحتاج #{tag} إلى {len(need)} حقول ({', '.join(need)})، وفي هذا السطر "
                f"{sum(1 for f in fields[: len(need)] if f)}",
                f"write: #{tag}{delim}{delim.join(need)}",
                f"اكتب: #{tag}{delim}{delim.join(need)}",
            )
            continue
        rows.append(_Row(line_no, tag, fields + [""] * 3, delim))  # optional fields: empty
    if not any(r.tag in "APMD" for r in rows) and not draft.problems:
        draft.problem(
            None,
            None,
            "the file has no #A, #P or #D lines",
            "لا توجد في الملف أسطر #A أو #P أو #D",
            "see docs/scenario-format.md for Decide's format",
            "انظر docs/scenario-format.md لصيغة Decide",
        )
    return draft.finish(_document(draft, file, rows))


def _number(draft: Draft, row: _Row, index: int, what: str) -> float | None:
    raw = row.fields[index]
    x = parse_number(raw, row.delimiter)
    if x is None:
        draft.problem(
            row.line,
            f"#{row.tag} {what}",
            f"'{raw}' is not a number",
            f"'{raw}' ليس عددًا",
            "write a number such as 42 or 0.5",
            "اكتب عددًا مثل 42 أو 0.5",
        )
    return x


def _document(draft: Draft, file: str, rows: list[_Row]) -> dict[str, Any]:
    actor_ids, issue_ids = IdMaker("A"), IdMaker("issue")
    actors: dict[str, dict[str, Any]] = {}  # Decide id -> actor document
    actor_line: dict[str, int] = {}
    issues: dict[str, dict[str, Any]] = {}
    issue_line: dict[str, int] = {}
    marks: dict[str, list[tuple[float, str, int]]] = {}
    descriptions = [r.fields[0] for r in rows if r.tag == "O" and r.fields[0]]

    for r in rows:
        if r.tag == "A":
            raw_id, full = r.fields[0], r.fields[1]
            if raw_id in actors:
                draft.problem(
                    r.line,
                    "#A id",
                    f"actor '{raw_id}' is declared twice (first on line {actor_line[raw_id]})",
                    f"الفاعل '{raw_id}' معرّف مرتين (أول مرة في السطر {actor_line[raw_id]})",
                    "declare each actor once",
                    "عرّف كل فاعل مرة واحدة",
                )
                continue
            doc: dict[str, Any] = {"id": actor_ids.make(raw_id), "name": text_of(full or raw_id)}
            if full and full != raw_id:
                doc["aliases"] = [raw_id]
            if len(r.fields) > 2 and r.fields[2]:
                doc["note"] = r.fields[2]
            actors[raw_id] = doc
            actor_line[raw_id] = r.line
        elif r.tag == "P":
            raw_id, desc = r.fields[0], r.fields[1]
            if raw_id in issues:
                draft.problem(
                    r.line,
                    "#P id",
                    f"issue '{raw_id}' is declared twice (first on line {issue_line[raw_id]})",
                    f"القضية '{raw_id}' معرّفة مرتين (أول مرة في السطر {issue_line[raw_id]})",
                    "declare each issue once",
                    "عرّف كل قضية مرة واحدة",
                )
                continue
            issues[raw_id] = {"raw": raw_id, "id": issue_ids.make(raw_id), "desc": desc}
            issue_line[raw_id] = r.line
            if len(r.fields) > 2 and r.fields[2] and r.fields[2] != desc:
                issues[raw_id]["note"] = r.fields[2]

    for r in rows:
        if r.tag == "M":
            x = _number(draft, r, 1, "position")
            if r.fields[0] not in issues:
                _unknown(draft, r, "#M issue", "issue", r.fields[0], sorted(issues))
            elif x is not None:
                label = r.fields[2] if len(r.fields) > 2 else ""
                marks.setdefault(r.fields[0], []).append((x, label, r.line))

    scales: dict[str, tuple[float, float, list[dict[str, Any]]]] = {}
    for raw_id in issues:
        pts = marks.get(raw_id, [])
        values = sorted({x for x, _, _ in pts})
        if not pts:
            scales[raw_id] = (0.0, 100.0, end_anchors(0.0, 100.0))
            continue
        if len(values) < 2:
            draft.problem(
                pts[0][2],
                "#M position",
                f"issue '{raw_id}' has #M points at one position only ({values[0]:g}); its scale "
                "runs from the lowest to the highest #M position",
                f"للقضية '{raw_id}' نقاط #M عند موقف واحد فقط ({values[0]:g})؛ يمتد مقياسها "
                "من أدنى موقف #M إلى أعلاه",
                "add #M lines for both ends of the scale, or remove them all for 0–100",
                "أضف أسطر #M لطرفي المقياس، أو احذفها كلها لمقياس 0–100",
            )
            continue
        anchors, used = [], set()
        for x, label, _ in sorted(pts):
            if x in used:
                continue
            used.add(x)
            anchors.append({"value": x, "label": text_of(label or f"{x:g}")})
        scales[raw_id] = (values[0], values[-1], anchors)

    d_rows = [r for r in rows if r.tag == "D"]
    parsed: list[tuple[_Row, float, float, float]] = []
    seen: dict[tuple[str, str], int] = {}
    for r in d_rows:
        actor, issue = r.fields[0], r.fields[1]
        ok = True
        if actor not in actors:
            _unknown(draft, r, "#D actor", "actor", actor, sorted(actors))
            ok = False
        if issue not in issues:
            _unknown(draft, r, "#D issue", "issue", issue, sorted(issues))
            ok = False
        columns = ((2, "position"), (3, "salience"), (4, "power"))
        nums = [_number(draft, r, k, what) for k, what in columns]
        if (actor, issue) in seen:
            draft.problem(
                r.line,
                "#D",
                f"a second #D line for actor '{actor}' on issue '{issue}' "
                f"(first on line {seen[(actor, issue)]})",
                f"سطر #D ثانٍ للفاعل '{actor}' في القضية '{issue}' "
                f"(الأول في السطر {seen[(actor, issue)]})",
                "keep one #D line per actor and issue",
                "أبقِ سطر #D واحدًا لكل فاعل وقضية",
            )
            continue
        seen[(actor, issue)] = r.line
        if ok and None not in nums:
            parsed.append((r, nums[0], nums[1], nums[2]))  # type: ignore[arg-type]

    fractions = fractions_to_percent([s for _, _, s, _ in parsed])
    issue_docs = []
    for raw_id, info in issues.items():
        if raw_id not in scales:
            continue
        lo, hi, anchors = scales[raw_id]
        note = SQ_NOTE_EN + (f" {info['note']}" if "note" in info else "")
        issue_docs.append(
            {
                "id": info["id"],
                "name": text_of(info["desc"] or raw_id),
                "scale": {"min": lo, "max": hi, "anchors": anchors},
                "status_quo": midpoint(lo, hi),
                "note": note,
            }
        )
        draft.origins[("issues", len(issue_docs) - 1)] = Origin(issue_line[raw_id])
    stance_docs: list[dict[str, Any]] = []
    for r, pos, sal, power in parsed:
        if r.fields[1] not in scales:
            continue
        draft.origins[("stances", len(stance_docs))] = Origin(r.line, _D_FIELDS)
        stance_docs.append(
            stance_doc(
                actors[r.fields[0]]["id"],
                issues[r.fields[1]]["id"],
                pos,
                sal * 100 if fractions else sal,
                power,
                f"imported from {Path(file).name}, line {r.line}",
            )
        )
    for k, raw_id in enumerate(actors):
        draft.origins[("actors", k)] = Origin(actor_line[raw_id])
    notes = [f"Imported from the Decide file {Path(file).name}."]
    notes_ar = [f"مستورد من ملف Decide {Path(file).name}."]
    if any(is_decimal_comma(f, r.delimiter) for r in rows for f in r.fields):
        notes.append(DECIMAL_COMMA_NOTE_EN)
        notes_ar.append(DECIMAL_COMMA_NOTE_AR)
    if fractions:
        notes.append("Saliences were given on 0–1 and were multiplied by 100.")
        notes_ar.append("أُعطيت الأهميات على 0–1 فضُربت في 100.")
    title = descriptions[0] if descriptions else (Path(file).stem or "Decide data")
    return {
        "id": id_from_path(file),
        "title": text_of(title),
        "description": {
            "en": " ".join([*descriptions[1:], *notes]),
            "ar": " ".join([*descriptions[1:], *notes_ar]),
        },
        "actors": list(actors.values()),
        "issues": issue_docs,
        "stances": stance_docs,
    }


def _unknown(draft: Draft, r: _Row, where: str, kind: str, value: str, known: list[str]) -> None:
    kind_ar = "فاعل" if kind == "actor" else "قضية"
    tag = "#A" if kind == "actor" else "#P"
    allowed = ", ".join(known) if known else f"(none: no {tag} lines)"
    draft.problem(
        r.line,
        where,
        f"unknown {kind} '{value}'",
        f"{kind_ar} غير معروف '{value}'" if kind == "actor" else f"قضية غير معروفة '{value}'",
        f"use one declared on a {tag} line: {allowed}",
        f"استخدم ما عُرّف في سطر {tag}: {allowed}",
    )
