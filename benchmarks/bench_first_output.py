"""When a command first prints on a terminal, and when it is done (#15: "prints within 2 s").

    PYTHONPATH=src NUMBA_CACHE_DIR=$(mktemp -d) python benchmarks/bench_first_output.py \
        qimma forecast

Runs the command in a pseudo-terminal (so progress bars show, as for a person at a terminal) and
prints the wall time to its first output bytes, those bytes, and the time to its end, with the
load average.
"""

from __future__ import annotations

import os
import pty
import select
import sys
import time


def main() -> None:
    args = sys.argv[1:] or ["qimma", "forecast"]
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    t = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(args[0], args)
    n = 0
    while True:
        try:
            select.select([fd], [], [], 600)
            data = os.read(fd, 4096)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        if n == 0:
            print(f"first output after {time.perf_counter() - t:.2f} s: {data[:60]!r}")
        n += len(data)
    os.waitpid(pid, 0)
    print(f"done after {time.perf_counter() - t:.2f} s ({n} bytes)")


if __name__ == "__main__":
    main()
