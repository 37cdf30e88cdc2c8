"""Sampling stances within their low/high ranges: the input space of the Monte Carlo.

Every present stance contributes three inputs (position, salience, capability). A draw is a row
of uniforms U in [0, 1); each input's value is the inverse CDF of its distribution at U. Working
through uniforms gives three things at once:

* common random numbers: baseline and lever runs map the *same* U through different ranges;
* Sobol/Morris can sample the unit hypercube and reuse the same mapping;
* reproducibility independent of worker count: the uniforms of draw block b come from the seed's
  own child stream b (:func:`uniforms`), whatever process computes them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING

import numpy as np

from qimma.scenario.arrays import (
    BoolArray,
    FloatArray,
    ScenarioArrays,
    stance_basis,
    stance_bounds,
)
from qimma.scenario.model import Scenario

if TYPE_CHECKING:
    from qimma.analysis.deal import DealSpace

FIELDS = ("position", "salience", "capability")

# Draws are generated in fixed blocks, each from its own child of the seed's SeedSequence, so a
# chunk of draws can be generated anywhere (another process, a Dask worker) with the same result.
RNG_BLOCK = 1024


class Distribution(StrEnum):
    triangular = "triangular"
    uniform = "uniform"
    truncnormal = "truncnormal"


@dataclass(frozen=True)
class InputSpace:
    """Point values and ranges of every stance, plus the fixed parts of the scenario.

    Arrays of one field are shaped (A, I); saliences are on 0-100 as in the scenario file."""

    actor_ids: tuple[str, ...]
    issue_ids: tuple[str, ...]
    point: dict[str, FloatArray]  # field -> (A, I)
    low: dict[str, FloatArray]
    high: dict[str, FloatArray]
    present: BoolArray  # (A, I)
    basis: tuple[tuple[str, ...], ...]  # (A, I) "explicit" | "inferred" | "assumption" | ""
    status_quo: FloatArray  # (I,)
    scale_min: FloatArray  # (I,)
    scale_max: FloatArray  # (I,)
    deal: DealSpace | None = None  # tracks, veto sets, outside options (analysis/deal.py)

    @property
    def input_index(self) -> list[tuple[str, int, int]]:
        """(field, actor index, issue index) of every sampled input, in column order of U."""
        a_idx, i_idx = np.nonzero(self.present)
        return [(f, int(a), int(i)) for a, i in zip(a_idx, i_idx, strict=True) for f in FIELDS]

    @property
    def n_inputs(self) -> int:
        return 3 * int(self.present.sum())

    def uncertain(self) -> list[int]:
        """Columns of U whose input has a real range (low < high)."""
        return [
            k
            for k, (f, a, i) in enumerate(self.input_index)
            if self.low[f][a, i] < self.high[f][a, i]
        ]

    def with_fields(
        self,
        point: dict[str, FloatArray],
        low: dict[str, FloatArray],
        high: dict[str, FloatArray],
        status_quo: FloatArray,
    ) -> InputSpace:
        return replace(self, point=point, low=low, high=high, status_quo=status_quo)

    def without_actor(self, actor: int) -> InputSpace:
        """The same space with one actor absent from every issue. Its inputs drop out of U,
        so use it with point values (:func:`point_arrays`), not with another space's U."""
        present = self.present.copy()
        present[actor, :] = False
        return replace(self, present=present)


def input_space(scenario: Scenario) -> InputSpace:
    from qimma.analysis.deal import deal_space  # it imports this module

    b = stance_bounds(scenario)
    present = b["present"].astype(bool)
    return InputSpace(
        actor_ids=tuple(a.id for a in scenario.actors),
        issue_ids=tuple(i.id for i in scenario.issues),
        point={f: b[f].copy() for f in FIELDS},
        low={f: b[f + "_low"].copy() for f in FIELDS},
        high={f: b[f + "_high"].copy() for f in FIELDS},
        present=present,
        basis=stance_basis(scenario),
        status_quo=np.array([i.status_quo for i in scenario.issues], dtype=float),
        scale_min=np.array([i.scale.min for i in scenario.issues], dtype=float),
        scale_max=np.array([i.scale.max for i in scenario.issues], dtype=float),
        deal=deal_space(scenario),
    )


# --- inverse CDFs (all vectorised; lo == hi gives the point value) -----------------------------


def triangular_ppf(u: FloatArray, lo: FloatArray, mode: FloatArray, hi: FloatArray) -> FloatArray:
    """Inverse CDF of the triangular distribution on [lo, hi] with its peak at `mode`."""
    width = hi - lo
    safe = np.where(width > 0, width, 1.0)
    c = (mode - lo) / safe
    left = lo + np.sqrt(u * width * (mode - lo))
    right = hi - np.sqrt((1.0 - u) * width * (hi - mode))
    out = np.where(u < c, left, right)
    return np.asarray(np.where(width > 0, out, mode), dtype=float)


