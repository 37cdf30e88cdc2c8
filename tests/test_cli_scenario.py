"""`qimma validate`, `qimma show`, `qimma convert`, and `qimma forecast` on an imported table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qimma.cli.main import run
from qimma.scenario.formats import load_scenario

FIXTURES = Path(__file__).parent / "fixtures"
SMALL = FIXTURES / "scenarios" / "small.yaml"
INPUTS = FIXTURES / "inputs"


def test_validate_ok(capsys):
    assert run(["validate", str(SMALL)]) == 0
    assert capsys.readouterr().out.strip() == (
        f"{SMALL}: valid (qimma YAML scenario): 2 actors, 1 issue, 2 stances"
    )


def test_validate_ok_arabic(capsys):
    assert run(["validate", str(INPUTS / "copenhagen.csv"), "--lang", "ar"]) == 0
    first, *notes = capsys.readouterr().out.strip().splitlines()
    assert first == (
        f"{INPUTS / 'copenhagen.csv'}: سليم (بيانات Decide الموسومة (#A/#P/#M/#D)): "
        "عدد الفاعلين 11، عدد القضايا 7، عدد المواقف 75"
    )
    assert "مستورد من ملف Decide copenhagen.csv" in " ".join(notes)  # how it was read


def test_show_tables_english_and_arabic(capsys):
    assert run(["show", str(SMALL)]) == 0
    out = capsys.readouterr().out
    for text in (
        "Actors",
        "Issues",
        "Stances",
        "Russia",
        "Moscow",
        "freeze on the current line",
        "90 [80–100]",
        "explicit",
    ):
        assert text in out
    assert run(["show", str(SMALL), "--lang", "ar"]) == 0
    out = capsys.readouterr().out
    for text in ("الفاعلون", "القضايا", "المواقف", "روسيا", "تجميد على خط التماس", "صريح"):
        assert text in out


def test_convert_round_trip(tmp_path, capsys):
    out = tmp_path / "copenhagen.yaml"
    assert run(["convert", str(INPUTS / "copenhagen.csv"), str(out)]) == 0
    assert capsys.readouterr().out.strip() == (
        f"wrote {out} from {INPUTS / 'copenhagen.csv'} (Decide tagged data (#A/#P/#M/#D))"
    )
    assert load_scenario(out) == load_scenario(INPUTS / "copenhagen.csv")
    again = tmp_path / "again.yaml"
    assert run(["convert", str(out), str(again)]) == 0
    assert again.read_text("utf-8") == out.read_text("utf-8")


def test_convert_never_overwrites_without_force(tmp_path, capsys):
    out = tmp_path / "x.yaml"
    out.write_text("keep me", encoding="utf-8")
    assert run(["convert", str(SMALL), str(out)]) == 2
    err = capsys.readouterr().err
    assert err.strip() == (
        f"{out}: the output file already exists — fix: choose another name, or pass --force to "
        "replace it"
    )
    assert out.read_text("utf-8") == "keep me"
    assert run(["convert", str(SMALL), str(out), "--force"]) == 0
    assert load_scenario(out) == load_scenario(SMALL)


@pytest.mark.parametrize("name", ["ExampleActors.csv", "ExampleActors_LF.csv"])
def test_forecast_classic_table_is_the_weighted_mean(name, capsys):
    path = INPUTS / name
    rows = [ln.split(",") for ln in path.read_bytes().decode().splitlines()[1:] if ln]
    # capability × salience weighted mean of positions, by hand from the CSV's numbers
    expected = sum(float(c) * float(s) * float(x) for _, c, x, s in rows) / sum(
        float(c) * float(s) for _, c, _, s in rows
    )
    assert run(["forecast", str(path), "--json", "--model", "compromise"]) == 0
    data = json.loads(capsys.readouterr().out)
    [row] = data["forecasts"]
    assert row["model"] == "compromise"
    assert row["outcome"] == pytest.approx(expected, rel=1e-12)
    # and the published mean of this table (Scholz et al. 2011, via peer-notes §4): 7.4
    assert round(row["outcome"], 1) == 7.4


@pytest.mark.parametrize("command", ["validate", "show", "convert", "forecast"])
def test_every_command_has_help_with_examples(command, capsys):
    assert run([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert "Examples" in out and f"qimma {command}" in out


def test_usage_error_exits_2_without_traceback(capsys):
    assert run(["validate"]) == 2
    err = capsys.readouterr().err
    assert "Missing argument" in err and "Traceback" not in err


def test_show_help_keeps_the_bracketed_range(capsys):
    assert run(["show", "--help"]) == 0
    assert "value [low–high]" in capsys.readouterr().out
