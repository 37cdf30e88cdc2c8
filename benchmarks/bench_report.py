"""Time `qimma report --both` on the default scenario: both languages, HTML and PDF.

Prints the time of each stage in one process (forecast, Monte Carlo + sensitivity + backtest,
each language's charts + HTML + PDF) and its share of the total, then the whole command in a
fresh process (imports included) against the 60 s target. The baseline in the same run is
`qimma forecast` alone (the point forecast the report starts from).

    PYTHONPATH=src python benchmarks/bench_report.py [--draws 1000] [--screenshots docs/screenshots]

With --screenshots, also writes the first page of the Arabic PDF (pdftoppm) and a headless
Chromium screenshot of the English HTML there.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 60.0


def stage(
    name: str, t0: tuple[float, float], times: dict[str, tuple[float, float]]
) -> tuple[float, float]:
    """Record wall and CPU seconds since t0 (the machine is shared: CPU time is the steadier)."""
    now = (time.perf_counter(), time.process_time())
    times[name] = (now[0] - t0[0], now[1] - t0[1])
    return now


def screenshots(out: Path, dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", "-singlefile",
         str(out / "report-ar.pdf"), str(dest / "report-ar-pdf-page1")],
        check=True,
    )  # fmt: skip
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--hide-scrollbars",
             f"--user-data-dir={profile}", f"--screenshot={dest / 'report-en-html.png'}",
             "--window-size=1100,1500", (out / "report-en.html").as_uri()],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
    print(f"screenshots: {dest / 'report-ar-pdf-page1.png'}, {dest / 'report-en-html.png'}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--draws", type=int, default=1000)
    ap.add_argument("--screenshots", type=Path, default=None)
    args = ap.parse_args()

    from qimma.app import Analyses, RunRequest
    from qimma.app import run as run_app
    from qimma.forecast import run_forecast
    from qimma.report.render import write_report
    from qimma.scenario.formats import load_default_scenario

    times: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        # an empty backtest cache: the in-process run computes the backtest, the command after
        # it finds the cached result, as a second report on the same machine would
        os.environ["XDG_CACHE_HOME"] = str(Path(tmp) / "cache")
        out = Path(tmp) / "in-process"
        t = (time.perf_counter(), time.process_time())
        fc = run_forecast(load_default_scenario())
        t = stage("forecast (baseline)", t, times)
        inp = run_app(fc.scenario, RunRequest(draws=args.draws, analyses=Analyses.full()))
        t = stage("Monte Carlo, sensitivity, backtest", t, times)
        for lang in ("ar", "en"):
            write_report(inp, out, lang)
            t = stage(f"charts + HTML + PDF ({lang})", t, times)
        total = sum(w for w, _ in times.values())
        cpu_total = sum(c for _, c in times.values())
        base = times["forecast (baseline)"][0]
        print(f"models: {', '.join(fc.results)}; "
              f"draws: {args.draws}; load average {os.getloadavg()[0]:.1f} on "
              f"{os.cpu_count()} cores")  # fmt: skip
        print(f"  {'stage':<36} {'wall':>9}  {'share':>6}  {'× forecast':>10}  {'CPU':>9}")
        for name, (w, c) in times.items():
            print(f"  {name:<36} {w:7.2f} s  {100 * w / total:5.1f}%  {w / base:10.1f}  "
                  f"{c:7.2f} s")  # fmt: skip
        print(f"  {'total in process':<36} {total:7.2f} s  {'':>6}  {'':>10}  {cpu_total:7.2f} s")

        cli_out = Path(tmp) / "cli"
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
        t0 = time.perf_counter()
        before = os.times()
        subprocess.run(
            [sys.executable, "-m", "qimma.cli.main", "report", "--both", "--draws",
             str(args.draws), "--out", str(cli_out)],
            check=True, capture_output=True, env=env,
        )  # fmt: skip
        cli = time.perf_counter() - t0
        after = os.times()
        cli_cpu = (after.children_user - before.children_user) + (
            after.children_system - before.children_system
        )
        print(f"  {'qimma report --both (fresh process)':<36} {cli:7.2f} s  {'':>6}  {'':>10}  "
              f"{cli_cpu:7.2f} s   target {TARGET_S:.0f} s wall: "
              f"{'met' if cli < TARGET_S else 'NOT met'}")  # fmt: skip
        if args.screenshots is not None:
            if shutil.which("pdftoppm") and shutil.which("chromium"):
                screenshots(cli_out, args.screenshots)
            else:
                print("screenshots skipped: pdftoppm or chromium missing")


if __name__ == "__main__":
    main()
