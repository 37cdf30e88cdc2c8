"""Dated editions of a scenario: the base edition is the scenario itself; every other edition
lists only what differs (status quo values, stances). :func:`edition_scenario` builds the full
scenario of one edition; :func:`stance_changes` lists what differs between two of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from qimma import i18n
from qimma.errors import NotFoundError
from qimma.scenario.model import Edition, EditionStance, Scenario, Stance

STANCE_FIELDS = ("position", "salience", "capability")


def ordered_editions(scenario: Scenario) -> list[Edition]:
    """The editions by date (ISO dates and 'YYYY-MM' sort as text)."""
    return sorted(scenario.editions, key=lambda e: e.date)


def find_edition(scenario: Scenario, edition_id: str) -> Edition:
    for ed in scenario.editions:
        if ed.id == edition_id:
            return ed
    known = ", ".join(e.id for e in scenario.editions)
    raise NotFoundError.single(
        f"unknown edition '{edition_id}'",
        f"إصدار غير معروف '{edition_id}'",
        fix_en=f"use one of: {known}" if known else "this scenario declares no editions",
        fix_ar=f"استخدم أحد: {known}" if known else "لا يعلن هذا السيناريو أي إصدار",
    )


def _patched(base: Stance | None, es: EditionStance) -> Stance:
    if base is None:
        data: dict[str, object] = {"actor": es.actor, "issue": es.issue}
    else:
        data = base.model_dump()
    for f in (*STANCE_FIELDS, "basis", "evidence", "justification", "as_of"):
        v = getattr(es, f)
        if v is not None:
            data[f] = v.model_dump() if f in STANCE_FIELDS else v  # type: ignore[union-attr]
    return Stance.model_validate(data)


def edition_scenario(scenario: Scenario, edition_id: str) -> Scenario:
    """The scenario as it reads in this edition (dated at the edition's date)."""
    ed = find_edition(scenario, edition_id)
    if ed.base:
        return scenario
    issues = [
        i.model_copy(update={"status_quo": ed.status_quo[i.id]}) if i.id in ed.status_quo else i
        for i in scenario.issues
    ]
    patches = {(es.actor, es.issue): es for es in ed.stances}
    stances: list[Stance] = []
    for st in scenario.stances:
        es = patches.pop((st.actor, st.issue), None)
        if es is None:
            stances.append(st)
        elif not es.remove:
            stances.append(_patched(st, es))
    stances += [_patched(None, es) for es in patches.values() if not es.remove]
    return scenario.model_copy(update={"issues": issues, "stances": stances, "date": ed.date})


@dataclass(frozen=True)
class InputChange:
    """One input that differs between two editions: an issue's status quo, or one stance."""

    kind: str  # "status_quo" | "stance"
    issue: str
    actor: str | None
    before: str  # short description of the old value
    after: str
    basis: str  # basis of the later value ("" for a status quo)
    why: str

    @property
    def key(self) -> str:
        return f"status_quo:{self.issue}" if self.actor is None else f"{self.actor}:{self.issue}"


def _describe(st: Stance | None) -> str:
    """The short form kept in `InputChange` and its JSON; `change_words` says it in words."""
    if st is None:
        return "—"
    p, s, c = st.position, st.salience, st.capability
    return f"{p.value:g} [{p.lo:g}–{p.hi:g}] s{s.value:g} c{c.value:g} ({st.basis})"


_SHORT = re.compile(
    r"(?P<p>\S+) \[(?P<lo>\S+)–(?P<hi>\S+)\] s(?P<s>\S+) c(?P<c>\S+) \((?P<basis>\w+)\)"
)


def change_words(value: str, lang: str, html: bool = False) -> str:
    """An input's value as `InputChange` keeps it ('55 [45–65] s70 c85 (explicit)') in the
    words of `lang`: 'position 55 [45–65] · salience 70 · capability 85 (explicit)'. A status
    quo (a number) or '—' is itself. In Arabic the range is set left to right (else "45–65"
    reads "65–45"): an isolate in plain text, `<bdi dir="ltr">` in HTML (escaped markup)."""
    m = _SHORT.fullmatch(value)
    if m is None:
        return escape(value) if html else value
    w = i18n.words("common", lang)
    span = f"[{m['lo']}–{m['hi']}]"
    text = Markup("{} {} {} · {} {} · {} {} ({})") if html else "{} {} {} · {} {} · {} {} ({})"
    if i18n.lang_of(lang) == "ar" and html:
        span = Markup('<bdi dir="ltr">{}</bdi>').format(span)
    elif i18n.lang_of(lang) == "ar":
        span = i18n.LRI + span + i18n.PDI
    basis = w.get(m["basis"], m["basis"])
    return text.format(w["position"], m["p"], span, w["salience"], m["s"], w["capability"],
                       m["c"], basis)  # fmt: skip


def _same(a: Stance | None, b: Stance | None) -> bool:
    if a is None or b is None:
        return a is b
    return all(getattr(a, f) == getattr(b, f) for f in STANCE_FIELDS)


def stance_changes(scenario: Scenario, before_id: str, after_id: str) -> list[InputChange]:
    """Every status quo and stance (position, salience, capability, their ranges) that differs."""
    a, b = edition_scenario(scenario, before_id), edition_scenario(scenario, after_id)
    whys = {
        (es.actor, es.issue): es.why
        for ed in (find_edition(scenario, before_id), find_edition(scenario, after_id))
        for es in ed.stances
    }
    sq_whys = {
        k: v
        for ed in (find_edition(scenario, before_id), find_edition(scenario, after_id))
        for k, v in ed.status_quo_why.items()
    }
    out: list[InputChange] = []
    for ia, ib in zip(a.issues, b.issues, strict=True):
        if ia.status_quo != ib.status_quo:
            out.append(
                InputChange(
                    "status_quo",
                    ia.id,
                    None,
                    f"{ia.status_quo:g}",
                    f"{ib.status_quo:g}",
                    "",
                    sq_whys.get(ia.id, ""),
                )
            )
    for actor in a.actors:
        for issue in a.issues:
            sa, sb = a.stance(actor.id, issue.id), b.stance(actor.id, issue.id)
            if not _same(sa, sb):
                out.append(
                    InputChange(
                        "stance",
                        issue.id,
                        actor.id,
                        _describe(sa),
                        _describe(sb),
                        sb.basis if sb is not None else "",
                        whys.get((actor.id, issue.id), ""),
                    )
                )
    return out


def with_change(before: Scenario, after: Scenario, change: InputChange) -> Scenario:
    """`before` with this one input taken from `after` (for attributing the drift)."""
    if change.actor is None:
        sq = after.issue(change.issue).status_quo
        issues = [
            i.model_copy(update={"status_quo": sq}) if i.id == change.issue else i
            for i in before.issues
        ]
        return before.model_copy(update={"issues": issues})
    new = after.stance(change.actor, change.issue)
    stances = [
        s for s in before.stances if not (s.actor == change.actor and s.issue == change.issue)
    ]
    if new is not None:
        stances.append(new)
    return before.model_copy(update={"stances": stances})
