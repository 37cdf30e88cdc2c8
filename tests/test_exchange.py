"""The exchange model (Equal Gain) against Decide's own runs and cases worked out by hand.

Fixtures in tests/fixtures/exchange/ (see its README): Decide's inputs, its deterministic runs
(`*_noties.json`: ties go to the higher 28-digit Decimal gain), its runs with qimma's tie rule
(`decide_candidate_order/`), and its 20-seed summary.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qimma.forecast import run_forecast
from qimma.models.exchange import ExchangeModel, exchanges_of
from qimma.scenario.arrays import ScenarioArrays, to_arrays
from qimma.scenario.formats import load_default_scenario, load_scenario

FIX = Path(__file__).parent / "fixtures" / "exchange"
CASES = {"sample_data": "sample_data.txt", "copenhagen": "copenhagen.csv", "cop21": "cop21.csv"}
# Rounds that agree exactly with Decide run under the same tie rule; after them a move meets an
# outcome that already sits on the partner's position, where Decide's cut depends on Decimal
# rounding (docs/models/exchange.md, "Differences from Decide").
EXACT_ROUNDS = {"sample_data": 4, "copenhagen": 7, "cop21": 1}


@pytest.fixture(scope="module")
def runs() -> dict[str, tuple[ScenarioArrays, object]]:
    out = {}
    for name, fn in CASES.items():
        arr = read_decide(FIX / fn)
        out[name] = (arr, ExchangeModel(rounds=10).run(arr))
    return out


def read_decide(path: Path) -> ScenarioArrays:
    return to_arrays(load_scenario(path))


def _decide_ids(arr: ScenarioArrays, path: Path) -> dict[str, str]:
    """qimma actor id -> Decide's actor id (the importer keeps Decide's full name as the English
    name; in the three bundled files the full name is the id)."""
    return {a.id: a.name.en for a in load_scenario(path).actors}


def _with_decide_ids(rows: list[dict], names: dict[str, str]) -> list[dict]:
    return [{**r, "i": names[r["i"]], "j": names[r["j"]]} for r in rows]


def _nbs(arr: ScenarioArrays, rec: dict, key: str) -> np.ndarray:
    return np.array([rec[key][i] for i in arr.issue_ids])


def _on_100(arr: ScenarioArrays, v: np.ndarray) -> np.ndarray:
    return np.asarray(v / arr.span * 100.0)


def _same_exchange(a: dict, b: dict) -> bool:
    return (
        a["i"] == b["i"]
        and a["j"] == b["j"]
        and a["i_supply"] == b["i_supply"]
        and a["j_supply"] == b["j_supply"]
        and abs(a["i_from"] - b["i_from"]) < 1e-6
        and abs(a["i_to"] - b["i_to"]) < 1e-6
        and abs(a["j_from"] - b["j_from"]) < 1e-6
        and abs(a["j_to"] - b["j_to"]) < 1e-6
        and abs(a["gain"] - b["gain"]) < 1e-9
    )


@pytest.mark.parametrize("name", ["sample_data", "copenhagen"])
def test_round_one_reproduces_decide_noties(runs, name):
    arr, res = runs[name]
    ref = json.loads((FIX / f"{name}_equal_p0_r10_noties.json").read_text())["per_round"][0]
    assert np.allclose(res.rounds[0, 0], _nbs(arr, ref, "preference_nbs"), atol=1e-9)
    diff = _on_100(arr, np.abs(res.rounds[0, 1] - _nbs(arr, ref, "voting_nbs")))
    assert diff.max() <= 0.5
    mine = [
        e
        for e in _with_decide_ids(exchanges_of(res, arr), _decide_ids(arr, FIX / CASES[name]))
        if e["round"] == 1
    ]
    assert len(mine) == ref["n_exchanges"]
    assert all(_same_exchange(a, b) for a, b in zip(mine, ref["exchanges"], strict=True))


def test_cop21_round_one_differs_from_noties_only_by_a_decimal_tie(runs):
    """Decide's 47th exchange of round 1 on cop21 was chosen between two exchanges whose gains
    agree to 27 digits (0.254569190600522193211488250 vs ...251): the exchange list is the same up
    to that tie, and our outcome lies where Decide's own seeded runs put it."""
    arr, res = runs["cop21"]
    ref = json.loads((FIX / "cop21_equal_p0_r10_noties.json").read_text())["per_round"][0]
    mine = [
        e
        for e in _with_decide_ids(exchanges_of(res, arr), _decide_ids(arr, FIX / "cop21.csv"))
        if e["round"] == 1
    ]
    first = next(
        k
        for k, (a, b) in enumerate(zip(mine, ref["exchanges"], strict=False))
        if not _same_exchange(a, b)
    )
    assert first == 46
    a, b = mine[first], ref["exchanges"][first]
    assert (a["i"], a["i_supply"], a["j"]) == (b["i"], b["i_supply"], b["j"])  # Japan, India
    assert abs(a["gain"] - b["gain"]) < 1e-12  # a tie, broken differently
    summary = json.loads((FIX / "decide_summary.json").read_text())["cop21"]
    seeds = summary["equal_p0_seeds1-20"]["issues"]
    for k, issue in enumerate(arr.issue_ids):
        lo, hi = seeds[issue]["voting_nbs_round1"]["min"], seeds[issue]["voting_nbs_round1"]["max"]
        assert lo - 0.5 <= res.rounds[0, 1, k] <= hi + 0.5, issue


