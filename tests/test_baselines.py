"""The compromise and weighted-median baselines, on cases computed by hand."""

from __future__ import annotations

import numpy as np

from qimma.models.compromise import weighted_mean
from qimma.models.median import weighted_median
from qimma.scenario.arrays import ScenarioArrays


def arrays(pos, sal, cap, present=None, sq=50.0) -> ScenarioArrays:
    p = np.asarray(pos, float).reshape(1, -1, 1)
    s = np.asarray(sal, float).reshape(1, -1, 1)
    c = np.asarray(cap, float).reshape(1, -1, 1)
    n = p.shape[1]
    pr = np.ones((n, 1), bool) if present is None else np.asarray(present, bool).reshape(n, 1)
    return ScenarioArrays(
        tuple(f"a{i}" for i in range(n)),
        ("x",),
        p,
        s,
        c,
        pr,
        np.array([[sq]]),
        np.array([0.0]),
        np.array([100.0]),
    )


def test_weighted_mean_by_hand():
    # weights 2*0.5=1, 1*1=1, 4*0.5=2 -> (10*1 + 40*1 + 100*2) / 4 = 62.5
    a = arrays([10, 40, 100], [0.5, 1.0, 0.5], [2, 1, 4])
    assert weighted_mean(a)[0, 0] == 62.5


def test_absent_actor_is_excluded_not_zero():
    a = arrays([10, 40, 100], [0.5, 1.0, 0.5], [2, 1, 4], present=[True, True, False])
    assert weighted_mean(a)[0, 0] == 25.0  # (10 + 40) / 2
    assert weighted_median(a)[0, 0] == 25.0  # even split between 10 and 40


def test_no_weight_falls_back_to_status_quo():
    a = arrays([10, 90], [0, 0], [1, 1], sq=33.0)
    assert weighted_mean(a)[0, 0] == 33.0
    assert weighted_median(a)[0, 0] == 33.0


def test_weighted_median_by_hand():
    # weights 1, 1, 3: total 5, half 2.5 reached at 100
    a = arrays([10, 40, 100], [1, 1, 1], [1, 1, 3])
    assert weighted_median(a)[0, 0] == 100.0
    # weights 3, 1, 1: half reached at 10 already
    a = arrays([10, 40, 100], [1, 1, 1], [3, 1, 1])
    assert weighted_median(a)[0, 0] == 10.0


def test_vectorised_over_draws_matches_single_draw():
    rng = np.random.default_rng(1)
    d, n, k = 7, 5, 3
    pos = rng.uniform(0, 100, (d, n, k))
    sal = rng.uniform(0, 1, (d, n, k))
    cap = rng.uniform(0, 10, (d, n, k))
    big = ScenarioArrays(
        tuple("abcde"),
        ("i", "j", "k"),
        pos,
        sal,
        cap,
        np.ones((n, k), bool),
        np.full((d, k), 50.0),
        np.zeros(k),
        np.full(k, 100.0),
    )
    m = weighted_mean(big)
    md = weighted_median(big)
    for t in range(d):
        w = cap[t] * sal[t]
        np.testing.assert_allclose(m[t], (w * pos[t]).sum(0) / w.sum(0))
        np.testing.assert_allclose(md[t], weighted_median(big.draw(t))[0])
