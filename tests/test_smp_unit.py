"""SMP building blocks checked against values worked out by hand, and qimma's deviations from KTAB.

Every expected number below is derived in the comment next to it from the formulas in
docs/models/smp.md, not from running the model.
"""

from __future__ import annotations

import numpy as np
import pytest

from qimma.models import _smp_kernel as k
from qimma.models.registry import get_model
from qimma.models.smp import SMPModel, actor_capabilities, final_distribution, smp_saliences
from qimma.scenario.arrays import ScenarioArrays
from tests.ktab_fixtures import load_ktab_arrays


def test_bs_util_by_hand():
    # u(d, R) = (1 - d)(1 + d R)
    assert k.bs_util(0.5, 1.0) == pytest.approx(0.75)  # 0.5 * 1.5
    assert k.bs_util(0.5, 0.0) == pytest.approx(0.5)
    assert k.bs_util(0.5, -0.5) == pytest.approx(0.375)  # 0.5 * 0.75
    assert k.bs_util(0.0, 0.7) == 1.0
    # beyond 1 (round-off): (1 - d)(1 + R)
    assert k.bs_util(1.1, 1.0) == pytest.approx(-0.2)


def bv_diff(ideal: np.ndarray, y: np.ndarray, s: np.ndarray) -> float:
    """KTAB's bvDiff of one pair, by both of the kernel's routines (which must agree)."""
    out, out_to = np.empty(1), np.empty(1)
    ss2 = k.salience_norm2(s)
    k.distances_from(ideal, s, ss2, y[:, None], out)
    k.distances_to(y, ideal[:, None], s[:, None], np.array([ss2]), out_to)
    assert out[0] == out_to[0]
    return float(out[0])


def test_bv_diff_by_hand():
    # sqrt(((0.2-0.6)*0.3)^2 + 0) / sqrt(0.3^2 + 0.4^2) = 0.12 / 0.5
    d = bv_diff(np.array([0.2, 0.8]), np.array([0.6, 0.8]), np.array([0.3, 0.4]))
    assert d == pytest.approx(0.24)
    # only relative saliences matter
    d2 = bv_diff(np.array([0.2, 0.8]), np.array([0.6, 0.8]), np.array([0.03, 0.04]))
    assert d2 == pytest.approx(0.24)
    # an actor without salience is indifferent
    assert bv_diff(np.array([0.2]), np.array([0.6]), np.array([0.0])) == 0.0


def test_distances_side_by_side():
    # from actor 0 (ideal 0.2, 0.8; saliences 0.3, 0.4) to three positions: 0.24 (above), 0,
    # and sqrt((0.3*0.5)^2 + (0.4*0.2)^2) / 0.5 = sqrt(0.0225 + 0.0064) / 0.5 = 0.34
    xt = np.array([[0.6, 0.2, 0.7], [0.8, 0.8, 1.0]])
    out = np.empty(3)
    k.distances_from(np.array([0.2, 0.8]), np.array([0.3, 0.4]), 0.25, xt, out)
    np.testing.assert_allclose(out, [0.24, 0.0, 0.34])


def test_round4():
    assert k.round4(0.123449) == 0.1234
    assert k.round4(0.12345) == 0.1235
    assert k.round4(0.0) == 0.0


def test_s2p2_bargain_by_hand():
    # a = s_i^2 p^2 = 0.25 * 0.5625 = 0.140625 ; b = s_j^2 (1-p)^2 = 0.25 * 0.0625 = 0.015625
    # y = ((a + 1e-6) 0.2 + b 0.8) / (a + b + 1e-6) = 0.0406252 / 0.156251 = 0.26000... -> 0.26
    yi, yj = np.empty(1), np.empty(1)
    k.interpolate_s2p2(
        np.array([0.2]), np.array([0.5]), np.array([0.8]), np.array([0.5]), 0.75, yi, yj
    )
    assert yi[0] == 0.26
    assert yj[0] == 0.26


def test_scalar_pce_two_options_by_hand():
    # weights (1, 2); utilities of options (0, 1): actor 0 (1, 0), actor 1 (0.2, 0.6)
    # votes for option 1 over 0: actor 0: 1*(0-1) = -1, actor 1: 2*(0.6-0.2) = 0.8
    # C(1,0) = 0.8, C(0,1) = 1 (+1e-8 each); P[0>1] = 1/1.8
    # condPCE: p_i ∝ 0.5 * P[i > other] -> (1/1.8, 0.8/1.8)
    u = np.array([[1.0, 0.0], [0.2, 0.6]])
    p = np.empty(2)
    k.scalar_pce(np.array([1.0, 2.0]), u, 2, p, np.empty((2, 2)), np.empty(2), np.empty(2))
    np.testing.assert_allclose(p, [1 / 1.8, 0.8 / 1.8], rtol=1e-7)
    assert k.first_argmax(p, 2) == 0
    assert k.first_argmax(np.array([0.5, 0.5]), 2) == 0  # ties: first index


