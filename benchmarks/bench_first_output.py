"""When a command first says what it is doing on a terminal, and when it is done (#15: "the first
`qimma forecast` prints within 2 s what it is doing"), before and after, in one run.

    PYTHONPATH=src python benchmarks/bench_first_output.py --baseline-src /work/wt/base/src \
        [--repeat 3] [-- forecast --model compromise]

Each command (default: `qimma forecast` and `qimma --help`) runs in a pseudo-terminal, as for a
person at a terminal (so progress and status lines show), once per source tree in turn, `--repeat`
times; the Numba cache is the user's (warm: what a second run sees). Printed per tree: the wall time
to the first visible text (terminal control codes such as "hide the cursor" are not text) and that
text, and the wall time to the end; then the medians and their ratio after / before, with the load
average. Without --baseline-src only this tree is measured.
"""

from __future__ import annotations

import argparse
import os
import pty
import re
import select
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = 'import sys; sys.argv[0] = "qimma"; from qimma.cli.main import run; sys.exit(run())'
# CSI sequences (colours, cursor moves, erase) and OSC sequences; what is left is text
ANSI = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[()][A-Za-z0-9]|[\r\x07]")


def visible(data: bytes) -> str:
    return ANSI.sub(b"", data).decode("utf-8", "replace").strip()


def timed(src: Path, args: list[str]) -> tuple[float, str, float, float, str]:
    """(seconds to the first visible text, that text's first line, seconds to the end, the
    longest silence after the first text and the last text shown before it)."""
    env = dict(os.environ, PYTHONPATH=str(src), COLUMNS="100")
    t = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(sys.executable, [sys.executable, "-c", CLI, *args], env)
    seen = b""
    first, text = float("nan"), ""
    last, silence, before, tail = 0.0, 0.0, "", ""
    while True:
        try:
            select.select([fd], [], [], 900)
            data = os.read(fd, 4096)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        now = time.perf_counter() - t
        if text and now - last > silence:
            silence, before = now - last, tail
        last = now
        shown = visible(data).splitlines()
        if shown:
            tail = shown[-1][:60]
        if not text:
            seen += data
            text = visible(seen)
            if text:
                first = time.perf_counter() - t
    _, status = os.waitpid(pid, 0)
    end = time.perf_counter() - t
    if text and end - last > silence:  # silent to the end
        silence, before = end - last, tail
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{src}: qimma {' '.join(args)} failed")
    return first, text.splitlines()[0][:70] if text else "", end, silence, before


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline-src", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("command", nargs="*", help="one command's arguments (after --)")
    a = ap.parse_args()
    commands = [a.command] if a.command else [["forecast"], ["--help"]]
    trees = {"after": ROOT / "src"}
    if a.baseline_src is not None:
        trees = {"before": a.baseline_src, **trees}
    print(time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), flush=True)
    print(f"load average at start {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    for args in commands:
        cmd = "qimma " + " ".join(args)
        firsts: dict[str, list[float]] = {k: [] for k in trees}
        ends: dict[str, list[float]] = {k: [] for k in trees}
        for _ in range(a.repeat):
            for k, src in trees.items():
                first, text, end, silence, before = timed(src, args)
                firsts[k].append(first)
                ends[k].append(end)
                print(
                    f"  {cmd} [{k}, load {os.getloadavg()[0]:.1f}]: first text after "
                    f"{first:.2f} s ({text!r}), done after {end:.2f} s; longest silence "
                    f"{silence:.1f} s after {before!r}",
                    flush=True,
                )
        for k in trees:
            print(
                f"{cmd:24} {k:6} median: first text {statistics.median(firsts[k]):5.2f} s, "
                f"done {statistics.median(ends[k]):5.2f} s"
            )
        if "before" in trees:
            f = statistics.median(firsts["after"]) / statistics.median(firsts["before"])
            e = statistics.median(ends["after"]) / statistics.median(ends["before"])
            print(f"{cmd:24} after/before: first text {f:.2f}, done {e:.2f}")
    print(f"load average at end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
