"""Levers: edits of the input space, and what-if comparisons on common random numbers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qimma.analysis.levers import apply_changes, apply_levers, find_levers
from qimma.analysis.sampling import input_space
from qimma.analysis.whatif import run_whatif
from qimma.errors import NotFoundError
from qimma.scenario.formats import load_scenario

SMALL = Path(__file__).parent / "fixtures" / "analysis" / "small.yaml"
FAST = ["compromise", "median"]  # the hand-worked values below are those of these two models


@pytest.fixture
def small(fixtures):
    return load_scenario(fixtures / "analysis" / "small.yaml")


def test_multiply_moves_point_and_range(small):
    sp = apply_levers(input_space(small), find_levers(small, ["b_weaker"]))
    # B (row 1) on X (col 0): capability 50 (40-60) x 0.5 -> 25 (20-30); Y untouched
    assert sp.point["capability"][1, 0] == 25
    assert (sp.low["capability"][1, 0], sp.high["capability"][1, 0]) == (20, 30)
    assert sp.point["capability"][1, 1] == 50
    assert sp.point["capability"][0, 0] == 50


def test_set_pins_add_shifts_status_quo_and_clips(small):
    sp = apply_levers(input_space(small), find_levers(small, ["mixed", "a_hardens"]))
    # salience of A set to 100 on both issues, range collapsed
    assert sp.point["salience"][0].tolist() == [100, 100]
    assert sp.low["salience"][0].tolist() == [100, 100]
    assert sp.status_quo.tolist() == [50, 80]
    # A's position on Y: 60 (50-70) + 10 -> 70 (60-80)
    assert (sp.low["position"][0, 1], sp.point["position"][0, 1], sp.high["position"][0, 1]) == (
        60,
        70,
        80,
    )
    # C has no stance on Y: a lever does not create one
    assert not sp.present[2, 1]


def test_unknown_lever_lists_known_ids(small):
    with pytest.raises(NotFoundError) as e:
        find_levers(small, ["b_weaker", "nope"])
    assert "nope" in str(e.value) and "a_hardens" in str(e.value)


def test_whatif_shift_by_hand(small):
    # a_hardens adds 10 to A's position on Y; A and B weigh the same on Y, so both models move
    # Y by exactly +5 in every draw (common random numbers), and X not at all.
    res = run_whatif(small, ["a_hardens"], FAST, draws=2000, seed=4)
    y = next(s for s in res.issue_shifts if s.issue == "Y")
    x = next(s for s in res.issue_shifts if s.issue == "X")
    assert y.shift == pytest.approx(5.0)
    assert y.range_90 == pytest.approx((5.0, 5.0))
    assert x.shift == 0 and x.range_90 == (0.0, 0.0)
    thaw = next(c for c in res.outcome_changes if c.outcome == "thaw")
    assert thaw.delta > 0 and thaw.interval_90[0] <= thaw.delta <= thaw.interval_90[1]
    assert res.decisive_mover("thaw") == "A"


def test_shapley_attribution_adds_up(small):
    res = run_whatif(small, ["mixed"], FAST, draws=1000, seed=4)
    assert res.method == "shapley" and set(res.attribution) == {"A", "B", "status_quo"}
    for c in res.outcome_changes:
        total = sum(res.attribution[m]["outcomes"][c.outcome] for m in res.attribution)
        assert total == pytest.approx(c.delta, abs=1e-12)
    for s in res.issue_shifts:
        total = sum(res.attribution[m]["issues"][s.issue] for m in res.attribution)
        assert total == pytest.approx(s.shift, abs=1e-9)
    # B's capability cut on X lowers X (A's side wins more): B's share on X is negative
    assert res.attribution["B"]["issues"]["X"] < 0
    # the status quo moves but no model here uses it when anyone has weight
    assert np.allclose(list(res.attribution["status_quo"]["issues"].values()), 0)


@settings(max_examples=60, deadline=None)
@given(
    target=st.sampled_from(["position", "salience", "capability", "status_quo"]),
    op=st.sampled_from(["set", "add", "multiply"]),
    value=st.floats(-500, 500, allow_nan=False),
    actor=st.sampled_from([None, "A", "B", "C"]),
)
def test_any_lever_keeps_values_valid(target, op, value, actor):
    from qimma.scenario.model import LeverChange

    sc = load_scenario(SMALL)
    ch = LeverChange(
        target=target, op=op, value=value, actor=None if target == "status_quo" else actor
    )
    sp = apply_changes(input_space(sc), [ch])
    assert np.all((sp.status_quo >= 0) & (sp.status_quo <= 100))
    for f, hi in (("position", 100), ("salience", 100), ("capability", np.inf)):
        p, lo_, hi_ = sp.point[f][sp.present], sp.low[f][sp.present], sp.high[f][sp.present]
        assert np.all(lo_ <= p) and np.all(p <= hi_)
        assert np.all(lo_ >= 0) and np.all(hi_ <= hi)
