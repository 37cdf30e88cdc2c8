"""Per-model time of one vectorised Monte Carlo call on the default scenario, before and after.

    PYTHONPATH=src python benchmarks/bench_montecarlo_models.py [--draws 1000]
        [--baseline-src DIR] [--threads 1,2]

Every registered model runs once on the same `draws` triangular draws (seed 1), as
`run_monte_carlo` with one worker does. Each configuration runs in a fresh subprocess after a
warm-up call (so Numba's compile or cache load is outside the timing; the warm-up time is printed
too). Columns: wall seconds and process CPU seconds (the machine is shared, so CPU seconds are the
steadier figure; with 2 threads CPU seconds add up both threads).

--baseline-src: another checkout's `src` directory (e.g. `git archive <commit> src | tar -x -C
/tmp/base`) timed the same way in the same run; the script prints after/before ratios and
checks that every model's outcomes are byte-identical.
--threads: NUMBA_NUM_THREADS values to time the current tree with.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import hashlib, json, sys, time
from qimma.analysis.evaluate import run_models, runnable_models
from qimma.analysis.sampling import Distribution, arrays_from_uniforms, input_space, uniforms
from qimma.models.registry import model_names
from qimma.scenario.formats import load_scenario

draws = int(sys.argv[1])
sc = load_scenario(None)
models, _ = runnable_models(model_names(), len(sc.issues))
space = input_space(sc)
u = uniforms(1, 0, draws, space.n_inputs)
arr = arrays_from_uniforms(space, u, Distribution.triangular)
t = time.perf_counter()
run_models(arrays_from_uniforms(space, u[:32], Distribution.triangular), models)
out = {"warmup": time.perf_counter() - t, "models": {}}
for m in models:
    t, c = time.perf_counter(), time.process_time()
    res = run_models(arr, [m])[m]
    out["models"][m] = {
        "wall": time.perf_counter() - t,
        "cpu": time.process_time() - c,
        "sha": hashlib.sha256(res.tobytes()).hexdigest(),
    }
print(json.dumps(out))
"""


def run_child(src: Path, draws: int, threads: int | None) -> dict:
    env = dict(os.environ, PYTHONPATH=str(src))
    if threads is not None:
        env["NUMBA_NUM_THREADS"] = str(threads)
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(draws)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--draws", type=int, default=1000)
    ap.add_argument("--baseline-src", default=None)
    ap.add_argument("--threads", default="2")
    args = ap.parse_args()

    runs: dict[str, dict] = {}
    if args.baseline_src:
        runs["baseline"] = run_child(Path(args.baseline_src).resolve(), args.draws, None)
    for th in args.threads.split(","):
        runs[f"current, {th} thread(s)"] = run_child(ROOT / "src", args.draws, int(th))

    print(f"{args.draws} draws of the default scenario, one vectorised call per model")
    for name, res in runs.items():
        total_w = sum(v["wall"] for v in res["models"].values())
        total_c = sum(v["cpu"] for v in res["models"].values())
        print(f"\n{name} (warm-up call {res['warmup']:.1f} s)")
        print(f"  {'model':<11}{'wall s':>9}{'cpu s':>9}")
        for m, v in res["models"].items():
            print(f"  {m:<11}{v['wall']:>9.2f}{v['cpu']:>9.2f}")
        print(f"  {'total':<11}{total_w:>9.2f}{total_c:>9.2f}")
    if "baseline" in runs:
        base = runs["baseline"]["models"]
        for name, res in runs.items():
            if name == "baseline":
                continue
            same = all(res["models"][m]["sha"] == base[m]["sha"] for m in base)
            bw = sum(v["wall"] for v in base.values())
            cw = sum(v["wall"] for v in res["models"].values())
            be = base.get("exchange", {}).get("cpu", 0.0)
            ce = res["models"].get("exchange", {}).get("cpu", 0.0)
            print(
                f"\n{name} vs baseline: total wall ratio {bw / cw:.2f}× faster; exchange CPU "
                f"{be:.2f} → {ce:.2f} s; outcomes byte-identical: {same}"
            )


if __name__ == "__main__":
    main()
