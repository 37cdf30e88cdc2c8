"""A Monte Carlo on a real Dask cluster: `dask scheduler` and two `dask worker` processes.

The scenario is sent to the workers as its small input space and a draw range per chunk; each
worker regenerates its draws from the seed, so the cluster's result must be byte-identical to one
process's (docs/cluster.md says how a team runs this across machines).
"""

from __future__ import annotations

import json
import os

import psutil
import pytest

import qimma
from qimma.analysis.montecarlo import run_monte_carlo
from qimma.cli.main import run
from qimma.scenario.formats import load_scenario
from tests.dask_processes import dask_processes

distributed = pytest.importorskip("distributed")

# the models that need no compiled kernel: fresh worker processes start computing at once
MODELS = ["compromise", "median", "nash", "eum"]


@pytest.fixture
def small(fixtures):
    return load_scenario(fixtures / "analysis" / "small.yaml")


class _Done(Exception):
    """Raised inside the cluster's block to check that leaving on an error ends every process."""


def _cluster_pids(client: distributed.Client) -> list[int]:
    workers = client.run(os.getpid)
    nannies = client.run(os.getppid)
    return [client.run_on_scheduler(os.getpid), *workers.values(), *nannies.values()]


@pytest.mark.slow
def test_monte_carlo_through_a_real_scheduler_equals_one_process(small, fixtures, capsys):
    pids: list[int] = []
    with pytest.raises(_Done), dask_processes(workers=2) as address:
        with distributed.Client(address) as client:
            pids = _cluster_pids(client)
            # separate processes, importing the same qimma as this one
            homes = client.run(lambda: qimma.__file__)
            assert len(homes) == 2 and set(homes.values()) == {qimma.__file__}
            assert os.getpid() not in pids and len(set(pids)) == 5

            scheduler = address.replace("tcp://", "dask://")
            cluster = run_monte_carlo(small, MODELS, draws=3000, seed=9, scheduler=scheduler)

            # both workers computed chunks of it
            done = client.run(lambda dask_worker: dask_worker.state.executed_count)
            assert len(done) == 2 and all(n >= 1 for n in done.values()), done

            # the command a team runs, end to end
            path = str(fixtures / "analysis" / "small.yaml")
            argv = ["forecast", path, "-m", ",".join(MODELS), "-n", "3000", "--seed", "9"]
            assert run([*argv, "--json", "--scheduler", address]) == 0  # as printed: tcp://
            via_cli = json.loads(capsys.readouterr().out)
        raise _Done
    local = run_monte_carlo(small, MODELS, draws=3000, seed=9)
    for m in MODELS:
        assert cluster.outcomes[m].tobytes() == local.outcomes[m].tobytes(), m
    assert run([*argv, "--json"]) == 0
    assert via_cli == json.loads(capsys.readouterr().out)
    # leaving the block on an error ended the scheduler, both nannies and both workers
    alive = [p for p in pids if psutil.pid_exists(p) and psutil.Process(p).status() != "zombie"]
    assert alive == []
