"""Forecast runs off the request path: a process pool computes, a callback stores the result.

The computation gets only plain data (the scenario's YAML and the run parameters), so a crash of
the worker process cannot corrupt the store; the result is written in one transaction.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from qimma.forecast import run_forecast
from qimma.models.registry import parse_model_list
from qimma.scenario.yaml_format import scenario_from_yaml_text
from qimma.web.repo import Repo


def compute_run(yaml_text: str, params: dict[str, Any]) -> dict[str, Any]:
    """Top-level so that it can run in another process."""
    scenario = scenario_from_yaml_text(yaml_text, "<run>")
    models = parse_model_list(",".join(params.get("models") or []) or None)
    fc = run_forecast(scenario, models)
    return fc.to_json()


class RunWorker:
    def __init__(self, repo: Repo, processes: int = 1) -> None:
        self.repo = repo
        # spawn, not fork: the server has threads, and forking a threaded process is unsafe
        ctx = multiprocessing.get_context("spawn")
        self.pool = ProcessPoolExecutor(max_workers=processes, mp_context=ctx)

    def submit(self, run_pk: int, yaml_text: str, params: dict[str, Any]) -> Future[Any]:
        self.repo.set_run_status(run_pk, "running")
        fut = self.pool.submit(compute_run, yaml_text, params)

        def _store(f: Future[Any]) -> None:
            try:
                self.repo.finish_run(run_pk, result=f.result())
            except Exception as e:  # the run fails, the server goes on
                self.repo.finish_run(run_pk, error=f"{type(e).__name__}: {e}")

        fut.add_done_callback(_store)
        return fut

    def shutdown(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
