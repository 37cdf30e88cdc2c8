"""Prediction intervals fitted on train, checked on test.

Until the Monte Carlo over stance ranges can be run on DEU (its data carry no ranges), intervals are
parametric in the simplest honest way: the empirical quantiles of the train residuals
(outcome − prediction) are added to each test prediction. A nominal level L gives
[pred + q((1−L)/2), pred + q((1+L)/2)], clipped to the scale 0-100; coverage is the share of test
outcomes inside (closed interval). Fitted once on train, reported once on test.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qimma.scenario.arrays import FloatArray

LEVELS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
HEADLINE = (0.5, 0.8)
TOLERANCE = 5.0  # goal: coverage within ±5 points of nominal


@dataclass(frozen=True)
class LevelCoverage:
    level: float
    lo_offset: float  # quantile of train residuals added to the prediction
    hi_offset: float
    coverage: float  # % of test outcomes inside
    mean_width: float
    n_test: int

    @property
    def within_goal(self) -> bool:
        return abs(self.coverage - 100.0 * self.level) <= TOLERANCE


def residual_intervals(
    pred: FloatArray, offsets: tuple[float, float], lo: float = 0.0, hi: float = 100.0
) -> tuple[FloatArray, FloatArray]:
    return np.clip(pred + offsets[0], lo, hi), np.clip(pred + offsets[1], lo, hi)


def reliability(
    pred_train: FloatArray,
    obs_train: FloatArray,
    pred_test: FloatArray,
    obs_test: FloatArray,
    levels: tuple[float, ...] = LEVELS,
) -> list[LevelCoverage]:
    """Coverage on test of the intervals from train residuals, one row per nominal level."""
    ok_tr = ~np.isnan(pred_train) & ~np.isnan(obs_train)
    ok_te = ~np.isnan(pred_test) & ~np.isnan(obs_test)
    resid = obs_train[ok_tr] - pred_train[ok_tr]
    p, y = pred_test[ok_te], obs_test[ok_te]
    rows = []
    for level in levels:
        if resid.size == 0 or p.size == 0:
            rows.append(LevelCoverage(level, np.nan, np.nan, np.nan, np.nan, int(p.size)))
            continue
        a = (1.0 - level) / 2.0
        q_lo, q_hi = (float(v) for v in np.quantile(resid, [a, 1.0 - a]))
        lo, hi = residual_intervals(p, (q_lo, q_hi))
        inside = (y >= lo - 1e-9) & (y <= hi + 1e-9)
        rows.append(
            LevelCoverage(
                level,
                q_lo,
                q_hi,
                100.0 * float(inside.mean()),
                float((hi - lo).mean()),
                int(p.size),
            )
        )
    return rows
