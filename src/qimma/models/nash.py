"""The asymmetric Nash bargaining solution with the status quo as the disagreement point.

Per issue, the outcome x maximises the weighted Nash product

    Σ_i w_i · log(u_i(x) − u_i(SQ)),    w_i = c_i · s_i,

over the outcomes where every included actor gains, with u_i(x) = −|x − x_i| (linear loss, the
default) or −(x − x_i)² (quadratic). Who is included, and why, is in docs/models/nash.md: an
actor at the status quo cannot gain from any agreement, and actors on the two sides of the status
quo cannot all gain from the same move, so the bargain is among the actors who want change in
the direction that carries more capability × salience weight.

The objective is concave on the feasible interval, so its maximiser is where the (sub)derivative
changes sign; we find it by bisection on the derivative, for every draw and issue at once.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from qimma.models.base import BargainingModel, ModelResult
from qimma.scenario.arrays import FloatArray, ScenarioArrays

Utility = Literal["linear", "quadratic"]

_BISECTIONS = 52  # the bracket shrinks to 2^-52 of its width: float precision
_AT_SQ = 1e-12  # relative to the spread: an ideal point this close to the status quo is at it


def nash_solution(
    ideal: FloatArray,
    weight: FloatArray,
    sq: FloatArray,
    utility: Utility = "linear",
) -> tuple[FloatArray, np.ndarray, np.ndarray]:
    """Solve every (draw, issue) at once.

    ideal, weight: (D, A, I); sq: (D, I); positions on any common scale (the solution is
    equivariant under affine changes of it). Returns the outcome (D, I), the direction of change
    (D, I) in {-1, 0, +1} and the mask of included actors (D, A, I).
    """
    x = np.asarray(ideal, dtype=float)
    w = np.asarray(weight, dtype=float)
    q = np.asarray(sq, dtype=float)[:, None, :]
    # the spread of ideal points and status quo: the unit of distance (keeps the at-SQ test and
    # the result equivariant under affine changes and mirroring of the scale)
    top = np.maximum(x.max(axis=1, keepdims=True), q)
    bottom = np.minimum(x.min(axis=1, keepdims=True), q)
    scale = np.where(top > bottom, top - bottom, 1.0)
    gap = (x - q) / scale  # signed distance from the status quo, in [-1, 1]
    active = w > 0
    up = active & (gap > _AT_SQ)
    down = active & (gap < -_AT_SQ)
    w_up = np.where(up, w, 0.0).sum(axis=1)
    w_down = np.where(down, w, 0.0).sum(axis=1)
    direction = np.sign(w_up - w_down).astype(np.int64)  # (D, I); 0: no side outweighs
    dir3 = direction[:, None, :]
    included = np.where(dir3 > 0, up, np.where(dir3 < 0, down, False))
    t_i = np.where(included, np.abs(gap), np.nan)  # how far each included actor wants to go
    t_max = np.nanmax(np.where(included, t_i, -np.inf), axis=1)  # (D, I), -inf if none
    # every included actor gains only while t < 2 t_i (both utilities); the optimum is <= t_max
    hi = np.minimum(t_max, np.nanmin(np.where(included, 2.0 * t_i, np.inf), axis=1))
    hi = np.where(direction != 0, hi, 0.0)
    lo = np.zeros_like(hi)
    wi = np.where(included, w, 0.0)
    ti = np.where(included, t_i, np.inf)  # excluded actors: never "beyond", weight 0
    with np.errstate(divide="ignore", invalid="ignore"):
        for _ in range(_BISECTIONS):
            mid = 0.5 * (lo + hi)
            rising = _slope(mid[:, None, :], ti, wi, utility) > 0
            lo = np.where(rising, mid, lo)
            hi = np.where(rising, hi, mid)
    t = 0.5 * (lo + hi)
    out = np.asarray(q[:, 0, :] + direction * t * scale[:, 0, :], dtype=float)
    return out, direction, included


def _slope(t: FloatArray, ti: FloatArray, wi: FloatArray, utility: Utility) -> FloatArray:
    """d/dt Σ w_i log g_i(t) (the right derivative at kinks); t > 0 is the distance moved."""
    if utility == "linear":
        # g_i = t up to the ideal point (slope +1), 2 t_i - t beyond it (slope -1)
        below = t < ti
        terms = np.where(below, wi, -wi) / np.where(below, t, 2.0 * ti - t)
    else:
        # g_i = t (2 t_i - t): d log g_i / dt = 1/t - 1/(2 t_i - t)
        terms = wi * (1.0 / t - 1.0 / (2.0 * ti - t))
    return np.asarray(terms.sum(axis=1), dtype=float)


def nash_gains(
    x: FloatArray, ideal: FloatArray, sq: FloatArray, utility: Utility = "linear"
) -> FloatArray:
    """u_i(x) − u_i(SQ) for outcomes x (D, I), ideal points (D, A, I) and status quo (D, I)."""
    xx = np.asarray(x, dtype=float)[:, None, :]
    q = np.asarray(sq, dtype=float)[:, None, :]
    if utility == "linear":
        return np.asarray(np.abs(ideal - q) - np.abs(ideal - xx), dtype=float)
    return np.asarray((ideal - q) ** 2 - (ideal - xx) ** 2, dtype=float)


class NashModel(BargainingModel):
    """Asymmetric Nash bargaining solution, status quo as disagreement point, per issue."""

    name = "nash"
    title_en = "Nash bargaining solution"
    title_ar = "حل ناش للمساومة"
    dynamic = False
    min_issues = 1

    def __init__(self, utility: Utility = "linear") -> None:
        if utility not in ("linear", "quadratic"):
            raise ValueError("utility must be 'linear' or 'quadratic'")
        self.utility: Utility = utility

    def run(self, arrays: ScenarioArrays) -> ModelResult:
        out, direction, included = nash_solution(
            arrays.positions, arrays.weights(), arrays.status_quo, self.utility
        )
        out = np.clip(out, arrays.scale_min, arrays.scale_max)
        return ModelResult(
            self.name,
            out,
            details={"direction": direction, "included": included, "utility": self.utility},
        )
