"""Forecast runs off the request path: a process pool computes, a callback stores the result.

The computation gets only plain data (the scenario as JSON and the run parameters), so a crash of
the worker process cannot corrupt the store; the result is written in one transaction. While it
computes, the worker process writes the run's progress (one small UPDATE per step) to the store.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from qimma.app import Analyses, Execution, RunRequest, parse_models, run
from qimma.forecast import Forecast
from qimma.scenario.model import Scenario
from qimma.web.repo import Repo

LANGS = ("en", "ar")
ProgressFn = Callable[[float, str], None]


def _progress_to_store(store_url: str | None, run_pk: int) -> ProgressFn:
    """A progress callback writing to the run's row: each new step, else at most 5 a second."""
    if store_url is None:
        return lambda fraction, note: None
    from qimma.store.db import make_engine

    repo = Repo(make_engine(store_url))
    last: list[Any] = [0.0, None]

    def report(fraction: float, note: str) -> None:
        t = time.monotonic()
        if note == last[1] and t - last[0] < 0.2:
            return
        last[0], last[1] = t, note
        # progress is a courtesy: a busy store must not fail the run
        with contextlib.suppress(Exception):
            repo.set_progress(run_pk, fraction, note)

    return report


def interactive_charts(fc: Forecast) -> dict[str, list[dict[str, str]]]:
    """The report's interactive charts (qimma.report.interactive), in both languages.

    Computed here, once, so that the results page only inserts them. Plotly writes its data as
    JSON with '<' escaped, so a label cannot break out of the chart's script."""
    from qimma.report import interactive
    from qimma.report.i18n import t

    return {
        lang: [
            {
                "id": f"positions-{issue.id}",
                "caption": f"{t('positions_chart', lang)} — {issue.name.get(lang)}",
                "div": interactive.positions_div(fc, i, lang),
            }
            for i, issue in enumerate(fc.scenario.issues)
        ]
        for lang in LANGS
    }


MC_CHUNKS = 20  # the draws are computed in this many chunks, so that progress moves


def run_request(params: dict[str, Any]) -> RunRequest:
    """The application layer's request for a run form's parameters (models, draws, seed,
    levers): the Monte Carlo with more than one draw, the what-if with levers."""
    draws = int(params.get("draws") or 1)
    levers = tuple(params.get("levers") or ()) if params.get("kind") == "whatif" else ()
    return RunRequest(
        models=parse_models(list(params.get("models") or [])),
        draws=draws,
        seed=int(params.get("seed") or 0),
        levers=levers,
        analyses=Analyses(montecarlo=draws > 1 or bool(levers)),
        execution=Execution(chunks=min(MC_CHUNKS, draws)),
    )


def compute_run(
    scenario_json: str,
    params: dict[str, Any],
    store_url: str | None = None,
    run_pk: int = 0,
) -> dict[str, Any]:
    """Top-level so that it can run in another process: the one pipeline (qimma.app.run), its
    result as JSON, and the interactive charts of the forecast."""
    store = _progress_to_store(store_url, run_pk)
    scenario = Scenario.model_validate_json(scenario_json)
    result = run(scenario, run_request(params), lambda ev: store(0.95 * ev.fraction, ev.note()))
    data = result.to_json()
    if not result.request.levers:
        store(0.95, "charts")
        data["charts"] = interactive_charts(result.forecast)
    return data


def compute_backtest() -> dict[str, Any]:
    """The DEU III backtest of every registered model, as `qimma backtest deu3` runs it."""
    from qimma.backtest.deu3 import load_deu3
    from qimma.backtest.harness import REFERENCE_MODEL, run_backtest
    from qimma.backtest.report import clean_json, header_lines, labels
    from qimma.backtest.split import get_split

    data = load_deu3()
    bt = run_backtest(data, get_split(data))
    out = clean_json(bt.to_json())
    assert isinstance(out, dict)
    out.pop("predictions", None)  # per-issue rows: in `qimma backtest deu3 --out`, not the page
    out["header"] = {lang: header_lines(bt, lang) for lang in LANGS}
    out["labels"] = {lang: labels(lang) for lang in LANGS}
    out["reference_model"] = REFERENCE_MODEL
    out["notes"] = dict(bt.notes)
    return out


