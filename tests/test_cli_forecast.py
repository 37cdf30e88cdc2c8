"""`qimma forecast` on the default scenario."""

from __future__ import annotations

import json

from qimma.cli.main import run


def test_forecast_default_table(capsys):
    assert run(["forecast"]) == 0
    out = capsys.readouterr().out
    assert "compromise" in out and "median" in out


def test_forecast_json_has_all_nine_issues(capsys):
    assert run(["forecast", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    issues = {r["issue"] for r in data["forecasts"]}
    assert issues == {
        "TERR", "NEUTRAL", "DEMIL", "GUAR", "SANC", "MINERALS", "SEQ", "BURDEN", "NORM"
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
    import qimma.cli.forecast_cmd as fc

    def boom(*args, **kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(fc, "run_forecast", boom)
    monkeypatch.delenv("QIMMA_DEBUG", raising=False)
    assert run(["forecast"]) == 1
    err = capsys.readouterr().err
    assert "internal error (RuntimeError: simulated bug)" in err
    assert "Traceback" not in err