def test_risk_attitudes_range_mid():
    # Mid range: the most likely position gets R = +1, the least likely R = -1/2
    x = np.array([[0.1], [0.5], [0.55], [0.9]])
    sal = np.full((4, 1), 0.5)
    vdiff = np.array([[bv_diff(x[i], x[j], sal[i]) for j in range(4)] for i in range(4)])
    r = np.empty(4)
    scratch = (np.empty((4, 4)), np.empty(4), np.empty((4, 4)), np.empty(4), np.empty(4))
    k.risk_attitudes(vdiff, np.array([1.0, 1.0, 1.0, 1.0]), r, *scratch)
    assert r.max() == pytest.approx(1.0)
    assert r.min() == pytest.approx(-0.5)
    assert np.argmax(r) in (1, 2)  # a central position is the most likely


def test_challenge_against_zero_salience_target_is_a_sure_win():
    # S_j = 0: EU_chlg = EU_win = 2 u_ii, so ΔEU = 2u_ii - (u_ii + u_ij) = u_ii - u_ij
    x = np.array([[0.2], [0.6], [0.9]])
    sal = np.array([[0.8], [0.0], [0.5]])
    s_tot = sal[:, 0].copy()
    vdiff = np.array([[bv_diff(x[i], x[j], sal[i]) for j in range(3)] for i in range(3)])
    r_est = np.zeros((3, 3))
    u_own = 1.0 - vdiff  # risk neutral: u(d, 0) = 1 - d
    wn = s_tot * np.ones(3)  # S_n c_n, capabilities 1
    chal = np.empty((1, 10, 3))  # challenger 0 alone
    k.challenges(0, vdiff, r_est, u_own, wn, s_tot, chal)
    # risk neutral: u_00 = 1, u_01 = 1 - 0.4
    assert chal[0, k.GAIN, 1] == pytest.approx(0.4)
    # challengers side by side give the same bits as each alone
    both = np.empty((2, 10, 3))
    k.challenges(0, vdiff, r_est, u_own, wn, s_tot, both)
    assert both[0, k.GAIN].tobytes() == chal[0, k.GAIN].tobytes()


def _arrays(pos, sal, cap, lo=0.0, hi=100.0, present=None) -> ScenarioArrays:
    pos = np.asarray(pos, dtype=float)
    a, i = pos.shape
    return ScenarioArrays(
        actor_ids=tuple(f"a{n}" for n in range(a)),
        issue_ids=tuple(f"i{n}" for n in range(i)),
        positions=pos[None],
        saliences=np.asarray(sal, dtype=float)[None],
        capabilities=np.asarray(cap, dtype=float)[None],
        present=np.ones((a, i), dtype=bool) if present is None else present,
        status_quo=np.full((1, i), (lo + hi) / 2),
        scale_min=np.full(i, lo),
        scale_max=np.full(i, hi),
    )


def test_registry_knows_smp():
    model = get_model("smp")
    assert isinstance(model, SMPModel)
    assert model.dynamic


def test_batch_of_draws_equals_each_draw_alone():
    base = load_ktab_arrays("dummyData_3Dim")
    rng = np.random.default_rng(7)
    d = 3
    pos = np.repeat(base.positions, d, axis=0)
    pos[1:] = np.clip(pos[1:] + rng.normal(0, 5, size=pos[1:].shape), 0, 100)
    sal = np.repeat(base.saliences, d, axis=0)
    cap = np.repeat(base.capabilities, d, axis=0)
    status_quo = np.repeat(base.status_quo, d, axis=0)
    batch = base.with_values(positions=pos, saliences=sal, capabilities=cap, status_quo=status_quo)
    model = SMPModel()
    together = model.run(batch)
    assert together.positions is not None and together.n_rounds is not None
    for n in range(d):
        alone = model.run(batch.draw(n))
        assert alone.positions is not None and alone.n_rounds is not None
        t = int(alone.n_rounds[0])
        assert int(together.n_rounds[n]) == t
        np.testing.assert_array_equal(together.positions[n, : t + 1], alone.positions[0])
        # after its own stop a draw's positions stay put (padding)
        np.testing.assert_array_equal(together.positions[n, -1], alone.positions[0, t])
        np.testing.assert_array_equal(together.outcome[n], alone.outcome[0])


def test_same_input_same_result():
    arr = load_ktab_arrays("SOE-Pol-Comp")
    a, b = SMPModel().run(arr), SMPModel().run(arr)
    np.testing.assert_array_equal(a.positions, b.positions)


def test_scale_is_mapped_to_unit_interval():
    # the same scenario on the scale [-50, 150] (x -> 2x - 50) gives the mapped result
    base = load_ktab_arrays("SOE-Pol-Comp")
    res0 = SMPModel().run(base)
    moved = ScenarioArrays(
        actor_ids=base.actor_ids,
        issue_ids=base.issue_ids,
        positions=2 * base.positions - 50,
        saliences=base.saliences,
        capabilities=base.capabilities,
        present=base.present,
        status_quo=2 * base.status_quo - 50,
        scale_min=np.full(2, -50.0),
        scale_max=np.full(2, 150.0),
    )
    res1 = SMPModel().run(moved)
    assert res0.n_rounds is not None and res1.n_rounds is not None
    assert res1.n_rounds[0] == res0.n_rounds[0]
    np.testing.assert_allclose(res1.outcome, 2 * res0.outcome - 50, atol=1e-6)