WATCH_SECONDS = 0.5  # how often a worker process checks that the server is still there
WORKER_NICENESS = 10  # computations yield the CPU to the pages


def _watch_parent(parent_pid: int) -> None:
    """In a worker process: exit at once when the server that started it is gone.

    A worker left behind by a killed server (kill -9, OOM) would go on computing a run nobody
    will read, holding memory and the store; its parent then becomes another process."""
    while True:
        time.sleep(WATCH_SECONDS)
        if os.getppid() != parent_pid:
            os._exit(3)


def _worker_init(parent_pid: int) -> None:
    """Each worker process: lower priority than the server, and it ends with the server."""
    with contextlib.suppress(OSError):
        os.nice(WORKER_NICENESS)
    threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()


_pools: dict[int, ProcessPoolExecutor] = {}
_pools_lock = threading.Lock()


def shared_pool(processes: int, broken: ProcessPoolExecutor | None = None) -> ProcessPoolExecutor:
    """The process's pool of worker processes, shared by every app built in this process (one in
    production; many in tests, which then start Python and import qimma once, not per app).
    Worker processes start on the first run. A pool broken by a killed worker is replaced."""
    with _pools_lock:
        pool = _pools.get(processes)
        if pool is None or pool is broken:
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
            # spawn, not fork: the server has threads, and forking a threaded process is unsafe
            ctx = multiprocessing.get_context("spawn")
            pool = ProcessPoolExecutor(
                max_workers=processes,
                mp_context=ctx,
                initializer=_worker_init,
                initargs=(os.getpid(),),
            )
            _pools[processes] = pool
        return pool


def stop_pools() -> None:
    """End every worker process now, computing or not (the server is stopping)."""
    with _pools_lock:
        pools = list(_pools.values())
        _pools.clear()
    for pool in pools:
        procs = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for proc in procs:  # ProcessPoolExecutor has no public terminate before Python 3.14
            with contextlib.suppress(Exception):
                proc.kill()
        for proc in procs:
            with contextlib.suppress(Exception):
                proc.join(timeout=5)


class RunWorker:
    def __init__(self, repo: Repo, processes: int = 1, *, stop_workers: bool = False) -> None:
        self.repo = repo
        url = repo.engine.url
        # an in-memory SQLite store cannot be reached from another process: no progress then
        in_memory = url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")
        self.store_url = None if in_memory else url.render_as_string(hide_password=False)
        self.processes = processes
        self.stop_workers = stop_workers  # the pool is this server's alone (`qimma serve`)
        self.stopping = False
        self._futures: set[Future[Any]] = set()

    def _submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        """Submit to the pool; a pool broken by a killed worker process is replaced once."""
        pool = shared_pool(self.processes)
        try:
            fut = pool.submit(fn, *args)
        except BrokenProcessPool:
            fut = shared_pool(self.processes, broken=pool).submit(fn, *args)
        self._futures.add(fut)
        fut.add_done_callback(self._futures.discard)
        return fut

    def submit(self, run_pk: int, scenario: Scenario, params: dict[str, Any]) -> Future[Any]:
        self.repo.set_run_status(run_pk, "running")
        fut = self._submit(compute_run, scenario.model_dump_json(), params, self.store_url, run_pk)

        def _store(f: Future[Any]) -> None:
            if self.stopping:
                return  # the server stops: the run is marked interrupted, not broken
            try:
                self.repo.finish_run(run_pk, result=f.result())
            except Exception as e:  # the run fails, the server goes on
                self.repo.finish_run(run_pk, error=f"{type(e).__name__}: {e}")

        fut.add_done_callback(_store)
        return fut

    def submit_task(self, fn: Callable[[], Any]) -> Future[Any]:
        """Another computation in the same pool (the backtest)."""
        return self._submit(fn)

    def shutdown(self) -> None:
        """Cancel this app's work that has not started. A server that owns its pool (`qimma
        serve`) also ends its worker processes, and its unfinished runs are marked interrupted
        (they can be run again); a pool shared by several apps (tests) is left running."""
        for fut in list(self._futures):
            fut.cancel()
        if self.stop_workers:
            self.stopping = True
            self.repo.fail_interrupted_runs()
            stop_pools()
