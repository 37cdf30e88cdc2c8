"""The compromise model: the capability × salience weighted mean of positions.

See docs/models/baselines.md (Achen 2006; van den Bos 1991; Thomson et al. 2006).
"""

from __future__ import annotations

import numpy as np

from qimma.models.base import BargainingModel, ModelResult
from qimma.scenario.arrays import ScenarioArrays


def weighted_mean(arrays: ScenarioArrays) -> np.ndarray:
    """Σ c·s·x / Σ c·s per draw and issue; the status quo where no one has any weight."""
    w = arrays.weights()
    total = w.sum(axis=1)
    num = (w * arrays.positions).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(total > 0, num / np.where(total > 0, total, 1.0), arrays.status_quo)
    return np.asarray(out, dtype=float)


class CompromiseModel(BargainingModel):
    name = "compromise"
    title_en = "Compromise (weighted mean)"
    title_ar = "نموذج التسوية (المتوسط المرجّح)"

    def run(self, arrays: ScenarioArrays) -> ModelResult:
        return ModelResult(self.name, weighted_mean(arrays))
