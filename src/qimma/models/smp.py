"""KTAB's Spatial Model of Politics (SMP) with its default settings.

Wise, Lester & Efird's SMP as implemented in KAPSARC's KTAB (MIT): proportional voting,
conditional PCE, deterministic state transition, semi-committed third parties, one-third risk
adjustment and the S2P2 interpolated bargains. Multi-dimensional: an actor's position is a vector
over the scenario's issues and its saliences weight the distance. Formulas, sources, defaults and
every deviation from KTAB: docs/models/smp.md. The bargaining loops are in `_smp_kernel` (Numba).
"""

from __future__ import annotations

import numpy as np

from qimma.models import _jit
from qimma.models import _smp_kernel as kernel
from qimma.models._threads import run_blocks
from qimma.models.base import BargainingModel, ModelResult
from qimma.scenario.arrays import FloatArray, ScenarioArrays


def actor_capabilities(arrays: ScenarioArrays) -> FloatArray:
    """One capability per actor and draw, shape (D, A).

    KTAB gives each actor a single scalar capability; qimma stores one per issue. The SMP uses
    their salience-weighted mean over the issues the actor takes part in (the plain mean if it
    cares about none), which is the common value whenever capability is the same on every issue,
    as in every KTAB input.
    """
    present = arrays.present[None, :, :]
    cap = arrays.capabilities * present
    sal = arrays.saliences * present
    sal_total = sal.sum(axis=2)
    n_present = np.maximum(present.sum(axis=2), 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        weighted = (cap * sal).sum(axis=2) / np.where(sal_total > 0, sal_total, 1.0)
    plain = cap.sum(axis=2) / n_present
    return np.asarray(np.where(sal_total > 0, weighted, plain), dtype=float)


def smp_saliences(arrays: ScenarioArrays) -> FloatArray:
    """Saliences on [0, 1] with each actor's total over the issues capped at 1, shape (D, A, I).

    KTAB requires Σ_d s_id <= 1 (an actor's attention is shared between the dimensions) and uses
    that total as the probability that the actor resists a challenge. qimma scenarios give each
    issue its own 0-100 salience, so an actor whose total exceeds 1 has its saliences divided by
    their total; relative saliences (all that the distance uses) are unchanged, and inputs that
    KTAB accepts are left exactly as they are.
    """
    sal = arrays.saliences * arrays.present[None, :, :]
    total = sal.sum(axis=2, keepdims=True)
    return np.asarray(np.where(total > 1.0, sal / np.where(total > 1.0, total, 1.0), sal))


class SMPModel(BargainingModel):
    """KTAB SMP; `run` returns per-turn positions, outcome probabilities and expected outcome."""

    name = "smp"
    title_en = "Spatial Model of Politics (KTAB)"
    title_ar = "النموذج المكاني للسياسة (KTAB)"
    dynamic = True

    def __init__(
        self,
        max_turns: int = 100,
        min_turns: int = 2,
        min_delta_ratio: float = 0.02,
        min_sig_delta: float = 1e-4,
        pos_tol: float = 1e-3,
    ) -> None:
        if max_turns < 1 or min_turns < 1:
            raise ValueError("max_turns and min_turns must be at least 1")
        self.max_turns = int(max_turns)
        self.min_turns = int(min_turns)
        self.min_delta_ratio = float(min_delta_ratio)
        self.min_sig_delta = float(min_sig_delta)
        self.pos_tol = float(pos_tol)

    def run(self, arrays: ScenarioArrays) -> ModelResult:
        """Actors holding no stance at all (mediators, venues) are left out: in the SMP every
        actor's position is an option that others vote on, and a go-between has no position.
        They are put back in the result at their starting position (the status quo), with no
        probability, capability or salience."""
        keep = [a for a in range(arrays.n_actors) if arrays.present[a].any()]
        if not keep:
            keep = list(range(arrays.n_actors))
        running = arrays if len(keep) == arrays.n_actors else arrays.select_actors(keep)
        res = self._run(running, arrays, keep)
        return res if len(keep) == arrays.n_actors else _widen_details(res, arrays, keep)

    def _run(self, arrays: ScenarioArrays, full: ScenarioArrays, keep: list[int]) -> ModelResult:
        """Run the actors of `arrays` (the actors `keep` of `full`); positions of all of full's."""
        d, a, i = arrays.positions.shape
        # compiled, or plain Python for small work (same bytes; models/_jit.py)
        simulate = _jit.kernel_for(kernel.simulate_batch, self.name, d, a, i)
        pad = _jit.kernel_for(kernel.pad_batch, self.name, d, a, i)
        x0 = np.ascontiguousarray(arrays.to_unit(arrays.positions), dtype=float)
        sal = np.ascontiguousarray(smp_saliences(arrays), dtype=float)
        cap = np.ascontiguousarray(actor_capabilities(arrays), dtype=float)
        absent = np.setdiff1d(np.arange(full.n_actors), keep).astype(np.int64)
        t_cap = self.max_turns + 1
        # every turn on the issues' scales, written once by the kernel (pages of turns that no
        # draw reaches are never touched)
        positions = np.empty((d, t_cap, full.n_actors, i))
        rounds = np.empty((d, t_cap, i))
        probs = np.empty((d, a))
        group = np.empty((d, a), dtype=np.int64)
        group_prob = np.empty((d, a))
        modal = np.empty(d, dtype=np.int64)
        turns = np.empty(d, dtype=np.int64)
        stop = (self.max_turns, self.min_turns, self.min_delta_ratio, self.min_sig_delta,
                self.pos_tol)  # fmt: skip
        args = (x0, sal, cap, stop, np.asarray(keep, dtype=np.int64), absent,
                np.ascontiguousarray(full.positions, dtype=float),
                np.ascontiguousarray(arrays.scale_min, dtype=float),
                np.ascontiguousarray(arrays.span, dtype=float),
                positions, rounds, probs, group, group_prob, modal, turns)  # fmt: skip
        run_blocks(lambda lo, hi: simulate(lo, hi, *args), 0, d)
        t_all = int(turns.max()) + 1
        run_blocks(lambda lo, hi: pad(lo, hi, turns, t_all, positions, rounds), 0, d)
        if t_all < t_cap:
            positions = positions[:, :t_all].copy()
            rounds = rounds[:, :t_all].copy()
        modal_pos = positions[np.arange(d), turns, np.asarray(keep)[modal]]
        return ModelResult(
            model=self.name,
            outcome=rounds[np.arange(d), turns],
            rounds=rounds,
            positions=positions,
            n_rounds=turns,
            details={
                # probability of each actor's final position, as KTAB reports it
                "final_probability": probs,
                # the final positions as a distribution: each actor's group (the actor whose
                # position represents it, positions within pos_tol) and the group's probability
                "final_group": group,
                "final_group_probability": group_prob,
                "modal_actor": modal,
                "modal_position": modal_pos,
                "saliences_used": sal,
                "capabilities_used": cap,
            },
        )


def _widen_details(res: ModelResult, arrays: ScenarioArrays, keep: list[int]) -> ModelResult:
    """The details of a run on the actors `keep` for all actors: the left-out ones with no
    probability, capability or salience, each its own group."""
    d, a = arrays.n_draws, arrays.n_actors
    index = np.asarray(keep)
    det = res.details

    def widen(x: FloatArray) -> FloatArray:
        out = np.zeros((d, a, *x.shape[2:]))
        out[:, keep] = x
        return out

    group = np.broadcast_to(np.arange(a), (d, a)).copy()
    group[:, keep] = index[det["final_group"]]
    details = {
        **det,
        "final_probability": widen(det["final_probability"]),
        "final_group": group,
        "final_group_probability": widen(det["final_group_probability"]),
        "modal_actor": index[det["modal_actor"]],
        "saliences_used": widen(det["saliences_used"]),
        "capabilities_used": widen(det["capabilities_used"]),
    }
    return ModelResult(res.model, res.outcome, res.rounds, res.positions, res.n_rounds, details)


def final_distribution(
    result: ModelResult, draw: int = 0
) -> list[tuple[FloatArray, float, list[int]]]:
    """The final positions of one draw as (position, probability, member actors), likeliest first.

    The probabilities are those of the PCE over the unique final positions and sum to 1; the
    expected outcome (`result.outcome`) is their probability-weighted mean.
    """
    if result.positions is None or result.n_rounds is None:
        raise ValueError("not an smp result")
    t = int(result.n_rounds[draw])
    group = result.details["final_group"][draw]
    prob = result.details["final_group_probability"][draw]
    out = []
    for rep in dict.fromkeys(int(g) for g in group):
        members = [k for k, g in enumerate(group) if int(g) == rep]
        out.append((result.positions[draw, t, rep].copy(), float(prob[members[0]]), members))
    out.sort(key=lambda item: -item[1])
    return out
