"""Actor roles (a venue holds no stance), basis shares, dated editions and their drift, signpost
events (docs/scenario-format.md, docs/default-scenario.md)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from qimma.analysis.drift import drift
from qimma.analysis.montecarlo import run_monte_carlo
from qimma.analysis.signpost_events import event_signposts
from qimma.analysis.whatif import run_whatif
from qimma.cli.main import run
from qimma.forecast import run_forecast
from qimma.models.registry import model_names
from qimma.scenario.basis import basis_shares
from qimma.scenario.editions import edition_scenario, stance_changes
from qimma.scenario.formats import load_default_scenario, load_scenario
from qimma.scenario.model import (
    Actor,
    Edition,
    EditionStance,
    Estimate,
    Lever,
    Scenario,
    SignpostEvent,
    cross_check,
)


@pytest.fixture
def small(fixtures) -> Scenario:
    return load_scenario(fixtures / "analysis" / "small.yaml")


def _with_mediator(s: Scenario) -> Scenario:
    med = Actor.model_validate({"id": "M", "name": {"en": "Host", "ar": "مضيف"}, "role": "venue"})
    return s.model_copy(update={"actors": [*s.actors, med]})


# --- roles ------------------------------------------------------------------------------------
def test_a_venue_with_a_stance_is_refused_in_both_languages(small):
    s = _with_mediator(small)
    assert cross_check(s) == []
    bad_stance = small.stances[0].model_copy(update={"actor": "M"})
    bad = s.model_copy(update={"stances": [*s.stances, bad_stance]})
    probs = cross_check(bad)
    assert len(probs) == 1
    assert "venue" in probs[0].message_en and "مضيف" in probs[0].message_ar
    assert probs[0].path == f"stances[{len(s.stances)}]"


def test_every_model_ignores_an_actor_without_stances(small):
    """A mediator changes no forecast: every model gives the same numbers with and without it,
    and none produces NaN (no division by its zero weight)."""
    with_m = run_forecast(_with_mediator(small))
    without = run_forecast(small)
    assert set(with_m.results) == set(model_names())
    for name in model_names():
        a, b = with_m.results[name].outcome, without.results[name].outcome
        assert np.all(np.isfinite(a)), name
        np.testing.assert_allclose(a, b, atol=1e-9, err_msg=name)


def test_monte_carlo_with_a_mediator_is_finite_for_every_model(small):
    res = run_monte_carlo(_with_mediator(small), draws=200, seed=3)
    for name, out in res.outcomes.items():
        assert np.all(np.isfinite(out)), name
    assert all(np.isfinite(p.probability) for p in res.outcome_probabilities())


# --- basis shares -----------------------------------------------------------------------------
def test_basis_shares_weigh_each_stance_by_capability_times_salience(small):
    shares = basis_shares(small)
    # issue X: A 50×80 explicit, B 50×60 inferred, C 20×40 assumption (weights 4000/3000/800)
    assert shares["X"]["explicit"] == pytest.approx(4000 / 7800)
    assert shares["X"]["inferred"] == pytest.approx(3000 / 7800)
    assert shares["X"]["assumption"] == pytest.approx(800 / 7800)
    assert shares["Y"] == {"explicit": 1.0, "inferred": 0.0, "assumption": 0.0}


def test_forecast_json_carries_basis_shares(capsys):
    assert run(["forecast", "--json", "--model", "compromise"]) == 0
    data = json.loads(capsys.readouterr().out)
    # the August minerals values rest on facts outside the seeds
    assert data["basis_shares"]["MINERALS"]["assumption"] > 0.5
    for shares in data["basis_shares"].values():
        assert sum(shares.values()) == pytest.approx(1.0)


# --- editions ---------------------------------------------------------------------------------
def _two_editions(small: Scenario) -> Scenario:
    early = Edition(
        id="early",
        name={"en": "Early", "ar": "مبكر"},
        date="2025-01",
        status_quo={"X": 40},
        stances=[EditionStance(actor="B", issue="X", position=Estimate(value=60, low=50, high=70))],
    )
    late = Edition(id="late", name={"en": "Late", "ar": "متأخر"}, date="2025-06", base=True)
    return small.model_copy(update={"editions": [late, early]})


def test_an_edition_replaces_only_what_it_lists(small):
    s = _two_editions(small)
    assert cross_check(s) == []
    early = edition_scenario(s, "early")
    assert early.issue("X").status_quo == 40 and early.issue("Y").status_quo == 30
    assert early.stance("B", "X").position.value == 60
    assert early.stance("B", "X").salience == small.stance("B", "X").salience
    assert early.stance("A", "X") == small.stance("A", "X")
    assert edition_scenario(s, "late") is s
    keys = [c.key for c in stance_changes(s, "early", "late")]
    assert keys == ["status_quo:X", "B:X"]


def test_editions_need_exactly_one_base(small):
    s = _two_editions(small)
    eds = [e.model_copy(update={"base": False}) for e in s.editions]
    probs = cross_check(s.model_copy(update={"editions": eds}))
    assert any("base" in p.message_en for p in probs)


def test_drift_of_one_stance_is_the_compromise_formula_by_hand(small):
    s = _two_editions(small)
    d = drift(s, "early", "late", ["compromise"], draws=100, seed=1)
    # compromise on X = weighted mean of positions, weights capability × salience
    w = {"A": 50 * 80, "B": 50 * 60, "C": 20 * 40}
    before = (w["A"] * 20 + w["B"] * 60 + w["C"] * 50) / sum(w.values())
    after = (w["A"] * 20 + w["B"] * 80 + w["C"] * 50) / sum(w.values())
    assert d.issue_drift()["X"] == pytest.approx(after - before)
    moved = {e.change.key: e.issues["X"] for e in d.effects}
    assert moved["B:X"] == pytest.approx(after - before)
    assert moved["status_quo:X"] == pytest.approx(0.0)  # the compromise ignores the status quo


def test_default_editions_sequencing_drift_is_russia_s_stance_by_hand():
    # spring → August changes one SEQ stance: Russia 80 → 85 (S038). The US keeps the seeds'
    # truce-first value in both (G151); compromise's SEQ moves by Russia's weight alone.
    s = load_default_scenario()
    seq = [st for st in s.stances if st.issue == "SEQ"]
    w = {st.actor: st.capability.value * st.salience.value for st in seq}
    expected = w["RUS"] * (85 - 80) / sum(w.values())
    d = drift(s, "spring-2025", "august-2025", ["compromise"], draws=100, seed=0)
    assert d.issue_drift()["SEQ"] == pytest.approx(expected)
    moved = {e.change.key: e.issues["SEQ"] for e in d.effects}
    assert moved["RUS:SEQ"] == pytest.approx(expected)
    assert "US_EXEC:SEQ" not in moved


def test_a_changed_stance_in_words_in_both_languages():
    from qimma.scenario.editions import change_words

    short = "55 [45–65] s70 c85 (explicit)"
    assert change_words(short, "en") == (
        "Position 55 [45–65] · Salience 70 · Capability 85 (explicit)"
    )
    assert change_words(short, "ar") == (
        "الموقف 55 \u2066[45–65]\u2069 · الأهمية 70 · القدرة 85 (صريح)"  # the range left to right
    )
    assert change_words("52", "ar") == "52" and change_words("—", "en") == "—"


def test_editions_command_in_both_languages(capsys):
    assert run(["editions", "--draws", "100", "--lang", "ar"]) == 0
    out = capsys.readouterr().out
    assert "ربيع 2025" in out and "أغسطس 2025" in out and "حصة الافتراضات" in out
    # why an input changed: the scenario's English text, marked, never other words
    assert "(بالإنجليزية)" in out and "\u2066Spring:" in out and "الأهمية" in out
    assert run(["editions", "--draws", "100", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [e["id"] for e in data["editions"]] == ["spring-2025", "august-2025"]
    assert {c["input"] for c in data["changes"]} >= {"RUS:SEQ", "status_quo:MINERALS"}


def test_unknown_edition_is_a_bilingual_error(capsys):
    assert run(["editions", "--from", "winter-2024"]) == 2
    err = capsys.readouterr().err
    assert "unknown edition 'winter-2024'" in err and "spring-2025" in err


# --- signpost events --------------------------------------------------------------------------
def _with_event(small: Scenario) -> Scenario:
    ev = SignpostEvent.model_validate(
        {
            "id": "b_loses_clout",
            "event": {"en": "B's backers walk away", "ar": "انسحاب داعمي ب"},
            "levers": ["b_weaker"],
            "changes": [{"target": "status_quo", "issues": ["Y"], "op": "add", "value": 5}],
        }
    )
    return small.model_copy(update={"signposts": [ev]})


def test_an_event_moves_outcomes_as_the_same_changes_pulled_as_a_lever(small):
    s = _with_event(small)
    assert cross_check(s) == []
    (eff,) = event_signposts(s, ["compromise", "median"], draws=400, seed=2)
    # the same inputs as a lever, through the what-if code path
    lever = Lever.model_validate(
        {
            "id": "same",
            "name": {"en": "same"},
            "changes": [
                *[c.model_dump() for c in s.levers[0].changes],
                {"target": "status_quo", "issues": ["Y"], "op": "add", "value": 5},
            ],
        }
    )
    wi = run_whatif(
        s.model_copy(update={"levers": [*s.levers, lever]}),
        ["same"],
        ["compromise", "median"],
        draws=400,
        seed=2,
    )
    for ch in wi.outcome_changes:
        assert eff.outcome_shift[ch.outcome] == pytest.approx(ch.delta)
    assert {(x["actor"], x["issue"], x["basis"]) for x in eff.inputs} == {
        ("B", "X", "inferred"),
        ("", "Y", ""),
    }
    assert "انسحاب داعمي ب" in eff.text(s, "ar")


def test_an_event_naming_an_unknown_lever_is_refused(small):
    ev = SignpostEvent.model_validate(
        {"id": "e", "event": {"en": "x"}, "levers": ["no_such_lever"]}
    )
    probs = cross_check(small.model_copy(update={"signposts": [ev]}))
    assert [p.path for p in probs] == ["signposts[0].levers[0]"]


def test_an_event_without_inputs_is_refused():
    with pytest.raises(ValueError, match="levers or changes"):
        SignpostEvent.model_validate({"id": "e", "event": {"en": "x"}})


def test_an_edition_stance_off_the_scale_or_incomplete_is_refused(small):
    s = _two_editions(small)
    early = s.editions[1]
    bad = early.model_copy(
        update={
            "stances": [
                EditionStance(actor="B", issue="X", position=Estimate(value=150)),
                EditionStance(actor="C", issue="Y", position=Estimate(value=10)),
            ]
        }
    )
    probs = cross_check(s.model_copy(update={"editions": [s.editions[0], bad]}))
    paths = sorted(p.path for p in probs)
    assert paths == ["editions[1].stances[0].position", "editions[1].stances[1]"]
    assert all(p.message_ar and p.fix_ar for p in probs)


def test_sensitivity_and_event_tables_mark_assumed_inputs(small):
    from rich.console import Console

    from qimma.analysis.sensitivity import run_sensitivity
    from qimma.cli.analysis_view import event_table, sensitivity_table

    s = _with_event(small)
    sens = run_sensitivity(s, ["compromise"], method="morris", n=8, seed=0)
    ranked = sens.ranking("issue:X", top=7)
    assert any(x.basis == "assumption" for x, v in ranked if v > 0.005)  # C's capability on X
    events = event_signposts(s, ["compromise"], draws=100, seed=0)
    for lang, mark, inferred in (
        ("en", "(assumption)", "(inferred)"),
        ("ar", "(افتراض)", "(مستنتج)"),
    ):
        con = Console(width=300, record=True)
        con.print(sensitivity_table(sens, s, lang, 7))
        con.print(event_table(events, s, lang))
        text = con.export_text()
        assert mark in text and inferred in text  # B's capability on X is inferred


def test_a_changed_stance_in_html_sets_the_range_left_to_right():
    """The web app strips isolates from every page (bidi hardening): HTML uses <bdi dir="ltr">."""
    from qimma.scenario.editions import change_words

    html = change_words("55 [45–65] s70 c85 (explicit)", "ar", html=True)
    assert '<bdi dir="ltr">[45–65]</bdi>' in html and "\u2066" not in html
    assert change_words("<b>", "en", html=True) == "&lt;b&gt;"


# --- editions date outside options and veto sets -------------------------------------------
def _deal_editions() -> Scenario:
    from qimma.scenario.model import EditionOutsideOption
    from tests.deal_toy import two_actor

    sc = two_actor(terms_b=70, outcomes=True)
    early = Edition(
        id="early",
        name={"en": "Early", "ar": "مبكر"},
        date="2025-01",
        outside_options=[
            EditionOutsideOption(actor="B", track="t", cost=Estimate(value=30), why="because")
        ],
        veto_players={"t": ["A"]},
        veto_why={"t": "B had no say yet"},
    )
    late = Edition(id="late", name={"en": "Late", "ar": "متأخر"}, date="2025-06", base=True)
    return sc.model_copy(update={"editions": [late, early]})


def test_an_edition_carries_its_own_outside_options_and_veto_sets():
    from qimma.scenario.editions import with_change

    s = _deal_editions()
    assert cross_check(s) == []
    early = edition_scenario(s, "early")
    assert early.outside_option("B", "t").cost.value == 30
    assert early.outside_option("B", "t").terms == s.outside_option("B", "t").terms  # kept
    assert early.track("t").veto_players == ["A"]
    changes = {c.key: c for c in stance_changes(s, "early", "late")}
    assert set(changes) == {"outside_option:B:t", "veto:t"}
    assert changes["veto:t"].why == "B had no say yet" and changes["veto:t"].after == "A, B"
    assert "cost 30" in changes["outside_option:B:t"].before
    late = edition_scenario(s, "late")
    moved = with_change(early, late, changes["veto:t"])
    assert moved.track("t").veto_players == ["A", "B"]
    moved = with_change(early, late, changes["outside_option:B:t"])
    assert moved.outside_option("B", "t") == late.outside_option("B", "t")
    for lang, word in (("en", "outside option"), ("ar", "البديل التفاوضي")):
        assert word in changes["outside_option:B:t"].label(s, lang)


def test_the_drift_attributes_a_changed_veto_set():
    s = _deal_editions()
    d = drift(s, "early", "late", ["compromise"], draws=200, seed=0)
    # late: A accepts only x <= 60 and B only x >= 70 (its cost is 0), so no deal can happen
    assert d.after.probabilities["deal"] == 0
    effects = {e.change.key: e.outcomes["deal"] for e in d.effects}
    assert set(effects) == {"outside_option:B:t", "veto:t"}
    # early with B a veto player (cost still 30): deal iff 40 <= x <= 60, against x <= 60 with
    # A alone: the veto set's effect is -P(x < 40)
    assert effects["veto:t"] < 0
    # B's cost alone changes nothing while B is no veto player
    assert effects["outside_option:B:t"] == 0
    total = d.outcome_drift()["deal"]
    assert total == pytest.approx(sum(effects.values()) + d.interaction()["deal"])
    assert total < effects["veto:t"]


def test_an_edition_naming_an_unknown_track_or_actor_is_refused():
    s = _deal_editions()
    bad = s.editions[1].model_copy(update={"veto_players": {"peace": ["A"], "t": ["Z"]}})
    probs = cross_check(s.model_copy(update={"editions": [s.editions[0], bad]}))
    paths = {p.path for p in probs}
    assert "editions[1].veto_players.peace" in paths and "editions[1].veto_players.t" in paths


def test_default_spring_edition_dates_russias_no_deal_sanctions_on_doc1_alone():
    s = load_default_scenario()
    ev = s.evidence_by_id()
    spring = next(e for e in s.editions if e.id == "spring-2025")
    assert {(o.actor, o.track) for o in spring.outside_options} == {
        ("RUS", "war"),
        ("RUS", "relations"),
    }
    for o in spring.outside_options:  # an edition's evidence comes from that edition's sources
        for t in o.terms:
            assert t.evidence and {ev[e].source for e in t.evidence} <= set(spring.sources)
    keys = {c.key for c in stance_changes(s, "spring-2025", "august-2025")}
    assert {"outside_option:RUS:war", "outside_option:RUS:relations"} <= keys
    # the seeds give no ground for a different veto set: the tracks are the same in both
    assert edition_scenario(s, "spring-2025").tracks == s.tracks
