"""DEU issues as one ScenarioArrays: every issue on the issue axis, the fixed 30 actors, one draw.

Why this layout: each model then runs once, vectorised over all issues, exactly as it runs on a
scenario. Actors without a position on an issue (non-members, abstainers) are `present=False` with
salience and capability 0 and position = the status quo, as ScenarioArrays requires.

Status quo: DEU's reference point `rp`; it is blank on 103 issues, where the models get the scale's
midpoint (50) instead — a neutral stand-in that only models using the status quo notice. The
reference-point baseline is scored only where `rp` exists.
"""

from __future__ import annotations

import numpy as np

from qimma.backtest.capabilities import Capability, capability_matrix
from qimma.backtest.deu3 import ACTORS, DEFAULT_SALIENCE, Deu3
from qimma.scenario.arrays import ScenarioArrays

MISSING_RP_STAND_IN = 50.0


def deu3_arrays(
    data: Deu3, issues: list[int] | None = None, capability: Capability = "votes"
) -> ScenarioArrays:
    """The chosen issues (default: all) as a batch of one draw."""
    idx = list(range(data.n_issues)) if issues is None else list(issues)
    present = data.present[:, idx]
    sq = np.where(np.isnan(data.reference[idx]), MISSING_RP_STAND_IN, data.reference[idx])
    pos = np.where(present, data.positions[:, idx], sq[None, :])
    sal = np.where(np.isnan(data.saliences[:, idx]), DEFAULT_SALIENCE, data.saliences[:, idx])
    sal = np.where(present, sal, 0.0) / 100.0
    cap = np.where(present, capability_matrix(data, capability)[:, idx], 0.0)
    n = len(idx)
    return ScenarioArrays(
        actor_ids=ACTORS,
        issue_ids=tuple(data.issues[i].isnr for i in idx),
        positions=pos[None],
        saliences=sal[None],
        capabilities=cap[None],
        present=present,
        status_quo=sq[None],
        scale_min=np.zeros(n),
        scale_max=np.full(n, 100.0),
    )
