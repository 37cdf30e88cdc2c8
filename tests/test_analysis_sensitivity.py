"""Sobol/Morris indices, signposts and pivotal actors, checked against values worked by hand."""

from __future__ import annotations

import pytest

from qimma.analysis.sensitivity import run_sensitivity
from qimma.analysis.signposts import find_signposts, pivotal_actors
from qimma.errors import InputError
from qimma.scenario.formats import load_scenario
from qimma.scenario.model import Scenario
from tests._scenarios import one_issue, stance


@pytest.fixture
def small(fixtures):
    return load_scenario(fixtures / "analysis" / "small.yaml")


def _linear(weight_a: float, weight_b: float) -> Scenario:
    """Two actors on one issue, fixed weights, positions uniform-ranged with equal widths."""

    def position(p: float) -> dict[str, float]:
        return {"value": p, "low": p - 10, "high": p + 10}

    return one_issue(
        "lin", [stance("A", position(30), 100, weight_a), stance("B", position(70), 100, weight_b)]
    )


def test_sobol_matches_the_linear_formula():
    # compromise = (3 xA + 1 xB) / 4 with xA, xB independent and equally spread:
    # S_A = 9 / (9 + 1) = 0.9, S_B = 0.1, and no interactions (ST = S1).
    res = run_sensitivity(
        _linear(3, 1), ["compromise"], method="sobol", n=1024, seed=0, dist="uniform"
    )
    s1 = dict(zip([x.id for x in res.inputs], res.indices["issue:X"]["S1"], strict=True))
    st = dict(zip([x.id for x in res.inputs], res.indices["issue:X"]["ST"], strict=True))
    assert s1["A.position[X]"] == pytest.approx(0.9, abs=0.05)
    assert s1["B.position[X]"] == pytest.approx(0.1, abs=0.05)
    assert st["A.position[X]"] == pytest.approx(0.9, abs=0.05)
    assert res.evaluations == 1024 * (2 + 2)


def test_morris_ranks_the_heavier_actor_first():
    res = run_sensitivity(
        _linear(3, 1), ["compromise"], method="morris", n=20, seed=0, dist="uniform"
    )
    top = res.ranking("issue:X", 2)
    assert top[0][0].id == "A.position[X]"
    # uniform: xA = 20 + 20u, so d(outcome)/du = 3/4 · 20 = 15 everywhere; a linear model has
    # the same elementary effect on every trajectory, so mu* = 15 (in outcome units per unit u)
    assert top[0][1] == pytest.approx(15.0, rel=1e-6)
    assert top[1][1] == pytest.approx(5.0, rel=1e-6)


def test_no_uncertain_input_is_an_error():
    sc = _linear(1, 1)
    for st in sc.stances:
        st.position.low = st.position.high = st.position.value
    with pytest.raises(InputError):
        run_sensitivity(sc, ["compromise"])


def test_signpost_threshold_by_hand(small):
    # Relations track: thaw if Y >= 52, Y = (xA + xB)/2 in both models, xA ~ Tri(50, 60, 70).
    # With xB pinned at b: P(thaw) = P(xA >= 104 - b) = 0.5 at 104 - b = 60, i.e. b = 44.
    fast = ["compromise", "median"]  # both give (xA + xB)/2 on Y; other models differ
    sens = run_sensitivity(small, fast, method="sobol", n=256, seed=0)
    posts = [
        s
        for s in find_signposts(small, fast, draws=2000, seed=0, sensitivity=sens)
        if s.track == "relations"
    ]
    by_input = {s.input.id: s for s in posts}
    b = by_input["B.position[Y]"]
    assert b.direction == "above" and b.new_leader == "thaw" and b.leader == "cold"
    assert b.threshold == pytest.approx(44, abs=1.0)
    # plausibility = P(xB > 44) for Tri(30, 40, 50) = (50 - 44)^2 / (20 * 10) = 0.18
    assert b.plausibility == pytest.approx(0.18, abs=0.04)
    assert "rises" in b.text(small, "en") or "moves above" in b.text(small, "en")
    assert "فوق" in b.text(small, "ar")


def test_pivotal_actor_by_hand(small):
    piv = {p.actor: p for p in pivotal_actors(small, ["compromise"])}
    # X with all: (40·20 + 30·80 + 8·50) / 78; without A: (30·80 + 8·50) / 38
    assert piv["A"].shift["X"] == pytest.approx(2800 / 38 - 3600 / 78)
    # Y without A: only B at 40 remains; with both: 50
    assert piv["A"].shift["Y"] == pytest.approx(-10)
    assert pivotal_actors(small, ["compromise"])[0].actor == "A"


