"""`qimma serve` as a real process: killed with SIGKILL during a run, restarted on the same store.

The run must come back as failed (never half-written, never stuck as running), and the server
must serve again. The server runs in its own process group so that the kill also takes its
worker processes, as a power cut or an OOM kill of the container would.
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
