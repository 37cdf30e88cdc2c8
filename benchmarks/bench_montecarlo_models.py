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
--split N: also time `qimma forecast --draws N --seed 1 --json` as the command runs it (a fresh
process: imports, the application layer's run, the JSON text), split into the six models' own
calls (every model's `run`, the point forecast's included) and the rest (imports, Numba cache
loads, sampling, the deal test, named outcomes, judgements, statistics, JSON); with
--baseline-src the baseline's split in the same run, the ratio of the rest, and whether the JSON
is byte-identical (--only-split: that alone, without the per-model timings).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import time
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


SPLIT_CHILD = r"""
import atexit, json, sys, time
import qimma.cli  # as the command starts: its process settings before NumPy is imported
from qimma.models.registry import ModelSpec, build_model, model_names

spent = {"wall": 0.0, "cpu": 0.0, "depth": 0}


def timed(method):
    def wrapper(self, *args, **kwargs):
        spent["depth"] += 1
        t, c = time.perf_counter(), time.process_time()
        try:
            return method(self, *args, **kwargs)
        finally:
            spent["depth"] -= 1
            if spent["depth"] == 0:  # a model calling another counts once
                spent["wall"] += time.perf_counter() - t
                spent["cpu"] += time.process_time() - c
    return wrapper


for cls in {type(build_model(ModelSpec(m))) for m in model_names()}:
    cls.run = timed(cls.run)
atexit.register(lambda: sys.stderr.write("SPLIT " + json.dumps(spent) + "\n"))
from qimma.cli.main import run

sys.argv = ["qimma", "forecast", "--draws", sys.argv[1], "--seed", "1", "--json"]
sys.exit(run())
"""


def run_split(src: Path, draws: int) -> dict:
    """`qimma forecast --draws N --seed 1 --json` in a fresh process, from its start to its exit:
    wall and CPU seconds (user + system, every thread), those of the models' own calls, and
    the SHA-256 of its output."""
    env = dict(os.environ, PYTHONPATH=str(src))
    before, t = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", SPLIT_CHILD, str(draws)], env=env, capture_output=True, check=True
    )
    wall, after = time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN)
    line = [x for x in proc.stderr.decode().splitlines() if x.startswith("SPLIT ")][-1]
    spent = json.loads(line.removeprefix("SPLIT "))
    return {
        "wall": wall,
        "user": after.ru_utime - before.ru_utime,
        "sys": after.ru_stime - before.ru_stime,
        "models_wall": spent["wall"],
        "models_cpu": spent["cpu"],
        "sha": hashlib.sha256(proc.stdout).hexdigest(),
    }


def print_split(draws: int, baseline_src: str | None) -> None:
    """The split of one `qimma forecast --draws N` between the models and the rest."""
    runs = {}
    if baseline_src:
        runs["baseline"] = run_split(Path(baseline_src).resolve(), draws)
    runs["current"] = run_split(ROOT / "src", draws)
    print(
        f"\nqimma forecast --draws {draws} --seed 1 --json, a fresh process from start to exit "
        "(CPU s: user + system, every thread)"
    )
    for name, r in runs.items():
        cpu = r["user"] + r["sys"]
        rest_w, rest_c = r["wall"] - r["models_wall"], cpu - r["models_cpu"]
        print(
            f"  {name:<9} total {r['wall']:6.2f} s wall {cpu:6.2f} s CPU ({r['sys']:.2f} system)"
            f" | models {r['models_wall']:6.2f} wall {r['models_cpu']:6.2f} CPU"
            f" | the rest {rest_w:5.2f} wall {rest_c:5.2f} CPU"
        )
    if "baseline" in runs:
        b, c = runs["baseline"], runs["current"]
        b_cpu, c_cpu = b["user"] + b["sys"], c["user"] + c["sys"]
        b_rest, c_rest = b_cpu - b["models_cpu"], c_cpu - c["models_cpu"]
        print(
            f"  the rest, CPU: baseline {b_rest:.2f} s → current {c_rest:.2f} s "
            f"({b_rest / c_rest:.2f}× less); whole run CPU {b_cpu / c_cpu:.2f}× less; "
            f"JSON byte-identical: {b['sha'] == c['sha']}"
        )


def run_child(src: Path, draws: int, threads: int | None) -> dict:
    return child_json(CHILD, src, draws, threads)


def child_json(code: str, src: Path, draws: int, threads: int | None) -> dict:
    """The JSON line a fresh process running `code` with `src` first on its path prints."""
    env = dict(os.environ, PYTHONPATH=str(src))
    if threads is not None:
        env["NUMBA_NUM_THREADS"] = str(threads)
    proc = subprocess.run(
        [sys.executable, "-c", code, str(draws)],
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
    ap.add_argument("--split", type=int, default=0, metavar="N")
    ap.add_argument("--only-split", action="store_true", help="skip the per-model timings")
    args = ap.parse_args()
    if args.split and args.only_split:
        print_split(args.split, args.baseline_src)
        return

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
    if args.split:
        print_split(args.split, args.baseline_src)


if __name__ == "__main__":
    main()
