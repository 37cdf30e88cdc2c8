"""Load on the web app: concurrent users on loopback through view and run flows.

Starts `qimma serve` as a separate process (one uvicorn process, as users run it) on a free
loopback port with a fresh SQLite store (or --store URL), then:

1. baseline: one user alone walks the view flow (scenario list, editor, a finished run's page);
2. a Monte Carlo run (`--mc-draws` draws of every model on the default scenario) is started and
   computes in the worker process during the whole load period (checked before and after);
3. load: N users (threads, one httpx client and session each) for a bounded time; each user
   repeats the view flow with a think time between pages, polls the Monte Carlo run's status
   (as its page does), and starts `--runs` forecast runs of its own, polling each once a second
   until it is done.

Prints p50/p95 latency per kind of request, the ratio of the loaded p95 to the one-user p95 of
the same run, and every error (HTTP status >= 400, timeouts, runs that failed or never finished).
Targets (issue 8): p95 < 300 ms for page views, zero errors.

    PYTHONPATH=src python benchmarks/bench_web.py [--users 20] [--duration 30] [--think 0.5]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx

SRC = Path(__file__).resolve().parents[1] / "src"
VIEWS = ("list", "editor", "run page")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(store: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    cmd = [
        sys.executable, "-c", "import sys; from qimma.cli.main import run; sys.exit(run())",
        "serve", "--port", str(port), "--store", store,
    ]  # fmt: skip
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = proc.stderr.read().decode() if proc.stderr else ""
            raise SystemExit(f"qimma serve exited: {err}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    stop(proc)
    raise SystemExit("qimma serve did not start")


def stop(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=20)


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []

    def get(self, client: httpx.Client, kind: str, url: str) -> httpx.Response | None:
        return self.call(client, kind, "GET", url)

    def call(
        self, client: httpx.Client, kind: str, method: str, url: str, **kw: object
    ) -> httpx.Response | None:
        t0 = time.perf_counter()
        try:
            r = client.request(method, url, **kw)  # type: ignore[arg-type]
        except httpx.HTTPError as e:
            with self.lock:
                self.errors.append(f"{kind} {url}: {type(e).__name__}")
            return None
        dt = time.perf_counter() - t0
        with self.lock:
            self.times[kind].append(dt)
            if r.status_code >= 400:
                self.errors.append(f"{kind} {url}: HTTP {r.status_code}")
        return r


def csrf(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    if not m:
        raise SystemExit("no CSRF token on the page")
    return m.group(1)


def start_run(rec: Recorder, c: httpx.Client, token: str, seed: int) -> int | None:
    r = rec.call(
        c, "start run", "POST", "/scenarios/1/runs",
        data={"csrf_token": token, "models": ["compromise", "median"], "seed": str(seed)},
    )  # fmt: skip
    if r is None or r.status_code != 303:
        return None
    return int(r.headers["location"].rsplit("/", 1)[1])


def wait_run(rec: Recorder, c: httpx.Client, pk: int, timeout: float) -> float | None:
    """Poll like the page does (every second); the run's wall time, or None."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        r = rec.get(c, "status poll", f"/runs/{pk}/status")
        if r is not None:
            m = re.search(r'data-status="(\w+)"', r.text)
            status = m.group(1) if m else "?"
            if status == "done":
                return time.perf_counter() - t0
            if status == "failed":
                with rec.lock:
                    rec.errors.append(f"run {pk} failed")
                return None
        time.sleep(1.0)
    with rec.lock:
        rec.errors.append(f"run {pk} not done after {timeout:.0f} s")
    return None


def view_flow(
    rec: Recorder, c: httpx.Client, run_pk: int, lang: str, mc_pk: int | None = None
) -> None:
    rec.get(c, "list", f"/scenarios?lang={lang}")
    rec.get(c, "editor", "/scenarios/1")
    rec.get(c, "run page", f"/runs/{run_pk}")
    if mc_pk is not None:
        rec.get(c, "status poll", f"/runs/{mc_pk}/status")


def start_monte_carlo(c: httpx.Client, token: str, draws: int) -> int:
    """A Monte Carlo run of every model, left computing in the worker during the load."""
    r = c.post("/scenarios/1/runs", data={"csrf_token": token, "draws": str(draws), "seed": "1"})
    if r.status_code != 303:
        raise SystemExit(f"the Monte Carlo run was refused: HTTP {r.status_code}")
    return int(r.headers["location"].rsplit("/", 1)[1])


def run_state(c: httpx.Client, pk: int) -> str:
    html = c.get(f"/runs/{pk}/status").text
    status = re.search(r'data-status="(\w+)"', html)
    pct_done = re.search(r"<bdi>(\d+)%</bdi>", html)
    return f"{status.group(1) if status else '?'} {pct_done.group(1) + '%' if pct_done else ''}"


