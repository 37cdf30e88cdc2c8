"""Speed of the analysis layer on the default scenario (figures go to docs/performance.md).

    python benchmarks/bench_analysis.py [--draws 10000] [--sobol-n 1024] [--loop-draws 100]
                                        [--scenario FILE] [--sobol-models compromise,median]

1. Monte Carlo: `draws` draws × every registered model, one vectorised call per model, with one
   worker and with two worker processes.
2. The baseline it is compared with: a naive Python loop over draws (sample one draw, run every
   model on it), timed on `loop-draws` draws and extrapolated linearly to `draws` draws.
3. Sobol: N·(K + 2) evaluations for K uncertain inputs, with the models given by --sobol-models
   (default: all registered models).
"""

from __future__ import annotations

import argparse
import os
import time

from qimma.analysis.evaluate import run_models, runnable_models
from qimma.analysis.montecarlo import run_monte_carlo
from qimma.analysis.sampling import Distribution, arrays_from_uniforms, input_space, uniforms
from qimma.analysis.sensitivity import run_sensitivity
from qimma.models.registry import model_names, parse_model_list
from qimma.scenario.formats import load_scenario


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenario", default=None)
    ap.add_argument("--draws", type=int, default=10_000)
    ap.add_argument("--loop-draws", type=int, default=100)
    ap.add_argument("--sobol-n", type=int, default=1024)
    ap.add_argument("--sobol-models", default=None)
    ap.add_argument("--skip-sobol", action="store_true")
    args = ap.parse_args()

    sc = load_scenario(args.scenario)
    models, skipped = runnable_models(model_names(), len(sc.issues))
    space = input_space(sc)
    print(
        f"scenario {sc.id}: {len(sc.actors)} actors × {len(sc.issues)} issues, "
        f"{len(space.uncertain())} uncertain inputs; models: {', '.join(models)}"
        f"{' (skipped: ' + ', '.join(skipped) + ')' if skipped else ''}; "
        f"cpus: {os.cpu_count()}"
    )

    # warm-up (imports, numba compilation) outside the timings
    run_monte_carlo(sc, models, draws=16, seed=0)

    t = time.perf_counter()
    res = run_monte_carlo(sc, models, draws=args.draws, seed=1)
    t_mc1 = time.perf_counter() - t
    print(f"monte carlo, {args.draws} draws × {len(models)} models, 1 worker: {t_mc1:.2f} s")

    t = time.perf_counter()
    res2 = run_monte_carlo(sc, models, draws=args.draws, seed=1, workers=2)
    t_mc2 = time.perf_counter() - t
    same = all(res.outcomes[m].tobytes() == res2.outcomes[m].tobytes() for m in models)
    print(f"monte carlo, 2 worker processes: {t_mc2:.2f} s (byte-identical to 1 worker: {same})")

    per_model: dict[str, float] = {}
    u_all = uniforms(1, 0, args.loop_draws, space.n_inputs)
    t0 = time.perf_counter()
    for k in range(args.loop_draws):
        arr = arrays_from_uniforms(space, u_all[k : k + 1], Distribution.triangular)
        for m in models:
            tm = time.perf_counter()
            run_models(arr, [m])
            per_model[m] = per_model.get(m, 0.0) + time.perf_counter() - tm
    t_loop = time.perf_counter() - t0
    t_loop_full = t_loop / args.loop_draws * args.draws
    print(
        f"naive loop over draws: {t_loop:.2f} s for {args.loop_draws} draws, "
        f"extrapolated to {args.draws}: {t_loop_full:.1f} s"
    )
    print(f"ratio naive loop / vectorised (1 worker): {t_loop_full / t_mc1:.1f}×")
    for m, tm in per_model.items():
        print(f"  loop time share {m}: {tm / t_loop:.0%}")

    if not args.skip_sobol:
        smodels = parse_model_list(args.sobol_models) if args.sobol_models else models
        t = time.perf_counter()
        sens = run_sensitivity(sc, smodels, method="sobol", n=args.sobol_n, seed=1)
        t_sobol = time.perf_counter() - t
        print(
            f"sobol N={args.sobol_n}, models {', '.join(sens.models)}: "
            f"{sens.evaluations:,} evaluations, {t_sobol:.1f} s"
        )


if __name__ == "__main__":
    main()