def uniform_ppf(u: FloatArray, lo: FloatArray, mode: FloatArray, hi: FloatArray) -> FloatArray:
    return np.asarray(np.where(hi > lo, lo + u * (hi - lo), mode), dtype=float)


def truncnormal_ppf(u: FloatArray, lo: FloatArray, mode: FloatArray, hi: FloatArray) -> FloatArray:
    """Normal centred on the point value with sigma = (hi - lo) / 4, truncated to [lo, hi]."""
    from scipy.special import ndtr, ndtri  # here: SciPy costs every command 0.3 s to import

    width = hi - lo
    sigma = np.where(width > 0, width / 4.0, 1.0)
    fa = ndtr((lo - mode) / sigma)
    fb = ndtr((hi - mode) / sigma)
    p = np.clip(fa + u * (fb - fa), 1e-300, 1.0 - 1e-16)
    x = np.clip(mode + sigma * ndtri(p), lo, hi)
    return np.asarray(np.where(width > 0, x, mode), dtype=float)


PPF = {
    Distribution.triangular: triangular_ppf,
    Distribution.uniform: uniform_ppf,
    Distribution.truncnormal: truncnormal_ppf,
}


def uniforms(seed: int, start: int, stop: int, n_inputs: int, stream: int = 0) -> FloatArray:
    """Uniforms of draws start..stop-1, shape (stop - start, n_inputs).

    Draw d always comes from block d // RNG_BLOCK's own stream, so any split of the draw range
    gives the same numbers. `stream` > 0 gives another, independent set (the outside options)."""
    out = np.empty((stop - start, n_inputs))
    root = np.random.SeedSequence(seed)
    b0, b1 = start // RNG_BLOCK, (stop - 1) // RNG_BLOCK if stop > start else start // RNG_BLOCK
    for b in range(b0, b1 + 1):
        block_lo = b * RNG_BLOCK
        rng = np.random.Generator(
            np.random.PCG64(
                np.random.SeedSequence(root.entropy, spawn_key=(b,) if not stream else (stream, b))
            )
        )
        block = rng.random((RNG_BLOCK, n_inputs))
        lo, hi = max(start, block_lo), min(stop, block_lo + RNG_BLOCK)
        if hi > lo:
            out[lo - start : hi - start] = block[lo - block_lo : hi - block_lo]
    return out


def values_from_uniforms(
    space: InputSpace,
    u: FloatArray,
    dist: Distribution = Distribution.triangular,
    fields: tuple[str, ...] = FIELDS,
) -> dict[str, FloatArray]:
    """Each field's values per draw, shape (D, A, I), from uniforms U shaped (D, n_inputs)
    (only the `fields` asked for: each field reads its own columns of U)."""
    d = u.shape[0]
    ppf = PPF[Distribution(dist)]
    a_idx, i_idx = np.nonzero(space.present)
    out: dict[str, FloatArray] = {}
    for k, f in enumerate(FIELDS):
        if f not in fields:
            continue
        x = np.broadcast_to(space.point[f], (d, *space.point[f].shape)).copy()
        if len(a_idx):
            cols = u[:, k::3]  # (D, P): this field's column of every present stance
            lo = space.low[f][a_idx, i_idx]
            hi = space.high[f][a_idx, i_idx]
            mode = space.point[f][a_idx, i_idx]
            x[:, a_idx, i_idx] = ppf(cols, lo[None], mode[None], hi[None])
        out[f] = x
    return out


def arrays_from_uniforms(
    space: InputSpace, u: FloatArray, dist: Distribution = Distribution.triangular
) -> ScenarioArrays:
    """The stacked (draws × actors × issues) arrays every model consumes."""
    return arrays_from_values(space, values_from_uniforms(space, u, dist))


def point_arrays(space: InputSpace) -> ScenarioArrays:
    """The point values as a batch of one draw."""
    return arrays_from_values(space, {f: space.point[f][None].copy() for f in FIELDS})


def arrays_from_values(space: InputSpace, v: dict[str, FloatArray]) -> ScenarioArrays:
    """ScenarioArrays from per-draw field values (D, A, I); absent stances follow the
    conventions of :mod:`qimma.scenario.arrays` (status-quo position, no weight)."""
    d = v["position"].shape[0]
    absent = ~space.present
    pos = v["position"]
    pos[:, absent] = np.broadcast_to(space.status_quo[None, :], absent.shape)[absent]
    sal = v["salience"] / 100.0
    cap = v["capability"]
    sal[:, absent] = 0.0
    cap[:, absent] = 0.0
    return ScenarioArrays(
        actor_ids=space.actor_ids,
        issue_ids=space.issue_ids,
        positions=pos,
        saliences=sal,
        capabilities=cap,
        present=space.present.copy(),
        status_quo=np.broadcast_to(space.status_quo[None, :], (d, len(space.issue_ids))).copy(),
        scale_min=space.scale_min.copy(),
        scale_max=space.scale_max.copy(),
    )
