"""`qimma forecast` on the default scenario."""

from __future__ import annotations

import json
from pathlib import Path

from qimma.cli.main import run


def test_forecast_default_table(capsys):
    assert run(["forecast"]) == 0
    out = capsys.readouterr().out
    assert "compromise" in out and "median" in out


def test_forecast_json_has_all_twelve_issues(capsys):
    assert run(["forecast", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    issues = {r["issue"] for r in data["forecasts"]}
    assert issues == {
        "TERR", "NEUTRAL", "DEMIL", "GUAR", "SANC", "MINERALS", "SEQ", "BURDEN", "NORM",
        "REGIME", "EUSEC", "ALIGN",
    }  # fmt: skip
    for r in data["forecasts"]:
        assert 0 <= r["outcome"] <= 100


def test_unknown_model_exits_2(capsys):
    assert run(["forecast", "--model", "nope"]) == 2
    err = capsys.readouterr().err
    assert "unknown model 'nope'" in err
    assert "Traceback" not in err


def test_version(capsys):
    assert run(["--version"]) == 0
    assert "qimma" in capsys.readouterr().out


def test_internal_error_is_reported_without_traceback(monkeypatch, capsys):

    def boom(*args, **kwargs):
        raise RuntimeError("simulated bug")

    import qimma.app.pipeline as pipeline

    monkeypatch.setattr(pipeline, "run_forecast", boom)
    monkeypatch.delenv("QIMMA_DEBUG", raising=False)
    assert run(["forecast"]) == 1
    err = capsys.readouterr().err
    assert "internal error (RuntimeError: simulated bug)" in err
    assert "Traceback" not in err


def _table_csv(tmp_path, names: list[str]):
    f = tmp_path / "t.csv"
    rows = [f"{n},1,{50 if i == 0 else 20},50" for i, n in enumerate(names)]
    f.write_text("Actor,Capability,Position,Salience\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return f


def test_brackets_in_names_are_printed_as_written(tmp_path, capsys):
    # rich markup once swallowed '[IRN]' and stopped on '[/x]' with an internal error
    f = _table_csv(tmp_path, ["Iran [IRN]", "B [/x]"])
    assert run(["show", str(f)]) == 0
    out = capsys.readouterr().out
    assert "Iran [IRN]" in out and "B [/x]" in out
    assert run(["forecast", str(f), "-m", "compromise"]) == 0


def test_skipped_model_reason_in_arabic(tmp_path, capsys):
    f = _table_csv(tmp_path, ["A", "B"])  # one issue: exchange needs two
    assert run(["forecast", str(f), "-m", "compromise,exchange", "--lang", "ar"]) == 0
    out = capsys.readouterr().out
    assert "exchange: لم يُشغَّل: يحتاج إلى 2 من القضايا على الأقل" in out
    assert "needs at least" not in out


def test_out_folder_keeps_earlier_results_without_force(tmp_path, capsys):
    f = _table_csv(tmp_path, ["A", "B"])
    out = tmp_path / "res"
    out.mkdir()
    (out / "forecast.json").write_text("earlier", encoding="utf-8")
    assert run(["forecast", str(f), "-m", "compromise", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"{out}: the folder already holds forecast.json — fix: choose another folder" in err
    assert (out / "forecast.json").read_text(encoding="utf-8") == "earlier"
    assert not (out / "forecast.csv").exists()
    assert run(["forecast", str(f), "-m", "compromise", "--out", str(out), "--force"]) == 0
    assert json.loads((out / "forecast.json").read_text(encoding="utf-8"))["forecasts"]


def test_out_folder_under_a_file_is_an_input_error(tmp_path, capsys):
    f = _table_csv(tmp_path, ["A", "B"])
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    assert run(["forecast", str(f), "-m", "compromise", "--out", str(blocker / "sub")]) == 2
    err = capsys.readouterr().err
    assert "cannot create the folder" in err and "Traceback" not in err
    assert blocker.read_text(encoding="utf-8") == "x"


def test_backtest_out_is_checked_before_the_run(tmp_path, capsys, monkeypatch):
    import qimma.cli.backtest_cmd as bc

    def never(*args, **kwargs):
        raise AssertionError("the backtest ran although --out was refused")

    monkeypatch.setattr(bc, "run_backtest", never)
    out = tmp_path / "bt"
    out.mkdir()
    (out / "scores.csv").write_text("earlier", encoding="utf-8")
    assert run(["backtest", "deu3", "--out", str(out)]) == 2
    assert "already holds scores.csv" in capsys.readouterr().err
    assert (out / "scores.csv").read_text(encoding="utf-8") == "earlier"


def test_long_issue_ids_leave_every_number_visible(capsys, monkeypatch):
    # cop21.csv has ids like 'differentiation': the status quo column was once squeezed to nothing
    import qimma.cli.forecast_cmd as fc

    monkeypatch.setattr(fc.console, "width", 80)
    path = Path(__file__).parent / "fixtures" / "inputs" / "cop21.csv"
    assert run(["forecast", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert run(["forecast", str(path)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert max(len(ln) for ln in lines) <= 80
    first = next(ln for ln in lines if ln.lstrip().startswith("differen"))
    cells = first.split()
    ens = next(
        r["outcome"]
        for r in data["forecasts"]
        if r["issue"] == "differentiation" and r["model"] == "ensemble"
    )
    assert cells[1] == "50"  # the status quo Decide files leave to the middle of 0–100
    assert cells[-1] == f"{ens:.1f}"


def test_model_list_without_names_is_an_error(capsys):
    assert run(["forecast", "--model", ",", "--lang", "ar"]) == 2
    err = capsys.readouterr().err
    assert (
        err.startswith("--model: قائمة النماذج لا تسمّي أي نموذج — الحل:") and "Traceback" not in err
    )
