"""KTAB fixtures for the SMP validation: inputs as ScenarioArrays and KTAB's recorded results.

Used by tests/test_smp_ktab.py and benchmarks/bench_smp.py. The reader here is a minimal private
one for KTAB's CSV layout (line 1: name, description, #actors, #dims; line 2: header; then
name, description, capability, position_1, salience_1, ...); it only serves the fixtures.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qimma.scenario.arrays import ScenarioArrays

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
    path = KTAB_DIR / "inputs" / f"{name}.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    n_act = int(rows[0][2])
    n_dim = int(rows[0][3])
    ids, cap, pos, sal = [], [], [], []
    for row in rows[2 : 2 + n_act]:
        ids.append(row[0].strip())
        cap.append(float(row[2]))
        pos.append([float(row[3 + 2 * d]) for d in range(n_dim)])
        sal.append([float(row[4 + 2 * d]) for d in range(n_dim)])
    dims = tuple(f"d{d}" for d in range(n_dim))
    p = np.array(pos)[None]
    s = np.array(sal)[None] / 100.0
    c = np.repeat(np.array(cap)[:, None], n_dim, axis=1)[None]
    return ScenarioArrays(
        actor_ids=tuple(ids),
        issue_ids=dims,
        positions=p,
        saliences=s,
        capabilities=c,
        present=np.ones((n_act, n_dim), dtype=bool),
        status_quo=np.full((1, n_dim), 50.0),
        scale_min=np.zeros(n_dim),
        scale_max=np.full(n_dim, 100.0),
    )


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