@pytest.mark.parametrize("name", list(CASES))
def test_matches_decide_under_the_same_tie_rule(runs, name):
    arr, res = runs[name]
    ref = json.loads((FIX / "decide_candidate_order" / f"{name}.json").read_text())["per_round"]
    ex = _with_decide_ids(exchanges_of(res, arr), _decide_ids(arr, FIX / CASES[name]))
    for r in range(EXACT_ROUNDS[name]):
        pref = _on_100(
            arr,
            np.abs(res.details["preference_outcomes"][0, r] - _nbs(arr, ref[r], "preference_nbs")),
        )
        vote = _on_100(arr, np.abs(res.rounds[0, r + 1] - _nbs(arr, ref[r], "voting_nbs")))
        assert pref.max() < 1e-9 and vote.max() < 1e-9, f"round {r + 1}"
        mine = [e for e in ex if e["round"] == r + 1]
        assert len(mine) == ref[r]["n_exchanges"], f"round {r + 1}"
        assert all(_same_exchange(a, b) for a, b in zip(mine, ref[r]["exchanges"], strict=True))


@pytest.mark.parametrize("name", list(CASES))
def test_later_rounds_stay_within_decides_own_tie_spread(runs, name):
    """After the first rounding-decided cut the runs part ways; round 10 stays inside the range
    of Decide's 20 random-tie-break runs (widened by 0.5 on the 0-100 scale)."""
    arr, res = runs[name]
    seeds = json.loads((FIX / "decide_summary.json").read_text())[name]["equal_p0_seeds1-20"]
    for k, issue in enumerate(arr.issue_ids):
        rng = seeds["issues"][issue]["voting_nbs_round10"]
        pad = 0.5 * arr.span[k] / 100.0
        assert rng["min"] - pad <= res.rounds[0, 10, k] <= rng["max"] + pad, issue


def two_actor_case(scale_max: float = 100.0) -> ScenarioArrays:
    # A cares about p (0.8) more than q (0.2), B the reverse; A at 0 on both, B at the top
    pos = np.array([[[0.0, 0.0], [1.0, 1.0]]]) * scale_max
    sal = np.array([[[0.8, 0.2], [0.2, 0.8]]])
    return ScenarioArrays(
        ("A", "B"),
        ("p", "q"),
        pos,
        sal,
        np.ones((1, 2, 2)),
        np.ones((2, 2), bool),
        np.zeros((1, 2)),
        np.zeros(2),
        np.full(2, scale_max),
    )


