"""Deal or no deal: the deal test, levers on outside options and veto sets, model error, the
lever direction table and the reachability of the seeds' named outcomes (docs/models/deal.md)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from qimma.analysis.deal import DrawContext, draw_context, model_error, track_states
from qimma.analysis.levers import apply_changes
from qimma.analysis.montecarlo import MonteCarloResult, run_monte_carlo
from qimma.analysis.sampling import input_space
from qimma.models.registry import model_names
from qimma.scenario.formats import load_default_scenario
from qimma.scenario.model import LeverChange, Scenario, cross_check
from tests.deal_toy import two_actor

DRAWS = 300
SEED = 7
ALL_MODELS = ["compromise", "median", "nash", "eum", "smp", "exchange"]
# documented lever combination under which an outcome the seeds discuss is reached
# (docs/default-scenario.md, "Where qimma agrees with the seeds, and where not")
REACH_LEVERS = {
    "capitulation": ["us_aid_cut", "ukr_stock_clock", "starlink_cut", "rus_mobilisation"],
    # G067: "Trump may be forced to adopt a more aggressive policy and increase pressure on Moscow"
    "escalation": ["sanctions_tighten"],
}


def deal_at(sc: Scenario, x: float, changes: list[LeverChange] | None = None) -> bool:
    space = apply_changes(input_space(sc), changes or [])
    ctx = draw_context(space, 0, 1, with_error=False)
    return bool(track_states(ctx, np.array([[x]]))["t"].deal[0])


def test_deal_needs_every_veto_player_to_prefer_the_package() -> None:
    # A (position 0) expects 60 without a deal: the package 50 is 50 away, no deal 60 -> accepts.
    # B (position 100) expects 40: package 50 away, no deal 60 away -> accepts. Deal.
    assert deal_at(two_actor(terms_b=40), 50)
    # B expects 70 without a deal (30 away) -> rejects the package at 50 (50 away). No deal.
    assert not deal_at(two_actor(terms_b=70), 50)
    # ... unless no deal also costs B 25 points: 50 <= 30 + 25 -> accepts.
    assert deal_at(two_actor(terms_b=70, cost_b=25), 50)


def backs_down_at(sc: Scenario, x: float) -> dict[str, bool]:
    ctx = draw_context(input_space(sc), 0, 1, with_error=False)
    return {a: bool(v[0]) for a, v in track_states(ctx, np.array([[x]]))["t"].backs_down.items()}


def test_a_veto_player_backs_down_when_it_signs_terms_worse_than_fighting_on() -> None:
    # B (position 100) expects 70 without a deal (30 away) and no deal costs it 25: it signs the
    # package 50 (50 away) only for the cost, 50 > 30. A (0) expects 60 (60 away): 50 is better.
    assert backs_down_at(two_actor(terms_b=70, cost_b=25), 50) == {"A": False, "B": True}
    # B expects 40 (60 away): 50 away is better than fighting on, so signing is no climb-down.
    assert backs_down_at(two_actor(terms_b=40), 50) == {"A": False, "B": False}
    # without a deal (B rejects at cost 0) nobody backs down
    assert backs_down_at(two_actor(terms_b=70), 50) == {"A": False, "B": False}


def test_a_backs_down_judgement_counts_draws_by_hand() -> None:
    # B's terms without a deal: 70 ± 0, cost uniform-ish over [0, 40] (triangular, mode 20);
    # the compromise is 50 (equal weights). B signs if 50 <= 30 + cost, i.e. cost >= 20, and
    # backs down whenever it signs (50 > 30): P = P(cost >= 20) = 1/2 for the symmetric triangle.
    sc = two_actor(terms_b=70, cost_b={"value": 20, "low": 0, "high": 40})
    j = {"id": "J", "statement": {"en": "B backs down"}, "wording": "w", "backs_down": ["B"],
         "track": "t"}  # fmt: skip
    sc = Scenario.model_validate({**sc.model_dump(), "judgements": [j]})
    assert cross_check(sc) == []
    res = run_monte_carlo(sc, ["compromise"], draws=4000, seed=3, model_error=False)
    p = next(x for x in res.to_json()["judgements"] if x["id"] == "J")["probability"]
    assert p == pytest.approx(0.5, abs=0.03)


def test_backs_down_needs_a_track_and_its_veto_players() -> None:
    sc = two_actor(terms_b=70)
    no_track = ({}, "needs the id of a track")
    cases = (no_track, ({"track": "t", "backs_down": ["Z"]}, "unknown actor"))
    for extra, words in cases:
        j = {"id": "J", "statement": {"en": "x"}, "wording": "w", "backs_down": ["B"], **extra}
        bad = Scenario.model_validate({**sc.model_dump(), "judgements": [j]})
        assert any(words in p.message_en for p in cross_check(bad)), words


def test_a_deal_only_issue_stays_at_the_status_quo_after_a_breakdown() -> None:
    sc = two_actor(terms_b=70)  # B rejects the package 50: breakdown
    sq = sc.issues[0].status_quo
    ctx = draw_context(input_space(sc), 0, 1, with_error=False)
    # without deal_only the state is the mean of the veto players' no-deal terms, (60 + 70) / 2
    assert track_states(ctx, np.array([[50.0]]))["t"].state[0, 0] == pytest.approx(65.0)
    tracks = [{**sc.tracks[0].model_dump(), "deal_only": ["X"]}]
    only = Scenario.model_validate({**sc.model_dump(), "tracks": tracks})
    assert cross_check(only) == []
    ctx = draw_context(input_space(only), 0, 1, with_error=False)
    st = track_states(ctx, np.array([[50.0]]))["t"]
    assert not st.deal[0] and st.state[0, 0] == pytest.approx(sq)
    bad = [{**sc.tracks[0].model_dump(), "deal_only": ["Y"]}]
    probs = cross_check(Scenario.model_validate({**sc.model_dump(), "tracks": bad}))
    assert any("not one of the track's issues" in p.message_en for p in probs)


def test_levers_move_outside_options_costs_and_veto_sets() -> None:
    sc = two_actor(terms_b=70)
    cost = LeverChange(target="no_deal_cost", actor="B", op="add", value=25)
    assert deal_at(sc, 50, [cost])
    terms = LeverChange(target="outside_option", actor="B", issues=["X"], op="set", value=40)
    assert deal_at(sc, 50, [terms])
    unveto = LeverChange(target="veto", actor="B", track="t", op="set", value=0)
    assert deal_at(sc, 50, [unveto])


def test_deal_checks_report_missing_outside_option_and_unknown_ids() -> None:
    sc = two_actor(terms_b=40)
    bad = sc.model_copy(update={"outside_options": sc.outside_options[:1]})
    probs = cross_check(bad)
    assert any("no outside option" in p.message_en and "B" in p.message_en for p in probs)
    assert cross_check(sc) == []


def test_model_error_is_drawn_from_the_backtest_residuals() -> None:
    e = model_error("compromise", seed=3, n=20_000, n_issues=2)
    # DEU III MAE of the compromise model: 22.9 (docs/backtest.md)
    assert np.abs(e).mean() == pytest.approx(22.9, abs=0.6)
    assert abs(e.mean()) < 1.0  # random signs: size kept, direction not
    assert np.array_equal(e, model_error("compromise", seed=3, n=20_000, n_issues=2))


def test_terms_only_without_veto_players_is_said_in_output() -> None:
    sc = two_actor(terms_b=40).model_copy(update={"tracks": [], "outside_options": []})
    res = run_monte_carlo(sc, ["compromise"], draws=50, seed=1)
    summary = res.to_json()["deal"]
    assert summary["basis"] == "terms_only"
    assert "no veto players" in summary["basis_text"]["en"]


def test_the_monte_carlo_view_says_outcomes_are_read_on_terms_only() -> None:
    """A scenario with neither tracks nor judgements: `qimma forecast --draws` still says how its
    named outcomes were read, before the terms."""
    from typer.testing import CliRunner

    from qimma.cli.main import app

    small = Path(__file__).parent / "fixtures" / "analysis" / "small.yaml"
    out = CliRunner().invoke(app, ["forecast", str(small), "-m", "compromise", "--draws", "50"])
    assert out.exit_code == 0, out.output
    text = " ".join(out.output.split())
    assert "This scenario declares no veto players" in text
    assert text.index("no veto players") < text.index("Issue outcomes over")


def test_model_error_is_on_by_default_stated_and_switchable() -> None:
    sc = load_default_scenario()
    on = run_monte_carlo(sc, ["compromise"], draws=200, seed=SEED)
    off = run_monte_carlo(sc, ["compromise"], draws=200, seed=SEED, model_error=False)
    assert on.to_json()["deal"]["model_error"]["included"] is True
    assert off.to_json()["deal"]["model_error"]["included"] is False
    p_on = {p.outcome.id: p.probability for p in on.outcome_probabilities()}
    p_off = {p.outcome.id: p.probability for p in off.outcome_probabilities()}
    assert p_on != p_off


@pytest.fixture(scope="module")
def baseline() -> MonteCarloResult:
    assert set(ALL_MODELS) <= set(model_names())
    return run_monte_carlo(load_default_scenario(), ALL_MODELS, draws=DRAWS, seed=SEED)


_LEVER_RUNS: dict[tuple[str, ...], MonteCarloResult] = {}


def lever_run(sc: Scenario, levers: list[str]) -> MonteCarloResult:
    """All six models with these levers (one run per lever set; several rows share a lever)."""
    key = tuple(levers)
    if key not in _LEVER_RUNS:
        _LEVER_RUNS[key] = run_monte_carlo(sc, ALL_MODELS, draws=DRAWS, seed=SEED, levers=levers)
    return _LEVER_RUNS[key]


def lever_table() -> list[tuple[str, str, str, str]]:
    sc = load_default_scenario()
    return [
        (lv.id, ex.outcome or f"issue:{ex.issue}", ex.direction, ex.evidence)
        for lv in sc.levers
        for ex in lv.expected
    ]


def test_the_lever_table_covers_the_kept_levers() -> None:
    levers = {row[0] for row in lever_table()}
    assert {"us_aid_cut", "sanctions_tighten", "sanctions_relief", "minerals_deal", "summitry"} <= (
        levers
    )


@pytest.mark.parametrize(("lever", "target", "direction", "evidence"), lever_table())
def test_lever_direction_with_all_six_models(
    baseline: MonteCarloResult, lever: str, target: str, direction: str, evidence: str
) -> None:
    sc = baseline.scenario
    var = lever_run(sc, [lever])
    if target.startswith("issue:"):
        k = [i.id for i in sc.issues].index(target.split(":")[1])
        delta = float(
            np.mean(
                [
                    var.outcomes[m][:, k].mean() - baseline.outcomes[m][:, k].mean()
                    for m in ALL_MODELS
                ]
            )
        )
    else:
        p0 = {p.outcome.id: p.probability for p in baseline.outcome_probabilities()}
        p1 = {p.outcome.id: p.probability for p in var.outcome_probabilities()}
        delta = p1[target] - p0[target]
    assert (delta > 0) if direction == "up" else (delta < 0), (
        f"{lever} moves {target} by {delta:+.3f}, the seed sentence {evidence} says {direction}"
    )


SEED_OUTCOMES = [
    "attrition", "temporary_ceasefire", "lasting_peace", "escalation", "capitulation",
    "rupture", "unstable_relations", "partial_normalization", "win_win",
]  # fmt: skip


@pytest.mark.parametrize("outcome", SEED_OUTCOMES)
def test_every_seed_outcome_is_reachable_and_never_remote_with_high_confidence(
    baseline: MonteCarloResult, outcome: str
) -> None:
    probs = {p.outcome.id: p for p in baseline.outcome_probabilities()}
    p = probs[outcome]
    assert not (p.probability < 0.05 and p.confidence.level == "high")
    if outcome in REACH_LEVERS:
        res = lever_run(baseline.scenario, REACH_LEVERS[outcome])
        reached = {q.outcome.id: q for q in res.outcome_probabilities()}[outcome]
        assert reached.probability > 0.01
        assert not (reached.probability < 0.05 and reached.confidence.level == "high")
    else:
        assert p.probability > 0.01


def test_judgements_are_beside_the_numbers(baseline: MonteCarloResult) -> None:
    out = baseline.to_json()
    ids = {j["id"] for j in out["judgements"]}
    assert {f"J{k}" for k in range(1, 16)} <= ids
    j3 = next(j for j in out["judgements"] if j["id"] == "J3")
    assert j3["seeds_band_pct"] == [20, 45] and j3["probability"] is not None
    assert j3["qimma_vs_seeds"] in ("agrees", "higher", "lower")
    attr = next(o for o in out["outcomes"] if o["id"] == "attrition")
    assert attr["seeds_estimate"]["low_pct"] == 55 and attr["drivers"]


def test_draw_context_is_the_sweeps_draws() -> None:
    sc = load_default_scenario()
    space = input_space(sc)
    ctx: DrawContext = draw_context(space, 5, 40)
    again = draw_context(space, 5, 40)
    assert np.array_equal(ctx.positions, again.positions)
    assert ctx.terms is not None and ctx.terms.shape == (40, 2, len(sc.actors), len(sc.issues))


def test_the_docs_show_every_row_of_the_lever_table() -> None:
    # docs/models/deal.md lists each (lever, outcome or issue, expected) row the test asserts
    doc = (Path(__file__).resolve().parents[1] / "docs" / "models" / "deal.md").read_text("utf-8")
    rows = set(re.findall(r"^\| `(\w+)` \| `?(\w+)`?(?: \(issue\))? \| (up|down) \|", doc, re.M))
    table = {
        (lever, target.removeprefix("issue:"), direction)
        for lever, target, direction, _ in lever_table()
    }
    assert rows == table


def test_an_outside_option_written_without_a_range_gets_the_default_range_as_assumption() -> None:
    from qimma.analysis.deal import DEFAULT_COST_HALF, DEFAULT_TERM_HALF, deal_space

    sc = two_actor(terms_b=70, cost_b={"value": 10})
    opts = [o.model_copy(deep=True) for o in sc.outside_options]
    opts[1].terms[0].value.low = opts[1].terms[0].value.high = None  # B's term: no range either
    opts[1].terms[0].basis = "explicit"
    ds = deal_space(sc.model_copy(update={"outside_options": opts}))
    assert ds is not None
    b = 1
    assert ds.cost["low"][0, b] == 10 - DEFAULT_COST_HALF
    assert ds.cost["high"][0, b] == 10 + DEFAULT_COST_HALF
    assert ds.basis[0][b] == "assumption"
    # the term: value ± DEFAULT_TERM_HALF points of the 0-100 scale, basis now assumption
    assert ds.terms["low"][0, b, 0] == 70 - DEFAULT_TERM_HALF
    assert ds.terms["high"][0, b, 0] == 70 + DEFAULT_TERM_HALF
    assert ds.term_basis[0][b][0] == "assumption"
    # A's term is written with low = high: fixed, and not an input
    assert ds.terms["low"][0, 0, 0] == ds.terms["high"][0, 0, 0] == 60
    assert {(f, a) for f, _, a, _, _ in ds.uncertain()} == {
        ("outside_option", b),
        ("no_deal_cost", b),
    }


def test_monte_carlo_samples_an_outside_option_within_its_range() -> None:
    # x = 50 (compromise of A at 0 and B at 100, equal weights). B's cost c ~ uniform(0, 40):
    # B accepts iff |50 - 100| <= |70 - 100| + c, i.e. c >= 20: P(deal) = 1/2 (A accepts: 50 <= 60)
    sc = two_actor(terms_b=70, cost_b={"value": 20, "low": 0, "high": 40})
    res = run_monte_carlo(sc, ["compromise"], draws=4000, seed=3, dist="uniform", model_error=False)
    p = res.deal_summary()["tracks"][0]["deal_probability"]
    assert p == pytest.approx(0.5, abs=0.03)


# --- the deal test at the point values: whether a deal happens, before the terms ---------------


def test_point_deal_margins_are_the_hand_computed_distances() -> None:
    """A (position 0) expects 60 without a deal, B (position 100) expects 70 at cost 5; one issue
    on 0-100. Terms 50: A is 50 from the terms and 60 from no deal (margin +10, accepts); B is
    50 from the terms and 30 from no deal plus 5 (margin -15, rejects)."""
    from qimma.analysis.deal import point_deal

    sc = two_actor(terms_b=70, cost_b=5)
    (d,) = point_deal(sc, input_space(sc), {"m": np.array([50.0])}, np.array([50.0]))
    a, b = d.vetoes
    assert (a.actor, a.package, a.no_deal, a.cost, a.margin) == ("A", 50.0, 60.0, 0.0, 10.0)
    assert (b.actor, b.package, b.no_deal, b.cost, b.margin) == ("B", 50.0, 30.0, 5.0, -15.0)
    assert a.accepts and not b.accepts
    assert not d.deal and d.rejecting == ["B"] and d.by_model == {"m": False}
    assert d.verdict("en") == "no deal: B rejects"
    assert "15.0" in b.text("en") and "رفض" in b.text("ar")
    # the same terms pass once B's expected no-deal terms are no better for it than 50
    sc2 = two_actor(terms_b=50)
    (d2,) = point_deal(sc2, input_space(sc2), {"m": np.array([50.0])}, np.array([50.0]))
    assert d2.deal and d2.rejecting == []


def test_point_deal_is_the_monte_carlo_rule_on_point_values() -> None:
    """One rule: each model's verdict is track_states' on the point context (no error)."""
    from qimma.analysis.deal import point_context, point_deal
    from qimma.forecast import run_forecast

    sc = load_default_scenario()
    fc = run_forecast(sc, ["compromise", "median", "nash"])
    sp = input_space(sc)
    x = np.vstack([fc.results[m].outcome[0] for m in fc.results])
    states = track_states(point_context(sp, len(x), with_error=False), x)
    for d in point_deal(sc, sp, {m: r.outcome[0] for m, r in fc.results.items()}, fc.ensemble()[0]):
        assert d.by_model == {m: bool(states[d.track].deal[k]) for k, m in enumerate(fc.results)}
        assert {v.actor for v in d.vetoes} == set(states[d.track].rejects)


def test_forecast_says_whether_there_is_a_deal_before_the_terms() -> None:
    from typer.testing import CliRunner

    from qimma.cli.main import app

    runner = CliRunner()
    for lang, title, terms in (
        ("en", "Is there a deal?", "On the scale"),
        ("ar", "هل من اتفاق؟", "على المقياس"),
    ):
        out = runner.invoke(app, ["forecast", "--model", "compromise,median", "--lang", lang])
        assert out.exit_code == 0, out.output
        assert title in out.output and terms in out.output
        assert out.output.index(title) < out.output.index(terms)
    data = runner.invoke(app, ["forecast", "--model", "compromise", "--json"])
    tracks = {d["track"]: d for d in __import__("json").loads(data.output)["deal_test"]}
    assert set(tracks) == {t.id for t in load_default_scenario().tracks}
    for d in tracks.values():
        assert d["deal"] == all(v["accepts"] for v in d["veto_players"])
        assert all(
            v["margin"]
            == pytest.approx(v["no_deal_distance"] + v["cost_of_no_deal"] - v["package_distance"])
            for v in d["veto_players"]
        )


def test_monte_carlo_view_and_report_lead_with_the_deal(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from qimma.cli.main import app

    runner = CliRunner()
    out = runner.invoke(app, ["forecast", "--model", "compromise", "--draws", "100"])
    assert out.exit_code == 0, out.output
    text = " ".join(out.output.split())
    # the column header may wrap inside its cell at 80 columns: its first words
    assert text.index("Deal (all veto players") < text.index("Issue outcomes over")
    assert text.index("Is there a deal?") < text.index("Issue outcomes over")
    rep = runner.invoke(
        app,
        [
            *("report", "--lang", "en", "--model", "compromise", "--draws", "100", "--no-pdf"),
            *("--sensitivity", "0", "--no-backtest", "--out", str(tmp_path)),
        ],
    )
    assert rep.exit_code == 0, rep.output
    html = (tmp_path / "report-en.html").read_text("utf-8")
    assert 'id="deal-first"' in html and html.index('id="deal-first"') < html.index(
        'id="bottom-line"'
    )
    assert "accepts by" in html or "rejects by" in html


def test_point_deal_says_how_much_of_the_no_deal_side_is_assumed() -> None:
    """Terms of unknown basis are assumptions (100%); an explicit term counts for nothing."""
    from qimma.analysis.deal import point_deal

    sc = two_actor(terms_b=70, cost_b=5)
    (d,) = point_deal(sc, input_space(sc), {"m": np.array([50.0])}, np.array([50.0]))
    assert [v.assumed_share for v in d.vetoes] == [1.0, 1.0]
    oo = sc.outside_options[0]
    term = oo.terms[0].model_copy(update={"basis": "explicit"})
    sc2 = sc.model_copy(
        update={"outside_options": [oo.model_copy(update={"terms": [term]}), sc.outside_options[1]]}
    )
    (d2,) = point_deal(sc2, input_space(sc2), {"m": np.array([50.0])}, np.array([50.0]))
    assert [v.assumed_share for v in d2.vetoes] == [0.0, 1.0]
    assert "assumed: 0% of the no-deal distance" in d2.vetoes[0].text("en")


def test_outside_options_count_in_an_outcomes_basis_shares() -> None:
    """Track t has one issue and two veto players. Stances: basis not given = assumption. A's
    no-deal term is made explicit and its option (its cost) inferred: A's entry is ½ explicit +
    ½ inferred; B's term and option are assumptions: B's entry is all assumption. The issue's
    entry is all assumption. Mean of the three: explicit 1/6, inferred 1/6, assumption 4/6."""
    from qimma.analysis.outcomes import evidence_shares
    from qimma.scenario.basis import outside_option_shares

    sc = two_actor(terms_b=70)
    a_opt = sc.outside_options[0]
    a_opt = a_opt.model_copy(
        update={
            "basis": "inferred",
            "terms": [a_opt.terms[0].model_copy(update={"basis": "explicit"})],
        }
    )
    sc = sc.model_copy(update={"outside_options": [a_opt, sc.outside_options[1]]})
    opts = outside_option_shares(sc, "t")
    assert opts == [
        {"explicit": 0.5, "inferred": 0.5, "assumption": 0.0},
        {"explicit": 0.0, "inferred": 0.0, "assumption": 1.0},
    ]
    shares = evidence_shares(input_space(sc), ["X"], opts)
    assert shares == pytest.approx({"explicit": 1 / 6, "inferred": 1 / 6, "assumption": 4 / 6})
    assert evidence_shares(input_space(sc), ["X"]) == pytest.approx(
        {"explicit": 0.0, "inferred": 0.0, "assumption": 1.0}
    )


def test_the_context_reads_every_model_alike_with_the_written_out_rule() -> None:
    """What the draw context computes once for every model (the weights, d_a(o_a), the
    status quo's distance, the outside options on their ranged values only) is bit for bit the
    rule written out in full (`distance`, the PPF on every value), on the default scenario."""
    from qimma.analysis.deal import DEAL_STREAM, deal_values, gains
    from qimma.analysis.sampling import PPF, Distribution, uniforms

    space = input_space(load_default_scenario())
    ds = space.deal
    assert ds is not None
    span = space.scale_max - space.scale_min
    rng = np.random.default_rng(3)
    for dist in Distribution:
        ctx = draw_context(space, SEED, 200, dist)
        assert ctx.terms is not None and ctx.cost is not None
        x = rng.uniform(space.scale_min, space.scale_max, (200, len(space.issue_ids)))
        for t in range(len(ds.track_ids)):
            cols = ds.track_issues[t]
            d = distance(x, ctx.positions, ctx.saliences, cols, span)
            assert ctx.distance(x, cols).tobytes() == d.tobytes()
            bar = distance(ctx.terms[:, t], ctx.positions, ctx.saliences, cols, span)
            assert ctx.no_deal(t)[0].tobytes() == bar.tobytes()
        all_cols = np.ones(len(space.issue_ids), dtype=bool)
        sq = np.broadcast_to(space.status_quo, x.shape)
        d_x = distance(x, ctx.positions, ctx.saliences, all_cols, span)
        d_sq = distance(sq, ctx.positions, ctx.saliences, all_cols, span)
        better, worse = gains(ctx, x)
        assert (better == (d_x < d_sq)).all() and (worse == (d_x > d_sq)).all()
        w = uniforms(SEED, 0, 200, ds.n_inputs, stream=DEAL_STREAM)
        w[0], w[1] = 0.0, np.nextafter(1.0, 0.0)
        terms, cost = deal_values(ds, w, dist)
        ppf, k = PPF[dist], terms[0].size
        full = ppf(w[:, :k].reshape(terms.shape), *(ds.terms[f][None] for f in FIELDS_OO))
        assert terms.tobytes() == full.tobytes()
        full = ppf(w[:, k:].reshape(cost.shape), *(ds.cost[f][None] for f in FIELDS_OO))
        assert cost.tobytes() == full.tobytes()


FIELDS_OO = ("low", "point", "high")


def distance(x, pos, sal, cols, span):
    """d_a(x) as docs/models/deal.md writes it, in plain NumPy expressions."""
    xx = x[:, None, :] if x.ndim == 2 else x
    w = sal * cols[None, None, :]
    gap = np.abs(xx - pos) / span[None, None, :] * 100.0
    tot = w.sum(axis=2)
    return (w * gap).sum(axis=2) / np.where(tot > 0, tot, 1.0)
