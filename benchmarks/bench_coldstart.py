"""Cold start, warm forecast and a 10,000-draw Monte Carlo, before and after, in one run (#15).

    PYTHONPATH=src python benchmarks/bench_coldstart.py --baseline-src /work/wt/perf-base/src
        [--draws 10000] [--skip-cold] [--skip-mc]

For each source tree (the baseline, e.g. a worktree of `main` before the speed work, and this
tree) the script runs, each in a fresh process with NUMBA_CACHE_DIR pointing to a new empty
directory:
  cold     `qimma forecast --json` with the empty cache (what a new user's first run does);
  warm     the same command again;
  mc-first `qimma forecast --draws 100 --seed 1 --json`: compiles whatever the Monte Carlo needs
           that the forecast did not (not compared: it only prepares the timed run);
  mc       `qimma forecast --draws N --seed 1 --json` (all six models, one worker), warm.
It prints wall and CPU seconds (the child's user + system), the time to the first byte of output,
how many kernels the cold run left in the cache (compiled), the ratio after / before and the load
average, and checks that both trees print the same JSON for the Monte Carlo run.
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


class Timing:
    def __init__(self, wall: float, cpu: float, first: float, digest: str) -> None:
        self.wall, self.cpu, self.first, self.digest = wall, cpu, first, digest


def timed(src: Path, cache: Path, args: list[str]) -> Timing:
    env = dict(os.environ, PYTHONPATH=str(src), NUMBA_CACHE_DIR=str(cache))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", CLI, *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert proc.stdout is not None
    head = proc.stdout.read(1)
    first = time.perf_counter() - t
    out = head + proc.stdout.read()
    if proc.wait() != 0:
        raise SystemExit(f"{src}: qimma {' '.join(args)} failed")
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(wall, cpu, first, hashlib.sha256(out).hexdigest()[:12])


def kernels_in(cache: Path) -> int:
    """Compiled kernel entry points Numba cached (one index file each)."""
    return sum(1 for _ in cache.rglob("*.nbi"))


def measure(src: Path, draws: int, skip_cold: bool, skip_mc: bool) -> dict[str, Timing]:
    res: dict[str, Timing] = {}
    load = f"load {os.getloadavg()[0]:.1f}"
    with tempfile.TemporaryDirectory(prefix="qimma-numba-") as tmp:
        cache = Path(tmp)
        runs = [] if skip_cold else [("cold", ["forecast", "--json"])]
        runs.append(("warm", ["forecast", "--json"]))
        if not skip_mc:
            mc = ["forecast", "--json", "--seed", "1", "--draws"]
            runs += [("mc-first", [*mc, "100"]), ("mc", [*mc, str(draws)])]
        for name, args in runs:
            r = res[name] = timed(src, cache, args)
            print(
                f"  {src} [{load}]: {name:8} {r.wall:6.1f} s wall {r.cpu:6.1f} s CPU, "
                f"first output after {r.first:.1f} s, {kernels_in(cache)} kernels cached",
                flush=True,
            )
            load = f"load {os.getloadavg()[0]:.1f}"
    return res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline-src", type=Path, required=True)
    ap.add_argument("--draws", type=int, default=10_000)
    ap.add_argument("--skip-cold", action="store_true")
    ap.add_argument("--skip-mc", action="store_true")
    a = ap.parse_args()
    print(time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), flush=True)
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    before = measure(a.baseline_src, a.draws, a.skip_cold, a.skip_mc)
    after = measure(ROOT / "src", a.draws, a.skip_cold, a.skip_mc)
    print(f"load average at end: {os.getloadavg()[0]:.1f}")
    labels = {
        "cold": "cold start: qimma forecast, empty Numba cache",
        "warm": "warm forecast: qimma forecast",
        "mc": f"Monte Carlo: qimma forecast --draws {a.draws} (all six models)",
    }
    print(f"{'':60} {'before':>15} {'after':>15} {'after/before':>13}")
    print(f"{'':60} {'wall s':>7} {'cpu s':>7} {'wall s':>7} {'cpu s':>7} {'wall':>6} {'cpu':>6}")
    for k, label in labels.items():
        if k not in after:
            continue
        b, f = before[k], after[k]
        print(
            f"{label:60} {b.wall:7.1f} {b.cpu:7.1f} {f.wall:7.1f} {f.cpu:7.1f} "
            f"{f.wall / b.wall:6.2f} {f.cpu / b.cpu:6.2f}"
        )
    if "cold" in after:
        print(
            f"forecast JSON identical before/after: {before['cold'].digest == after['cold'].digest}"
        )
    if "mc" in after:
        print(
            f"Monte Carlo JSON identical before/after: {before['mc'].digest == after['mc'].digest}"
        )


if __name__ == "__main__":
    main()
