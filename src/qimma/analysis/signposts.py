"""Signposts (inputs whose plausible change flips the most probable named outcome) and pivotal
actors (how each issue outcome moves when an actor leaves the table).

Signposts, per track:

1. The baseline: D seeded draws; the most probable outcome of the track ("the leader").
2. Candidates: the inputs ranked highest by the sensitivity analysis for the track's outcomes
   (the largest total-effect index over them), or, without one, all uncertain inputs.
3. For each candidate, the same D draws are re-run with that one input pinned at each of
   GRID levels spread over its range (common random numbers for all the other inputs), giving
   each outcome's probability as a function of the input's value.
4. If the leader loses first place somewhere in the range, the input is a signpost: the
   threshold is where the two probability curves cross (linear interpolation between levels),
   and its plausibility is the probability, under the input's own distribution, of lying
   beyond the threshold. Signposts are ranked by plausibility.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from qimma.analysis.deal import DEAL_STREAM
from qimma.analysis.evaluate import run_models
from qimma.analysis.outcomes import tracks
from qimma.analysis.sampling import (
    PPF,
    Distribution,
    InputSpace,
    input_space,
    point_arrays,
    uniforms,
)
from qimma.analysis.sensitivity import (
    InputInfo,
    SensitivityResult,
    evaluate_design,
    uncertain_inputs,
)
from qimma.models.registry import (
    ModelRef,
    ensemble_mean,
    model_names,
    ref_name,
    runnable_models,
)
from qimma.scenario.arrays import FloatArray
from qimma.scenario.model import Scenario

BASIS_NOTE = {
    "en": {
        "assumption": " [This input is an assumption: the sources do not state it.]",
        "inferred": " [This input is inferred from related statements.]",
    },
    "ar": {
        "assumption": " [هذا المُدخَل افتراض: لا تذكره المصادر.]",
        "inferred": " [هذا المُدخَل مستنتج من أقوال ذات صلة.]",
    },
}
GRID = 9
CANDIDATES = 8
TOP_SIGNPOSTS = 5
WATCH_TOP = 3
WATCH_MIN_SWING = 0.05  # the leader must lose at least 5 points for a 'watch' indicator


@dataclass
class Signpost:
    track: str
    input: InputInfo
    direction: str  # "above" | "below"
    threshold: float
    plausibility: float  # P(input beyond threshold) under its distribution
    leader: str  # outcome that loses first place
    new_leader: str
    p_leader_at_end: float  # leader's probability at the end of the range
    p_new_at_end: float
    kind: str = "flip"  # "flip": the leader loses first place; "watch": it only weakens
    p_leader_base: float = 0.0

    def text(self, scenario: Scenario, lang: str) -> str:
        """The signpost in words; an input that rests on an assumption or an inference says so."""
        mark = BASIS_NOTE[lang].get(self.input.basis or "assumption", "")
        return self._text(scenario, lang) + mark

    def _text(self, scenario: Scenario, lang: str) -> str:
        actor = scenario.actor(self.input.actor).name.get(lang)
        issue = scenario.issue(self.input.issue).name.get(lang)
        lead = _outcome_name(scenario, self.leader, lang)
        new = _outcome_name(scenario, self.new_leader, lang)
        x = self.input
        t = f"{self.threshold:.0f}"
        now = f"{x.point:g}"
        rng = f"{x.low:g}–{x.high:g}"
        if self.kind == "watch":
            return self._watch_text(actor, issue, lead, x, lang)
        if lang == "ar":
            up = self.direction == "above"
            verb = {
                "capability": ("ارتفعت" if up else "انخفضت") + f" قدرة {actor} في قضية «{issue}»",
                "salience": ("ارتفعت" if up else "انخفضت") + f" أهمية قضية «{issue}» لدى {actor}",
                "position": ("تحرّك" if up else "تراجع") + f" موقف {actor} في قضية «{issue}»",
            }[x.field]
            where = f"فوق {t}" if up else f"دون {t}"
            return f"إذا {verb} {where} (حاليًا {now}، المدى {rng})، يصبح «{new}» أرجح من «{lead}»."
        what = {
            "capability": f"{actor}'s capability on {issue}",
            "salience": f"the salience of {issue} for {actor}",
            "position": f"{actor}'s position on {issue}",
        }[x.field]
        verb = "rises above" if self.direction == "above" else "falls below"
        if x.field == "position":
            verb = "moves above" if self.direction == "above" else "moves below"
        return (
            f"If {what} {verb} {t} (now {now}; range {rng}), "
            f"“{new}” becomes more likely than “{lead}”."
        )

    def _watch_text(self, actor: str, issue: str, lead: str, x: InputInfo, lang: str) -> str:
        t = f"{self.threshold:.0f}"
        a, b = f"{100 * self.p_leader_base:.0f}%", f"{100 * self.p_leader_at_end:.0f}%"
        up = self.direction == "above"
        if lang == "ar":
            what, reach = {
                "capability": (f"قدرة {actor} في قضية «{issue}»", "إذا بلغت القدرة"),
                "salience": (f"أهمية قضية «{issue}» لدى {actor}", "إذا بلغت الأهمية"),
                "position": (f"موقف {actor} في قضية «{issue}»", "إذا بلغ الموقف"),
            }[x.field]
            return (
                f"راقب {what}: {reach} {t} (حاليًا {x.point:g}، المدى {x.low:g}–{x.high:g})"
                f" ينخفض احتمال «{lead}» من {a} إلى {b}، ويبقى الأرجح."
            )
        what = {
            "capability": f"{actor}'s capability on {issue}",
            "salience": f"the salience of {issue} for {actor}",
            "position": f"{actor}'s position on {issue}",
        }[x.field]
        verb = "rises to" if up else "falls to"
        if x.field == "position":
            verb = "moves up to" if up else "moves down to"
        return (
            f"Watch {what}: if it {verb} {t} (now {x.point:g}; range {x.low:g}–{x.high:g}), "
            f"the chance of “{lead}” falls from {a} to {b}; it stays the most likely."
        )

    def to_json(self, scenario: Scenario) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "track": self.track,
            "input": self.input.id,
            "basis": self.input.basis or "assumption",
            "direction": self.direction,
            "threshold": self.threshold,
            "plausibility": self.plausibility,
            "leader": self.leader,
            "new_leader": self.new_leader,
            "p_leader_at_end": self.p_leader_at_end,
            "p_new_at_end": self.p_new_at_end,
            "p_leader_base": self.p_leader_base,
            "text_en": self.text(scenario, "en"),
            "text_ar": self.text(scenario, "ar"),
        }


def _outcome_name(scenario: Scenario, oid: str, lang: str) -> str:
    for oc in scenario.outcomes:
        if oc.id == oid:
            return oc.name.get(lang)
    return oid


def _candidates(
    scenario: Scenario, track: str, inputs: list[InputInfo], sens: SensitivityResult | None
) -> list[InputInfo]:
    if sens is None:
        return inputs
    by_id = {x.id: k for k, x in enumerate(sens.inputs)}
    score = np.zeros(len(inputs))
    for oc in scenario.outcomes:
        if oc.track != track:
            continue
        vals = sens.indices.get(f"outcome:{oc.id}", {}).get(sens.main_index())
        if vals is None:
            continue
        for j, x in enumerate(inputs):
            if x.id in by_id:
                score[j] = max(score[j], vals[by_id[x.id]])
    order = np.argsort(-score, kind="stable")
    ranked = [inputs[j] for j in order[:CANDIDATES] if score[j] > 0]
    if ranked:
        return ranked
    # the design never reached the track's rarer outcomes: fall back to every input on the
    # issues the track's outcomes are defined on
    issues = {c.issue for oc in scenario.outcomes if oc.track == track for c in oc.conditions}
    return [x for x in inputs if x.issue in issues][: 3 * CANDIDATES]


def find_signposts(
    scenario: Scenario,
    models: Sequence[ModelRef] | None = None,
    *,
    draws: int = 1000,
    seed: int = 0,
    dist: Distribution | str = Distribution.triangular,
    sensitivity: SensitivityResult | None = None,
    workers: int = 1,
    model_error: bool = True,
) -> list[Signpost]:
    names, _ = runnable_models(models or model_names(), len(scenario.issues))
    d = Distribution(dist)
    space = input_space(scenario)
    inputs = uncertain_inputs(scenario, space)
    base_u = uniforms(seed, 0, draws, space.n_inputs)
    # the outside options of the same draws at every level (common random numbers)
    base_w = (
        uniforms(seed, 0, draws, space.deal.n_inputs, stream=DEAL_STREAM)
        if space.deal is not None
        else None
    )
    _, _, base_shares = evaluate_design(
        scenario, space, base_u, names, d, w=base_w, model_error=model_error
    )
    base_p = {oid: float(v.mean()) for oid, v in base_shares.items()}
    levels = np.linspace(0.0, 1.0, GRID)
    out: list[Signpost] = []
    for track in tracks(scenario):
        ids = [oc.id for oc in scenario.outcomes if oc.track == track]
        if len(ids) < 2:
            continue
        leader = max(ids, key=lambda o: base_p[o])
        cands = _candidates(scenario, track, inputs, sensitivity)
        if not cands:
            continue
        # per candidate, one stacked design of level × draw (all candidates at once would hold
        # candidates × levels × draws × inputs numbers: half a gigabyte on the default scenario)
        p = {oid: np.zeros((len(cands), GRID)) for oid in ids}
        for c, x in enumerate(cands):
            u = np.repeat(base_u[None], GRID, axis=0)
            u[:, :, x.column] = levels[:, None]
            _, _, shares = evaluate_design(
                scenario,
                space,
                u.reshape(-1, space.n_inputs),
                names,
                d,
                w=None if base_w is None else np.tile(base_w, (GRID, 1)),
                workers=workers,
                model_error=model_error,
            )
            for oid in ids:
                p[oid][c] = shares[oid].reshape(GRID, draws).mean(axis=1)
        track_posts = []
        for c, x in enumerate(cands):
            post = _flip(space, d, x, levels, {o: p[o][c] for o in ids}, leader, track)
            track_posts.extend(post)
        track_posts.sort(key=lambda s: -s.plausibility)
        if not track_posts:
            track_posts = _watch(d, cands, levels, p[leader], base_p[leader], leader, track)
        out.extend(track_posts[:TOP_SIGNPOSTS])
    return out


def _watch(
    dist: Distribution,
    cands: list[InputInfo],
    levels: FloatArray,
    p_leader: FloatArray,  # (candidates, GRID)
    base: float,
    leader: str,
    track: str,
) -> list[Signpost]:
    """When no single input can overturn the leader: the inputs that weaken it most, each at
    the end of its range where the leader's probability is lowest (kind 'watch'; plausibility =
    the chance the input lies on that side of its point value)."""
    posts = []
    for c, x in enumerate(cands):
        g = int(np.argmin(p_leader[c]))
        swing = base - float(p_leader[c, g])
        if swing < WATCH_MIN_SWING or levels[g] == _u_of_point(dist, x):
            continue
        up = levels[g] > _u_of_point(dist, x)
        u_point = _u_of_point(dist, x)
        posts.append(
            Signpost(
                track,
                x,
                "above" if up else "below",
                _value_of(dist, x, float(levels[g])),
                (1.0 - u_point) if up else u_point,
                leader,
                leader,
                float(p_leader[c, g]),
                float(p_leader[c, g]),
                kind="watch",
                p_leader_base=base,
            )
        )
    posts.sort(key=lambda s: -(s.p_leader_base - s.p_leader_at_end))
    return posts[:WATCH_TOP]


def _value(space: InputSpace, dist: Distribution, x: InputInfo, u: float) -> float:
    return _value_of(dist, x, u)


def _value_of(dist: Distribution, x: InputInfo, u: float) -> float:
    arr = PPF[dist](np.array([u]), np.array([x.low]), np.array([x.point]), np.array([x.high]))
    return float(arr[0])


def _flip(
    space: InputSpace,
    dist: Distribution,
    x: InputInfo,
    levels: FloatArray,
    p: dict[str, FloatArray],
    leader: str,
    track: str,
) -> list[Signpost]:
    """Signposts of one input: the first level on each side of the point where the leader is
    overtaken, with the crossing interpolated between that level and the one before it."""
    ids = list(p)
    stack = np.array([p[o] for o in ids])  # (outcomes, GRID)
    top = stack.argmax(axis=0)
    lead_k = ids.index(leader)
    u_point = _u_of_point(dist, x)
    posts = []
    for direction, order in (
        ("above", [g for g in range(len(levels)) if levels[g] > u_point]),
        ("below", [g for g in reversed(range(len(levels))) if levels[g] < u_point]),
    ):
        prev = None
        for g in order:
            if top[g] != lead_k:
                new_k = int(top[g])
                if prev is None:
                    u_t = float(levels[g])
                else:
                    a = stack[new_k, prev] - stack[lead_k, prev]
                    b = stack[new_k, g] - stack[lead_k, g]
                    frac = 0.0 if b == a else float(np.clip(a / (a - b), 0.0, 1.0))
                    u_t = float(levels[prev] + frac * (levels[g] - levels[prev]))
                end = order[-1]
                posts.append(
                    Signpost(
                        track,
                        x,
                        direction,
                        _value(space, dist, x, u_t),
                        (1.0 - u_t) if direction == "above" else u_t,
                        leader,
                        ids[new_k],
                        float(stack[lead_k, end]),
                        float(stack[new_k, end]),
                    )
                )
                break
            prev = g
    return posts


def _u_of_point(dist: Distribution, x: InputInfo) -> float:
    """The uniform that maps to the input's point value (its CDF at the point)."""
    grid = np.linspace(0.0, 1.0, 2001)
    vals = PPF[dist](
        grid, np.full_like(grid, x.low), np.full_like(grid, x.point), np.full_like(grid, x.high)
    )
    return float(grid[int(np.argmin(np.abs(vals - x.point)))])


