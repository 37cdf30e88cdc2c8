"""`eum` as a qimma model: batching, issues, absent actors, convergence, bad input, registry.

Expected values here come from the model's definition (invariances, equivalences, reasoning about
a case) or from eq. 31 written out as a plain loop; none is a recorded output of qimma.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qimma.errors import InputError
from qimma.forecast import run_forecast
from qimma.models import eum_core as core
from qimma.models.eum import STOP_CONVERGED, EUModel
from qimma.models.registry import get_model, model_names
from qimma.scenario.arrays import ScenarioArrays, to_arrays
from qimma.scenario.formats import load_default_scenario
from tests.eum_fixtures import bdm_arrays


def random_arrays(d: int, a: int, n_i: int, seed: int) -> ScenarioArrays:
    rng = np.random.default_rng(seed)
    shape = (d, a, n_i)
    lo = rng.uniform(-50, 0, n_i)
    hi = lo + rng.uniform(10, 100, n_i)
    pos = lo + rng.uniform(0, 1, shape) * (hi - lo)
    if a >= 2:
        pos[:, 1] = pos[:, 0]  # two actors share a position: ties must be handled
    return ScenarioArrays(
        actor_ids=tuple(f"a{k}" for k in range(a)),
        issue_ids=tuple(f"i{k}" for k in range(n_i)),
        positions=pos,
        saliences=rng.uniform(0.05, 1.0, shape),
        capabilities=rng.uniform(0.1, 3.0, shape),
        present=np.ones((a, n_i), dtype=bool),
        status_quo=np.tile(lo, (d, 1)),
        scale_min=lo,
        scale_max=hi,
    )


def same(r1: object, r2: object) -> None:
    for name in ("outcome", "rounds", "positions", "n_rounds"):
        np.testing.assert_allclose(getattr(r1, name), getattr(r2, name), atol=1e-12)


# -- eq. 31 as a plain loop, against both vectorised forms ---------------------------------------


@pytest.mark.parametrize("a", [2, 5, 11, 30])
def test_support_matches_the_literal_sum(a: int) -> None:
    rng = np.random.default_rng(a)
    u = rng.uniform(size=(3, a))
    u[:, 1] = u[:, 0]
    if a >= 5:
        u[0, 2] = (u[0, 3] + u[0, 4]) / 2  # a voter exactly at a pair's midpoint
    w = rng.uniform(size=(3, a))
    want = np.zeros((3, a, a))
    for b in range(3):
        for i in range(a):
            for j in range(a):
                for k in range(a):
                    arg = abs(u[b, k] - u[b, j]) - abs(u[b, k] - u[b, i])
                    want[b, i, j] += w[b, k] * max(arg, 0.0)
    np.testing.assert_allclose(core.support_direct(u, w), want, atol=1e-12)
    np.testing.assert_allclose(core.support_sorted(u, w), want, atol=1e-12)
    np.testing.assert_allclose(core.support(u, w), want, atol=1e-12)


def test_median_is_the_condorcet_winner() -> None:
    rng = np.random.default_rng(5)
    u = rng.uniform(size=(50, 7))
    w = rng.uniform(size=(50, 7))
    mu = core.condorcet_median(u, w, np.ones_like(u, dtype=bool))
    for b in range(50):
        f = [sum(w[b, k] * abs(u[b, k] - u[b, j]) for k in range(7)) for j in range(7)]
        assert mu[b] == pytest.approx(u[b, int(np.argmin(f))])
    # an exact even split: the midpoint of the two tied positions
    even = core.condorcet_median(
        np.array([[0.2, 0.8]]), np.array([[1.0, 1.0]]), np.ones((1, 2), dtype=bool)
    )
    assert even[0] == pytest.approx(0.5)


# -- vectorisation: a batch equals its parts --------------------------------------------------


def test_batch_of_draws_equals_each_draw_alone() -> None:
    arrays = random_arrays(5, 6, 2, seed=1)
    model = EUModel(max_rounds=15)
    batch = model.run(arrays)
    assert batch.n_rounds is not None
    for k in range(arrays.n_draws):
        alone = model.run(arrays.draw(k))
        assert alone.n_rounds is not None and alone.rounds is not None
        n = int(alone.n_rounds[0])
        assert batch.n_rounds[k] == n
        assert batch.rounds is not None and batch.positions is not None
        np.testing.assert_allclose(batch.rounds[k, : n + 1], alone.rounds[0, : n + 1], atol=1e-12)
        np.testing.assert_allclose(batch.outcome[k], alone.outcome[0], atol=1e-12)
        np.testing.assert_array_equal(
            batch.details["round1_class"][k], alone.details["round1_class"][0]
        )


def test_issues_are_independent() -> None:
    arrays = random_arrays(3, 5, 3, seed=2)
    model = EUModel(q=1.0, max_rounds=10)
    whole = model.run(arrays)
    for i in range(arrays.n_issues):
        part = model.run(arrays.select_issues([i]))
        np.testing.assert_allclose(whole.outcome[:, i], part.outcome[:, 0], atol=1e-12)
        np.testing.assert_array_equal(
            whole.details["n_rounds_by_issue"][:, i], part.details["n_rounds_by_issue"][:, 0]
        )


def test_rescaling_the_scale_changes_nothing_but_units() -> None:
    arrays = random_arrays(2, 6, 1, seed=3)
    res = EUModel(max_rounds=10).run(arrays)
    k, c = 3.5, 20.0
    moved = ScenarioArrays(
        arrays.actor_ids,
        arrays.issue_ids,
        arrays.positions * k + c,
        arrays.saliences,
        arrays.capabilities * 7.0,  # only ratios of capabilities matter
        arrays.present,
        arrays.status_quo * k + c,
        arrays.scale_min * k + c,
        arrays.scale_max * k + c,
    )
    res2 = EUModel(max_rounds=10).run(moved)
    np.testing.assert_allclose(res2.outcome, res.outcome * k + c, atol=1e-9)


def test_mirroring_the_issue_mirrors_the_forecast() -> None:
    arrays = random_arrays(3, 6, 1, seed=4)
    res = EUModel(max_rounds=10, variant="paper").run(arrays)
    lo, hi = arrays.scale_min, arrays.scale_max
    mirrored = arrays.with_values(positions=lo + hi - arrays.positions)
    res2 = EUModel(max_rounds=10, variant="paper").run(mirrored)
    np.testing.assert_allclose(res2.outcome, lo + hi - res.outcome, atol=1e-9)


def test_absent_actor_is_the_same_as_no_actor() -> None:
    arrays = random_arrays(2, 5, 2, seed=6)
    present = arrays.present.copy()
    present[4, 1] = False  # actor 4 takes no position on issue 1
    w_absent = ScenarioArrays(
        arrays.actor_ids,
        arrays.issue_ids,
        np.where(present[None], arrays.positions, arrays.status_quo[:, None, :]),
        arrays.saliences * present[None],
        arrays.capabilities * present[None],
        present,
        arrays.status_quo,
        arrays.scale_min,
        arrays.scale_max,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an absent actor must not produce NaN or inf anywhere
        res = EUModel(max_rounds=10).run(w_absent)
    without = ScenarioArrays(
        arrays.actor_ids[:4],
        arrays.issue_ids[1:],
        arrays.positions[:, :4, 1:],
        arrays.saliences[:, :4, 1:],
        arrays.capabilities[:, :4, 1:],
        arrays.present[:4, 1:],
        arrays.status_quo[:, 1:],
        arrays.scale_min[1:],
        arrays.scale_max[1:],
    )
    res2 = EUModel(max_rounds=10).run(without)
    np.testing.assert_allclose(res.outcome[:, 1], res2.outcome[:, 0], atol=1e-12)
    assert res.positions is not None
    # the absent actor stays at the status quo in every round
    got = res.positions[:, :, 4, 1]
    np.testing.assert_allclose(got, np.broadcast_to(arrays.status_quo[:, None, 1], got.shape))
    assert (res.details["round1_class"][:, 4, :, 1] == core.CLASS_NONE).all()


# -- convergence and stopping ---------------------------------------------------------------


def test_unanimity_converges_at_once() -> None:
    """Everyone at the same point: no one can gain by challenging, so round 1 moves no one."""
    arrays = random_arrays(2, 4, 1, seed=7)
    flat = arrays.with_values(positions=np.full_like(arrays.positions, arrays.scale_min[0] + 1))
    res = EUModel(q=0.5).run(flat)
    assert res.n_rounds is not None and list(res.n_rounds) == [1, 1]
    assert (res.details["stop_reason"] == STOP_CONVERGED).all()
    np.testing.assert_allclose(res.outcome, arrays.scale_min[0] + 1)


def test_two_actors_by_hand() -> None:
    """Two actors at the ends of a 0-100 scale, saliences 1/2, capabilities 3 and 1, Q = 1.

    P = 1.5 / (1.5 + 0.5) = 0.75 for the strong one. At r = 1 (d = 1, U_s = 2, U_f = -2,
    U_sq = 0): EU_strong = 2 (1 - 2·0.5·0.25) = 1.5, EU_weak = 2 (1 - 2·0.5·0.75) = 0.5. The
    security levels are Sec_strong = 0.5 and Sec_weak = 1.5, so R = -1 and +1, r = 2 and 1/2.
    With risk: EU_strong = 2 - 0.5·0.25·4 - (2 - 4·0.5²) = 0.5 and
    EU_weak = 2 - 0.5·0.75·4 - (2 - 4·0.5^0.5) = 4·0.5^0.5 - 1.5 = 1.328. Both positive, the
    weak one's higher: a conflict that the strong one loses, so it moves to 100 in round 1 and
    round 2 sees no move."""
    arrays = ScenarioArrays(
        ("strong", "weak"),
        ("x",),
        np.array([[[0.0], [100.0]]]),
        np.array([[[0.5], [0.5]]]),
        np.array([[[3.0], [1.0]]]),
        np.ones((2, 1), dtype=bool),
        np.array([[50.0]]),
        np.array([0.0]),
        np.array([100.0]),
    )
    res = EUModel(q=1.0, variant="paper").run(arrays)
    p = res.details["round1_probability"][0, :, :, 0]
    assert p[0, 1] == pytest.approx(0.75) and p[1, 0] == pytest.approx(0.25)
    np.testing.assert_allclose(res.details["round1_risk_exponent"][0, :, 0], [2.0, 0.5])
    eu = res.details["round1_eu"][0, :, :, 0]
    assert eu[0, 1] == pytest.approx(0.5)
    assert eu[1, 0] == pytest.approx(4 * 0.5**0.5 - 1.5)
    assert res.details["round1_class"][0, 1, 0, 0] == core.CLASS_CONFLICT_I_WINS
    assert res.positions is not None
    np.testing.assert_allclose(res.positions[0, 1, :, 0], [100.0, 100.0])
    assert res.outcome[0, 0] == pytest.approx(100.0)
    assert res.n_rounds is not None and res.n_rounds[0] == 2
    assert res.details["stop_reason"][0, 0] == STOP_CONVERGED


def test_result_shapes_and_details() -> None:
    arrays = random_arrays(4, 5, 3, seed=8)
    res = EUModel(max_rounds=6).run(arrays)
    assert res.rounds is not None and res.positions is not None and res.n_rounds is not None
    r = res.rounds.shape[1]
    assert res.outcome.shape == (4, 3)
    assert res.positions.shape == (4, r, 5, 3)
    assert res.details["mean_by_round"].shape == (4, r, 3)
    assert res.details["round1_class"].shape == (4, 5, 5, 3)
    assert res.details["round1_eu"].shape == (4, 5, 5, 3)
    assert set(np.unique(res.details["round1_class"])) <= set(res.details["class_legend"])
    assert (res.n_rounds <= 6).all() and (res.n_rounds >= 1).all()
    np.testing.assert_allclose(res.rounds[:, 0], res.details["median_by_round"][:, 0])
    # the trajectory helper cuts at the rounds actually run
    assert len(res.trajectory(0, 0)) == int(res.n_rounds[0]) + 1


# -- interface and bad input ----------------------------------------------------------------


def test_registered_and_runs_on_the_default_scenario() -> None:
    assert "eum" in model_names()
    model = get_model("eum")
    assert model.dynamic and model.name == "eum"
    scenario = load_default_scenario()
    fc = run_forecast(scenario, ["eum"])
    out = fc.results["eum"].outcome
    arrays = to_arrays(scenario)
    assert out.shape == (1, arrays.n_issues)
    assert ((out >= arrays.scale_min) & (out <= arrays.scale_max)).all()


@pytest.mark.parametrize(
    "kwargs",
    [{"q": 1.5}, {"q": -0.1}, {"t": 2.0}, {"max_rounds": 0}, {"tol": -1.0}, {"variant": "x"}],
)
def test_bad_parameters_are_input_errors(kwargs: dict) -> None:
    with pytest.raises(InputError) as err:
        EUModel(**kwargs)
    assert err.value.problems[0].message_ar and err.value.problems[0].fix_en


def test_position_outside_the_scale_is_an_input_error() -> None:
    arrays = bdm_arrays("ExampleActors.csv", scale=(4.0, 10.0))
    bad = arrays.with_values(positions=arrays.positions + 1.0)  # France at 11 on a 4-10 scale
    with pytest.raises(InputError) as err:
        EUModel().run(bad)
    assert "France" in err.value.problems[0].message_en


def test_salience_out_of_range_is_an_input_error() -> None:
    arrays = bdm_arrays("ExampleActors.csv", scale=(4.0, 10.0))
    with pytest.raises(InputError) as err:
        EUModel().run(arrays.with_values(saliences=arrays.saliences * 100.0))
    problem = err.value.problems[0]
    assert problem.message_en.startswith("the salience of actor 'Netherlands'")
    assert "الأهمية" in problem.message_ar
    with pytest.raises(InputError) as err:
        EUModel().run(arrays.with_values(capabilities=-arrays.capabilities))
    assert err.value.problems[0].message_en.startswith("the capability of actor")


def test_risk_exponents_stay_in_range_with_absent_actors() -> None:
    """Sec of an absent actor is an empty sum (0), outside the present actors' range here; its
    r must not leave [0.5, 2] (a negative r made 0 ** r infinite on DEU III)."""
    eu = np.full((1, 3, 3), 2.0)  # everyone expects 2 from challenging anyone: Sec = 2 or 4
    eu[0, 0, 1] = 3.0
    present = np.array([[True, True, False]])
    r = core.risk_exponents(eu, present)
    # Sec_0 = E(U_10) = 2, Sec_1 = E(U_01) = 3: R = -1 and +1, so r = 2 and 1/2
    np.testing.assert_allclose(r[0], [2.0, 0.5, 1.0])


def test_degenerate_sizes() -> None:
    one = random_arrays(2, 1, 2, seed=9)  # one actor: no dyads, nothing moves
    res = EUModel().run(one)
    np.testing.assert_allclose(res.outcome, one.positions[:, 0, :])
    assert res.n_rounds is not None and list(res.n_rounds) == [1, 1]
    none = EUModel().run(random_arrays(0, 4, 2, seed=9))  # no draws
    assert none.outcome.shape == (0, 2)
    with pytest.raises(InputError):
        EUModel().run(random_arrays(1, 0, 1, seed=9))


@settings(max_examples=40, deadline=None)
@given(
    st.integers(min_value=2, max_value=9),
    st.integers(min_value=0, max_value=2**31 - 1),
    st.sampled_from([0.5, 1.0, 0.0]),
)
def test_invariants_on_random_scenarios(a: int, seed: int, q: float) -> None:
    """Whatever the inputs: P_ij + P_ji = 1 for distinct positions, r in [0.5, 2], every move is
    towards another actor (so no position leaves the initial range), and the round-1 classes
    agree with the signs of the two expected utilities."""
    arrays = random_arrays(2, a, 1, seed=seed % 1000)
    res = EUModel(q=q, max_rounds=8, variant="paper").run(arrays)
    p = res.details["round1_probability"][..., 0]
    x = arrays.positions[:, :, 0]
    distinct = np.abs(x[:, :, None] - x[:, None, :]) > 0
    np.testing.assert_allclose((p + p.swapaxes(1, 2))[distinct], 1.0, atol=1e-12)
    r = res.details["round1_risk_exponent"]
    assert (r >= 0.5 - 1e-12).all() and (r <= 2.0 + 1e-12).all()
    assert res.positions is not None
    lo, hi = x.min(axis=1), x.max(axis=1)
    pos = res.positions[:, :, :, 0]
    assert (pos >= lo[:, None, None] - 1e-9).all() and (pos <= hi[:, None, None] + 1e-9).all()
    eu = res.details["round1_eu"][..., 0]
    cls = res.details["round1_class"][..., 0]
    both_neg = (eu < 0) & (eu.swapaxes(1, 2) < 0)
    assert (cls[both_neg] == core.CLASS_STALEMATE).all()
    both_pos = (eu > 0) & (eu.swapaxes(1, 2) > 0) & (eu != eu.swapaxes(1, 2))
    assert np.isin(cls[both_pos], [core.CLASS_CONFLICT_I_WINS, core.CLASS_CONFLICT_J_WINS]).all()


def test_two_actors_by_hand_scholz_rules() -> None:
    """The same two actors under the Scholz rules (the default variant).

    Votes for strong over weak: strong's 1.5·(1 - 0) = 1.5, weak's 0.5·(0 - 1) = -0.5; the
    denominator sums |vote| over both voters and both ordered pairs: (1.5 + 0.5) × 2 = 4. So
    P(strong→weak) = 1.5/4 = 0.375 and P(weak→strong) = 0.5/4 = 0.125. At r = 1 (U_s = 2,
    U_f = -2, U_sq = 0): EU_strong = 0.5 (0.75 - 1.25) + 1 = 0.75, EU_weak = 0.5 (0.25 - 1.75) + 1 =
    0.25; Sec_strong = 0.25, Sec_weak = 0.75, so r = 2 and 1/2 as before. Each receiver then sees
    both EUs with its own exponent. Strong (r = 2, U_sq = 1): own = -0.25 + 1 - 1 = -0.25, the
    weak's = -0.75 + 1 - 1 = -0.75: both negative, it stays. Weak (r = 1/2, U_sq = 2 - 4·0.5^0.5):
    own = -0.75 + 1 - U_sq = 4·0.5^0.5 - 1.75, the strong's = -0.25 + 1 - U_sq = 4·0.5^0.5 - 1.25,
    larger and both positive: it loses the conflict and moves to 0. Round 2 sees no move."""
    arrays = ScenarioArrays(
        ("strong", "weak"),
        ("x",),
        np.array([[[0.0], [100.0]]]),
        np.array([[[0.5], [0.5]]]),
        np.array([[[3.0], [1.0]]]),
        np.ones((2, 1), dtype=bool),
        np.array([[50.0]]),
        np.array([0.0]),
        np.array([100.0]),
    )
    res = EUModel().run(arrays)
    p = res.details["round1_probability"][0, :, :, 0]
    assert p[0, 1] == pytest.approx(0.375) and p[1, 0] == pytest.approx(0.125)
    np.testing.assert_allclose(res.details["round1_risk_exponent"][0, :, 0], [2.0, 0.5])
    eu = res.details["round1_eu"][0, :, :, 0]  # each actor's own EU, with its own exponent
    assert eu[0, 1] == pytest.approx(-0.25)
    assert eu[1, 0] == pytest.approx(4 * 0.5**0.5 - 1.75)
    assert res.positions is not None
    np.testing.assert_allclose(res.positions[0, 1, :, 0], [0.0, 0.0])
    assert res.outcome[0, 0] == pytest.approx(0.0)
    assert res.details["stop_reason"][0, 0] == STOP_CONVERGED
    assert bool(res.details["settled"][0, 0])


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=2, max_value=9), st.integers(min_value=0, max_value=2**31 - 1))
def test_scholz_rules_invariants_on_random_scenarios(a: int, seed: int) -> None:
    """Scholz rules: each vote for i over j is minus the vote for j over i, so the positive
    parts over all ordered pairs are half the shared denominator: Σ_ij P_ij = 1/2 whenever two
    present actors differ. r stays in [0.5, 2]; every move is towards another actor, so no
    position leaves the initial range."""
    arrays = random_arrays(2, a, 1, seed=seed % 1000)
    res = EUModel(max_rounds=8).run(arrays)
    p = res.details["round1_probability"][..., 0]
    x = np.where(arrays.present[None, :, 0], arrays.positions[:, :, 0], np.nan)
    spread = np.nanmax(x, axis=1) > np.nanmin(x, axis=1)
    w = arrays.weights()[:, :, 0]
    voters = (w > 0).sum(axis=1) > 0
    ok = spread & voters
    np.testing.assert_allclose(p.sum(axis=(1, 2))[ok], 0.5, atol=1e-12)
    assert (p >= 0).all()
    r = res.details["round1_risk_exponent"]
    assert (r >= 0.5 - 1e-12).all() and (r <= 2.0 + 1e-12).all()
    assert res.positions is not None
    lo, hi = np.nanmin(x, axis=1)[:, None, None], np.nanmax(x, axis=1)[:, None, None]
    pos = res.positions[:, :, :, 0]
    inside = (pos >= lo - 1e-9) & (pos <= hi + 1e-9)
    assert inside[:, :, arrays.present[:, 0]].all()
