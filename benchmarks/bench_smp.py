"""Speed and agreement of qimma's SMP against KTAB's own runs.

    PYTHONPATH=src python benchmarks/bench_smp.py [--repeat 3] [--all]

KTAB needs a C++ build (Qt5, easylogging++), which this project does not ship, so its times are
the figures recorded on this machine kind (2 cores) in /work/shared/benchmarks/ktab/
ktab-smp-notes.md, section 5: the unmodified `-O2` binary and the `o2fast` binary (a 3-line local
patch that skips KTAB's logging-only O(N^4) work, same results). Ratios are printed against both;
the issue's target (>= 20x) is against the faster, `o2fast`, figure. qimma's time excludes the
one-off Numba compilation, which is reported separately (it is cached on disk after the first run).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qimma.models.smp import SMPModel
from tests.ktab_fixtures import BENCH_CASES, TEST_CASES, load_ktab_arrays, load_ktab_run

# wall seconds, ktab-smp-notes.md section 5 ("Results" table): (unmodified -O2, o2fast)
KTAB_SECONDS = {
    "dummyData_3Dim": (0.10, 0.11),
    "dummyData_6Dim": (5.2, 3.6),
    "SOE-Policy": (2.98, 1.84),
    "SOE-Competitive": (12.5, 8.0),
    "SOE-Pol-Comp": (0.71, 0.90),
    "dummyData-a040": (12.2, 7.7),
    "dummyData-a080": (232.8, 50.0),
    "dummyData-a160": (1116.5, 262.7),
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per case (best is used)")
    ap.add_argument("--all", action="store_true", help="also the four cases of the test suite")
    args = ap.parse_args()
    cases = (TEST_CASES + BENCH_CASES) if args.all else BENCH_CASES
    model = SMPModel()

    t0 = time.perf_counter()
    model.run(load_ktab_arrays("dummyData_3Dim"))
    print(f"first call (Numba compile or cache load + 3Dim run): {time.perf_counter() - t0:.2f} s")
    print()
    head = (
        f"{'case':17} {'N x D':>7} {'turns K/q':>9} {'max|dpos|':>9} {'qimma s':>9} "
        f"{'median s':>9} {'KTAB s':>8} {'ratio':>7} {'KTABfast s':>10} {'ratio':>7}"
    )
    print(head)
    print("-" * len(head))
    for name in cases:
        arrays = load_ktab_arrays(name)
        ktab = load_ktab_run(name)
        times = []
        res = None
        for _ in range(max(1, args.repeat)):
            t = time.perf_counter()
            res = model.run(arrays)
            times.append(time.perf_counter() - t)
        assert res is not None and res.positions is not None and res.n_rounds is not None
        turns = int(res.n_rounds[0])
        dpos = float(np.abs(res.positions[0, turns] - ktab.final_positions).max())
        best, med = min(times), statistics.median(times)
        slow, fast = KTAB_SECONDS[name]
        print(
            f"{name:17} {arrays.n_actors:>3}x{arrays.n_issues:<3} "
            f"{ktab.n_turns:>4}/{turns:<4} {dpos:>9.4f} {best:>9.3f} {med:>9.3f} "
            f"{slow:>8.1f} {slow / best:>6.0f}x {fast:>10.1f} {fast / best:>6.0f}x"
        )
    print()
    print("KTAB s: recorded unmodified -O2 binary; KTABfast s: recorded o2fast binary")
    print("(same results); both from ktab-smp-notes.md, not run here.")


if __name__ == "__main__":
    main()
