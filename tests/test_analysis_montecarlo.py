"""Monte Carlo: one vectorised call per model, reproducible by seed on any number of workers."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pytest

from qimma.analysis.montecarlo import POOLED, run_monte_carlo
from qimma.analysis.parallel import parse_scheduler
from qimma.analysis.sampling import arrays_from_uniforms, input_space, uniforms
from qimma.errors import InputError
from qimma.models import registry
from qimma.models.base import BargainingModel, ModelResult
from qimma.models.compromise import weighted_mean
from qimma.scenario.formats import load_scenario


@pytest.fixture
def small(fixtures):
    return load_scenario(fixtures / "analysis" / "small.yaml")


class _Counting(BargainingModel):
    name = "counting"
    title_en = title_ar = "counting"
    calls: ClassVar[list[int]] = []

    def run(self, arrays):
        _Counting.calls.append(arrays.n_draws)
        return ModelResult(self.name, weighted_mean(arrays))


def test_each_model_called_once_on_all_draws(small, monkeypatch):
    monkeypatch.setitem(registry.MODELS, "counting", _Counting)
    _Counting.calls.clear()
    res = run_monte_carlo(small, ["counting", "median"], draws=5000, seed=1)
    assert _Counting.calls == [5000]
    assert res.outcomes["counting"].shape == (5000, 2)


def test_same_seed_same_bytes_other_seed_differs(small):
    a = run_monte_carlo(small, draws=120, seed=11)
    b = run_monte_carlo(small, draws=120, seed=11)
    c = run_monte_carlo(small, draws=120, seed=12)
    for m in a.models:
        assert a.outcomes[m].tobytes() == b.outcomes[m].tobytes()
    assert not np.array_equal(a.outcomes["compromise"], c.outcomes["compromise"])
    assert a.to_json() == b.to_json()


def test_two_worker_processes_give_identical_bytes(small):
    # the two fast models: spawned workers would otherwise JIT-compile the numba models anew;
    # every model's draw independence is checked separately below
    fast = ["compromise", "median"]
    one = run_monte_carlo(small, fast, draws=600, seed=5, workers=1)
    two = run_monte_carlo(small, fast, draws=600, seed=5, workers=2)
    for m in one.models:
        assert one.outcomes[m].tobytes() == two.outcomes[m].tobytes()


def test_dask_local_cluster_gives_identical_bytes(small):
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=1,
            threads_per_worker=2,
            processes=False,
            protocol="tcp",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        viaclient = run_monte_carlo(small, draws=600, seed=5, client=client, chunks=5)
        address = cluster.scheduler_address.replace("tcp://", "dask://")
        viaaddress = run_monte_carlo(small, draws=600, seed=5, scheduler=address)
        # the address exactly as `dask scheduler` prints it
        viatcp = run_monte_carlo(small, draws=600, seed=5, scheduler=cluster.scheduler_address)
    local = run_monte_carlo(small, draws=600, seed=5)
    for m in local.models:
        assert local.outcomes[m].tobytes() == viaclient.outcomes[m].tobytes()
        assert local.outcomes[m].tobytes() == viaaddress.outcomes[m].tobytes()
        assert local.outcomes[m].tobytes() == viatcp.outcomes[m].tobytes()


@pytest.mark.parametrize(
    ("address", "client_address"),
    [
        ("tcp://10.0.0.5:8786", "tcp://10.0.0.5:8786"),
        ("dask://10.0.0.5:8786", "tcp://10.0.0.5:8786"),
        ("tcp://[::1]:8786", "tcp://[::1]:8786"),
    ],
)
def test_scheduler_address_accepts_tcp_and_dask(address, client_address):
    assert parse_scheduler(address) == client_address


@pytest.mark.parametrize(
    "address",
    ["10.0.0.5:8786", "http://h:8786", "tcp://h", "tcp://:8786", "dask://h:99999", "tcp://"],
)
def test_scheduler_address_refused_with_the_fix(address):
    with pytest.raises(InputError) as e:
        parse_scheduler(address)
    (problem,) = e.value.problems
    assert problem.path == "execution.scheduler"
    assert "tcp://HOST:PORT" in (problem.fix_en or "")
    assert "tcp://HOST:PORT" in (problem.fix_ar or "")


def test_every_registered_model_treats_draws_independently(small):
    """The worker-count guarantee needs each model's draw d to depend on draw d only."""
    space = input_space(small)
    arr = arrays_from_uniforms(space, uniforms(3, 0, 64, space.n_inputs))
    for name in registry.model_names():
        model = registry.get_model(name)
        if arr.n_issues < model.min_issues:
            continue
        whole = model.run(arr).outcome
        parts = np.concatenate(
            [model.run(arr.draw(k)).outcome for k in (0, 1)]
            + [model.run(_slice(arr, 2, 64)).outcome]
        )
        assert whole.tobytes() == parts.tobytes(), name


def _slice(arr, a, b):
    from dataclasses import replace

    return replace(
        arr,
        positions=arr.positions[a:b],
        saliences=arr.saliences[a:b],
        capabilities=arr.capabilities[a:b],
        status_quo=arr.status_quo[a:b],
    )


def test_issue_stats_match_hand_values(small):
    # Issue Y: A and B have equal fixed weights, positions triangular (50,60,70) and (30,40,50):
    # both models give (xA + xB) / 2, whose mean is (60 + 40) / 2 = 50 and which lies in 40..60.
    res = run_monte_carlo(small, ["compromise", "median"], draws=20_000, seed=2)
    stats = {(s.issue, s.model): s for s in res.issue_stats()}
    y = stats[("Y", POOLED)]
    assert y.mean == pytest.approx(50, abs=0.1)
    assert 40 <= y.q10 < y.q25 < y.median < y.q75 < y.q90 <= 60
    # symmetric: the median is the mean; var of each triangular = (a²+b²+c²-ab-ac-bc)/18 = 100/6
    # -> sd of the average = sqrt(2 * 100/6) / 2 = 2.04; the 50% interval is about ±0.674 sd
    assert y.median == pytest.approx(50, abs=0.1)
    assert (y.q75 - y.q25) / 2 == pytest.approx(0.674 * (2 * 100 / 6) ** 0.5 / 2, rel=0.05)
    assert sum(y.hist_counts) == 2 * 20_000


def test_bad_draws_is_an_input_error(small):
    with pytest.raises(InputError):
        run_monte_carlo(small, draws=0)


def test_progress_is_reported_per_model_in_process(small):
    ticks: list[int] = []
    run_monte_carlo(small, ["compromise", "median"], draws=100, seed=0, progress=ticks.append)
    assert ticks == [1, 1]


def test_large_runs_are_cut_into_chunks_with_the_same_bytes(small, monkeypatch):
    import qimma.analysis.montecarlo as mc

    whole = run_monte_carlo(small, ["compromise", "median"], draws=3000, seed=3)
    monkeypatch.setattr(mc, "MAX_CELLS_PER_CALL", 1000)  # 3000 draws × 6 cells -> 18 chunks
    _Counting.calls.clear()
    monkeypatch.setitem(registry.MODELS, "counting", _Counting)
    cut = run_monte_carlo(small, ["compromise", "median", "counting"], draws=3000, seed=3)
    assert len(_Counting.calls) == 18
    for m in whole.models:
        assert whole.outcomes[m].tobytes() == cut.outcomes[m].tobytes()
