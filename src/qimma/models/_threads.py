"""Draws of a Numba kernel spread over threads, without Numba's parallel compilation.

A kernel compiled with `nogil=True` runs a range of draws; this module calls it on consecutive
blocks of draws from a few Python threads. Compared with `parallel=True` + `prange`, the kernel is
compiled once (the parallel variant doubled the first-run compile time) and the results are the
same bytes, because each draw runs the same sequential code and writes only its own rows.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numba as nb

# blocks per thread: draws differ in cost, smaller blocks balance the threads
_BLOCKS_PER_THREAD = 4


def run_blocks(kernel: Callable[[int, int], object], start: int, stop: int) -> None:
    """kernel(lo, hi) over [start, stop) in blocks, on as many threads as Numba is set to use."""
    n = stop - start
    if n <= 0:
        return
    threads = max(1, min(int(nb.get_num_threads()), n))
    if threads == 1:
        kernel(start, stop)
        return
    n_blocks = min(n, threads * _BLOCKS_PER_THREAD)
    bounds = [start + (n * b) // n_blocks for b in range(n_blocks + 1)]
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(kernel, bounds[:-1], bounds[1:]))
