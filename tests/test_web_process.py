"""`qimma serve` as a real process: killed with SIGKILL during a run, restarted on the same store.

The run must come back as failed (never half-written, never stuck as running), and the server
must serve again. The server runs in its own process group so that the test can clean up; the
kills below hit the server process alone, as `kill -9 PID` or an OOM kill would, and its worker
processes must then end by themselves (no orphan keeps computing a run nobody will read).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from tests.web_server import free_port

SRC = Path(__file__).resolve().parents[1] / "src"
pytestmark = pytest.mark.skipif(os.name != "posix", reason="process groups and SIGKILL")


def start_server(store: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(SRC), "QIMMA_SECRET_KEY": "test-key-for-restarts"}
    cmd = [
        sys.executable, "-c", "import sys; from qimma.cli.main import run; sys.exit(run())",
        "serve", "--port", str(port), "--store", store,
    ]  # fmt: skip
    with log.open("ab") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=out, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"qimma serve exited {proc.returncode}: {log.read_text()}")
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    kill_group(proc)
    raise AssertionError("qimma serve did not start: " + log.read_text())


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def run_status(client: httpx.Client, pk: int) -> str:
    html = client.get(f"/runs/{pk}/status").text
    m = re.search(r'data-status="(\w+)"', html)
    assert m, html
    return m.group(1)


def descendants(pid: int) -> set[int]:
    """The live processes below `pid` (from /proc: parent pid of every process)."""
    parent: dict[int, int] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            with contextlib.suppress(OSError):
                stat = (d / "stat").read_text()
                parent[int(d.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, todo = set(), [pid]
    while todo:
        p = todo.pop()
        kids = {c for c, pp in parent.items() if pp == p}
        todo.extend(kids - found)
        found |= kids
    return found


def alive(pid: int) -> bool:
    """Running, or sleeping: not gone and not a zombie waiting to be reaped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_gone(pids: set[int], seconds: float) -> set[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(alive(p) for p in pids):
        time.sleep(0.1)
    return {p for p in pids if alive(p)}


def computing(client: httpx.Client, pk: int) -> None:
    """Wait until the worker is inside the Monte Carlo (its progress counts draws)."""
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        html = client.get(f"/runs/{pk}/status").text
        if re.search(r'id="progress-note">[^<]*<bdi>\d+/\d+</bdi>', html):
            return
        assert 'data-status="done"' not in html, "the run finished before the kill"
        time.sleep(0.2)
    raise AssertionError("the run never reached its Monte Carlo draws")


def start_long_run(client: httpx.Client, path: str = "/scenarios/1/runs") -> int:
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/scenarios/1").text)
    assert token
    data = {"csrf_token": token.group(1), "models": ["eum"], "draws": "100000"}
    r = client.post(path, data=data)
    assert r.status_code == 303, r.text
    return int(r.headers["location"].rsplit("/", 1)[1])


def test_kill_during_run_then_restart_marks_it_failed(tmp_path):
    store = f"sqlite:///{tmp_path / 'web.sqlite3'}"
    port = free_port()
    log = tmp_path / "serve.log"
    proc = start_server(store, port, log)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as c:
            token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/scenarios/1").text)
            assert token
            r = c.post(
                "/scenarios/1/runs",
                data={"csrf_token": token.group(1), "models": ["compromise"], "draws": "1"},
            )
            assert r.status_code == 303
            pk = int(r.headers["location"].rsplit("/", 1)[1])
            # the worker process needs seconds to start: the run is certainly not done yet
            assert run_status(c, pk) in ("queued", "running")
        kill_group(proc)
        assert proc.returncode == -signal.SIGKILL

        proc = start_server(store, port, log)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as c:
            html = c.get(f"/runs/{pk}/status").text
            assert 'data-status="failed"' in html
            assert "interrupted" in html
            assert 'id="results"' not in html
            assert c.get(f"/runs/{pk}/forecast.json").status_code == 409
            assert c.get("/scenarios").status_code == 200
    finally:
        kill_group(proc)


def test_kill_9_of_the_server_leaves_no_worker_and_the_run_can_run_again(tmp_path):
    store_file = tmp_path / "web.sqlite3"
    store = f"sqlite:///{store_file}"
    port = free_port()
    log = tmp_path / "serve.log"
    proc = start_server(store, port, log)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as c:
            pk = start_long_run(c)
            computing(c, pk)
        workers = descendants(proc.pid)
        assert workers, "the run is computed in worker processes"
        os.kill(proc.pid, signal.SIGKILL)  # the server alone, not its process group
        proc.wait(timeout=30)
        assert wait_gone(workers, 15) == set(), "worker processes outlived the killed server"

        proc = start_server(store, port, log)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as c:
            html = c.get(f"/runs/{pk}").text
            assert 'data-status="failed"' in html and 'id="rerun"' in html
            token = re.search(r'name="csrf_token" value="([^"]+)"', html)
            assert token
            r = c.post(f"/runs/{pk}/rerun", data={"csrf_token": token.group(1)})
            assert r.status_code == 303
            again = int(r.headers["location"].rsplit("/", 1)[1])
            assert again != pk
            computing(c, again)  # the same run computes again in a new worker
        workers = descendants(proc.pid)

        # SIGTERM: the server stops, ends its workers and marks the run interrupted
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
        assert wait_gone(workers, 15) == set(), "worker processes outlived the stopped server"
        with sa.create_engine(store).connect() as conn:
            row = conn.execute(
                sa.text("SELECT status, error, params_json FROM web_runs WHERE pk = :pk"),
                {"pk": again},
            ).one()
        assert row.status == "failed" and row.error.startswith("interrupted")
        assert '"draws": 100000' in row.params_json  # the re-run kept the run's parameters
    finally:
        kill_group(proc)
