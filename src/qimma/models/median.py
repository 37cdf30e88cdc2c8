"""The weighted median: the position with half the capability × salience weight on each side.

The position of the "median voter" in weight (Black 1948), used as a baseline in the DEU literature
(Thomson et al. 2006; Achen 2006). See docs/models/baselines.md.
"""

from __future__ import annotations

import numpy as np

from qimma.models.base import BargainingModel, ModelResult
from qimma.scenario.arrays import ScenarioArrays


def weighted_median(arrays: ScenarioArrays) -> np.ndarray:
    """Lower weighted median over actors, per draw and issue, vectorised.

    Sort positions; the median is the first position at which the cumulative weight reaches half
    the total. When the cumulative weight equals exactly half at some position (an even split),
    the midpoint between that position and the next is returned, as for the ordinary median.
    """
    w = arrays.weights()  # (D, A, I)
    x = arrays.positions
    order = np.argsort(x, axis=1, kind="stable")
    xs = np.take_along_axis(x, order, axis=1)
    ws = np.take_along_axis(w, order, axis=1)
    cum = np.cumsum(ws, axis=1)
    total = cum[:, -1:, :]
    half = total / 2.0
    # tolerance so that an exact half split is recognised despite rounding
    tol = 1e-12 * np.maximum(total, 1.0)
    reached = cum >= half - tol
    k = np.argmax(reached, axis=1)  # (D, I) first index reaching half
    lower = np.take_along_axis(xs, k[:, None, :], axis=1)[:, 0, :]
    exact = (
        np.abs(np.take_along_axis(cum, k[:, None, :], axis=1)[:, 0, :] - half[:, 0, :])
        <= tol[:, 0, :]
    )
    # next position carrying positive weight after k
    a = x.shape[1]
    idx = np.arange(a)[None, :, None]
    later = (idx > k[:, None, :]) & (ws > 0)
    has_next = later.any(axis=1)
    nxt_k = np.argmax(later, axis=1)
    upper = np.take_along_axis(xs, nxt_k[:, None, :], axis=1)[:, 0, :]
    med = np.where(exact & has_next, (lower + upper) / 2.0, lower)
    return np.asarray(np.where(total[:, 0, :] > 0, med, arrays.status_quo), dtype=float)


class MedianModel(BargainingModel):
    name = "median"
    title_en = "Weighted median"
    title_ar = "الوسيط المرجّح"

    def run(self, arrays: ScenarioArrays) -> ModelResult:
        return ModelResult(self.name, weighted_median(arrays))