# --- pivotal actors -----------------------------------------------------------------------------


@dataclass
class PivotalActor:
    actor: str
    shift: dict[str, float]  # issue -> ensemble outcome without the actor − with it
    by_model: dict[str, dict[str, float]]  # model -> issue -> shift

    @property
    def largest(self) -> float:
        return max((abs(v) for v in self.shift.values()), default=0.0)

    def to_json(self) -> dict[str, Any]:
        return {"actor": self.actor, "shift": self.shift, "shift_by_model": self.by_model}


def pivotal_actors(
    scenario: Scenario, models: Sequence[ModelRef] | None = None
) -> list[PivotalActor]:
    """At the point values, remove each actor in turn (present = False on every issue) and
    record how each issue outcome moves; most pivotal first."""
    refs, _ = runnable_models(models or model_names(), len(scenario.issues))
    names = [ref_name(r) for r in refs]
    space = input_space(scenario)
    base = run_models(point_arrays(space), refs)
    base_ens = ensemble_mean([base[m][0] for m in names])
    out = []
    for a, aid in enumerate(space.actor_ids):
        if not space.present[a].any():
            continue
        res = run_models(point_arrays(space.without_actor(a)), refs)
        ens = ensemble_mean([res[m][0] for m in names])
        out.append(
            PivotalActor(
                aid,
                {iid: float(ens[i] - base_ens[i]) for i, iid in enumerate(space.issue_ids)},
                {
                    m: {
                        iid: float(res[m][0, i] - base[m][0, i])
                        for i, iid in enumerate(space.issue_ids)
                    }
                    for m in names
                },
            )
        )
    out.sort(key=lambda p: -p.largest)
    return out
