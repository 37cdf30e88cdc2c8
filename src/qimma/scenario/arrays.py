"""A scenario as arrays shaped (draws × actors × issues): what every model consumes.

A single scenario is a batch of one draw; the Monte Carlo stacks many draws so that each model runs
once, vectorised over the first axis.

Absent stances (the actor takes no position on an issue) are marked False in `present`; their
salience and capability are 0 and their position is the status quo, so weighted sums ignore them.
Models must still use `present` wherever an actor's mere presence matters (medians, vote counts).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from qimma.scenario.degenerate import check_runnable
from qimma.scenario.model import Scenario

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True)
class ScenarioArrays:
    actor_ids: tuple[str, ...]
    issue_ids: tuple[str, ...]
    positions: FloatArray  # (D, A, I), each issue on its own scale
    saliences: FloatArray  # (D, A, I), in [0, 1] (the scenario's 0-100 / 100)
    capabilities: FloatArray  # (D, A, I), >= 0
    present: BoolArray  # (A, I)
    status_quo: FloatArray  # (D, I)
    scale_min: FloatArray  # (I,)
    scale_max: FloatArray  # (I,)

    def __post_init__(self) -> None:
        d, a, i = self.positions.shape
        for name in ("saliences", "capabilities"):
            if getattr(self, name).shape != (d, a, i):
                raise ValueError(f"{name} has shape {getattr(self, name).shape}, want {(d, a, i)}")
        if self.present.shape != (a, i):
            raise ValueError(f"present has shape {self.present.shape}, want {(a, i)}")
        if self.status_quo.shape != (d, i):
            raise ValueError(f"status_quo has shape {self.status_quo.shape}, want {(d, i)}")
        if len(self.actor_ids) != a or len(self.issue_ids) != i:
            raise ValueError("actor_ids/issue_ids do not match the array shapes")
        # Capabilities come in any unit (GDP in dollars, votes, 0-100 scores); models see them
        # rescaled so that each draw's largest lies in [0.5, 1). The factor is a power of two, so
        # the ratios between actors are exactly those of the input (no rounding at all) and the
        # models' fixed thresholds (e.g. KTAB's minimum coalition strength) act on the same
        # magnitudes whatever unit the analyst chose.
        object.__setattr__(self, "capabilities", unit_capabilities(self.capabilities))

    @property
    def n_draws(self) -> int:
        return int(self.positions.shape[0])

    @property
    def n_actors(self) -> int:
        return int(self.positions.shape[1])

    @property
    def n_issues(self) -> int:
        return int(self.positions.shape[2])

    @property
    def span(self) -> FloatArray:
        """Width of each issue's scale, shape (I,)."""
        return self.scale_max - self.scale_min

    def weights(self) -> FloatArray:
        """capability × salience, zero where the actor is absent; shape (D, A, I)."""
        return self.capabilities * self.saliences * self.present[None, :, :]

    def to_unit(self, x: FloatArray) -> FloatArray:
        """Map values on the issues' scales (last axis = issues) to [0, 1]."""
        return (x - self.scale_min) / self.span

    def from_unit(self, u: FloatArray, *, in_place: bool = False) -> FloatArray:
        """Inverse of :meth:`to_unit`. in_place: overwrite `u` (a float array of the caller's
        own) instead of allocating two arrays of its size; the same values bit for bit."""
        if not in_place:
            return self.scale_min + u * self.span
        u *= self.span
        u += self.scale_min
        return u

    def with_values(
        self,
        positions: FloatArray | None = None,
        saliences: FloatArray | None = None,
        capabilities: FloatArray | None = None,
        status_quo: FloatArray | None = None,
    ) -> ScenarioArrays:
        """A copy with some arrays replaced (used by Monte Carlo draws and levers)."""
        return replace(
            self,
            positions=self.positions if positions is None else positions,
            saliences=self.saliences if saliences is None else saliences,
            capabilities=self.capabilities if capabilities is None else capabilities,
            status_quo=self.status_quo if status_quo is None else status_quo,
        )

    def draw(self, k: int) -> ScenarioArrays:
        """Draw k alone, as a batch of one."""
        sl = slice(k, k + 1)
        return replace(
            self,
            positions=self.positions[sl],
            saliences=self.saliences[sl],
            capabilities=self.capabilities[sl],
            status_quo=self.status_quo[sl],
        )

    def select_actors(self, idx: list[int]) -> ScenarioArrays:
        return replace(
            self,
            actor_ids=tuple(self.actor_ids[a] for a in idx),
            positions=self.positions[:, idx],
            saliences=self.saliences[:, idx],
            capabilities=self.capabilities[:, idx],
            present=self.present[idx],
        )

    def select_issues(self, idx: list[int]) -> ScenarioArrays:
        return ScenarioArrays(
            actor_ids=self.actor_ids,
            issue_ids=tuple(self.issue_ids[i] for i in idx),
            positions=self.positions[:, :, idx],
            saliences=self.saliences[:, :, idx],
            capabilities=self.capabilities[:, :, idx],
            present=self.present[:, idx],
            status_quo=self.status_quo[:, idx],
            scale_min=self.scale_min[idx],
            scale_max=self.scale_max[idx],
        )


