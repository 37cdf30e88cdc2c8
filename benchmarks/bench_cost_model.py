"""Measure each model's time and memory against the cost model's laws (src/qimma/models/cost.py).

    PYTHONPATH=src python benchmarks/bench_cost_model.py [--fit] [--sizes 10x4,20x4,40x4,10x8,20x8]

For every model and scenario size (actors × issues) it runs the model in a fresh subprocess on
random arrays, after a warm-up call (Numba's compile or cache load is outside the measurement),
once on `--small` draws and once on `--large` draws:
- CPU seconds per draw: (large - small) / (large - small draws), so the per-call overhead cancels;
- bytes per draw: the growth of the process's peak resident memory between the two calls, divided
  by the extra draws (NumPy and Numba allocations alike).
It prints measured / predicted for each, and with `--fit` the least-squares law
value = c · actors^a · issues^b per model, in the form of cost.py's LAWS table.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, resource, sys, time
import numpy as np
from qimma.models.registry import get_model
from qimma.scenario.arrays import ScenarioArrays

name, a, i, small, large = sys.argv[1], *map(int, sys.argv[2:6])

def arrays(d):
    rng = np.random.default_rng(7)
    return ScenarioArrays(
        actor_ids=tuple(f"A{k}" for k in range(a)),
        issue_ids=tuple(f"I{k}" for k in range(i)),
        positions=rng.uniform(0, 100, (d, a, i)),
        saliences=rng.uniform(0.1, 1, (d, a, i)),
        capabilities=rng.uniform(1, 100, (d, a, i)),
        present=np.ones((a, i), dtype=bool),
        status_quo=rng.uniform(0, 100, (d, i)),
        scale_min=np.zeros(i),
        scale_max=np.full(i, 100.0),
    )

model = get_model(name)
# warm-up: compile or load the cache, at the measured size (a one-draw run may take the
# uncompiled path and leave the cache load to the measurement, see models/_jit.py)
model.run(arrays(small))
out = {}
for d in (small, large):
    x = arrays(d)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    t0 = time.process_time()
    model.run(x)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    out[d] = (time.process_time() - t0, peak - before)
print(json.dumps(out))
"""


def measure(name: str, a: int, i: int, small: int, large: int) -> tuple[float, float]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), NUMBA_NUM_THREADS="1")
    res = subprocess.run(
        [sys.executable, "-c", CHILD, name, str(a), str(i), str(small), str(large)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    out = json.loads(res.stdout)
    (t_s, _), (t_l, m_l) = out[str(small)], out[str(large)]
    extra = large - small
    # the large call's peak above what the small call already reached, per extra draw
    return max(t_l - t_s, 1e-9) / extra, max(m_l, 0.0) / extra


def fit(rows: list[tuple[int, int, float]]) -> tuple[float, float, float]:
    """Least squares of log(value) = log c + a log(actors) + b log(issues)."""
    x = np.array([[1.0, np.log(a), np.log(i)] for a, i, _ in rows])
    y = np.log([max(v, 1e-12) for _, _, v in rows])
    coef, *_ = np.linalg.lstsq(x, y, rcond=None)
    return float(np.exp(coef[0])), float(coef[1]), float(coef[2])


def main() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from qimma.models.cost import LAWS
    from qimma.models.registry import model_names

    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10x4,20x4,40x4,10x8,20x8")
    ap.add_argument("--small", type=int, default=8)
    ap.add_argument("--large", type=int, default=72)
    ap.add_argument("--models", default=",".join(model_names()))
    ap.add_argument("--fit", action="store_true")
    args = ap.parse_args()
    sizes = [tuple(int(v) for v in s.split("x")) for s in args.sizes.split(",")]
    print(
        f"{'model':<11}{'actors':>7}{'issues':>7}{'s/draw':>11}{'ratio':>7}{'B/draw':>11}{'ratio':>7}"
    )
    for name in args.models.split(","):
        secs, mems = [], []
        for a, i in sizes:
            s, m = measure(name, a, i, args.small, args.large)
            law = LAWS[name]
            print(
                f"{name:<11}{a:>7}{i:>7}{s:>11.2e}{s / law.seconds(1, a, i):>7.2f}"
                f"{m:>11.2e}{m / law.bytes_per_draw(a, i):>7.2f}",
                flush=True,
            )
            secs.append((a, i, s))
            mems.append((a, i, m))
        if args.fit:
            c, pa, pi = fit(secs)
            mc, ma, mi = fit([r for r in mems if r[2] > 0] or mems)
            print(
                f"  fit {name}: seconds {c:.3g}·A^{pa:.2f}·I^{pi:.2f}; "
                f"bytes {mc:.3g}·A^{ma:.2f}·I^{mi:.2f}"
            )


if __name__ == "__main__":
    main()
