"""KTAB's Spatial Model of Politics CSV (read as KTAB's `SMPModel::csvRead` reads it).

    line 1: scenario name, description, number of actors, number of dimensions [, ignored ...]
    line 2: Actor, Description, Influence|Power, then per dimension: <dim> Position, <dim> Salience
    line 3+: name, description, capability, position_1, salience_1, ..., position_D, salience_D

Comma-delimited, double quotes trimmed, trailing fields ignored (with or without a final comma).
Positions and saliences are on 0–100, capability >= 0. KTAB's own rule that an actor's saliences
sum to at most 100 over all dimensions is not enforced: qimma's models do not need it, and the rule
is KTAB's normalisation, not a property of the data. KTAB has no status quo: the middle of the scale
is used (an assumption, noted on each issue).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from qimma.scenario.importing import (
    SQ_NOTE_EN,
    Draft,
    IdMaker,
    Origin,
    csv_cells,
    end_anchors,
    ktab_document,
    parse_number,
    split_lines,
    stance_doc,
    text_of,
)
from qimma.scenario.model import Scenario

_POSITION_SUFFIX = re.compile(r"\s*(position|pstn|pos)\s*$", re.IGNORECASE)


def _cells(line: str) -> list[str]:
    return csv_cells(line, ",")


def _count(raw: str) -> int | None:
    x = parse_number(raw)
    return int(x) if x is not None and x == int(x) and x >= 1 else None


def looks_like_ktab_csv(first_line: str) -> bool:
    cells = _cells(first_line)
    return len(cells) >= 4 and _count(cells[2]) is not None and _count(cells[3]) is not None


def dimension_name(header: str) -> str:
    """KTAB names a dimension by its position header: 'Policy Position' → 'Policy'; 'Pstn1'."""
    stripped = _POSITION_SUFFIX.sub("", header).strip()
    return stripped if stripped and stripped != header.strip() and " " in header else header.strip()


def parse_ktab_csv(text: str, file: str) -> Scenario:
    draft = Draft(file)
    lines = split_lines(text)
    numbered = [(k + 1, ln) for k, ln in enumerate(lines) if ln.strip().strip(",").strip()]
    if not numbered or not looks_like_ktab_csv(numbered[0][1]):
        draft.problem(
            numbered[0][0] if numbered else 1,
            None,
            "the first line is not a KTAB scenario line (name, description, actors, dimensions)",
            "السطر الأول ليس سطر سيناريو KTAB (الاسم، الوصف، عدد الفاعلين، عدد الأبعاد)",
            "start with e.g.: MyScenario,My description,5,2",
            "ابدأ مثلًا بـ: MyScenario,My description,5,2",
        )
        draft.stop_if_problems()
    line1_no, line1 = numbered[0]
    head = _cells(line1)
    scen_name, scen_desc = head[0].strip(), head[1].strip()
    n_actors, n_dims = _count(head[2]), _count(head[3])
    assert n_actors is not None and n_dims is not None
    if len(numbered) < 2:
        draft.problem(
            line1_no + 1,
            None,
            "the header line (Actor, Description, Influence, then position and salience per "
            "dimension) is missing",
            "سطر رأس الجدول مفقود (Actor وDescription وInfluence ثم الموقف والأهمية لكل بعد)",
            "add the header line after the scenario line",
            "أضف سطر رأس الجدول بعد سطر السيناريو",
        )
        draft.stop_if_problems()
    header_no, header_line = numbered[1]
    header = [c for c in _cells(header_line)]
    width = 3 + 2 * n_dims
    while len(header) > width and not header[-1]:
        header.pop()
    if len(header) < width:
        draft.problem(
            header_no,
            None,
            f"the header has {len(header)} columns; {n_dims} dimensions need {width} "
            "(Actor, Description, Influence, then a position and a salience per dimension)",
            f"في رأس الجدول {len(header)} أعمدة، و{n_dims} أبعاد تحتاج {width}",
            f"check the number of dimensions on line {line1_no} ({n_dims})",
            f"تحقق من عدد الأبعاد في السطر {line1_no} ({n_dims})",
        )
        draft.stop_if_problems()
    pos_cols = [header[3 + 2 * d] for d in range(n_dims)]
    sal_cols = [header[4 + 2 * d] for d in range(n_dims)]
    issue_ids = IdMaker("dim")
    issues: list[dict[str, Any]] = []
    for d in range(n_dims):
        name = dimension_name(pos_cols[d]) or f"Dimension {d + 1}"
        issues.append(
            {
                "id": issue_ids.make(name),
                "name": text_of(name),
                "scale": {"min": 0.0, "max": 100.0, "anchors": end_anchors(0.0, 100.0)},
                "status_quo": 50.0,
                "note": SQ_NOTE_EN,
            }
        )
        draft.origins[("issues", d)] = Origin(header_no)

    actor_ids = IdMaker("A")
    rows = numbered[2:]
    parsed: list[tuple[int, str, str, float, list[tuple[float, float] | None]]] = []
    seen: dict[str, int] = {}
    for line_no, line in rows:
        cells = _cells(line)
        while len(cells) > width and not cells[-1]:
            cells.pop()
        if len(cells) < width:
            draft.problem(
                line_no,
                None,
                f"this row has {len(cells)} fields; {width} are needed "
                f"(name, description, capability, then {n_dims} × position, salience)",
                f"في هذا الصف {len(cells)} حقول، والمطلوب {width}",
                "fill in every column of the header",
                "املأ كل أعمدة رأس الجدول",
            )
            continue
        name, desc = cells[0], cells[1]
        if not name:
            draft.problem(
                line_no,
                header[0],
                "the actor's name is missing",
                "اسم الفاعل مفقود",
                "write a name in the first column",
                "اكتب اسمًا في العمود الأول",
            )
            continue
        if name.lower() in seen:
            draft.problem(
                line_no,
                header[0],
                f"actor '{name}' appears twice (first on line {seen[name.lower()]})",
                f"الفاعل '{name}' مكرر (أول مرة في السطر {seen[name.lower()]})",
                "give each actor one row",
                "اجعل لكل فاعل صفًا واحدًا",
            )
            continue
        seen[name.lower()] = line_no
        cap = _number(draft, line_no, header[2], cells[2])
        dims: list[tuple[float, float] | None] = []
        for d in range(n_dims):
            p = _number(draft, line_no, pos_cols[d], cells[3 + 2 * d])
            s = _number(draft, line_no, sal_cols[d], cells[4 + 2 * d])
            dims.append((p, s) if p is not None and s is not None else None)
        if cap is not None:
            parsed.append((line_no, name, desc, cap, dims))
    if len(seen) != n_actors and not draft.problems:
        draft.problem(
            line1_no,
            "number of actors",
            f"line {line1_no} declares {n_actors} actors but the file has {len(seen)} actor rows",
            f"يعلن السطر {line1_no} عن {n_actors} فاعلين لكن في الملف {len(seen)} صفوف",
            f"write {len(seen)} as the third field of line {line1_no}, or fix the rows",
            f"اكتب {len(seen)} في الحقل الثالث من السطر {line1_no} أو صحّح الصفوف",
        )

    descs = [p[2] for p in parsed]
    named_by_desc = all(descs) and len({d.lower() for d in descs}) == len(descs)
    actors: list[dict[str, Any]] = []
    stances: list[dict[str, Any]] = []
    for line_no, name, desc, cap, dims in parsed:
        aid = actor_ids.make(name)
        k = len(actors)
        actor: dict[str, Any] = {"id": aid}
        if named_by_desc:  # "XJ, Xi Jinping": the description is the readable name
            actor["name"] = text_of(desc)
            actor["aliases"] = [name]
        else:
            actor["name"] = text_of(name)
            if desc:
                actor["note"] = desc
        actors.append(actor)
        draft.origins[("actors", k)] = Origin(line_no)
        for d, pair in enumerate(dims):
            if pair is None:
                continue
            draft.origins[("stances", len(stances))] = Origin(
                line_no, {"position": pos_cols[d], "salience": sal_cols[d], "capability": header[2]}
            )
            stances.append(
                stance_doc(
                    aid,
                    issues[d]["id"],
                    pair[0],
                    pair[1],
                    cap,
                    f"imported from {Path(file).name}, line {line_no}",
                )
            )
    return draft.finish(ktab_document(file, scen_name, scen_desc, actors, issues, stances))


def _number(draft: Draft, line_no: int, column: str, raw: str) -> float | None:
    x = parse_number(raw)
    if x is None:
        draft.problem(
            line_no,
            column,
            f"'{raw}' is not a number" if raw else "the value is missing",
            f"'{raw}' ليس عددًا" if raw else "القيمة مفقودة",
            "write a number such as 42 or 37.5",
            "اكتب عددًا مثل 42 أو 37.5",
        )
    return x
