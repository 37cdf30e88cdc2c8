"""KTAB fixtures for the SMP validation: inputs as ScenarioArrays and KTAB's recorded results.

Used by tests/test_smp_ktab.py and benchmarks/bench_smp.py. Inputs are read with qimma's KTAB CSV
importer (`qimma.scenario.formats.load_scenario`); KTAB's outputs with the small readers below.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qimma.scenario.arrays import ScenarioArrays, to_arrays
from qimma.scenario.formats import load_scenario

KTAB_DIR = Path(__file__).resolve().parent / "fixtures" / "ktab"

TEST_CASES = ("dummyData_3Dim", "SOE-Pol-Comp", "SOE-Policy", "dummyData-a040")
BENCH_CASES = ("dummyData-a080", "dummyData-a160", "dummyData_6Dim", "SOE-Competitive")


@dataclass(frozen=True)
class KtabRun:
    """KTAB's own run of one input: final positions (0-100), turns, and its summary."""

    name: str
    actors: tuple[str, ...]
    final_positions: np.ndarray  # (A, I)
    final_probability: np.ndarray  # (A,)
    n_turns: int
    summary: dict


def load_ktab_arrays(name: str) -> ScenarioArrays:
    """A KTAB input through qimma's own importer (qimma.scenario, KTAB CSV)."""
    return to_arrays(load_scenario(KTAB_DIR / "inputs" / f"{name}.csv"))


def load_ktab_run(name: str) -> KtabRun:
    runs = KTAB_DIR / "runs"
    summary = json.loads((runs / f"{name}_summary.json").read_text(encoding="utf-8"))
    with (runs / f"{name}_final.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header = [h.strip() for h in rows[0]]
    final_cols = [k for k, h in enumerate(header) if h.endswith("(final)")]
    prob_col = header.index("final_prob")
    body = rows[1:]
    return KtabRun(
        name=name,
        actors=tuple(r[0].strip() for r in body),
        final_positions=np.array([[float(r[k]) for k in final_cols] for r in body]),
        final_probability=np.array([float(r[prob_col]) for r in body]),
        n_turns=int(summary["n_turns"]),
        summary=summary,
    )


def load_ktab_trajectory(name: str) -> np.ndarray:
    """KTAB's per-turn positions, shape (turns + 1, A, I), on 0-100."""
    with (KTAB_DIR / "runs" / f"{name}_trajectory.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    t = max(int(r["turn"]) for r in rows) + 1
    a = max(int(r["actor_idx"]) for r in rows) + 1
    i = max(int(r["dim_idx"]) for r in rows) + 1
    out = np.full((t, a, i), np.nan)
    for r in rows:
        out[int(r["turn"]), int(r["actor_idx"]), int(r["dim_idx"])] = float(r["position"])
    return out
