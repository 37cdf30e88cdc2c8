"""Drift between two dated editions of a scenario: how the forecast and each named outcome moved,
and which changed inputs moved them.

For each edition: every model's point forecast (their mean is the ensemble) and a Monte Carlo of
the named outcomes. Both Monte Carlo runs, and every attribution run, use the same seed and
draws; a draw's uniforms then differ only where the inputs differ (common random numbers).

Attribution, one input at a time: the earlier edition with one changed input (a status quo, one
actor's stance on one issue, one veto player's outside option on a track, or a track's veto set)
taken from the later edition, against the earlier edition. The
effects need not add up to the total drift (inputs interact, e.g. two actors moving on the same
issue); the remainder is reported as `interaction`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from qimma.analysis.evaluate import run_models
from qimma.analysis.montecarlo import run_monte_carlo
from qimma.analysis.outcomes import evidence_shares
from qimma.analysis.parallel import Progress
from qimma.analysis.sampling import input_space
from qimma.models.registry import ModelRef, model_names, ref_name, runnable_models
from qimma.scenario.arrays import FloatArray, to_arrays
from qimma.scenario.editions import (
    InputChange,
    edition_scenario,
    find_edition,
    stance_changes,
    with_change,
)
from qimma.scenario.model import Edition, Scenario


@dataclass
class EditionForecast:
    edition: Edition
    scenario: Scenario
    point: dict[str, FloatArray]  # model -> (I,) point forecast
    probabilities: dict[str, float]  # outcome id -> probability (mean over models)
    assumption_share: dict[str, float]  # issue id -> influence-weighted share of assumptions

    def ensemble(self) -> FloatArray:
        return np.mean(list(self.point.values()), axis=0)

    def to_json(self) -> dict[str, Any]:
        ens = self.ensemble()
        return {
            "id": self.edition.id,
            "date": self.edition.date,
            "name": self.edition.name.model_dump(),
            "status_quo": {i.id: i.status_quo for i in self.scenario.issues},
            "forecast": {
                i.id: {
                    "ensemble": float(ens[k]),
                    "by_model": {m: float(v[k]) for m, v in self.point.items()},
                    "assumption_share": self.assumption_share[i.id],
                }
                for k, i in enumerate(self.scenario.issues)
            },
            "outcomes": self.probabilities,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], scenario: Scenario) -> EditionForecast:
        """Back from `to_json`, on the edition of `scenario` it names."""
        scn = edition_scenario(scenario, data["id"])
        ids = [i.id for i in scn.issues]
        models = list(next(iter(data["forecast"].values()))["by_model"]) if ids else []
        point = {
            m: np.array([data["forecast"][i]["by_model"][m] for i in ids], dtype=float)
            for m in models
        }
        shares = {i: data["forecast"][i]["assumption_share"] for i in ids}
        return cls(find_edition(scenario, data["id"]), scn, point, data["outcomes"], shares)


@dataclass
class ChangeEffect:
    change: InputChange
    issues: dict[str, float]  # ensemble point-forecast shift
    outcomes: dict[str, float]  # probability shift

    def to_json(self) -> dict[str, Any]:
        c = self.change
        return {
            "input": c.key,
            "kind": c.kind,
            "actor": c.actor,
            "issue": c.issue,
            "before": c.before,
            "after": c.after,
            "basis": c.basis,
            "why": c.why,
            "track": c.track,
            "issue_shift": self.issues,
            "outcome_shift": self.outcomes,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ChangeEffect:
        change = InputChange(
            data["kind"],
            data["issue"],
            data["actor"],
            data["before"],
            data["after"],
            data["basis"],
            data["why"],
            data.get("track", ""),
        )
        return cls(change, data["issue_shift"], data["outcome_shift"])


@dataclass
class Drift:
    before: EditionForecast
    after: EditionForecast
    effects: list[ChangeEffect]
    models: list[str]
    draws: int
    seed: int

    def issue_drift(self) -> dict[str, float]:
        d = self.after.ensemble() - self.before.ensemble()
        return {i.id: float(d[k]) for k, i in enumerate(self.before.scenario.issues)}

    def outcome_drift(self) -> dict[str, float]:
        return {k: self.after.probabilities[k] - v for k, v in self.before.probabilities.items()}

    def interaction(self) -> dict[str, float]:
        """Outcome drift the one-at-a-time effects do not account for."""
        total = self.outcome_drift()
        return {k: v - sum(e.outcomes[k] for e in self.effects) for k, v in total.items()}

    def drivers(self, outcome: str, top: int = 3) -> list[ChangeEffect]:
        """The changed inputs that moved this outcome most (by absolute shift)."""
        ranked = sorted(self.effects, key=lambda e: -abs(e.outcomes[outcome]))
        return [e for e in ranked[:top] if abs(e.outcomes[outcome]) > 0]

    def to_json(self) -> dict[str, Any]:
        return {
            "before": self.before.to_json(),
            "after": self.after.to_json(),
            "models": self.models,
            "draws": self.draws,
            "seed": self.seed,
            "issue_drift": self.issue_drift(),
            "outcome_drift": self.outcome_drift(),
            "attribution": "one-at-a-time",
            "changes": [e.to_json() for e in self.effects],
            "interaction": self.interaction(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], scenario: Scenario) -> Drift:
        """Back from `to_json` (what a stored run shows again)."""
        return cls(
            EditionForecast.from_json(data["before"], scenario),
            EditionForecast.from_json(data["after"], scenario),
            [ChangeEffect.from_json(c) for c in data["changes"]],
            list(data["models"]),
            int(data["draws"]),
            int(data["seed"]),
        )


def _point(scenario: Scenario, models: Sequence[ModelRef]) -> dict[str, FloatArray]:
    out = run_models(to_arrays(scenario), models)
    return {m: v[0] for m, v in out.items()}


def _probabilities(
    scenario: Scenario, models: Sequence[ModelRef], draws: int, seed: int, progress: Progress | None
) -> dict[str, float]:
    """The named outcomes' probabilities as the Monte Carlo of a forecast reports them."""
    mc = run_monte_carlo(scenario, models, draws, seed, progress=progress)
    return {p.outcome.id: p.probability for p in mc.outcome_probabilities()}


