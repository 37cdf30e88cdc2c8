"""Outputs of the Monte Carlo models on fixed inputs, for the speed work's regression fixture.

    PYTHONPATH=<checkout>/src python benchmarks/perf_reference.py OUT.npz

Run once with the code *before* a speed change (the validated implementation) to write
tests/fixtures/perf_reference.npz; tests/test_perf_reference.py then checks that the current code
gives the same bytes. The inputs are: the default scenario's triangular Monte Carlo draws (seed 11;
the scenario as it was at 78cb536, when the fixture was recorded, frozen in
tests/fixtures/perf_default_78cb536.yaml so that later edits of the shipped scenario do not void
the check)
for every registered model, and random scenarios (seeded) of several sizes for `exchange` and `smp`,
including absent stances. Expected values come from the previous implementation, which is validated
against Decide and KTAB by tests/test_exchange.py and tests/test_smp_ktab.py; they pin speed
refactors to the same bits, they do not validate the models.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from qimma.analysis.evaluate import run_models, runnable_models
from qimma.analysis.sampling import Distribution, arrays_from_uniforms, input_space, uniforms
from qimma.models.registry import get_model, model_names
from qimma.scenario.arrays import ScenarioArrays
from qimma.scenario.formats import load_scenario

MC_DRAWS = 300
FROZEN_DEFAULT = (
    Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "perf_default_78cb536.yaml"
)
MC_SEED = 11
RANDOM_CASES = ((40, 6, 3, 1), (20, 12, 2, 2), (12, 4, 4, 3), (60, 3, 1, 4))


def default_draws() -> tuple[ScenarioArrays, list[str]]:
    sc = load_scenario(FROZEN_DEFAULT)
    models, _ = runnable_models(model_names(), len(sc.issues))
    space = input_space(sc)
    u = uniforms(MC_SEED, 0, MC_DRAWS, space.n_inputs)
    return arrays_from_uniforms(space, u, Distribution.triangular), models


def random_arrays(n_a: int, n_i: int, n_d: int, seed: int) -> ScenarioArrays:
    rng = np.random.default_rng(seed)
    present = rng.random((n_a, n_i)) > 0.15
    present[:3] = True
    lo = np.zeros(n_i)
    hi = np.full(n_i, 10.0)
    sq = rng.uniform(0, 10, (n_d, n_i))
    pos = rng.uniform(0, 10, (n_d, n_a, n_i))
    pos = np.where(present, pos, sq[:, None, :])
    sal = np.where(present, rng.uniform(0.05, 1.0, (n_d, n_a, n_i)), 0.0)
    cap = np.where(present, rng.uniform(0.1, 1.0, (n_d, n_a, n_i)), 0.0)
    return ScenarioArrays(
        actor_ids=tuple(f"a{k}" for k in range(n_a)),
        issue_ids=tuple(f"i{k}" for k in range(n_i)),
        positions=pos,
        saliences=sal,
        capabilities=cap,
        present=present,
        status_quo=sq,
        scale_min=lo,
        scale_max=hi,
    )


def outputs() -> dict[str, np.ndarray]:
    arr, models = default_draws()
    out = {f"mc_{m}": v for m, v in run_models(arr, models).items()}
    for n_a, n_i, n_d, seed in RANDOM_CASES:
        ra = random_arrays(n_a, n_i, n_d, seed)
        for m in ("exchange", "smp"):
            res = get_model(m).run(ra)
            key = f"{m}_{n_a}x{n_i}"
            out[f"{key}_rounds"] = res.rounds
            out[f"{key}_positions"] = res.positions
            if m == "exchange":
                table = res.details["exchanges"]
                out[f"{key}_records"] = np.stack(
                    [table[f].astype(float) for f in table.dtype.names]
                )
                out[f"{key}_per_round"] = res.details["exchanges_per_round"]
    return out


if __name__ == "__main__":
    np.savez_compressed(sys.argv[1], **outputs())
