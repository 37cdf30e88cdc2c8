"""Build ScenarioArrays straight from the replication's CSV files (tests/fixtures/eum/)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from qimma.scenario.arrays import ScenarioArrays

EUM = Path(__file__).resolve().parent / "fixtures" / "eum"


def read_rows(name: str) -> list[tuple[str, float, float, float]]:
    """(actor, capability, position, salience 0-100) per row of a BDM CSV file."""
    with open(EUM / name, newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.reader(fh) if r]
    return [(r[0], float(r[1]), float(r[2]), float(r[3])) for r in rows[1:]]


def bdm_arrays(name: str, scale: tuple[float, float] | None = None) -> ScenarioArrays:
    """One issue; the scale is the data's range unless given (Masad's "corrected" set-up)."""
    rows = read_rows(name)
    c = np.array([r[1] for r in rows])
    x = np.array([r[2] for r in rows])
    s = np.array([r[3] for r in rows])
    if s.max() > 1.0:  # the EC and China files give salience on 0-100
        s = s / 100.0
    lo, hi = scale if scale is not None else (float(x.min()), float(x.max()))
    a = len(rows)
    return ScenarioArrays(
        actor_ids=tuple(r[0] for r in rows),
        issue_ids=("issue",),
        positions=x[None, :, None],
        saliences=s[None, :, None],
        capabilities=c[None, :, None],
        present=np.ones((a, 1), dtype=bool),
        status_quo=np.array([[lo]]),
        scale_min=np.array([lo]),
        scale_max=np.array([hi]),
    )
