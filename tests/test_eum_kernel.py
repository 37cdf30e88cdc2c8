"""The eum kernel (models/_eum_kernel.py) gives the same bytes as the NumPy rounds (eum_core).

The NumPy code is the implementation validated against the paper and the peers
(tests/test_eum.py, tests/test_eum_validation.py); the kernel only runs the same arithmetic in
another order of loops, so every output of the model is compared byte for byte, on the default
scenario's Monte Carlo draws and on seeded random scenarios with absent actors, short runs that
stop at max_rounds, and one thread against two.
"""

from __future__ import annotations

import numba as nb
import numpy as np
import pytest

from qimma.analysis.sampling import Distribution, arrays_from_uniforms, input_space, uniforms
from qimma.models import _eum_kernel, _jit
from qimma.models.base import ModelResult
from qimma.models.eum import EUModel
from qimma.scenario.arrays import ScenarioArrays
from qimma.scenario.formats import load_scenario


def _outputs(res: ModelResult) -> dict[str, np.ndarray]:
    out = {"outcome": res.outcome, "rounds": res.rounds, "positions": res.positions}
    out["n_rounds"] = res.n_rounds
    out.update({k: v for k, v in res.details.items() if isinstance(v, np.ndarray)})
    return out  # type: ignore[return-value]


def _run(arrays: ScenarioArrays, compiled: bool, **params: object) -> dict[str, np.ndarray]:
    model = EUModel(**params)  # type: ignore[arg-type]
    model._compiled = lambda *_: compiled  # type: ignore[method-assign]
    return _outputs(model.run(arrays))


def _random(n_a: int, n_i: int, n_d: int, seed: int) -> ScenarioArrays:
    rng = np.random.default_rng(seed)
    present = rng.random((n_a, n_i)) > 0.3
    present[:2] = True
    sq = rng.uniform(0, 10, (n_d, n_i))
    pos = np.where(present, rng.uniform(0, 10, (n_d, n_a, n_i)), sq[:, None, :])
    # a few actors share a position exactly, as they do after capitulations
    pos[:, 1] = np.where(present[1], pos[:, 0], pos[:, 1])
    return ScenarioArrays(
        actor_ids=tuple(f"a{k}" for k in range(n_a)),
        issue_ids=tuple(f"i{k}" for k in range(n_i)),
        positions=pos,
        saliences=np.where(present, rng.uniform(0.05, 1.0, (n_d, n_a, n_i)), 0.0),
        capabilities=np.where(present, rng.uniform(0.1, 1.0, (n_d, n_a, n_i)), 0.0),
        present=present,
        status_quo=sq,
        scale_min=np.zeros(n_i),
        scale_max=np.full(n_i, 10.0),
    )


def _default_draws(draws: int, seed: int) -> ScenarioArrays:
    space = input_space(load_scenario(None))
    u = uniforms(seed, 0, draws, space.n_inputs)
    return arrays_from_uniforms(space, u, Distribution.triangular)


def _assert_same(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> None:
    assert sorted(a) == sorted(b)
    for key in a:
        assert a[key].shape == b[key].shape, key
        assert a[key].tobytes() == b[key].tobytes(), key


@pytest.mark.parametrize("seed", [1, 11])
def test_default_scenario_draws_same_bytes(seed: int) -> None:
    arrays = _default_draws(120, seed)
    _assert_same(_run(arrays, False), _run(arrays, True))


@pytest.mark.parametrize(
    ("n_a", "n_i", "n_d", "seed", "params"),
    [
        (40, 3, 2, 1, {}),
        (12, 4, 15, 2, {}),
        (5, 3, 40, 3, {"max_rounds": 3}),  # rows stopped by max_rounds
        (9, 5, 10, 4, {"tol": 0.0, "range_from": "scale"}),
        (3, 2, 30, 5, {}),
    ],
)
def test_random_scenarios_same_bytes(
    n_a: int, n_i: int, n_d: int, seed: int, params: dict[str, object]
) -> None:
    arrays = _random(n_a, n_i, n_d, seed)
    _assert_same(_run(arrays, False, **params), _run(arrays, True, **params))


def test_every_stop_reason_is_exercised() -> None:
    """The comparisons above cover converged rows, cycles and rows stopped at max_rounds."""
    res = _run(_default_draws(120, 1), True)
    assert set(np.unique(res["stop_reason"])) == {0, 1, 2}


def test_thread_count_does_not_change_results() -> None:
    arrays = _default_draws(40, 5)
    before = nb.get_num_threads()
    try:
        nb.set_num_threads(1)
        one = _run(arrays, True)
        nb.set_num_threads(min(2, nb.config.NUMBA_NUM_THREADS))
        two = _run(arrays, True)
    finally:
        nb.set_num_threads(before)
    _assert_same(one, two)


@pytest.mark.parametrize("n", [0, 1, 7, 8, 9, 121, 128, 129, 200, 1600, 5000])
def test_denominator_sum_is_numpys_pairwise_sum(n: int) -> None:
    rng = np.random.default_rng(n)
    x = rng.standard_normal(n) * 10.0 ** rng.uniform(-5, 5, n)
    assert np.float64(_eum_kernel._numpy_sum(x, n)).tobytes() == np.sum(x).tobytes()


def test_small_runs_stay_in_numpy_and_variants_other_than_scholz_never_compile() -> None:
    assert not _jit.compiles("eum", 1, 11, 12)
    assert not EUModel(variant="paper")._compiled(10_000, 11, 12)
    assert not EUModel(q=0.5)._compiled(10_000, 11, 12)
