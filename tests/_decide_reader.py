"""A minimal private reader of Decide's tagged input files, for the exchange tests only.

Temporary: the real importer is `qimma.scenario.formats.load_scenario`; this reads just what the
three fixture files contain (tab-separated, single-quoted, #A/#P/#M/#D rows) into arrays.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from qimma.scenario.arrays import ScenarioArrays


def read_decide(path: Path) -> ScenarioArrays:
    actors: list[str] = []
    issues: list[str] = []
    marks: dict[str, list[float]] = {}
    rows: list[tuple[str, str, float, float, float]] = []
    with path.open(newline="", encoding="utf-8") as f:
        for row in csv.reader(f, delimiter="\t", quotechar="'"):
            if not row:
                continue
            tag = row[0]
            if tag == "#A":
                actors.append(row[1])
            elif tag == "#P":
                issues.append(row[1])
            elif tag == "#M":
                marks.setdefault(row[1], []).append(float(row[2]))
            elif tag == "#D":
                rows.append((row[1], row[2], float(row[3]), float(row[4]), float(row[5])))
    a_ix = {a: k for k, a in enumerate(actors)}
    i_ix = {i: k for k, i in enumerate(issues)}
    n_a, n_i = len(actors), len(issues)
    lo = np.array([min(marks.get(i, [0.0])) for i in issues])
    hi = np.array([max(marks.get(i, [100.0])) for i in issues])
    pos = np.tile(lo, (n_a, 1)).astype(float)
    sal = np.zeros((n_a, n_i))
    cap = np.zeros((n_a, n_i))
    present = np.zeros((n_a, n_i), bool)
    for a, i, x, s, c in rows:
        pos[a_ix[a], i_ix[i]] = x
        sal[a_ix[a], i_ix[i]] = s  # Decide's files give saliences on 0-1 already
        cap[a_ix[a], i_ix[i]] = c
        present[a_ix[a], i_ix[i]] = True
    return ScenarioArrays(
        tuple(actors),
        tuple(issues),
        pos[None],
        sal[None],
        cap[None],
        present,
        lo[None].copy(),
        lo,
        hi,
    )
