"""A real Dask cluster on loopback: `dask scheduler` and `dask worker` as separate processes.

    with dask_processes(workers=2) as address:      # "tcp://127.0.0.1:PORT"
        run_monte_carlo(sc, draws=1000, scheduler=address.replace("tcp://", "dask://"))

Each process is started in a session of its own, so that tearing down ends it and whatever it
started (a worker's nanny starts the worker process) and nothing is left running, even when the
body raises. The workers import qimma from the same source tree as this process (PYTHONPATH).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path
from tempfile import TemporaryDirectory

import qimma

SRC = Path(qimma.__file__).resolve().parents[1]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), env.get("PYTHONPATH")) if p)
    return env


def _start(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=_env(),
            start_new_session=True,
        )


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """End the process's whole session (a nanny and its worker): SIGTERM, then SIGKILL for
    whatever is still there after 10 s (the leader, or a child still closing)."""
    with suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    with suppress(subprocess.TimeoutExpired):
        proc.wait(10)
    with suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(10)


def _wait_for(path: Path, procs: list[subprocess.Popen[bytes]], timeout: float) -> None:
    end = time.monotonic() + timeout
    while not path.exists() or not path.read_text().strip():
        dead = [p for p in procs if p.poll() is not None]
        if dead or time.monotonic() > end:
            why = f"status {dead[0].returncode}" if dead else "timeout"
            raise RuntimeError(f"the Dask scheduler did not start ({why})")
        time.sleep(0.1)


@contextmanager
def dask_processes(
    workers: int = 2, threads: int = 1, memory_limit: str = "0", timeout: float = 120.0
) -> Iterator[str]:
    """Start a scheduler on a free loopback port and `workers` worker processes; yield its
    address; end them all on leaving."""
    from distributed import Client

    with ExitStack() as stack:
        tmp = Path(stack.enter_context(TemporaryDirectory(prefix="qimma-dask-")))
        procs: list[subprocess.Popen[bytes]] = []

        def stop_all() -> None:
            for p in reversed(procs):
                _stop(p)

        stack.callback(stop_all)
        file = tmp / "scheduler.json"
        scheduler = "distributed.cli.dask_scheduler --host 127.0.0.1 --port 0 --no-dashboard"
        procs.append(_start([*scheduler.split(), "--scheduler-file", str(file)], tmp / "sched.log"))
        _wait_for(file, procs, timeout)
        address = json.loads(file.read_text())["address"]
        worker = f"distributed.cli.dask_worker {address} --host 127.0.0.1 --no-dashboard"
        for k in range(workers):
            args = [*worker.split(), "--nthreads", str(threads), "--memory-limit", memory_limit]
            args += ["--local-directory", str(tmp / f"worker{k}")]
            procs.append(_start(args, tmp / f"worker{k}.log"))
        try:
            with Client(address, timeout="30s") as client:
                client.wait_for_workers(workers, timeout=timeout)
        except Exception as e:
            logs = "\n".join(f"{f.name}: {f.read_text()[-2000:]}" for f in tmp.glob("*.log"))
            raise RuntimeError(f"the Dask workers did not join: {e}\n{logs}") from e
        yield address
