"""KTAB's SMP XML scenario (schema `smpSchema.xsd` of KTAB's SMP example), with line numbers.

    <Scenario> <name/> <desc/> <prngSeed/> [<ModelParameters>…] <Dimensions><dName/>…</Dimensions>
      <Actors><Actor> <name/> <description/> <capability/>
        <Position><dCoord/>…</Position> <Salience><dSal/>…</Salience> </Actor>…</Actors>
      [<IdealAdjustment>…] </Scenario>

Positions and saliences are on 0–100. `ModelParameters`, `IdealAdjustment` and `prngSeed` configure
KTAB's run, not the negotiation, so they are not part of a qimma scenario: they are listed in the
scenario's description so that nothing is dropped silently.

Parsed with the standard library's expat, building a small tree that keeps each element's line.
Document type declarations are refused outright: KTAB files have none, and refusing them rules out
entity-expansion attacks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.parsers import expat

from qimma.errors import InputError
from qimma.scenario.importing import (
    SQ_NOTE_EN,
    Draft,
    IdMaker,
    Origin,
    end_anchors,
    ktab_document,
    parse_number,
    stance_doc,
    text_of,
)
from qimma.scenario.model import Scenario


@dataclass
class Element:
    tag: str
    line: int
    text: str = ""
    children: list[Element] = field(default_factory=list)

    def all(self, tag: str) -> list[Element]:
        return [c for c in self.children if c.tag == tag]

    def first(self, tag: str) -> Element | None:
        found = self.all(tag)
        return found[0] if found else None


class _DoctypeRefused(Exception):
    pass


def parse_xml_tree(text: str, file: str) -> Element:
    parser = expat.ParserCreate()
    stack: list[Element] = []
    root: list[Element] = []

    def start(tag: str, _attrs: dict[str, str]) -> None:
        el = Element(tag, parser.CurrentLineNumber)
        if stack:
            stack[-1].children.append(el)
        else:
            root.append(el)
        stack.append(el)

    def end(_tag: str) -> None:
        stack.pop()

    def chars(data: str) -> None:
        if stack:
            stack[-1].text += data

    def doctype(*_args: Any) -> None:
        raise _DoctypeRefused

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.StartDoctypeDeclHandler = doctype
    try:
        parser.Parse(text.lstrip("\ufeff"), True)
    except _DoctypeRefused:
        raise InputError.single(
            "XML document type declarations (<!DOCTYPE …>) are not accepted",
            "لا تُقبل تعريفات نوع المستند في XML (<!DOCTYPE …>)",
            file=file,
            line=parser.CurrentLineNumber,
            fix_en="remove the <!DOCTYPE …> declaration",
            fix_ar="احذف تعريف <!DOCTYPE …>",
        ) from None
    except (expat.ExpatError, RecursionError, ValueError, UnicodeError) as e:
        line = getattr(e, "lineno", None)
        why = expat.ErrorString(e.code) if isinstance(e, expat.ExpatError) else str(e)
        raise InputError.single(
            f"this is not well-formed XML: {why}",
            f"هذا ليس XML سليم البنية: {why}",
            file=file,
            line=line,
            fix_en="check the tags on that line: each <tag> needs its </tag>",
            fix_ar="تحقق من الوسوم في ذلك السطر: كل <وسم> يحتاج إلى </وسم>",
        ) from None
    if not root:
        raise InputError.single(
            "the XML file has no elements",
            "لا توجد عناصر في ملف XML",
            file=file,
            fix_en="give a KTAB scenario file (<Scenario> … </Scenario>)",
            fix_ar="حدد ملف سيناريو KTAB (<Scenario> … </Scenario>)",
        )
    return root[0]


def _missing(draft: Draft, parent: Element, tag: str, where: str) -> None:
    draft.problem(
        parent.line,
        where,
        f"<{parent.tag}> has no <{tag}>",
        f"لا يحتوي <{parent.tag}> على <{tag}>",
        f"add <{tag}>…</{tag}> inside <{parent.tag}>",
        f"أضف <{tag}>…</{tag}> داخل <{parent.tag}>",
    )


def parse_ktab_xml(text: str, file: str) -> Scenario:
    root = parse_xml_tree(text, file)
    draft = Draft(file)
    if root.tag != "Scenario":
        draft.problem(
            root.line,
            root.tag,
            f"the root element is <{root.tag}>, not KTAB's <Scenario>",
            f"العنصر الجذري <{root.tag}> وليس <Scenario> الخاص بـ KTAB",
            "give a KTAB SMP scenario file",
            "حدد ملف سيناريو KTAB SMP",
        )
        draft.stop_if_problems()
    name_el, desc_el = root.first("name"), root.first("desc")
    dims_el, actors_el = root.first("Dimensions"), root.first("Actors")
    if dims_el is None:
        _missing(draft, root, "Dimensions", "Scenario")
    if actors_el is None:
        _missing(draft, root, "Actors", "Scenario")
    draft.stop_if_problems()
    assert dims_el is not None and actors_el is not None
    dim_names = [d.text.strip() for d in dims_el.all("dName")]
    if not dim_names:
        _missing(draft, dims_el, "dName", "Dimensions")
        draft.stop_if_problems()
    issue_ids = IdMaker("dim")
    issues: list[dict[str, Any]] = []
    for d, dname in enumerate(dim_names):
        name = dname or f"Dimension {d + 1}"
        issues.append(
            {
                "id": issue_ids.make(name),
                "name": text_of(name),
                "scale": {"min": 0.0, "max": 100.0, "anchors": end_anchors(0.0, 100.0)},
                "status_quo": 50.0,
                "note": SQ_NOTE_EN,
            }
        )
        draft.origins[("issues", d)] = Origin(dims_el.all("dName")[d].line)

    actor_ids = IdMaker("A")
    actors: list[dict[str, Any]] = []
    stances: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for actor_el in actors_el.all("Actor"):
        aname_el = actor_el.first("name")
        aname = aname_el.text.strip() if aname_el is not None else ""
        label = f"Actor '{aname}'" if aname else f"Actor (line {actor_el.line})"
        if aname_el is None:
            _missing(draft, actor_el, "name", label)
            continue
        if not aname:
            draft.problem(
                aname_el.line,
                f"{label}/name",
                "the actor's name is empty",
                "اسم الفاعل فارغ",
                "write the name between <name> and </name>",
                "اكتب الاسم بين <name> و</name>",
            )
            continue
        if aname.lower() in seen:
            draft.problem(
                actor_el.line,
                f"{label}/name",
                f"actor '{aname}' appears twice (first on line {seen[aname.lower()]})",
                f"الفاعل '{aname}' مكرر (أول مرة في السطر {seen[aname.lower()]})",
                "give each actor one <Actor> element",
                "اجعل لكل فاعل عنصر <Actor> واحدًا",
            )
            continue
        seen[aname.lower()] = actor_el.line
        cap = _value(draft, actor_el, "capability", label)
        coords = _vector(draft, actor_el, "Position", "dCoord", label, len(dim_names))
        sals = _vector(draft, actor_el, "Salience", "dSal", label, len(dim_names))
        desc_a = actor_el.first("description")
        aid = actor_ids.make(aname)
        k = len(actors)
        actor: dict[str, Any] = {"id": aid, "name": text_of(aname)}
        if desc_a is not None and desc_a.text.strip():
            actor["note"] = desc_a.text.strip()
        actors.append(actor)
        draft.origins[("actors", k)] = Origin(actor_el.line)
        if cap is None or coords is None or sals is None:
            continue
        for d in range(len(dim_names)):
            (p, pline), (s, _sline) = coords[d], sals[d]
            if p is None or s is None:
                continue
            draft.origins[("stances", len(stances))] = Origin(
                pline,
                {
                    "position": f"{label}/Position/dCoord[{d + 1}]",
                    "salience": f"{label}/Salience/dSal[{d + 1}]",
                    "capability": f"{label}/capability",
                },
            )
            stances.append(
                stance_doc(
                    aid,
                    issues[d]["id"],
                    p,
                    s,
                    cap,
                    f"imported from {Path(file).name}, <Actor> on line {actor_el.line}",
                )
            )
    if not seen and not draft.problems:
        _missing(draft, actors_el, "Actor", "Actors")

    ignored = [tag for tag in ("prngSeed", "ModelParameters", "IdealAdjustment") if root.first(tag)]
    desc = desc_el.text.strip() if desc_el is not None else ""
    if ignored:
        desc += (" " if desc else "") + (
            f"(KTAB run settings in the file, not part of a qimma scenario: {', '.join(ignored)}.)"
        )
    scen_name = name_el.text.strip() if name_el is not None else ""
    return draft.finish(ktab_document(file, scen_name, desc, actors, issues, stances))


def _value(draft: Draft, parent: Element, tag: str, label: str) -> float | None:
    el = parent.first(tag)
    if el is None:
        _missing(draft, parent, tag, label)
        return None
    x = parse_number(el.text)
    if x is None:
        raw = el.text.strip()
        draft.problem(
            el.line,
            f"{label}/{tag}",
            f"<{tag}> '{raw}' is not a number" if raw else f"<{tag}> is empty",
            f"<{tag}> '{raw}' ليس عددًا" if raw else f"<{tag}> فارغ",
            "write a number such as 42 or 37.5",
            "اكتب عددًا مثل 42 أو 37.5",
        )
    return x


def _vector(
    draft: Draft, actor: Element, group: str, tag: str, label: str, n: int
) -> list[tuple[float | None, int]] | None:
    el = actor.first(group)
    if el is None:
        _missing(draft, actor, group, label)
        return None
    items = el.all(tag)
    if len(items) != n:
        draft.problem(
            el.line,
            f"{label}/{group}",
            f"<{group}> has {len(items)} <{tag}> values, and the scenario has {n} dimensions",
            f"في <{group}> {len(items)} قيم <{tag}>، وفي السيناريو {n} أبعاد",
            f"give one <{tag}> per <dName>",
            f"أعطِ <{tag}> واحدًا لكل <dName>",
        )
        return None
    out: list[tuple[float | None, int]] = []
    for j, item in enumerate(items):
        x = parse_number(item.text)
        if x is None:
            raw = item.text.strip()
            where = f"{label}/{group}/{tag}[{j + 1}]"
            draft.problem(
                item.line,
                where,
                f"<{tag}> '{raw}' is not a number" if raw else f"<{tag}> is empty",
                f"<{tag}> '{raw}' ليس عددًا" if raw else f"<{tag}> فارغ",
                "write a number between 0 and 100",
                "اكتب عددًا بين 0 و100",
            )
        out.append((x, item.line))
    return out
