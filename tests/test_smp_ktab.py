"""The SMP reproduces KTAB's own runs (tests/fixtures/ktab, see its README).

Tolerances from the issue: every actor's final position within 0.5 on 0-100, turns within ±1.
"""

from __future__ import annotations

import numpy as np
import pytest

from qimma.models.smp import SMPModel
from tests.ktab_fixtures import (
    TEST_CASES,
    load_ktab_arrays,
    load_ktab_run,
    load_ktab_trajectory,
)

POSITION_TOL = 0.5  # 0-100 scale
TURN_TOL = 1


@pytest.fixture(scope="module")
def results():
    model = SMPModel()
    return {name: model.run(load_ktab_arrays(name)) for name in TEST_CASES}


@pytest.mark.parametrize("name", TEST_CASES)
def test_final_positions_and_turns_match_ktab(results, name):
    res = results[name]
    ktab = load_ktab_run(name)
    turns = int(res.n_rounds[0])
    assert abs(turns - ktab.n_turns) <= TURN_TOL
    final = res.positions[0, turns]
    assert final.shape == ktab.final_positions.shape
    assert np.abs(final - ktab.final_positions).max() <= POSITION_TOL


@pytest.mark.parametrize("name", TEST_CASES)
def test_every_turn_matches_ktab_trajectory(results, name):
    """Stronger than the issue asks: the whole path, turn by turn (KTAB prints 4 decimals)."""
    res = results[name]
    ktab = load_ktab_trajectory(name)
    t = min(ktab.shape[0], res.positions.shape[1])
    assert np.abs(res.positions[0, :t] - ktab[:t]).max() <= POSITION_TOL


@pytest.mark.parametrize("name", TEST_CASES)
def test_final_probabilities_match_ktab(results, name):
    """Each actor's probability of its final position: KTAB's "prob :" lines (4 decimals)."""
    res = results[name]
    ktab = load_ktab_run(name)
    np.testing.assert_allclose(
        res.details["final_probability"][0], ktab.final_probability, atol=5.1e-5
    )


@pytest.mark.parametrize("name", TEST_CASES)
def test_expected_and_modal_outcome_match_ktab_summary(results, name):
    """The summaries' Σ p·x was computed from KTAB's 4-decimal probabilities, hence 0.05."""
    res = results[name]
    summary = load_ktab_run(name).summary
    np.testing.assert_allclose(res.outcome[0], summary["pce_expected_outcome_final"], atol=0.05)
    np.testing.assert_allclose(
        res.details["modal_position"][0], summary["modal_final_position"], atol=0.005
    )
    modal_actor = res.details["modal_actor"][0]
    assert load_ktab_run(name).actors[modal_actor] in summary["modal_members"]


def test_result_shapes_and_padding(results):
    res = results["dummyData_3Dim"]
    t = int(res.n_rounds[0])
    assert res.positions.shape == (1, t + 1, 7, 3)
    assert res.rounds is not None and res.rounds.shape == (1, t + 1, 3)
    np.testing.assert_array_equal(res.outcome[0], res.rounds[0, t])
    # round 0 is the input itself
    start = load_ktab_arrays("dummyData_3Dim").positions[0]
    np.testing.assert_allclose(res.positions[0, 0], start, rtol=0, atol=1e-12)
