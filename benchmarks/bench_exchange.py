"""Speed of the exchange model against Decide, and of the Nash solution against the baseline.

    PYTHONPATH=src python benchmarks/bench_exchange.py [--decide-python PATH] [--repeat N]

1. `exchange` on cop21 (15 actors x 13 issues, 10 rounds): qimma (compiled once, then the best of
   N runs) against Decide's Python API on the same file. Decide needs Python 3.13 with
   `decide-exchange-model==2025.3.1`; give its interpreter with --decide-python (or the
   QIMMA_DECIDE_PYTHON variable). Without it the script compares with the fastest recorded Decide
   API run on this kind of machine (9.37 s, shared/benchmarks/exchange/decide-results/
   timing_runs.txt) and says so.
2. `exchange` on 100 draws of cop21 in one call (a Monte Carlo batch).
3. `nash` on 10,000 draws of the default scenario against the compromise model (the baseline
   ratio: the price of solving a bargaining problem instead of taking a weighted mean).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

from qimma.models.compromise import CompromiseModel
from qimma.models.exchange import ExchangeModel
from qimma.models.nash import NashModel
from qimma.scenario.arrays import ScenarioArrays, to_arrays
from qimma.scenario.formats import load_default_scenario, load_scenario

ROOT = Path(__file__).resolve().parents[1]

COP21 = ROOT / "tests" / "fixtures" / "exchange" / "cop21.csv"
RECORDED_DECIDE_API_SECONDS = 9.37  # fastest of 5 recorded API runs, cop21, 10 rounds


def best_of(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def batch(arr: ScenarioArrays, n: int, seed: int, pos_sd: float) -> ScenarioArrays:
    rng = np.random.default_rng(seed)
    shape = (n, *arr.positions.shape[1:])
    pos = np.repeat(arr.positions, n, 0) + rng.normal(0, pos_sd, shape) * arr.span / 100.0
    return arr.with_values(
        positions=np.clip(pos, arr.scale_min, arr.scale_max),
        saliences=np.repeat(arr.saliences, n, 0),
        capabilities=np.repeat(arr.capabilities, n, 0),
        status_quo=np.repeat(arr.status_quo, n, 0),
    )


def run_decide(python: str) -> float | None:
    """Decide's own wall time for parse + 10 rounds, from the driver's JSON."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "cop21.json"
        cmd = [python, str(ROOT / "benchmarks" / "decide_driver.py"), str(COP21), str(out)]
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp, check=False)
        if proc.returncode != 0:
            print(f"Decide run failed ({proc.stderr.strip().splitlines()[-1:]})")
            return None
        return float(json.loads(out.read_text())["seconds"])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--decide-python", default=os.environ.get("QIMMA_DECIDE_PYTHON"))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--draws", type=int, default=100)
    a = ap.parse_args()

    cop21 = to_arrays(load_scenario(COP21))
    model = ExchangeModel(rounds=10)
    t = time.perf_counter()
    model.run(cop21)
    first = time.perf_counter() - t
    ours = best_of(lambda: model.run(cop21), a.repeat)
    print(f"exchange cop21 10 rounds: qimma {ours * 1000:.1f} ms (first call {first:.2f} s)")

    decide = run_decide(a.decide_python) if a.decide_python else None
    if decide is not None:
        print(f"  Decide API, run now: {decide:.2f} s -> qimma is {decide / ours:.0f}x faster")
    else:
        print("  Decide not run here (no --decide-python / QIMMA_DECIDE_PYTHON)")
    rec = RECORDED_DECIDE_API_SECONDS
    print(f"  Decide API, recorded: {rec:.2f} s -> qimma is {rec / ours:.0f}x faster")

    big = batch(cop21, a.draws, seed=1, pos_sd=5.0)
    mc = best_of(lambda: model.run(big), 1)
    print(
        f"exchange cop21 {a.draws} draws x 10 rounds in one call: {mc:.2f} s "
        f"({mc / a.draws * 1000:.1f} ms per draw)"
    )

    default = to_arrays(load_default_scenario())
    many = batch(default, 10_000, seed=2, pos_sd=5.0)
    nash_t = best_of(lambda: NashModel().run(many), 3)
    comp_t = best_of(lambda: CompromiseModel().run(many), 3)
    print(
        f"nash default scenario 10,000 draws: {nash_t:.2f} s; compromise {comp_t * 1000:.1f} ms "
        f"-> nash / compromise = {nash_t / comp_t:.0f}x"
    )


if __name__ == "__main__":
    main()
