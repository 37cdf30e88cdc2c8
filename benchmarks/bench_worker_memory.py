"""Peak memory of a large Monte Carlo in one process, in local worker processes and on Dask.

    PYTHONPATH=src python benchmarks/bench_worker_memory.py [--draws 100000]
        [--models compromise,median,nash] [--modes one,workers,dask]

Runs `qimma forecast --draws N` on the default scenario as a separate process three ways: in one
process, with `--workers 2`, and with `--scheduler` on a real Dask cluster (a `dask scheduler`
and two `dask worker` processes on loopback, one thread each). Every 20 ms it reads the resident
memory of each process involved (the command, its worker processes, the Dask workers), and
prints the peak of each and of their sum, with ratios against the one-process run. It also checks
that the three runs printed the same JSON, and prints the chunks each run was cut into.

The claim measured: a worker (local or Dask) holds no larger a call than one process does, so no
worker needs more memory than the one-process run.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from qimma.analysis.montecarlo import law_chunks, n_chunks  # noqa: E402
from qimma.analysis.sampling import input_space  # noqa: E402
from qimma.models.cost import max_draws_per_call  # noqa: E402
from qimma.scenario.formats import load_default_scenario  # noqa: E402
from tests.dask_processes import dask_processes  # noqa: E402


@dataclass
class Peaks:
    command: float  # bytes: the qimma process itself
    worker: float  # the largest worker process (0 in one process)
    total: float  # the largest sum over all processes at one instant
    seconds: float
    digest: str  # of the JSON printed


def _rss(p: psutil.Process) -> float:
    try:
        return float(p.memory_info().rss)
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return 0.0


def measure(argv: list[str], extra: list[int]) -> Peaks:
    """Run the command, sampling it, its children and the `extra` processes (Dask workers)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    out = Path(os.environ.get("TMPDIR", "/tmp")) / f"qimma-bench-mem-{os.getpid()}.json"
    t0 = time.perf_counter()
    with out.open("wb") as f:
        proc = subprocess.Popen(argv, stdout=f, stderr=subprocess.DEVNULL, env=env)
    me = psutil.Process(proc.pid)
    others = [psutil.Process(p) for p in extra]
    base = {p.pid: _rss(p) for p in others}  # Dask workers hold their imports already
    peak_cmd = peak_worker = peak_total = 0.0
    while proc.poll() is None:
        try:
            kids = me.children(recursive=True)
        except psutil.NoSuchProcess:
            kids = []
        cmd = _rss(me)
        workers = [_rss(k) for k in kids] + [_rss(p) - base[p.pid] for p in others]
        peak_cmd = max(peak_cmd, cmd)
        peak_worker = max([peak_worker, *workers])
        peak_total = max(peak_total, cmd + sum(workers))
        time.sleep(0.02)
    secs = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited with {proc.returncode}")
    digest = hashlib.sha256(out.read_bytes()).hexdigest()[:12]
    out.unlink()
    return Peaks(peak_cmd, peak_worker, peak_total, secs, digest)


def show(name: str, p: Peaks, one: Peaks | None) -> None:
    ratio = p.worker / one.command if p.worker and one else float("nan")
    print(
        f"{name:32} {p.command / 1e6:8.0f}M {p.worker / 1e6:8.0f}M {p.total / 1e6:8.0f}M "
        f"{ratio:10.2f} {p.seconds:6.1f}  {p.digest}",
        flush=True,
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--draws", type=int, default=100_000)
    ap.add_argument("--models", default="compromise,median,nash")
    ap.add_argument("--modes", default="one,workers,dask")
    a = ap.parse_args()
    models = a.models.split(",")
    space = input_space(load_default_scenario())
    actors, issues = space.present.shape
    cells = a.draws * actors * issues
    cap = max_draws_per_call(models, actors, issues)
    print(
        f"default scenario: {actors} actors x {issues} issues; {a.draws:,} draws; "
        f"models {a.models}; memory law: at most {cap:,} draws per call "
        f"({psutil.virtual_memory().total / 1e9:.0f} GB machine, {os.cpu_count()} cores)"
    )
    base = [sys.executable, "-c", "from qimma.cli.main import run; raise SystemExit(run())"]
    argv = [*base, "forecast", "-m", a.models, "-n", str(a.draws), "--seed", "1", "--json"]
    rows: dict[str, Peaks] = {}
    print(f"{'mode':32} {'command':>9} {'worker':>9} {'all':>9} {'worker/one':>10} {'s':>6}  json")
    one: Peaks | None = None
    for mode in a.modes.split(","):
        if mode not in ("one", "workers", "dask"):
            raise SystemExit(f"unknown mode {mode}: one, workers or dask")
        workers = 2 if mode == "workers" else 1
        scheduler = "dask" if mode == "dask" else None
        c = max(
            n_chunks(workers, scheduler, None, None, cells),
            law_chunks(models, a.draws, (actors, issues), workers, local=scheduler is None),
        )
        if mode == "dask":
            from distributed import Client

            with dask_processes(workers=2) as address, Client(address) as client:
                pids = list(client.run(os.getpid).values())
                sched = address.replace("tcp://", "dask://")
                p = measure([*argv, "--scheduler", sched], pids)
            name = f"Dask, 2 workers ({c} chunks)"
        elif mode == "workers":
            p, name = measure([*argv, "--workers", "2"], []), f"--workers 2 ({c} chunks)"
        else:
            p, name = measure(argv, []), f"one process ({c} calls)"
            one = p
        rows[name] = p
        show(name, p, one)
    same = len({p.digest for p in rows.values()}) == 1
    print("same JSON in every mode" if same else "JSON DIFFERS between modes")
    print("(Dask worker figures: growth over the worker's resident memory before the run)")


if __name__ == "__main__":
    main()
