"""What-if: the scenario with some levers pulled, against the baseline, on common random numbers.

Both runs use the same seed, so draw d of the lever run differs from draw d of the baseline only
by the levers' edits (the uniforms are the same). Differences are therefore paired per draw:

* issue shift: per model, the mean over draws of (lever − baseline); `range_90` is the 5th–95th
  percentile of the per-draw shift, all models pooled (how much the shift varies with the
  experts' uncertainty);
* outcome change: Δp = p(lever) − p(baseline), pooled with equal weight per model, with a 90%
  interval from a paired bootstrap (models resampled with replacement; draws resampled, which for
  per-draw differences in {−1, 0, +1} is a multinomial draw of their counts).

Who made the difference: the levers' changes are grouped by the actor whose numbers they edit
(or "status_quo"). With up to six movers every subset is run and each mover gets its Shapley
value (the average marginal effect over all orders; the values add up to the total change);
with more movers, each is run alone (one at a time; then the values need not add up).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from qimma.analysis.deal import DrawContext, draw_context
from qimma.analysis.levers import apply_changes, changes_by_mover, find_levers
from qimma.analysis.montecarlo import MonteCarloResult, run_monte_carlo, sweep
from qimma.analysis.outcomes import indicators
from qimma.analysis.parallel import Progress
from qimma.analysis.sampling import Distribution
from qimma.models.registry import ModelRef
from qimma.scenario.arrays import FloatArray
from qimma.scenario.model import Scenario

MAX_SHAPLEY = 6
N_BOOT = 2000


@dataclass
class IssueShift:
    issue: str
    baseline: float  # pooled mean
    lever: float
    shift: float  # pooled mean shift
    by_model: dict[str, float]
    range_90: tuple[float, float]

    def to_json(self) -> dict[str, Any]:
        return {
            "issue": self.issue,
            "baseline_mean": self.baseline,
            "lever_mean": self.lever,
            "shift": self.shift,
            "shift_by_model": self.by_model,
            "shift_range_90": list(self.range_90),
        }


@dataclass
class OutcomeChange:
    outcome: str
    baseline: float
    lever: float
    delta: float
    interval_90: tuple[float, float]

    def to_json(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "baseline": self.baseline,
            "lever": self.lever,
            "delta": self.delta,
            "delta_interval_90": list(self.interval_90),
        }


@dataclass
class WhatIfResult:
    scenario: Scenario
    levers: list[str]
    baseline: MonteCarloResult
    variant: MonteCarloResult
    issue_shifts: list[IssueShift]
    outcome_changes: list[OutcomeChange]
    method: str  # "shapley" or "one-at-a-time"
    # mover -> {"issues": {issue: shift}, "outcomes": {outcome: delta}}
    attribution: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)

    def decisive_mover(self, outcome: str) -> str | None:
        """The mover with the largest share of an outcome's probability change."""
        best, val = None, 0.0
        for mover, parts in self.attribution.items():
            v = abs(parts["outcomes"].get(outcome, 0.0))
            if v > val:
                best, val = mover, v
        return best

    def to_json(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario.id,
            "levers": self.levers,
            "draws": self.baseline.draws,
            "seed": self.baseline.seed,
            "models": self.baseline.models,
            "issues": [s.to_json() for s in self.issue_shifts],
            "outcomes": [
                {**c.to_json(), "decisive_mover": self.decisive_mover(c.outcome)}
                for c in self.outcome_changes
            ],
            "attribution_method": self.method,
            "attribution": self.attribution,
            "deal": {
                "baseline": self.baseline.deal_summary(),
                "lever": self.variant.deal_summary(),
            },
            "judgements": [
                {**b.to_json(), "probability_with_lever": v.probability}
                for b, v in zip(self.baseline.judgements(), self.variant.judgements(), strict=True)
            ],
        }


def _summary(
    scenario: Scenario, outcomes: dict[str, FloatArray], ctx: DrawContext
) -> tuple[FloatArray, dict[str, float]]:
    """Pooled mean per issue and pooled probability per named outcome."""
    means = np.mean([outcomes[m].mean(axis=0) for m in outcomes], axis=0)
    probs: dict[str, float] = {}
    per_model = [indicators(scenario, outcomes[m], ctx, m) for m in outcomes]
    for oc in scenario.outcomes:
        probs[oc.id] = float(np.mean([h[oc.id].mean() for h in per_model]))
    return means, probs


def paired_interval(
    base: list[np.ndarray], lever: list[np.ndarray], seed: int, n_boot: int = N_BOOT
) -> tuple[float, float]:
    """90% interval of the mean over models of mean(lever − base) for paired boolean hits."""
    m = len(base)
    n = base[0].shape[0]
    pv = np.array(
        [[np.mean(lv & ~b), np.mean(~lv & b), 0.0] for b, lv in zip(base, lever, strict=True)]
    )
    pv[:, 2] = np.clip(1.0 - pv[:, 0] - pv[:, 1], 0.0, 1.0)
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(0xD1FF,)))
    pick = rng.integers(0, m, size=(n_boot, m))
    counts = rng.multinomial(n, pv[pick])  # (n_boot, m, 3)
    rep = ((counts[..., 0] - counts[..., 1]) / n).mean(axis=1)
    lo, hi = np.quantile(rep, [0.05, 0.95])
    return float(lo), float(hi)


