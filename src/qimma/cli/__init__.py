"""The `qimma` command line (qimma.cli.main: its commands, each loaded when it runs)."""

import os

# A qimma command does not ask the kernel for transparent huge pages for NumPy's large arrays
# (NumPy's default on Linux): with the kernel's usual `defrag=madvise`, every fault on such an
# array may stall for memory compaction, and a Monte Carlo allocates and frees gigabytes of
# them. Measured on `qimma forecast --draws 10000`: 11.2 → 5.5 s of system time, the same user
# time and peak memory (docs/performance.md). Set before NumPy is imported; the command's worker
# processes inherit it; an explicit NUMPY_MADVISE_HUGEPAGE in the environment wins.
os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")
