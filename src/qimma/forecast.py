"""Run several models on one scenario and gather their forecasts: scenario → model → forecast."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from qimma.models.base import ModelResult
from qimma.models.cost import check_cost, estimate
from qimma.models.registry import get_model, model_names
from qimma.scenario.arrays import ScenarioArrays, to_arrays
from qimma.scenario.basis import basis_shares
from qimma.scenario.model import Scenario

ENSEMBLE = "ensemble"


@dataclass
class Forecast:
    """Each model's result on the same arrays, plus the ensemble (unweighted mean of models)."""

    scenario: Scenario
    arrays: ScenarioArrays
    results: dict[str, ModelResult] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)  # model -> why it did not run
    skipped_ar: dict[str, str] = field(default_factory=dict)  # the same in Arabic

    def ensemble(self) -> np.ndarray:
        """Mean over models of the outcome, shape (D, I)."""
        return np.mean([r.outcome for r in self.results.values()], axis=0)

    def outcome(self, model: str, draw: int = 0) -> np.ndarray:
        if model == ENSEMBLE:
            return self.ensemble()[draw]
        return self.results[model].outcome[draw]

    def model_columns(self) -> list[str]:
        cols = list(self.results)
        if len(cols) > 1:
            cols.append(ENSEMBLE)
        return cols

    def to_json(self) -> dict[str, Any]:
        rows = []
        for i, issue in enumerate(self.scenario.issues):
            for name in self.model_columns():
                traj = [] if name == ENSEMBLE else self.results[name].trajectory(0, i)
                x = float(self.outcome(name)[i])
                rows.append(
                    {
                        "issue": issue.id,
                        "model": name,
                        "outcome": x,
                        "trajectory": traj,
                        "settlement": None
                        if name == ENSEMBLE
                        else self.results[name].settlement(0, i),
                        "nearest_anchor": issue.scale.nearest_anchor(x).label.model_dump(),
                    }
                )
        return {
            "scenario": self.scenario.id,
            "forecasts": rows,
            # how much of each issue's forecast rests on explicit / inferred / assumed stances
            "basis_shares": basis_shares(self.scenario),
            "skipped": [{"model": m, "reason": r} for m, r in self.skipped.items()],
        }


def run_forecast(scenario: Scenario, models: list[str] | None = None) -> Forecast:
    arrays = to_arrays(scenario)
    names = models or model_names()
    check_cost(estimate(names, arrays.n_actors, arrays.n_issues, 1))
    fc = Forecast(scenario, arrays)
    for name in names:
        model = get_model(name)
        if arrays.n_issues < model.min_issues:
            fc.skipped[name] = f"not run: needs at least {model.min_issues} issues"
            fc.skipped_ar[name] = f"لم يُشغَّل: يحتاج إلى {model.min_issues} من القضايا على الأقل"
            continue
        fc.results[name] = model.run(arrays)
    return fc