def test_lazy_saltelli_design_is_salibs():
    from SALib.sample import sobol as sobol_sample
    from scipy.stats import qmc

    from qimma.analysis.sensitivity import saltelli_rows

    k, n = 3, 16
    problem = {"num_vars": k, "names": ["a", "b", "c"], "bounds": [[0.0, 1.0]] * k}
    ref = sobol_sample.sample(problem, n, calc_second_order=False, seed=4)
    base = qmc.Sobol(d=2 * k, scramble=True, seed=4).random(n)
    ours = saltelli_rows(base[:, :k], base[:, k:])
    assert ours.shape == ref.shape
    assert ours.tobytes() == ref.tobytes()


def test_watch_indicator_when_nothing_flips(small):
    # Raise the thaw threshold to Y >= 58: with xB pinned at its top (50), thaw needs
    # xA >= 66, P = (70 - 66)^2 / (20 * 10) = 0.08, so cold (the leader) stays first at 0.92.
    # (That arithmetic is on the inputs alone, so the models' own error is switched off.)
    sc = small.model_copy(deep=True)
    thaw = next(o for o in sc.outcomes if o.id == "thaw")
    thaw.conditions[0].min = 58
    fast = ["compromise", "median"]
    sens = run_sensitivity(sc, fast, method="sobol", n=128, seed=0)
    posts = [
        s
        for s in find_signposts(sc, fast, draws=4000, seed=0, sensitivity=sens, model_error=False)
        if s.track == "relations"
    ]
    assert posts and all(s.kind == "watch" and s.new_leader == "cold" for s in posts)
    by_input = {s.input.id: s for s in posts}
    b = by_input["B.position[Y]"]
    assert b.direction == "above" and b.threshold == pytest.approx(50)
    assert b.p_leader_at_end == pytest.approx(0.92, abs=0.015)
    assert "stays the most likely" in b.text(sc, "en") and "ويبقى الأرجح" in b.text(sc, "ar")


# --- outside options as inputs; the drivers of each named outcome -------------------------------
def test_an_outside_option_is_an_input_and_drives_the_deal_outcome():
    from qimma.analysis.sampling import input_space
    from qimma.analysis.sensitivity import sensitivity_inputs
    from tests.deal_toy import two_actor

    # no stance has a range; only B's cost of no deal (0-40) does. Deal iff cost >= 20.
    sc = two_actor(70, cost_b={"value": 20, "low": 0, "high": 40}, outcomes=True)
    inputs = sensitivity_inputs(sc, input_space(sc))
    assert [x.id for x in inputs] == ["B.no_deal_cost[t]"]
    res = run_sensitivity(sc, ["compromise"], method="sobol", n=256, seed=0, dist="uniform")
    top = res.drivers()["deal"]
    assert [d.input.id for d in top] == ["B.no_deal_cost[t]"]
    assert top[0].input.basis == sc.outside_option("B", "t").basis
    assert top[0].index > 0.9  # the only input carries all the variance
    assert "issue:X" in res.constant  # the terms do not move; only the deal does


def _scenario_basis(sc: Scenario, d) -> str:
    x = d.input
    if x.field == "no_deal_cost":
        return sc.outside_option(x.actor, x.track).basis
    if x.field == "outside_option":
        terms = sc.outside_option(x.actor, x.track).terms
        return next(t.basis for t in terms if t.issue == x.issue)
    return sc.stance(x.actor, x.issue).basis


def test_every_driver_row_carries_the_basis_the_scenario_gives_its_input():
    from rich.console import Console

    from qimma.cli.analysis_view import drivers_table
    from qimma.scenario.formats import load_default_scenario

    sc = load_default_scenario()
    res = run_sensitivity(sc, ["compromise"], method="morris", n=2, seed=0)
    ids = {x.id for x in res.inputs}
    assert {"RUS.outside_option[war:SANC]", "UKR.no_deal_cost[war]"} <= ids
    drivers = res.drivers(5)
    assert set(drivers) == {o.id for o in sc.outcomes}
    rows = [d for ds in drivers.values() for d in ds]
    assert rows and all(len(ds) <= 5 for ds in drivers.values())
    for d in rows:
        assert d.input.basis == _scenario_basis(sc, d), d.input.id
    js = res.to_json()["drivers"]
    assert [(r["input"], r["basis"]) for ds in js.values() for r in ds] == [
        (d.input.id, d.input.basis) for d in rows
    ]
    for lang, word in (("en", "Top 5 drivers"), ("ar", "أهم 5 محرّكات")):
        con = Console(width=300, record=True)
        con.print(drivers_table(res, sc, lang, 5))
        text = con.export_text()
        assert word in text
        for d in rows:
            assert d.input.label(sc, lang) in text