def user(
    rec: Recorder, base: str, k: int, run_pk: int, args: argparse.Namespace, t_end: float,
    run_times: list[float], mc_pk: int | None = None,
) -> None:  # fmt: skip
    lang = "ar" if k % 2 else "en"
    with httpx.Client(base_url=base, timeout=30) as c:
        page = rec.get(c, "list", f"/scenarios?lang={lang}")
        if page is None:
            return
        token = csrf(page.text)
        # this user's runs, spread over the load period and staggered between users
        t_start = t_end - args.duration
        run_at = [
            t_start + args.duration * (j + (k + 0.5) / args.users) / (args.runs + 1)
            for j in range(args.runs)
        ]
        while time.monotonic() < t_end:
            if run_at and time.monotonic() >= run_at[0]:
                run_at.pop(0)
                pk = start_run(rec, c, token, seed=k)
                if pk is not None:
                    took = wait_run(rec, c, pk, args.run_timeout)
                    if took is not None:
                        with rec.lock:
                            run_times.append(took)
                continue
            view_flow(rec, c, run_pk, lang, mc_pk)
            time.sleep(args.think)


def pct(xs: list[float], q: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(q * (len(xs) - 1)))]


def table(rec: Recorder, kinds: tuple[str, ...] | list[str]) -> None:
    print(f"  {'request':<12} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for kind in kinds:
        xs = rec.times.get(kind, [])
        if xs:
            print(
                f"  {kind:<12} {len(xs):>6} {1000 * pct(xs, 0.5):>8.1f} "
                f"{1000 * pct(xs, 0.95):>8.1f} {1000 * max(xs):>8.1f}"
            )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--duration", type=float, default=30.0, help="seconds of load (bounded)")
    ap.add_argument("--think", type=float, default=0.5, help="seconds between a user's pages")
    ap.add_argument("--runs", type=int, default=0, help="forecast runs started by each user")
    ap.add_argument(
        "--mc-draws", type=int, default=20000,
        help="draws of the Monte Carlo run computing during the load (0: none)",
    )  # fmt: skip
    ap.add_argument("--run-timeout", type=float, default=180.0)
    ap.add_argument("--store", default=None, help="store URL (default: a fresh SQLite file)")
    args = ap.parse_args()
    args.users = max(1, min(args.users, 200))
    args.duration = max(1.0, min(args.duration, 600.0))

    with tempfile.TemporaryDirectory() as tmp:
        store = args.store or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        t0 = time.perf_counter()
        proc = start_server(store, port)
        up = time.perf_counter() - t0
        print(f"qimma serve up in {up:.1f} s on {base} ({store.split(':')[0]})")
        try:
            warm = Recorder()
            with httpx.Client(base_url=base, timeout=60) as c:
                token = csrf(c.get("/scenarios").text)
                run_pk = start_run(warm, c, token, seed=0)
                assert run_pk is not None
                first = wait_run(warm, c, run_pk, args.run_timeout)
                print(f"first run (worker process start + run): {first or float('nan'):.1f} s")
                solo = Recorder()
                for lang in ("en", "ar") * 10:
                    view_flow(solo, c, run_pk, lang)
            print("\none user alone (20 view flows):")
            table(solo, VIEWS)

            mc_pk, mc_states = None, []
            if args.mc_draws > 0:
                with httpx.Client(base_url=base, timeout=60) as c:
                    mc_pk = start_monte_carlo(c, csrf(c.get("/scenarios").text), args.mc_draws)
                    while "running" not in run_state(c, mc_pk) or run_state(c, mc_pk).endswith(
                        " 0%"
                    ):
                        time.sleep(0.2)  # the worker is computing
                    mc_states.append(run_state(c, mc_pk))
            rec = Recorder()
            run_times: list[float] = []
            t_end = time.monotonic() + args.duration
            threads = [
                threading.Thread(
                    target=user, args=(rec, base, k, run_pk, args, t_end, run_times, mc_pk)
                )
                for k in range(args.users)
            ]
            t0 = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=args.duration + args.run_timeout + 60)
            wall = time.perf_counter() - t0
            if mc_pk is not None:
                with httpx.Client(base_url=base, timeout=60) as c:
                    mc_states.append(run_state(c, mc_pk))
        finally:
            stop(proc)

    n = sum(len(v) for v in rec.times.values())
    print(
        f"\n{args.users} users, {args.duration:.0f} s, think {args.think:g} s, "
        f"{args.runs} run(s) each: {n} requests in {wall:.1f} s ({n / wall:.1f}/s)"
    )
    table(rec, [*VIEWS, "start run", "status poll"])
    views = [x for k in VIEWS for x in rec.times.get(k, [])]
    solo_views = [x for k in VIEWS for x in solo.times.get(k, [])]
    p95, solo_p95 = pct(views, 0.95), pct(solo_views, 0.95)
    print(
        f"  page views: p50 {1000 * pct(views, 0.5):.1f} ms, p95 {1000 * p95:.1f} ms "
        f"(× {p95 / solo_p95:.1f} the one-user p95 of {1000 * solo_p95:.1f} ms); target < 300 ms"
    )
    if run_times:
        print(
            f"  runs: {len(run_times)} done, start to done p50 "
            f"{statistics.median(run_times):.1f} s, max {max(run_times):.1f} s "
            "(one worker process: runs queue)"
        )
    if mc_states:
        print(
            f"  Monte Carlo run ({args.mc_draws} draws, every model): {mc_states[0]} when the "
            f"load started, {mc_states[-1]} when it ended"
        )
    print(f"  errors: {len(rec.errors) + len(warm.errors) + len(solo.errors)}")
    for e in (warm.errors + solo.errors + rec.errors)[:20]:
        print("   ", e)


if __name__ == "__main__":
    main()
