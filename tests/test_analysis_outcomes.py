"""Named outcomes: indicators, pooled probabilities and intervals, ICD-203 bands, confidence."""

from __future__ import annotations

import numpy as np
import pytest

from qimma.analysis import icd203
from qimma.analysis.outcomes import (
    confidence,
    evidence_shares,
    indicators,
    outcome_probabilities,
    pooled_interval,
    track_overlap,
)
from qimma.analysis.sampling import input_space
from qimma.scenario.formats import load_scenario


@pytest.fixture
def small(fixtures):
    return load_scenario(fixtures / "analysis" / "small.yaml")


def test_indicators_conditions_and_residual(small):
    vals = np.array([[30, 60], [40, 50], [50, 52], [60, 10], [61, 90]], dtype=float)
    h = indicators(small, vals)
    assert h["deal"].tolist() == [True, True, False, False, False]  # X <= 40
    assert h["standoff"].tolist() == [False, True, True, True, False]  # 40 <= X <= 60
    assert h["b_wins"].tolist() == [False, False, False, False, True]  # neither
    assert h["thaw"].tolist() == [True, False, True, False, True]  # Y >= 52
    assert h["cold"].tolist() == [False, True, False, True, False]
    assert track_overlap(small, h) == {"war": pytest.approx(1 / 5), "relations": 0.0}


def test_pooled_probability_is_mean_over_models(small):
    space = input_space(small)
    # model a: X = 30 in all 4 draws (deal); model b: X = 50 in 3, 30 in 1
    outs = {
        "a": np.array([[30, 0]] * 4, dtype=float),
        "b": np.array([[50, 0], [50, 0], [50, 0], [30, 0]], dtype=float),
    }
    probs = {p.outcome.id: p for p in outcome_probabilities(small, space, outs, seed=0)}
    assert probs["deal"].by_model == {"a": 1.0, "b": 0.25}
    assert probs["deal"].probability == pytest.approx(0.625)
    assert probs["deal"].low <= 0.625 <= probs["deal"].high


def test_interval_narrows_with_draws_and_never_collapses():
    lo1, hi1 = pooled_interval([30], 100, seed=1)
    lo2, hi2 = pooled_interval([3000], 10_000, seed=1)
    assert lo1 < 0.3 < hi1 and lo2 < 0.3 < hi2
    assert hi2 - lo2 < hi1 - lo1
    # Wilson 90% half-width for p = 0.3, n = 100 is about 0.075 (1.645 * sqrt(.21/100))
    assert hi1 - lo1 == pytest.approx(2 * 1.645 * (0.21 / 100) ** 0.5, rel=0.2)
    lo0, hi0 = pooled_interval([0], 1000, seed=1)
    assert lo0 >= 0 and hi0 > 0


def test_icd203_bands():
    assert icd203.band(0.03).en == "almost no chance"
    assert icd203.band(0.10).en == "very unlikely"
    assert icd203.band(0.30).ar == "غير مرجح"
    assert icd203.band(0.50).en == "roughly even chance"
    assert icd203.band(0.70).ar == "مرجح"
    assert icd203.band(0.90).en == "very likely"
    assert icd203.band(0.97).ar == "شبه مؤكد"
    assert icd203.band(1.0).en == "almost certain"
    assert icd203.band(0.20).en == "unlikely"  # shared edges go up
    assert icd203.wording_range(0.3, 0.6, "en") == "unlikely to likely"
    with pytest.raises(ValueError):
        icd203.band(1.2)


def test_confidence_rule_by_hand(small):
    space = input_space(small)
    # issue X: influence = capability × salience: A 50×80 (explicit), B 50×60 (inferred),
    # C 20×40 (assumption) -> shares 4000/7800, 3000/7800, 800/7800
    sh = evidence_shares(space, ["X"])
    assert sh["explicit"] == pytest.approx(4000 / 7800)
    assert sh["inferred"] == pytest.approx(3000 / 7800)
    assert sh["assumption"] == pytest.approx(800 / 7800)
    c = confidence(space, ["X"], [0.5, 0.55])
    assert c.score == pytest.approx((4000 + 0.5 * 3000) / 7800)  # 0.705 -> high
    assert c.level == "high" and not c.lowered_for_disagreement
    # models far apart: one level lower
    assert confidence(space, ["X"], [0.1, 0.6]).level == "moderate"
    # issue Y: everything explicit
    assert confidence(space, ["Y"], [0.2]).level == "high"


def test_seed_agreement(small):
    space = input_space(small)
    outs = {"a": np.array([[30, 0]] * 3 + [[50, 0]] * 7, dtype=float)}
    deal = next(p for p in outcome_probabilities(small, space, outs, 0) if p.outcome.id == "deal")
    assert deal.probability == pytest.approx(0.3)
    assert deal.seed_agreement() == "agrees"  # the fixture's text says 20-45%
