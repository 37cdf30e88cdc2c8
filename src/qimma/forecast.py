"""Run several models on one scenario and gather their forecasts: scenario → model → forecast."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from qimma.models.base import ModelResult
from qimma.models.cost import check_cost, estimate
from qimma.models.registry import (
    ModelRef,
    build_model,
    ensemble_mean,
    model_names,
    ref_name,
    runnable_models,
    skip_reason_ar,
)
from qimma.scenario.anchors import read_on_scale
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
        return ensemble_mean([r.outcome for r in self.results.values()])

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
                        # the old key (the nearest anchor's label) is kept for readers of
                        # earlier files; the forecast in words is `anchor_description`
                        "nearest_anchor": issue.scale.nearest_anchor(x).label.model_dump(),
                        **read_on_scale(issue.scale, x).to_json(),
                    }
                )
        return {
            "scenario": self.scenario.id,
            "forecasts": rows,
            # how much of each issue's forecast rests on explicit / inferred / assumed stances
            "basis_shares": basis_shares(self.scenario),
            "skipped": [
                {"model": m, "reason": r, "reason_ar": self.skipped_ar.get(m, r)}
                for m, r in self.skipped.items()
            ],
        }


def run_forecast(
    scenario: Scenario,
    models: Sequence[ModelRef] | None = None,
    progress: Callable[[str], None] | None = None,
) -> Forecast:
    """Each runnable model once on the point values; `progress(name)` before each model."""
    arrays = to_arrays(scenario)
    chosen = list(models or model_names())
    check_cost(estimate([ref_name(r) for r in chosen], arrays.n_actors, arrays.n_issues, 1))
    fc = Forecast(scenario, arrays)
    refs, fc.skipped = runnable_models(chosen, arrays.n_issues)
    fc.skipped_ar = {name: skip_reason_ar(name) for name in fc.skipped}
    for ref in refs:
        if progress is not None:
            progress(ref_name(ref))
        fc.results[ref_name(ref)] = build_model(ref).run(arrays)
    return fc