def _edition_forecast(
    scenario: Scenario,
    edition_id: str,
    models: Sequence[ModelRef],
    draws: int,
    seed: int,
    progress: Progress | None,
) -> EditionForecast:
    scn = edition_scenario(scenario, edition_id)
    space = input_space(scn)
    shares = {i.id: evidence_shares(space, [i.id])["assumption"] for i in scn.issues}
    return EditionForecast(
        find_edition(scenario, edition_id),
        scn,
        _point(scn, models),
        _probabilities(scn, models, draws, seed, progress),
        shares,
    )


def drift(
    scenario: Scenario,
    before_id: str,
    after_id: str,
    models: Sequence[ModelRef] | None = None,
    draws: int = 500,
    seed: int = 0,
    progress: Progress | None = None,
) -> Drift:
    """The drift from edition `before_id` to `after_id` and its one-at-a-time attribution."""
    names, _ = runnable_models(models or model_names(), len(scenario.issues))
    before = _edition_forecast(scenario, before_id, names, draws, seed, progress)
    after = _edition_forecast(scenario, after_id, names, draws, seed, progress)
    effects = []
    ens0 = before.ensemble()
    for ch in stance_changes(scenario, before_id, after_id):
        one = with_change(before.scenario, after.scenario, ch)
        ens = np.mean(list(_point(one, names).values()), axis=0)
        probs = _probabilities(one, names, draws, seed, progress)
        effects.append(
            ChangeEffect(
                ch,
                {i.id: float(ens[k] - ens0[k]) for k, i in enumerate(scenario.issues)},
                {k: v - before.probabilities[k] for k, v in probs.items()},
            )
        )
    return Drift(before, after, effects, [ref_name(n) for n in names], draws, seed)


def drift_runs(scenario: Scenario, before_id: str, after_id: str) -> int:
    """How many Monte Carlo runs :func:`drift` makes (for a progress bar)."""
    return 2 + len(stance_changes(scenario, before_id, after_id))
