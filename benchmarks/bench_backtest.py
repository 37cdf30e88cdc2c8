"""Time the DEU III backtest: every registered model, and the whole `qimma backtest deu3` run.

Prints each model's time on all 364 issues (one vectorised call, or one call per proposal for
models that need several issues) and its ratio to the compromise model in the same run, then the
end-to-end time including loading and the bootstrap. Target: all models under 60 s on 2 cores.

    PYTHONPATH=src python benchmarks/bench_backtest.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import time

from qimma.backtest.arrays import deu3_arrays
from qimma.backtest.deu3 import load_deu3
from qimma.backtest.harness import proposal_groups, run_backtest, run_model
from qimma.backtest.split import get_split
from qimma.models.registry import model_names


def best_of(repeat: int, fn) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    data = load_deu3()
    issues = list(range(data.n_issues))  # models run on every issue; 353 of them are scored
    arrays = deu3_arrays(data, issues)
    groups = proposal_groups(data, issues)
    print(f"DEU III: {len(issues)} issues, {len(groups)} proposals, {arrays.n_actors} actors")
    times = {
        name: best_of(args.repeat, lambda n=name: run_model(n, arrays, groups))
        for name in model_names()
    }
    base = times["compromise"]
    for name, t in times.items():
        print(f"{name:>12}: {t * 1000:9.2f} ms   ×{t / base:8.1f} compromise")
    print(f"{'all models':>12}: {sum(times.values()):9.3f} s")
    t_all = best_of(args.repeat, lambda: run_backtest(load_deu3(), get_split(data), n_boot=2000))
    print(f"{'end to end':>12}: {t_all:9.3f} s  (load, all models, 2000 bootstrap replicates)")


if __name__ == "__main__":
    main()
