"""`smp` through the forecast layer and the CLI, on the default scenario."""

from __future__ import annotations

import json

import numpy as np

from qimma.cli.main import run
from qimma.forecast import run_forecast
from qimma.scenario.formats import load_default_scenario
from tests.ktab_fixtures import KTAB_DIR


def test_forecast_runs_smp_on_default_scenario():
    scenario = load_default_scenario()
    fc = run_forecast(scenario, ["smp"])
    res = fc.results["smp"]
    assert res.positions is not None and res.n_rounds is not None and res.rounds is not None
    n_turns = int(res.n_rounds[0])
    assert 1 <= n_turns <= 100
    assert res.positions.shape == (1, n_turns + 1, len(scenario.actors), len(scenario.issues))
    lo = np.array([i.scale.min for i in scenario.issues])
    hi = np.array([i.scale.max for i in scenario.issues])
    assert np.all(res.positions >= lo - 1e-9) and np.all(res.positions <= hi + 1e-9)
    # the expected outcome is a probability-weighted mean of final positions: inside their hull
    final = res.positions[0, n_turns]
    assert np.all(res.outcome[0] >= final.min(axis=0) - 1e-9)
    assert np.all(res.outcome[0] <= final.max(axis=0) + 1e-9)


def test_cli_json_has_smp_trajectory(capsys):
    assert run(["forecast", "--model", "smp", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    rows = [r for r in data["forecasts"] if r["model"] == "smp"]
    assert len(rows) == 12
    for r in rows:
        assert len(r["trajectory"]) >= 2
        assert r["trajectory"][-1] == r["outcome"]


def test_cli_on_a_ktab_csv_gives_ktab_expected_outcome(capsys):
    # KTAB's own run of SOE-Policy: PCE-expected outcome 38.558 (summary, 4-decimal probabilities)
    path = KTAB_DIR / "inputs" / "SOE-Policy.csv"
    assert run(["forecast", str(path), "--model", "smp", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    (row,) = [r for r in data["forecasts"] if r["model"] == "smp"]
    assert abs(row["outcome"] - 38.558) < 0.05
    assert len(row["trajectory"]) == 19 + 1  # KTAB: 19 turns