def unit_capabilities(capabilities: FloatArray) -> FloatArray:
    """Each draw's capabilities times the power of two that puts its largest in [0.5, 1).

    A draw whose capabilities are all zero (or not finite) is returned unchanged: validation
    refuses such inputs before a model runs, and models treat an all-zero issue as empty.
    """
    caps = np.asarray(capabilities, dtype=float)
    if caps.size == 0:
        return caps
    top = caps.reshape(caps.shape[0], -1).max(axis=1)
    _, exponent = np.frexp(top)
    usable = np.isfinite(top) & (top > 0)
    shift = np.where(usable, -exponent, 0).astype(np.int64)
    if not shift.any():
        return caps
    return np.ldexp(caps, shift.reshape((-1,) + (1,) * (caps.ndim - 1)))


def stance_bounds(scenario: Scenario) -> dict[str, FloatArray]:
    """Point values and low/high bounds of every stance as (A, I) arrays.

    Keys: position, position_low, position_high, salience..., capability..., and present.
    Saliences are on 0-100 here (as in the file); :func:`to_arrays` divides by 100. Every model
    input passes through here, so a scenario no model can mean anything with is refused here
    (:mod:`qimma.scenario.degenerate`), before any model runs.
    """
    check_runnable(scenario)
    actors = [a.id for a in scenario.actors]
    issues = [i.id for i in scenario.issues]
    a_ix = {a: k for k, a in enumerate(actors)}
    i_ix = {i: k for k, i in enumerate(issues)}
    shape = (len(actors), len(issues))
    sq = np.array([i.status_quo for i in scenario.issues], dtype=float)
    out: dict[str, FloatArray] = {}
    for field in ("position", "salience", "capability"):
        for suffix in ("", "_low", "_high"):
            out[field + suffix] = np.zeros(shape)
    for name in ("position", "position_low", "position_high"):
        out[name][:] = sq[None, :]
    present = np.zeros(shape, dtype=bool)
    for st in scenario.stances:
        if st.actor not in a_ix or st.issue not in i_ix:
            continue
        a, i = a_ix[st.actor], i_ix[st.issue]
        present[a, i] = True
        for field in ("position", "salience", "capability"):
            est = getattr(st, field)
            out[field][a, i] = est.value
            out[field + "_low"][a, i] = est.lo
            out[field + "_high"][a, i] = est.hi
    out["present"] = present.astype(float)
    return out


def stance_basis(scenario: Scenario) -> tuple[tuple[str, ...], ...]:
    """Each stance's basis (explicit, inferred, assumption) as an (A, I) grid; '' where absent."""
    a_ix = {a.id: k for k, a in enumerate(scenario.actors)}
    i_ix = {i.id: k for k, i in enumerate(scenario.issues)}
    basis = [["" for _ in scenario.issues] for _ in scenario.actors]
    for st in scenario.stances:
        if st.actor in a_ix and st.issue in i_ix:
            basis[a_ix[st.actor]][i_ix[st.issue]] = st.basis
    return tuple(tuple(r) for r in basis)


def to_arrays(scenario: Scenario) -> ScenarioArrays:
    """The scenario's point values as a batch of one draw."""
    b = stance_bounds(scenario)
    present = b["present"].astype(bool)
    return ScenarioArrays(
        actor_ids=tuple(a.id for a in scenario.actors),
        issue_ids=tuple(i.id for i in scenario.issues),
        positions=b["position"][None],
        saliences=(b["salience"] / 100.0)[None],
        capabilities=b["capability"][None],
        present=present,
        status_quo=np.array([[i.status_quo for i in scenario.issues]], dtype=float),
        scale_min=np.array([i.scale.min for i in scenario.issues], dtype=float),
        scale_max=np.array([i.scale.max for i in scenario.issues], dtype=float),
    )