def test_two_actor_exchange_by_hand():
    """Worked by hand (docs/models/exchange.md):
    round 1: NBS p = 0.2*100 = 20, q = 0.8*100 = 80. B supplies p (ratio 0.25 < 4), A supplies q.
    B moves fully to 0 on p: dp = 100*0.2/1 = 20, dq = 20*(0.8+0.2)/(0.2+0.8) = 20, A's move on q
    = 20*1/0.2 = 100 (exactly to B). Gain |20*0.2 - 20*0.8| = 12 for both. Voting NBS: p 0, q 100.
    New start: A on q 0 + 0.42*100 = 42 (w = 0.4*(1-0.2) + 0.1), B on p 100 - 42 = 58.
    round 2: preference NBS p = 0.2*58 = 11.6, q = 0.2*42 + 0.8*100 = 88.4; B moves 58 -> 0,
    dp = 11.6, A moves 42 -> 100; gain |11.6*0.2 - 11.6*0.8| = 6.96; new start A 42 + 0.42*58 =
    66.36, B 58 - 0.42*58 = 33.64."""
    arr = two_actor_case()
    res = ExchangeModel(rounds=2).run(arr)
    assert np.allclose(res.rounds[0], [[20, 80], [0, 100], [0, 100]])
    assert np.allclose(res.details["preference_outcomes"][0], [[20, 80], [11.6, 88.4]])
    assert np.allclose(res.positions[0, 1], [[0, 42], [58, 100]])
    assert np.allclose(res.positions[0, 2], [[0, 66.36], [33.64, 100]])
    ex = exchanges_of(res, arr)
    assert [(e["i"], e["i_supply"], e["j"], e["j_supply"]) for e in ex] == [
        ("A", "q", "B", "p")
    ] * 2
    assert np.allclose([e["gain"] for e in ex], [12.0, 6.96])
    assert np.allclose([(e["i_to"], e["j_to"]) for e in ex], [(100, 0), (100, 0)])


def test_issue_scales_are_respected():
    res100 = ExchangeModel(rounds=2).run(two_actor_case(100.0))
    res7 = ExchangeModel(rounds=2).run(two_actor_case(7.0))
    assert np.allclose(res7.rounds, res100.rounds * 0.07)
    assert np.allclose(res7.positions, res100.positions * 0.07)


def test_batch_equals_single_draws_and_is_deterministic():
    base = read_decide(FIX / "copenhagen.csv")
    rng = np.random.default_rng(7)
    d = 5
    pos = np.clip(
        np.repeat(base.positions, d, 0) + rng.normal(0, 8, (d, *base.positions.shape[1:])), 0, 100
    )
    sal = np.clip(np.repeat(base.saliences, d, 0) + rng.normal(0, 0.05, pos.shape), 0.05, 1)
    big = base.with_values(
        positions=pos,
        saliences=sal,
        capabilities=np.repeat(base.capabilities, d, 0),
        status_quo=np.repeat(base.status_quo, d, 0),
    )
    model = ExchangeModel(rounds=3)
    res = model.run(big)
    again = model.run(big)
    assert np.array_equal(res.rounds, again.rounds)
    for k in range(d):
        one = model.run(big.draw(k))
        assert np.allclose(res.rounds[k], one.rounds[0], atol=1e-12)
        assert np.allclose(res.positions[k], one.positions[0], atol=1e-12)
        assert exchanges_of(res, big, k) == exchanges_of(one, big.draw(k), 0)


def test_only_first_draws_are_recorded():
    arr = two_actor_case()
    big = arr.with_values(
        positions=np.repeat(arr.positions, 3, 0),
        saliences=np.repeat(arr.saliences, 3, 0),
        capabilities=np.repeat(arr.capabilities, 3, 0),
        status_quo=np.repeat(arr.status_quo, 3, 0),
    )
    res = ExchangeModel(rounds=1, record_draws=1).run(big)
    assert set(res.details["exchanges"]["draw"]) == {0}
    assert res.details["exchanges_per_round"].tolist() == [[1], [1], [1]]


def test_absent_and_weightless_actors_do_not_trade():
    arr = two_actor_case()
    present = np.array([[True, False], [True, True]])  # A takes no position on q
    res = ExchangeModel(rounds=1).run(
        ScenarioArrays(
            arr.actor_ids,
            arr.issue_ids,
            arr.positions,
            arr.saliences * present,
            arr.capabilities * present,
            present,
            arr.status_quo,
            arr.scale_min,
            arr.scale_max,
        )
    )
    assert len(res.details["exchanges"]) == 0
    assert np.allclose(res.rounds[0, 1], res.rounds[0, 0])


