"""Cross-checks of the deal parts of a scenario: tracks and their veto players, outside options,
named outcomes that require a deal or a breakdown, lever deal targets and lever expectations,
and the texts' judgements (docs/scenario-format.md, "Deal or no deal")."""

from __future__ import annotations

from typing import Literal

from qimma.errors import Problem
from qimma.scenario.model import Scenario, unknown_id


def _problem(path: str, en: str, ar: str, fix_en: str, fix_ar: str) -> Problem:
    return Problem(en, ar, path=path, fix_en=fix_en, fix_ar=fix_ar)


def deal_problems(s: Scenario) -> list[Problem]:
    """Cross-checks of tracks, veto players, outside options, judgements and lever deal targets."""
    probs: list[Problem] = []
    actor_ids = {a.id for a in s.actors}
    issue_ids = {i.id for i in s.issues}
    track_ids = {t.id for t in s.tracks}
    outcome_ids = {o.id for o in s.outcomes}
    tracks = ", ".join(sorted(track_ids)) or "(none)"

    def ref(kind: Literal["actor", "issue"], path: str, value: str) -> None:
        known = actor_ids if kind == "actor" else issue_ids
        if value not in known:
            probs.append(unknown_id(kind, path, value, known))

    def track_ref(path: str, value: str | None) -> None:
        if value is not None and value not in track_ids:
            probs.append(
                _problem(
                    path,
                    f"unknown track '{value}'",
                    f"مسار غير معروف '{value}'",
                    f"use one of: {tracks}",
                    f"استخدم أحد: {tracks}",
                )
            )

    def outcome_ref(path: str, value: str) -> None:
        if value not in outcome_ids:
            probs.append(
                _problem(
                    path,
                    f"unknown outcome '{value}'",
                    f"مآل غير معروف '{value}'",
                    "use the id of a named outcome",
                    "استخدم معرّف مآل مسمّى",
                )
            )

    for k, t in enumerate(s.tracks):
        for j, iid in enumerate(t.issues):
            ref("issue", f"tracks[{k}].issues[{j}]", iid)
        for j, aid in enumerate(t.veto_players):
            ref("actor", f"tracks[{k}].veto_players[{j}]", aid)
            if aid in actor_ids and s.outside_option(aid, t.id) is None:
                probs.append(
                    _problem(
                        f"tracks[{k}].veto_players[{j}]",
                        f"veto player '{aid}' has no outside option on track '{t.id}'",
                        f"لا يوجد بديل تفاوضي للاعب الفيتو '{aid}' في المسار '{t.id}'",
                        f"add an entry under 'outside_options:' with actor: {aid}, track: {t.id}",
                        f"أضف عنصرًا تحت 'outside_options:' فيه actor: {aid} وtrack: {t.id}",
                    )
                )
    seen: set[tuple[str, str]] = set()
    for k, o in enumerate(s.outside_options):
        ref("actor", f"outside_options[{k}].actor", o.actor)
        track_ref(f"outside_options[{k}].track", o.track)
        if (o.actor, o.track) in seen:
            probs.append(
                _problem(
                    f"outside_options[{k}]",
                    f"a second outside option for '{o.actor}' on track '{o.track}'",
                    f"بديل تفاوضي ثانٍ للفاعل '{o.actor}' في المسار '{o.track}'",
                    "keep one per actor and track",
                    "أبقِ بديلًا واحدًا لكل فاعل ومسار",
                )
            )
        seen.add((o.actor, o.track))
        for j, term in enumerate(o.terms):
            ref("issue", f"outside_options[{k}].terms[{j}].issue", term.issue)
            if term.issue in issue_ids:
                sc = s.issue(term.issue).scale
                if not sc.min <= term.value.lo <= term.value.hi <= sc.max:
                    probs.append(
                        _problem(
                            f"outside_options[{k}].terms[{j}].value",
                            f"no-deal term {term.value.value:g} is outside the scale of "
                            f"issue '{term.issue}' ({sc.min:g}-{sc.max:g})",
                            f"شرط عدم الاتفاق {term.value.value:g} خارج مقياس "
                            f"القضية '{term.issue}'",
                            f"give values between {sc.min:g} and {sc.max:g}",
                            f"أدخل قيمًا بين {sc.min:g} و{sc.max:g}",
                        )
                    )
    for k, oc in enumerate(s.outcomes):
        if oc.requires != "any" and oc.track not in track_ids:
            probs.append(
                _problem(
                    f"outcomes[{k}].requires",
                    f"outcome '{oc.id}' requires a {oc.requires}, but its track '{oc.track}' "
                    "declares no veto players",
                    f"المآل '{oc.id}' يشترط {oc.requires} لكن مساره '{oc.track}' بلا لاعبي فيتو",
                    "declare the track under 'tracks:' or remove 'requires'",
                    "أعلن المسار تحت 'tracks:' أو احذف 'requires'",
                )
            )
    for k, lv in enumerate(s.levers):
        for j, ch in enumerate(lv.changes):
            track_ref(f"levers[{k}].changes[{j}].track", ch.track)
            if ch.target in ("outside_option", "no_deal_cost", "veto") and ch.actor is None:
                probs.append(
                    _problem(
                        f"levers[{k}].changes[{j}].actor",
                        f"a '{ch.target}' change needs an actor",
                        f"تغيير '{ch.target}' يحتاج إلى فاعل",
                        "add 'actor: ...'",
                        "أضف 'actor: ...'",
                    )
                )
            if ch.target == "veto" and (ch.op != "set" or ch.value not in (0, 1)):
                probs.append(
                    _problem(
                        f"levers[{k}].changes[{j}]",
                        "a veto change is 'op: set' with value 1 (add) or 0 (remove)",
                        "تغيير الفيتو يكون 'op: set' بالقيمة 1 (إضافة) أو 0 (إزالة)",
                        "write op: set, value: 1 or 0",
                        "اكتب op: set وvalue: 1 أو 0",
                    )
                )
        for j, ex in enumerate(lv.expected):
            if ex.outcome is not None:
                outcome_ref(f"levers[{k}].expected[{j}].outcome", ex.outcome)
            if ex.issue is not None:
                ref("issue", f"levers[{k}].expected[{j}].issue", ex.issue)
    for k, jd in enumerate(s.judgements):
        for key in ("outcomes", "given"):
            for j, oid in enumerate(getattr(jd, key)):
                outcome_ref(f"judgements[{k}].{key}[{j}]", oid)
        for key in ("gains", "losses", "backs_down"):
            for j, aid in enumerate(getattr(jd, key)):
                ref("actor", f"judgements[{k}].{key}[{j}]", aid)
        probs += _backs_down_problems(s, k)
    return probs


def _backs_down_problems(s: Scenario, k: int) -> list[Problem]:
    """A judgement's `backs_down` needs its `track`, and each actor must be a veto player there."""
    jd = s.judgements[k]
    if not jd.backs_down and jd.track is None:
        return []
    track = s.track(jd.track) if jd.track is not None else None
    if track is None:
        known = ", ".join(t.id for t in s.tracks) or "(none)"
        return [
            _problem(
                f"judgements[{k}].track",
                f"'backs_down' needs the id of a track, not '{jd.track}'",
                f"يحتاج 'backs_down' إلى معرّف مسار، لا '{jd.track}'",
                f"write track: one of {known}",
                f"اكتب track: أحد {known}",
            )
        ]
    return [
        _problem(
            f"judgements[{k}].backs_down[{j}]",
            f"'{aid}' is not a veto player of track '{track.id}'",
            f"'{aid}' ليس لاعب فيتو في المسار '{track.id}'",
            f"use one of: {', '.join(track.veto_players)}",
            f"استخدم أحد: {', '.join(track.veto_players)}",
        )
        for j, aid in enumerate(jd.backs_down)
        if aid not in track.veto_players
    ]