def run_whatif(
    scenario: Scenario,
    lever_ids: list[str],
    models: Sequence[ModelRef] | None = None,
    draws: int = 2000,
    seed: int = 0,
    *,
    dist: Distribution | str = Distribution.triangular,
    workers: int = 1,
    scheduler: str | None = None,
    client: Any = None,
    progress: Progress | None = None,
    baseline: MonteCarloResult | None = None,
    model_error: bool = True,
) -> WhatIfResult:
    """`baseline`, when given, is the Monte Carlo without levers already run (same seed, draws
    and distribution): it is reused, so the what-if's baseline is exactly that result."""
    levers = find_levers(scenario, lever_ids)
    kw: dict[str, Any] = dict(
        dist=dist,
        workers=workers,
        scheduler=scheduler,
        client=client,
        progress=progress,
        model_error=model_error,
    )
    if baseline is not None:
        base = baseline
        draws, seed, kw["dist"] = base.draws, base.seed, base.dist
        kw["model_error"] = base.model_error
    else:
        base = run_monte_carlo(scenario, models, draws, seed, **kw)
    var = run_monte_carlo(scenario, base.refs, draws, seed, levers=lever_ids, **kw)

    shifts = []
    for k, iss in enumerate(scenario.issues):
        diff = {m: var.outcomes[m][:, k] - base.outcomes[m][:, k] for m in base.models}
        pooled = np.concatenate(list(diff.values()))
        lo, hi = np.quantile(pooled, [0.05, 0.95])
        b = float(np.mean([base.outcomes[m][:, k].mean() for m in base.models]))
        v = float(np.mean([var.outcomes[m][:, k].mean() for m in base.models]))
        shifts.append(
            IssueShift(
                iss.id,
                b,
                v,
                v - b,
                {m: float(d.mean()) for m, d in diff.items()},
                (float(lo), float(hi)),
            )
        )

    hb = [base.evaluations()[m].hits for m in base.models]
    hv = [var.evaluations()[m].hits for m in base.models]
    changes = []
    for j, oc in enumerate(scenario.outcomes):
        pb = float(np.mean([h[oc.id].mean() for h in hb]))
        pl = float(np.mean([h[oc.id].mean() for h in hv]))
        lo, hi = paired_interval([h[oc.id] for h in hb], [h[oc.id] for h in hv], seed + j)
        changes.append(OutcomeChange(oc.id, pb, pl, pl - pb, (min(lo, pl - pb), max(hi, pl - pb))))

    attribution, method = _attribute(
        scenario,
        base,
        var,
        levers_changes=changes_by_mover(levers),
        run_kw={"workers": workers, "scheduler": scheduler, "client": client},
    )
    return WhatIfResult(scenario, lever_ids, base, var, shifts, changes, method, attribution)


def _attribute(
    scenario: Scenario,
    base: MonteCarloResult,
    var: MonteCarloResult,
    levers_changes: dict[str, list[Any]],
    run_kw: dict[str, Any],
) -> tuple[dict[str, dict[str, dict[str, float]]], str]:
    movers = list(levers_changes)
    g = len(movers)
    cache: dict[frozenset[str], tuple[FloatArray, dict[str, float]]] = {
        frozenset(): _summary(scenario, base.outcomes, base.context()),
        frozenset(movers): _summary(scenario, var.outcomes, var.context()),
    }

    def value(subset: frozenset[str]) -> tuple[FloatArray, dict[str, float]]:
        if subset not in cache:
            chs = [c for mv in movers if mv in subset for c in levers_changes[mv]]
            space = apply_changes(base.space, chs)
            out = sweep(space, base.refs, base.draws, base.seed, base.dist, **run_kw)
            ctx = draw_context(space, base.seed, base.draws, base.dist, with_error=base.model_error)
            cache[subset] = _summary(scenario, out, ctx)
        return cache[subset]

    def contribution(weights: list[tuple[frozenset[str], frozenset[str], float]]) -> Any:
        issues = np.zeros(len(scenario.issues))
        outs = dict.fromkeys((o.id for o in scenario.outcomes), 0.0)
        for with_g, without, w in weights:
            (m1, p1), (m0, p0) = value(with_g), value(without)
            issues += w * (m1 - m0)
            for k in outs:
                outs[k] += w * (p1[k] - p0[k])
        return {
            "issues": {iss.id: float(issues[k]) for k, iss in enumerate(scenario.issues)},
            "outcomes": {k: float(v) for k, v in outs.items()},
        }

    result: dict[str, dict[str, dict[str, float]]] = {}
    if g <= MAX_SHAPLEY:
        for mv in movers:
            others = [o for o in movers if o != mv]
            weights = []
            for r in range(len(others) + 1):
                w = math.factorial(r) * math.factorial(g - r - 1) / math.factorial(g)
                for s in itertools.combinations(others, r):
                    weights.append((frozenset((*s, mv)), frozenset(s), w))
            result[mv] = contribution(weights)
        return result, "shapley"
    for mv in movers:
        result[mv] = contribution([(frozenset([mv]), frozenset(), 1.0)])
    return result, "one-at-a-time"
