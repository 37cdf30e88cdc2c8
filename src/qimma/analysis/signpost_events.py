"""Signpost events: observable events an analyst can watch for (a truce accepted, a deal signed, a
sanctions bill passed), each declared in the scenario with the inputs it would change.

For each event the scenario's input space is edited as the event says (the changes of the levers
it names, then its own changes, as a lever would) and the same seeded draws are run again
(common random numbers), giving each named outcome's probability change and each issue's shift.
Every input the event touches is listed with its basis, so an event that acts on an assumption
says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from qimma.analysis.deal import draw_context
from qimma.analysis.levers import STATUS_QUO, apply_changes, find_levers
from qimma.analysis.montecarlo import run_monte_carlo, sweep
from qimma.analysis.parallel import Progress
from qimma.analysis.whatif import _summary
from qimma.models.registry import ModelRef
from qimma.scenario.model import LeverChange, Scenario, SignpostEvent

STANCE_TARGETS = ("position", "salience", "capability")


@dataclass
class EventEffect:
    event: SignpostEvent
    inputs: list[dict[str, str]]  # what the event changes: target, actor, issue, basis
    outcome_shift: dict[str, float]
    issue_shift: dict[str, float]

    def assumption_inputs(self) -> list[str]:
        return [f"{x['actor']}:{x['issue']}" for x in self.inputs if x["basis"] == "assumption"]

    def text(self, scenario: Scenario, lang: str) -> str:
        """'<event>: «outcome» +12, «outcome» -9' (the two largest moves, in points)."""
        names = {oc.id: oc.name.get(lang) for oc in scenario.outcomes}
        big = sorted(self.outcome_shift.items(), key=lambda kv: -abs(kv[1]))[:2]
        sep = "، " if lang == "ar" else ", "
        moves = sep.join(f"«{names[k]}» {100 * v:+.0f}" for k, v in big if abs(v) >= 0.005)
        none = "لا تغيّر يُذكر" if lang == "ar" else "no notable change"
        return f"{self.event.event.get(lang)}: {moves or none}"

    def to_json(self, scenario: Scenario) -> dict[str, Any]:
        return {
            "id": self.event.id,
            "event": self.event.event.model_dump(),
            "levers": self.event.levers,
            "evidence": self.event.evidence,
            "inputs": self.inputs,
            "assumption_inputs": self.assumption_inputs(),
            "outcome_shift": self.outcome_shift,
            "issue_shift": self.issue_shift,
            "text_en": self.text(scenario, "en"),
            "text_ar": self.text(scenario, "ar"),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], scenario: Scenario) -> EventEffect:
        """Back from `to_json`: the event is the scenario's own (by id)."""
        event = next(e for e in scenario.signposts if e.id == data["id"])
        return cls(event, list(data["inputs"]), data["outcome_shift"], data["issue_shift"])


def event_changes(scenario: Scenario, event: SignpostEvent) -> list[LeverChange]:
    levers = find_levers(scenario, event.levers)
    return [ch for lv in levers for ch in lv.changes] + list(event.changes)


def touched_inputs(scenario: Scenario, changes: list[LeverChange]) -> list[dict[str, str]]:
    """Each stance or status quo the changes edit, with the basis of the stance edited."""
    out: dict[tuple[str, str, str], dict[str, str]] = {}
    issues_all = [i.id for i in scenario.issues]
    for ch in changes:
        if ch.target not in STANCE_TARGETS and ch.target != STATUS_QUO:
            # a deal target (outside option, cost of no deal, veto) of one actor on a track
            track = ch.track or ""
            out[(ch.target, ch.actor or "", track)] = {"target": ch.target,
                "actor": ch.actor or "", "issue": track, "basis": ""}  # fmt: skip
            continue
        for iid in ch.issues or issues_all:
            if ch.target == STATUS_QUO:
                out[(STATUS_QUO, "", iid)] = {"target": STATUS_QUO, "actor": "", "issue": iid,
                                              "basis": ""}  # fmt: skip
                continue
            actors = [ch.actor] if ch.actor else [a.id for a in scenario.actors]
            for aid in actors:
                st = scenario.stance(aid, iid)
                if st is not None:
                    out[(ch.target, aid, iid)] = {
                        "target": ch.target,
                        "actor": aid,
                        "issue": iid,
                        "basis": st.basis,
                    }
    return list(out.values())


def event_signposts(
    scenario: Scenario,
    models: Sequence[ModelRef] | None = None,
    draws: int = 500,
    seed: int = 0,
    progress: Progress | None = None,
) -> list[EventEffect]:
    """The effect of each of the scenario's signpost events, largest outcome move first."""
    if not scenario.signposts:
        return []
    base = run_monte_carlo(scenario, models, draws, seed, progress=progress)
    means0, probs0 = _summary(scenario, base.outcomes, base.context())
    out = []
    for ev in scenario.signposts:
        changes = event_changes(scenario, ev)
        space = apply_changes(base.space, changes)
        ctx = draw_context(space, seed, draws, base.dist, with_error=base.model_error)
        out_ev = sweep(space, base.models, draws, seed, base.dist, progress=progress)
        means, probs = _summary(scenario, out_ev, ctx)
        out.append(
            EventEffect(
                ev,
                touched_inputs(scenario, changes),
                {k: probs[k] - probs0[k] for k in probs0},
                {iss.id: float(means[k] - means0[k]) for k, iss in enumerate(scenario.issues)},
            )
        )
    out.sort(key=lambda e: -max((abs(v) for v in e.outcome_shift.values()), default=0.0))
    return out
