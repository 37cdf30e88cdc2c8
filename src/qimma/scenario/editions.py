"""Dated editions of a scenario: the base edition is the scenario itself; every other edition
lists only what differs (status quo values, stances, outside options, veto sets).
:func:`edition_scenario` builds the full scenario of one edition; :func:`stance_changes` lists
what differs between two of them, one input at a time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from qimma import i18n
from qimma.errors import NotFoundError
from qimma.scenario.model import (
    Edition,
    EditionOutsideOption,
    EditionStance,
    OutsideOption,
    Scenario,
    Stance,
    Track,
)

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
    return scenario.model_copy(
        update={
            "issues": issues,
            "stances": stances,
            "date": ed.date,
            "outside_options": _options(scenario.outside_options, ed),
            "tracks": [
                tr.model_copy(update={"veto_players": ed.veto_players[tr.id]})
                if tr.id in ed.veto_players
                else tr
                for tr in scenario.tracks
            ],
        }
    )


def _options(base: list[OutsideOption], ed: Edition) -> list[OutsideOption]:
    """The base outside options with the edition's patches applied (an edition's option of an
    actor and track the base lacks is added)."""
    patches = {(p.actor, p.track): p for p in ed.outside_options}
    out = [_patched_option(o, patches.pop((o.actor, o.track), None)) for o in base]
    return out + [_patched_option(None, p) for p in patches.values()]


def _patched_option(base: OutsideOption | None, p: EditionOutsideOption | None) -> OutsideOption:
    if p is None:
        assert base is not None
        return base
    data: dict[str, Any] = (
        base.model_dump() if base is not None else {"actor": p.actor, "track": p.track}
    )
    terms = {t["issue"]: t for t in data.get("terms", [])}
    terms.update({t.issue: t.model_dump() for t in p.terms})
    data["terms"] = list(terms.values())
    for f in ("cost", "basis", "evidence", "justification"):
        v = getattr(p, f)
        if v is not None:
            data[f] = v.model_dump() if f == "cost" else v
    return OutsideOption.model_validate(data)


@dataclass(frozen=True)
class InputChange:
    """One input that differs between two editions: an issue's status quo, one stance, one veto
    player's outside option on a track (its terms and cost together), or a track's veto set."""

    kind: str  # "status_quo" | "stance" | "outside_option" | "veto"
    issue: str  # "" for an outside option or a veto set
    actor: str | None
    before: str  # short description of the old value
    after: str
    basis: str  # basis of the later value ("" for a status quo or a veto set)
    why: str
    track: str = ""  # the track of an outside option or a veto set

    @property
    def key(self) -> str:
        if self.kind == "outside_option":
            return f"outside_option:{self.actor}:{self.track}"
        if self.kind == "veto":
            return f"veto:{self.track}"
        return f"status_quo:{self.issue}" if self.actor is None else f"{self.actor}:{self.issue}"

    def label(self, scenario: Scenario, lang: str, short: bool = False) -> str:
        """'Russia · Territory'; 'Status quo · Territory'; 'Russia · outside option (war)';
        'Veto players (war)' — in the user's language. `short`: ids for issues and tracks,
        'Russia: TERR' (narrow terminal tables)."""
        from qimma import i18n

        tr = scenario.track(self.track) if self.track else None
        track = self.track if short or tr is None else tr.name.get(lang)
        who = scenario.actor(self.actor).name.get(lang) if self.actor else ""
        sep = ": " if short else " · "
        if self.kind == "outside_option":
            return f"{who}{sep}{i18n.t('common.ed_outside_option', lang)} ({track})"
        if self.kind == "veto":
            return f"{i18n.t('common.ed_veto', lang)} ({track})"
        issue = self.issue if short else scenario.issue(self.issue).name.get(lang)
        sq = i18n.t("cli.sq" if short else "common.status_quo", lang)
        return f"{who or sq}{sep}{issue}"


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
        return _other_words(value, lang, html)
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


def _other_words(value: str, lang: str, html: bool) -> str:
    """A status quo, a veto set or an outside option ('SANC 20 [5–30] cost 5 [0–15] (inferred)')
    in the words of `lang`: the cost and the basis translated, each range left to right."""
    if i18n.lang_of(lang) == "en":
        return escape(value) if html else value
    w = i18n.words("common", lang)
    out: list[str] = []
    for part in re.split(r"(\[[^\]]*\])", value):
        if part.startswith("["):
            ltr = i18n.LRI + part + i18n.PDI
            out.append(Markup('<bdi dir="ltr">{}</bdi>').format(part) if html else ltr)
            continue
        part = re.sub(r"\((explicit|inferred|assumption)\)", lambda k: f"({w[k[1]]})", part)
        part = re.sub(r"\bcost\b", w["no_deal_cost"], part)
        out.append(escape(part) if html else part)
    return Markup("").join(out) if html else "".join(out)


def _same(a: Stance | None, b: Stance | None) -> bool:
    if a is None or b is None:
        return a is b
    return all(getattr(a, f) == getattr(b, f) for f in STANCE_FIELDS)


def _option_diff(a: OutsideOption | None, b: OutsideOption | None) -> tuple[str, str]:
    """Short descriptions of two readings of one outside option: only the terms (and the cost)
    that differ, each 'ISSUE 20 [5–30]', then the basis."""

    def terms(o: OutsideOption | None) -> dict[str, str]:
        if o is None:
            return {}
        out = {
            t.issue: f"{t.issue} {t.value.value:g} [{t.value.lo:g}–{t.value.hi:g}]" for t in o.terms
        }
        out[" cost"] = f"cost {o.cost.value:g} [{o.cost.lo:g}–{o.cost.hi:g}]"
        return out

    ta, tb = terms(a), terms(b)
    keys = [k for k in dict.fromkeys([*ta, *tb]) if ta.get(k) != tb.get(k)]

    def text(o: OutsideOption | None, t: dict[str, str]) -> str:
        if o is None:
            return "—"
        return " ".join(t.get(k, f"{k.strip()} —") for k in keys) + f" ({o.basis})"

    return text(a, ta), text(b, tb)


def _same_option(a: OutsideOption | None, b: OutsideOption | None) -> bool:
    if a is None or b is None:
        return a is b
    key = [(t.issue, t.value) for t in a.terms], a.cost
    return key == ([(t.issue, t.value) for t in b.terms], b.cost)


def deal_changes(scenario: Scenario, before_id: str, after_id: str) -> list[InputChange]:
    """Every veto player's outside option (terms, cost, their ranges) and every track's veto set
    that differs between two editions."""
    a, b = edition_scenario(scenario, before_id), edition_scenario(scenario, after_id)
    eds = (find_edition(scenario, before_id), find_edition(scenario, after_id))
    whys = {(o.actor, o.track): o.why for ed in eds for o in ed.outside_options}
    veto_whys = {k: v for ed in eds for k, v in ed.veto_why.items()}
    out: list[InputChange] = []
    for ta, tb in zip(a.tracks, b.tracks, strict=True):
        if sorted(ta.veto_players) != sorted(tb.veto_players):
            before, after = ", ".join(ta.veto_players), ", ".join(tb.veto_players)
            why = veto_whys.get(ta.id, "")
            out.append(InputChange("veto", "", None, before, after, "", why, ta.id))
        for actor in a.actors:
            oa, ob = a.outside_option(actor.id, ta.id), b.outside_option(actor.id, ta.id)
            if not _same_option(oa, ob):
                before, after = _option_diff(oa, ob)
                out.append(
                    InputChange(
                        "outside_option",
                        "",
                        actor.id,
                        before,
                        after,
                        ob.basis if ob is not None else "",
                        whys.get((actor.id, ta.id), ""),
                        ta.id,
                    )
                )
    return out


def stance_changes(scenario: Scenario, before_id: str, after_id: str) -> list[InputChange]:
    """Every input that differs: status quo values and stances (position, salience, capability,
    their ranges), then outside options and veto sets (:func:`deal_changes`)."""
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
    return out + deal_changes(scenario, before_id, after_id)


def with_change(before: Scenario, after: Scenario, change: InputChange) -> Scenario:
    """`before` with this one input taken from `after` (for attributing the drift)."""
    if change.kind == "veto":
        vp = next(t for t in after.tracks if t.id == change.track).veto_players
        tracks: list[Track] = [
            t.model_copy(update={"veto_players": vp}) if t.id == change.track else t
            for t in before.tracks
        ]
        return before.model_copy(update={"tracks": tracks})
    if change.kind == "outside_option":
        new_o = after.outside_option(change.actor or "", change.track)
        opts = [
            o
            for o in before.outside_options
            if not (o.actor == change.actor and o.track == change.track)
        ]
        return before.model_copy(update={"outside_options": opts + ([new_o] if new_o else [])})
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
