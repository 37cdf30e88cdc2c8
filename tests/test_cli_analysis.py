"""`qimma forecast --draws`, `qimma whatif`, `qimma sensitivity` from the command line."""

from __future__ import annotations

import json

import pytest

from qimma.cli.main import run

FAST = ["--model", "compromise,median"]  # keeps the command-line tests quick


@pytest.fixture
def small(fixtures):
    return str(fixtures / "analysis" / "small.yaml")


def test_forecast_draws_prints_both_languages(small, capsys):
    assert run(["forecast", small, "--draws", "500", "--seed", "1", *FAST]) == 0
    out = capsys.readouterr().out
    assert "ICD-203" in out
    assert "unlikely" in out and "غير مرجح" in out and "likely" in out
    assert "«غير" in out  # the seeds' own wording, quoted


def test_forecast_truncnormal_arabic(small, capsys):
    args = ["forecast", small, "--draws", "200", "--dist", "truncnormal", "--lang", "ar", *FAST]
    assert run(args) == 0
    out = capsys.readouterr().out
    assert "العلاقات" in out and "غير مرجح" in out


def test_forecast_draws_json_reproducible(small, capsys):
    assert run(["forecast", small, "--draws", "300", "--seed", "9", "--json", *FAST]) == 0
    a = capsys.readouterr().out
    assert run(["forecast", small, "--draws", "300", "--seed", "9", "--json", *FAST]) == 0
    b = capsys.readouterr().out
    assert a == b
    data = json.loads(a)
    assert {o["id"] for o in data["outcomes"]} == {"deal", "standoff", "b_wins", "thaw", "cold"}
    assert data["outcomes"][0]["icd203"]["ar"]


def test_forecast_draws_writes_files(small, tmp_path, capsys):
    assert run(["forecast", small, "--draws", "200", "--out", str(tmp_path / "mc"), *FAST]) == 0
    assert (tmp_path / "mc" / "montecarlo.json").exists()
    assert (tmp_path / "mc" / "montecarlo_outcomes.csv").read_text("utf-8").startswith("outcome,")


@pytest.mark.parametrize(
    "args",
    [
        ["--draws", "0"],
        ["--draws", "100", "--workers", "0"],
        ["--draws", "100", "--scheduler", "http://x:1"],
        ["--draws", "100", "--scheduler", "tcp://x"],
        ["--draws", "100", "--seed", "-1"],
        ["--draws", "100", "--dist", "gamma"],
    ],
)
def test_forecast_bad_options_exit_2(small, args, capsys):
    assert run(["forecast", small, *args]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_whatif_table_and_unknown_lever(small, capsys):
    assert run(["whatif", "b_weaker", "--scenario", small, "--draws", "300", *FAST]) == 0
    out = capsys.readouterr().out
    assert "Actor B" in out  # the decisive move
    assert run(["whatif", "nope", "--scenario", small]) == 2
    err = capsys.readouterr().err
    assert "unknown lever 'nope'" in err and "b_weaker" in err


def test_whatif_arabic_error(small, capsys):
    assert run(["whatif", "nope", "-s", small, "--lang", "ar"]) == 2
    assert "رافعة غير معروفة" in capsys.readouterr().err


def test_sensitivity_json(small, capsys):
    assert run(["sensitivity", small, "--n", "64", "--draws", "300", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["sensitivity"]["method"] == "sobol"
    assert {p["actor"] for p in data["pivotal_actors"]} == {"A", "B", "C"}
    assert all(s["text_ar"] for s in data["signposts"])


def test_sensitivity_table(small, capsys):
    assert run(["sensitivity", small, "--n", "64", "--draws", "300", "--method", "morris"]) == 0
    out = capsys.readouterr().out
    assert "mu_star" in out and "Actor A" in out


def test_sensitivity_bad_method_exit_2(small, capsys):
    assert run(["sensitivity", small, "--method", "fourier"]) == 2
    assert "unknown sensitivity method" in capsys.readouterr().err


# --- the default scenario (its outcomes and levers are curated in the scenario file) --------


def test_default_forecast_10000_draws_named_outcomes_both_languages(capsys, monkeypatch):
    from qimma.cli.common import console

    monkeypatch.setattr(console, "width", 250)  # no wrapping inside the quoted words
    args = ["forecast", "--draws", "10000", "--seed", "1", *FAST]
    assert run(args) == 0
    out = capsys.readouterr().out
    assert "Continued war of attrition" in out and "Partial normalization" in out
    assert "likely" in out and "مرجح" in out  # ICD-203 wording, English and Arabic
    assert "«ويفضل كل طرف على الأرجح الاستمرار في الحرب»" in out  # the seeds' words, quoted
    assert run([*args, "--json"]) == 0
    a = json.loads(capsys.readouterr().out)
    assert run([*args, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == a  # reproducible by seed
    war = [o["probability"] for o in a["outcomes"] if o["track"] == "war"]
    assert sum(war) == pytest.approx(1.0)  # the war track's outcomes are exclusive here


def test_default_whatif_us_aid_cut(capsys):
    assert run(["whatif", "us_aid_cut", "--draws", "200", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["levers"] == ["us_aid_cut"]
    assert {i["issue"] for i in data["issues"]} >= {"TERR", "BURDEN"}


def test_default_sensitivity_small_design(capsys):
    # every model (the default), screened with few Morris trajectories: the plumbing is under test
    assert run(["sensitivity", "--method", "morris", "--n", "4", "--draws", "100", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["sensitivity"]["inputs"]) > 100
    assert {p["actor"] for p in data["pivotal_actors"]} >= {"RUS", "UKR", "US_EXEC"}
