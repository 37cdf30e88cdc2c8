"""`qimma backtest deu3` on the command line."""

from __future__ import annotations

import csv
import json

from qimma.cli.main import run


def test_backtest_json_subset(capsys):
    assert run(["backtest", "deu3", "--json", "--limit", "25", "--bootstrap", "50"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["issues_in_file"] == 364
    assert data["issues_scored"] == 25
    assert data["issues_skipped_no_outcome"] == 11
    assert data["split"]["preregistered"] is True
    rows = {r["model"]: r for r in data["scores"]["all"]}
    assert rows["compromise"]["status"] == "ok" and rows["compromise"]["n"] == 25
    assert rows["median"]["minus_compromise"]["mae"]["lo"] is not None
    for name in ("reference_point", "commission"):
        assert name in rows
    preds = [p for p in data["predictions"] if p["model"] == "compromise"]
    assert len(preds) == 25
    p = preds[0]
    assert p["error"] == p["prediction"] - p["outcome"]


def test_backtest_table_and_out(tmp_path, capsys):
    out = tmp_path / "res"
    args = ["backtest", "deu3", "--limit", "40", "--bootstrap", "30", "--out", str(out)]
    assert run([*args, "--models", "compromise,median", "--capability", "gdp"]) == 0
    text = capsys.readouterr().out
    assert "compromise" in text and "MAE" in text
    with (out / "predictions.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    models = {r["model"] for r in rows}
    assert models == {"compromise", "median", "ensemble", "reference_point", "commission"}
    assert len(rows) == 40 * 5
    assert json.loads((out / "backtest.json").read_text("utf-8"))["capability"] == "gdp"
    assert (out / "scores.csv").exists() and (out / "calibration.csv").exists()


def test_backtest_arabic_table(capsys):
    assert run(["backtest", "deu3", "--limit", "20", "--bootstrap", "20", "--lang", "ar"]) == 0
    out = capsys.readouterr().out
    assert "النموذج" in out and "القضايا المقيَّمة" in out


def test_exploratory_split_is_labelled(capsys):
    assert run(["backtest", "deu3", "--json", "--limit", "60", "--bootstrap", "20",
                "--split", "5"]) == 0  # fmt: skip
    assert json.loads(capsys.readouterr().out)["split"]["preregistered"] is False


def test_bad_inputs_exit_2(tmp_path, capsys):
    assert run(["backtest", "nope"]) == 2
    assert "unknown benchmark" in capsys.readouterr().err
    assert run(["backtest", "deu3", "--models", "bogus"]) == 2
    assert "unknown model 'bogus'" in capsys.readouterr().err
    bad = tmp_path / "bad.tsv"
    bad.write_bytes(b"\x00\x01")
    assert run(["backtest", "deu3", "--data", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "binary" in err and "Traceback" not in err
    f = tmp_path / "file"
    f.write_text("x")
    assert run(["backtest", "deu3", "--limit", "5", "--bootstrap", "10", "--out", str(f)]) == 2
    assert f.read_text() == "x"  # nothing overwritten
