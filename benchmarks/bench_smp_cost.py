"""smp's time per draw from 10 to 1,000 actors against its cost law (src/qimma/models/cost.py).

    PYTHONPATH=src python benchmarks/bench_smp_cost.py [--sizes 10x4:64,...,1000x2:1] [--fit]

Each size is actors × issues : draws of a seeded random scenario (benchmarks/perf_reference.py
random_arrays: uniform positions, saliences and capabilities, ~15% absent stances), run by the
compiled kernel on one thread (NUMBA_NUM_THREADS=1, as the law counts CPU seconds of one core)
after a warm-up call that compiles or loads the cache. The default scenario's Monte Carlo
(triangular draws, seed 1) is the first row. Columns: CPU seconds per draw (process time, steadier
than wall time on a shared machine), turns (mean over the draws), the law's seconds per draw and
measured / law. --fit prints the least-squares law c · A^a · I^b of these rows, and --law
'c,a,b' prints the ratios against another law (e.g. the one before a refit) in the same run.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SIZES = (
    "10x4:64,20x4:64,40x4:16,10x12:32,20x8:32,80x3:4,160x3:1,200x2:1,400x2:1,700x2:1,1000x2:1"
)


def default_mc(draws: int):  # type: ignore[no-untyped-def]
    from qimma.analysis.sampling import (
        Distribution,
        arrays_from_uniforms,
        input_space,
        uniforms,
    )
    from qimma.scenario.formats import load_scenario

    space = input_space(load_scenario(None))
    return arrays_from_uniforms(
        space, uniforms(1, 0, draws, space.n_inputs), Distribution.triangular
    )


def main() -> None:
    os.environ.setdefault("NUMBA_NUM_THREADS", "1")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from perf_reference import random_arrays

    from qimma.models import _jit
    from qimma.models.cost import LAWS
    from qimma.models.smp import SMPModel

    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default=DEFAULT_SIZES)
    ap.add_argument("--mc-draws", type=int, default=2000)
    ap.add_argument("--fit", action="store_true")
    ap.add_argument("--law", default=None, help="another law c,a,b to compare with")
    args = ap.parse_args()
    _jit.compiles = lambda *a: True  # the compiled kernel at every size (the law's subject)
    law = LAWS["smp"]
    other = [float(v) for v in args.law.split(",")] if args.law else None
    model = SMPModel()
    model.run(random_arrays(8, 3, 2, 0))
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"law: {law.s:.3g} · A^{law.sa} · I^{law.si} s/draw")
    head = (
        f"{'actors':>7}{'issues':>7}{'draws':>6}{'turns':>7}{'s/draw':>11}{'law':>11}{'ratio':>7}"
    )
    print(head + ("   ratio(other)" if other else ""), flush=True)
    rows = []
    cases = [("mc", 11, 12, args.mc_draws)]
    for size in args.sizes.split(","):
        dims, draws = size.split(":")
        a, i = (int(v) for v in dims.split("x"))
        cases.append(("random", a, i, int(draws)))
    for kind, a, i, d in cases:
        arr = default_mc(d) if kind == "mc" else random_arrays(a, i, d, a + i)
        t = time.process_time()
        res = model.run(arr)
        per_draw = (time.process_time() - t) / d
        assert res.n_rounds is not None
        pred = law.seconds(1, a, i)
        line = (
            f"{a:>7}{i:>7}{d:>6}{res.n_rounds.mean():>7.1f}{per_draw:>11.3e}{pred:>11.3e}"
            f"{per_draw / pred:>7.2f}"
        )
        if other:
            line += f"{per_draw / (other[0] * a ** other[1] * i ** other[2]):>15.3f}"
        print(line, flush=True)
        rows.append((a, i, per_draw))
    if args.fit:
        x = np.array([[1.0, np.log(a), np.log(i)] for a, i, _ in rows])
        y = np.log([t for _, _, t in rows])
        coef, *_ = np.linalg.lstsq(x, y, rcond=None)
        print(f"fit: {np.exp(coef[0]):.3g} · A^{coef[1]:.2f} · I^{coef[2]:.2f} s/draw")
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
