"""Scoring code on small cases computed by hand in the comments."""

from __future__ import annotations

import numpy as np
import pytest

from qimma.backtest.metrics import (
    bootstrap_metrics,
    cluster_weights,
    point_metrics,
    weighted_metrics,
)


def test_point_metrics_hand_case():
    # errors |10-0|, |20-20|, |50-30|, |80-100| = 10, 0, 20, 20
    pred = np.array([10.0, 20.0, 50.0, 80.0])
    obs = np.array([0.0, 20.0, 30.0, 100.0])
    m = point_metrics(pred, obs)
    assert m["mae"] == pytest.approx(50 / 4)  # (10+0+20+20)/4
    assert m["rmse"] == pytest.approx(15.0)  # sqrt((100+0+400+400)/4) = sqrt(225)
    assert m["medae"] == pytest.approx(15.0)  # sorted 0,10,20,20 -> (10+20)/2
    assert m["within10"] == pytest.approx(50.0)  # 10 and 0 are within 10 (inclusive)


def test_point_metrics_skip_missing_predictions():
    pred = np.array([np.nan, 30.0, 40.0])
    obs = np.array([0.0, 20.0, 70.0])
    m = point_metrics(pred, obs)
    assert m["mae"] == pytest.approx(20.0)  # (10 + 30) / 2
    assert m["medae"] == pytest.approx(20.0)
    assert m["within10"] == pytest.approx(50.0)


def test_weighted_metrics_equal_expanded_sample():
    # weights 2,1,1,0 on errors 10,0,20,20 = the sample {10,10,0,20}
    e = np.array([10.0, 0.0, 20.0, 20.0])
    m = weighted_metrics(e, np.array([[2.0, 1.0, 1.0, 0.0]]))
    assert m["mae"][0] == pytest.approx(40 / 4)
    assert m["rmse"][0] == pytest.approx(np.sqrt((100 + 100 + 0 + 400) / 4))
    assert m["medae"][0] == pytest.approx(10.0)  # sorted 0,10,10,20 -> (10+10)/2
    assert m["within10"][0] == pytest.approx(75.0)
    # odd total weight: {0, 20, 20} -> median 20
    m = weighted_metrics(e, np.array([[0.0, 1.0, 2.0, 0.0]]))
    assert m["medae"][0] == pytest.approx(20.0)


def test_cluster_weights_move_whole_clusters():
    w = cluster_weights(["a", "a", "b", "c"], n_boot=200, seed=1)
    assert w.shape == (200, 4)
    assert np.array_equal(w[:, 0], w[:, 1])  # issues of one proposal drawn together
    # each replicate draws 3 clusters: a counts twice (2 issues), b and c once
    assert np.allclose(w[:, 0] + w[:, 2] + w[:, 3], 3.0)
    assert np.array_equal(w, cluster_weights(["a", "a", "b", "c"], n_boot=200, seed=1))


def test_bootstrap_two_clusters_interval_by_hand():
    # two clusters with errors 0 and 10: resamples AA, AB, BA, BB give MAE 0, 5, 5, 10 with
    # probabilities 1/4, 1/2, 1/4 -> the 2.5% and 97.5% percentiles are 0 and 10
    pred = np.array([0.0, 10.0])
    obs = np.array([0.0, 0.0])
    w = cluster_weights(["A", "B"], n_boot=4000, seed=7)
    est, diff = bootstrap_metrics(pred, obs, w)
    assert diff is None
    assert est["mae"].value == pytest.approx(5.0)
    assert est["mae"].lo == pytest.approx(0.0)
    assert est["mae"].hi == pytest.approx(10.0)
    share_ab = np.mean(w[:, 0] == 1)
    assert share_ab == pytest.approx(0.5, abs=0.03)


def test_paired_difference_constant_shift_is_exact():
    # model errors are the reference's + 5 on every issue -> MAE difference 5 in every resample
    obs = np.array([10.0, 50.0, 90.0, 30.0, 60.0])
    ref = obs + np.array([1.0, -2.0, 3.0, 0.0, -4.0])
    model = obs + np.array([6.0, -7.0, 8.0, 5.0, -9.0])
    w = cluster_weights(["p1", "p1", "p2", "p3", "p4"], n_boot=300, seed=3)
    _, diff = bootstrap_metrics(model, obs, w, reference=ref)
    assert diff is not None
    assert diff["mae"].value == pytest.approx(5.0)
    assert diff["mae"].lo == pytest.approx(5.0)
    assert diff["mae"].hi == pytest.approx(5.0)
    # reference errors 1,2,3,0,4 all within 10; model errors 6,7,8,5,9 also -> no change
    assert diff["within10"].value == pytest.approx(0.0)


def test_paired_difference_uses_common_issues_only():
    obs = np.array([0.0, 0.0, 0.0])
    model = np.array([np.nan, 10.0, 20.0])
    ref = np.array([50.0, 0.0, 0.0])
    w = np.ones((5, 3))
    _, diff = bootstrap_metrics(model, obs, w, reference=ref)
    assert diff is not None
    assert diff["mae"].value == pytest.approx(15.0)  # (10+20)/2 - (0+0)/2 on issues 2 and 3
