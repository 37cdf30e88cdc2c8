"""Where chunks of draws run: in this process, in local worker processes, or on a Dask cluster.

Results always come back in chunk order, so the caller's concatenation does not depend on which
worker finished first.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any, TypeVar

from qimma.errors import InputError

T = TypeVar("T")
R = TypeVar("R")

Progress = Callable[[int], None]  # called with the number of chunks just finished


SCHEMES = ("dask://", "tcp://")  # tcp:// is what `dask scheduler` prints; dask:// is its alias


def parse_scheduler(address: str) -> str:
    """'dask://HOST:PORT' or 'tcp://HOST:PORT' -> 'tcp://HOST:PORT' (what distributed.Client wants).

    The one place that decides which scheduler addresses qimma accepts."""
    scheme = next((s for s in SCHEMES if address.startswith(s)), None)
    host, _, port = address[len(scheme or "") :].rpartition(":")
    if scheme is None or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise InputError.single(
            f"cannot read the scheduler address '{address}'",
            f"تعذّرت قراءة عنوان المُجدوِل '{address}'",
            path="execution.scheduler",
            fix_en="write it as tcp://HOST:PORT (as `dask scheduler` prints it) or dask://HOST:PORT,"
            " e.g. tcp://127.0.0.1:8786",
            fix_ar="اكتبه بالصيغة tcp://HOST:PORT (كما يطبعه `dask scheduler`) أو dask://HOST:PORT،"
            " مثل tcp://127.0.0.1:8786",
        )
    return f"tcp://{host}:{port}"


def map_ordered(
    fn: Callable[[T], R],
    items: Sequence[T],
    *,
    workers: int = 1,
    scheduler: str | None = None,
    client: Any = None,
    progress: Progress | None = None,
) -> list[R]:
    """fn over items, results in item order.

    `client` (a distributed.Client) wins over `scheduler` (tcp:// or dask://HOST:PORT); with
    neither, `workers` > 1 uses that many local processes (spawned, so that no thread state of
    the parent leaks into them)."""
    if client is not None or scheduler is not None:
        return _map_dask(fn, items, scheduler, client, progress)
    if workers <= 1 or len(items) <= 1:
        out = []
        for it in items:
            out.append(fn(it))
            if progress:
                progress(1)
        return out
    ctx = multiprocessing.get_context("spawn")
    results: list[Any] = [None] * len(items)
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        futs = {pool.submit(fn, it): k for k, it in enumerate(items)}
        for f in as_completed(futs):
            results[futs[f]] = f.result()
            if progress:
                progress(1)
    return results


def _map_dask(
    fn: Callable[[T], R],
    items: Sequence[T],
    scheduler: str | None,
    client: Any,
    progress: Progress | None,
) -> list[R]:
    from distributed import Client
    from distributed import as_completed as dask_completed

    own = client is None
    if own:
        assert scheduler is not None
        address = parse_scheduler(scheduler)
        try:
            client = Client(address, timeout="10s")
        except OSError as e:
            raise InputError.single(
                f"cannot reach the Dask scheduler at {scheduler}: {e}",
                f"تعذّر الوصول إلى مُجدوِل Dask على {scheduler}: {e}",
                path="execution.scheduler",
                fix_en="start it with `dask scheduler` and workers with `dask worker HOST:PORT`,"
                " or run without a scheduler (locally)",
                fix_ar="شغّله بالأمر `dask scheduler` والعمّال بالأمر `dask worker HOST:PORT`،"
                " أو شغّل دون مُجدوِل (محليًا)",
            ) from None
    try:
        futs = client.map(fn, list(items), pure=False)
        index = {f.key: k for k, f in enumerate(futs)}
        results: list[Any] = [None] * len(items)
        for f in dask_completed(futs):
            results[index[f.key]] = f.result()
            if progress:
                progress(1)
        return results
    finally:
        if own:
            client.close()