# --- deviations from KTAB (docs/models/smp.md, "Deviations") ---------------------------------


def test_deviation_total_salience_above_one_is_rescaled():
    sal = np.array([[0.9, 0.6], [0.3, 0.2], [0.5, 0.5]])
    arr = _arrays([[10, 20], [50, 50], [90, 70]], sal, np.ones((3, 2)))
    used = smp_saliences(arr)[0]
    np.testing.assert_allclose(used[0], [0.6, 0.4])  # 0.9/1.5, 0.6/1.5
    np.testing.assert_array_equal(used[1], sal[1])  # total 0.5: unchanged
    np.testing.assert_array_equal(used[2], sal[2])  # total exactly 1: unchanged
    # and the model runs on it (KTAB refuses totals above 100)
    res = SMPModel().run(arr)
    assert np.all(np.isfinite(res.outcome))


def test_deviation_capability_per_issue_is_salience_weighted():
    # actor 0: (30*0.2 + 90*0.6) / 0.8 = 75 ; actor 1 cares about nothing: plain mean 20
    arr = _arrays(
        [[10, 20], [50, 50], [90, 70]],
        [[0.2, 0.6], [0.0, 0.0], [0.5, 0.5]],
        [[30, 90], [10, 30], [4, 4]],
    )
    # models see capabilities rescaled by a power of two (largest in [0.5, 1)): 90 -> 90/128
    unit = arr.capabilities.max() / 90.0
    np.testing.assert_allclose(actor_capabilities(arr)[0], np.array([75.0, 20.0, 4.0]) * unit)


def test_deviation_actor_without_salience_or_capability_runs():
    # KTAB throws on a zero voting weight and on all-zero saliences; here such an actor is inert
    arr = _arrays(
        [[10.0], [40.0], [60.0], [95.0]],
        [[0.6], [0.0], [0.7], [0.4]],
        [[50.0], [30.0], [0.0], [20.0]],
    )
    res = SMPModel().run(arr)
    assert res.positions is not None
    assert np.all(np.isfinite(res.positions))
    assert 0 <= res.outcome[0, 0] <= 100


def test_deviation_identical_positions_are_risk_neutral_and_stay():
    # KTAB divides by pMax - pMin = 0 here; qimma sets R = 0 and nobody has a reason to move
    arr = _arrays([[40.0], [40.0], [40.0]], [[0.5], [0.6], [0.7]], [[1.0], [2.0], [3.0]])
    res = SMPModel().run(arr)
    assert res.positions is not None
    np.testing.assert_allclose(res.positions[0, -1, :, 0], 40.0)
    np.testing.assert_allclose(res.outcome[0], [40.0])
    np.testing.assert_allclose(res.details["final_probability"][0], 1.0)


def test_deviation_fewer_than_three_actors_run():
    # KTAB requires 3-250 actors; qimma runs any number. One actor has nobody to bargain with.
    one = SMPModel().run(_arrays([[30.0, 70.0]], [[0.4, 0.6]], [[1.0, 1.0]]))
    assert one.positions is not None
    np.testing.assert_allclose(one.positions[0, -1, 0], [30.0, 70.0])
    np.testing.assert_allclose(one.outcome[0], [30.0, 70.0])
    two = SMPModel().run(_arrays([[20.0], [60.0]], [[0.5], [0.9]], [[1.0], [3.0]]))
    assert np.all(np.isfinite(two.outcome))


def test_deviation_absent_stance_has_no_salience():
    present = np.array([[True, True], [True, False], [True, True]])
    arr = _arrays(
        [[10, 20], [50, 50], [90, 70]],
        [[0.3, 0.3], [0.4, 0.4], [0.2, 0.5]],
        np.ones((3, 2)),
        present=present,
    )
    res = SMPModel().run(arr)
    np.testing.assert_array_equal(res.details["saliences_used"][0, 1], [0.4, 0.0])
    assert np.all(np.isfinite(res.outcome))


def test_final_distribution_sums_to_one_and_gives_the_expected_outcome():
    res = SMPModel().run(load_ktab_arrays("SOE-Pol-Comp"))
    dist = final_distribution(res)
    probs = np.array([p for _, p, _ in dist])
    assert probs.sum() == pytest.approx(1.0)
    assert list(probs) == sorted(probs, reverse=True)
    mean = sum(p * x for x, p, _ in dist)
    np.testing.assert_allclose(mean, res.outcome[0], atol=1e-9)
    members = sorted(m for _, _, ms in dist for m in ms)
    assert members == list(range(13))
