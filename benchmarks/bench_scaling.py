"""Growth of each model's time with the number of actors, and the 160 × 20 figure (#17).

    PYTHONPATH=src python benchmarks/bench_scaling.py [--baseline-src DIR] [--sizes 20,40,80,160]

One draw (CPU seconds of the process, `time.process_time`, steadier than wall time on a shared
machine) of a seeded random scenario (benchmarks/perf_reference.random_arrays: positions,
saliences and capabilities uniform, ~15% absent stances) per size, every model, after a warm-up
call (compile or cache load outside the timing; the warm-ups are 8 × 3 and 160 × 3, so that a
model that picks its NumPy code for small single draws and its kernel for large ones, as eum does,
has both loaded). The growth exponent of a model is the slope of log(time) against log(actors)
between the two largest sizes, at 10 issues (by default 80 and 160: eum runs its kernel at both;
at 20 and 40 actors one draw of eum runs its NumPy code, models/_jit.py). Then all six models on
160 actors × 20 issues, the issue's target (< 5 s). With --baseline-src the same is timed with
another checkout (e.g. main before the speed work) in the same run, except its 160 × 20 exchange
(minutes; skipped unless --baseline-160).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
from perf_reference import random_arrays
from qimma.models.registry import get_model, model_names
sizes = [int(a) for a in sys.argv[2].split(",") if a]
big = sys.argv[3] == "1"
out = {"sizes": {}, "big": {}}
for warm in (random_arrays(8, 3, 1, 0), random_arrays(160, 3, 1, 0)):
    for m in model_names():  # the large warm-up loads the kernels a large run uses (eum's)
        get_model(m).run(warm)
for n_a in sizes:
    ra = random_arrays(n_a, 10, 1, 5)
    for m in model_names():
        t = time.process_time()
        get_model(m).run(ra)
        out["sizes"].setdefault(m, []).append(time.process_time() - t)
ra = random_arrays(160, 20, 1, 5)
for m in model_names():
    if not big:
        continue
    t = time.process_time()
    get_model(m).run(ra)
    out["big"][m] = time.process_time() - t
print(json.dumps(out))
"""


def run(src: Path, sizes: str, big: bool) -> dict:
    env = dict(os.environ, PYTHONPATH=str(src))
    cmd = [sys.executable, "-c", CHILD, str(ROOT / "benchmarks"), sizes, "1" if big else "0"]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(name: str, res: dict, sizes: list[int]) -> None:
    print(f"{name}: seconds per model at actors × 10 issues, growth exponent (last two sizes)")
    print(f"  {'model':<11}" + "".join(f"{n:>9}" for n in sizes) + f"{'exponent':>10}")
    for m, ts in res["sizes"].items():
        k = math.log(ts[-1] / ts[-2]) / math.log(sizes[-1] / sizes[-2])
        print(f"  {m:<11}" + "".join(f"{t:9.3f}" for t in ts) + f"{k:10.2f}")
    if res["big"]:
        total = sum(res["big"].values())
        parts = ", ".join(f"{m} {t:.2f}" for m, t in res["big"].items())
        print(f"  160 actors × 20 issues: {total:.2f} s ({parts})", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline-src", type=Path)
    ap.add_argument("--baseline-160", action="store_true")
    ap.add_argument("--sizes", default="20,40,80,160")
    a = ap.parse_args()
    sizes = [int(s) for s in a.sizes.split(",")]
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    after = run(ROOT / "src", a.sizes, False)
    if a.baseline_src:
        before = run(a.baseline_src, a.sizes, a.baseline_160)
        report("before", before, sizes)
    report("after", after, sizes)
    sys.stdout.flush()
    big = run(ROOT / "src", "", True)["big"]
    total = sum(big.values())
    parts = ", ".join(f"{m} {t:.2f}" for m, t in big.items())
    print(f"after: 160 actors × 20 issues, all models: {total:.2f} s ({parts})")
    for m in ("eum", "exchange", "smp") if a.baseline_src else ():
        ratios = ", ".join(
            f"{n}: {b / x:.1f}×"
            for n, b, x in zip(sizes, before["sizes"][m], after["sizes"][m], strict=True)
        )
        if m in before["big"]:
            ratios += f", 160 × 20: {before['big'][m] / big[m]:.1f}×"
        print(f"{m} speed-up before/after per size: {ratios}")
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