def test_runs_on_the_default_scenario():
    fc = run_forecast(load_default_scenario(), ["exchange"])
    res = fc.results["exchange"]
    assert res.rounds is not None and res.rounds.shape[1] == 11
    lo, hi = fc.arrays.scale_min, fc.arrays.scale_max
    assert np.all((res.outcome >= lo) & (res.outcome <= hi))
    assert res.details["exchanges_per_round"][0, 0] > 0


@st.composite
def small_scenarios(draw):
    n_a = draw(st.integers(2, 5))
    n_i = draw(st.integers(2, 4))
    cells = n_a * n_i
    pos = draw(
        st.lists(
            st.sampled_from([0.0, 10.0, 25.0, 50.0, 60.0, 100.0]), min_size=cells, max_size=cells
        )
    )
    sal = draw(st.lists(st.sampled_from([0.0, 0.2, 0.5, 0.8, 1.0]), min_size=cells, max_size=cells))
    cap = draw(st.lists(st.sampled_from([0.0, 0.5, 1.0, 3.0]), min_size=cells, max_size=cells))
    present = draw(st.lists(st.booleans(), min_size=cells, max_size=cells))
    pr = np.array(present).reshape(n_a, n_i)
    shape = (1, n_a, n_i)
    return ScenarioArrays(
        tuple(f"a{k}" for k in range(n_a)),
        tuple(f"i{k}" for k in range(n_i)),
        np.where(pr, np.array(pos).reshape(n_a, n_i), 50.0).reshape(shape),
        (np.array(sal).reshape(n_a, n_i) * pr).reshape(shape),
        (np.array(cap).reshape(n_a, n_i) * pr).reshape(shape),
        pr,
        np.full((1, n_i), 50.0),
        np.zeros(n_i),
        np.full(n_i, 100.0),
    )


@settings(max_examples=60, deadline=None)
@given(small_scenarios())
def test_any_small_scenario_runs_and_stays_on_the_scale(arr):
    """Ties, zero saliences and capabilities, absent stances, empty issues: no crash, every
    outcome and position on the scale, each exchange pairs two different actors on two different
    issues with a positive gain, and an issue where no one has weight stays at the status quo."""
    res = ExchangeModel(rounds=3).run(arr)
    assert np.all((res.rounds >= -1e-9) & (res.rounds <= 100 + 1e-9))
    assert np.all((res.positions >= -1e-9) & (res.positions <= 100 + 1e-9))
    for e in res.details["exchanges"]:
        assert e["i"] != e["j"] and e["i_supply"] != e["j_supply"] and e["gain"] > 0
    empty = arr.weights()[0].sum(axis=0) == 0
    assert np.all(res.rounds[0][:, empty] == 50.0)
    assert np.array_equal(ExchangeModel(rounds=3).run(arr).rounds, res.rounds)


def test_initial_sort_by_clusters_equals_the_insertion_sort():
    """The O(n log n) initial sort gives the order of the stable insertion sort with the 1e-12 tie
    tolerance (the rule the docs state), also when gains lie within the tolerance of each other
    without being equal, in chains longer than the tolerance, and with exact ties."""
    from qimma.models.exchange import _GAIN, _NF, _sort_by_gain, _sort_by_gain_initial

    rng = np.random.default_rng(3)
    for trial in range(200):
        n = int(rng.integers(1, 300))
        base = rng.choice(rng.uniform(0, 5, 8), n)  # a few values, many exact ties
        # noise below, at and above the tolerance, and chains of near-equal steps
        noise = rng.choice([0.0, 3e-13, 9e-13, 1e-12, 2e-12, 1e-9], n) * rng.integers(-3, 4, n)
        fv = np.zeros((n + 5, _NF))
        fv[5:, _GAIN] = base + noise
        order = rng.permutation(np.arange(5, n + 5))
        want = order.copy()
        _sort_by_gain(want, n, fv)
        got = order.copy()
        _sort_by_gain_initial(got, n, fv)
        assert got.tolist() == want.tolist(), trial
