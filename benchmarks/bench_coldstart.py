"""Cold start, warm forecast and a 10,000-draw Monte Carlo, before and after, in one run (#15).

    PYTHONPATH=src python benchmarks/bench_coldstart.py --baseline-src /work/wt/perf-base/src
        [--draws 10000] [--skip-cold]

For each source tree (the baseline, e.g. a worktree of `main` before the speed work, and this
tree) the script runs, each in a fresh process with NUMBA_CACHE_DIR pointing to a new empty
directory:
  cold   `qimma forecast --json` with the empty cache (Numba compiles every kernel it uses);
  warm   the same command again (the kernels load from the cache);
  mc     `qimma forecast --draws N --seed 1 --json` (all six models, one worker), warm.
It prints wall and CPU seconds (children's user + system) and the ratio after / before, with the
load average, and checks that both trees print the same JSON for the Monte Carlo run.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = "from qimma.cli.main import run; run()"


def timed(src: Path, cache: Path, args: list[str]) -> tuple[float, float, str]:
    env = dict(os.environ, PYTHONPATH=str(src), NUMBA_CACHE_DIR=str(cache))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", CLI, *args], env=env, capture_output=True, text=True, check=True
    )
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, hashlib.sha256(out.stdout.encode()).hexdigest()[:12]


def measure(src: Path, draws: int, skip_cold: bool) -> dict[str, tuple[float, float, str]]:
    res = {}
    with tempfile.TemporaryDirectory(prefix="qimma-numba-") as cache:
        if not skip_cold:
            res["cold"] = timed(src, Path(cache), ["forecast", "--json"])
            print(
                f"  {src}: cold {res['cold'][0]:.1f} s wall, {res['cold'][1]:.1f} s CPU", flush=True
            )
        res["warm"] = timed(src, Path(cache), ["forecast", "--json"])
        print(f"  {src}: warm {res['warm'][0]:.1f} s wall, {res['warm'][1]:.1f} s CPU", flush=True)
        res["mc"] = timed(
            src, Path(cache), ["forecast", "--json", "--draws", str(draws), "--seed", "1"]
        )
        print(f"  {src}: mc {res['mc'][0]:.1f} s wall, {res['mc'][1]:.1f} s CPU", flush=True)
    return res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline-src", type=Path, required=True)
    ap.add_argument("--draws", type=int, default=10_000)
    ap.add_argument("--skip-cold", action="store_true")
    a = ap.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    before = measure(a.baseline_src, a.draws, a.skip_cold)
    after = measure(ROOT / "src", a.draws, a.skip_cold)
    print(f"load average at end: {os.getloadavg()[0]:.1f}")
    labels = {
        "cold": "cold start: qimma forecast, empty Numba cache",
        "warm": "warm forecast: qimma forecast",
        "mc": f"Monte Carlo: qimma forecast --draws {a.draws} (all six models)",
    }
    print(f"{'':58} {'before':>15} {'after':>15} {'after/before':>13}")
    print(f"{'':58} {'wall s':>7} {'cpu s':>7} {'wall s':>7} {'cpu s':>7} {'wall':>6} {'cpu':>6}")
    for k, label in labels.items():
        if k not in after:
            continue
        (bw, bc, _), (aw, ac, _) = before[k], after[k]
        print(f"{label:58} {bw:7.1f} {bc:7.1f} {aw:7.1f} {ac:7.1f} {aw / bw:6.2f} {ac / bc:6.2f}")
    print(f"Monte Carlo JSON identical before/after: {before['mc'][2] == after['mc'][2]}")


if __name__ == "__main__":
    main()
