"""Interval coverage on cases computed by hand."""

from __future__ import annotations

import numpy as np
import pytest

from qimma.backtest.calibration import reliability, residual_intervals


def test_coverage_from_train_residual_quantiles():
    # train residuals (obs - pred) = -2,-1,0,1,2: the 25% and 75% quantiles are -1 and +1
    pred_tr = np.full(5, 50.0)
    obs_tr = np.array([48.0, 49.0, 50.0, 51.0, 52.0])
    # test: every interval is [49, 51]; outcomes 49 and 50.5 inside, 52 and 60 outside -> 50%
    pred_te = np.full(4, 50.0)
    obs_te = np.array([49.0, 50.5, 52.0, 60.0])
    (row,) = reliability(pred_tr, obs_tr, pred_te, obs_te, levels=(0.5,))
    assert row.lo_offset == pytest.approx(-1.0)
    assert row.hi_offset == pytest.approx(1.0)
    assert row.coverage == pytest.approx(50.0)
    assert row.mean_width == pytest.approx(2.0)
    assert row.n_test == 4
    assert row.within_goal


def test_intervals_are_clipped_to_the_scale():
    lo, hi = residual_intervals(np.array([0.5, 99.0]), (-1.0, 3.0))
    assert lo.tolist() == [0.0, 98.0]
    assert hi.tolist() == [3.5, 100.0]


def test_coverage_far_from_nominal_is_flagged():
    pred_tr = np.zeros(3)
    obs_tr = np.zeros(3)  # zero residuals -> zero-width intervals
    (row,) = reliability(pred_tr, obs_tr, np.zeros(2), np.array([5.0, 7.0]), levels=(0.8,))
    assert row.coverage == pytest.approx(0.0)
    assert not row.within_goal
