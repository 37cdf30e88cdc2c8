"""Worker processes and Dask honour the same memory cap per call as one process.

One process cuts a run whose draws would not fit the models' memory laws (models/cost.py) into
calls of at most `max_draws_per_call` draws. Local worker processes hold one call each at the same
time, beside the command, so their chunks are cut smaller still: K workers and the command
together hold no more than one process's call. A Dask worker (one thread) holds one chunk, as
large as one process's call at most.
"""

from __future__ import annotations

import pytest

import qimma.analysis.montecarlo as mc
from qimma.analysis.sampling import input_space
from qimma.models import cost
from qimma.scenario.formats import load_scenario

FAST = ["compromise", "median"]
CAP = 100  # draws per call the patched machine allows


@pytest.fixture
def small(fixtures):
    return load_scenario(fixtures / "analysis" / "small.yaml")


@pytest.fixture
def calls(small, monkeypatch):
    """Draws in each call the Monte Carlo hands out, on a machine whose memory allows CAP."""
    actors, issues = input_space(small).present.shape
    per_draw = max(cost.LAWS[m].bytes_per_draw(actors, issues) for m in FAST)
    monkeypatch.setattr(cost, "machine_memory", lambda: CAP * per_draw / cost.MEMORY_SHARE)
    assert cost.max_draws_per_call(FAST, actors, issues) == CAP
    seen: list[int] = []
    real = mc.map_ordered

    def recording(fn, items, **kw):
        seen.extend(c.stop - c.start for c in items)
        return real(fn, items, **kw)

    monkeypatch.setattr(mc, "map_ordered", recording)
    return seen


def test_one_process_cuts_calls_to_the_memory_cap(small, calls):
    res = mc.run_monte_carlo(small, FAST, draws=1000, seed=4)
    assert sum(calls) == 1000 and max(calls) <= CAP
    assert res.outcomes["median"].shape[0] == 1000


def test_local_workers_together_hold_no_more_than_one_call(small, calls):
    one = mc.run_monte_carlo(small, FAST, draws=1000, seed=4, chunks=1)
    calls.clear()
    ticks: list[int] = []
    two = mc.run_monte_carlo(small, FAST, draws=1000, seed=4, workers=2, progress=ticks.append)
    # two workers at once and the command beside them, each at most a third of a call: together
    # never more than one process's call
    assert sum(calls) == 1000 and 3 * max(calls) <= CAP
    # and the progress announced beforehand counts those chunks
    shape = input_space(small).present.shape
    total = mc.progress_total(FAST, 2, None, None, 1000 * shape[0] * shape[1], 1000, shape)
    assert len(ticks) == len(calls) == total
    for m in FAST:
        assert one.outcomes[m].tobytes() == two.outcomes[m].tobytes()


def test_dask_workers_hold_no_larger_call_than_one_process(small, calls):
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        res = mc.run_monte_carlo(small, FAST, draws=1000, seed=4, client=client)
    assert sum(calls) == 1000 and max(calls) <= CAP
    assert res.outcomes["compromise"].shape[0] == 1000


@pytest.mark.parametrize(("name", "draws"), [("smp", 120), ("exchange", 24)])
def test_memory_law_bounds_the_iterating_models_over_many_draws(name, draws):
    """The iterating models keep every round per draw: the law must cover that, per draw (one
    draw of many actors, in tests/test_edge_inputs.py, does not show it)."""
    import tracemalloc

    import numpy as np

    from qimma.models.registry import get_model
    from qimma.scenario.arrays import ScenarioArrays

    a, i = 11, 12  # the default scenario's size
    rng = np.random.default_rng(5)
    arrays = ScenarioArrays(
        actor_ids=tuple(f"A{k}" for k in range(a)),
        issue_ids=tuple(f"I{k}" for k in range(i)),
        positions=rng.uniform(0, 100, (draws, a, i)),
        saliences=rng.uniform(0.1, 1, (draws, a, i)),
        capabilities=rng.uniform(1, 100, (draws, a, i)),
        present=np.ones((a, i), dtype=bool),
        status_quo=rng.uniform(0, 100, (draws, i)),
        scale_min=np.zeros(i),
        scale_max=np.full(i, 100.0),
    )
    model = get_model(name)
    model.run(arrays.draw(0))  # compile or load the kernels outside the measurement
    tracemalloc.start()
    res = model.run(arrays)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert res.n_rounds is not None and res.n_rounds.max() > 2  # the runs did iterate
    assert peak / draws <= cost.LAWS[name].bytes_per_draw(a, i)
