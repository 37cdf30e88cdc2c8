"""What-if levers: named, combinable patches on a scenario's input space.

A lever change edits a stance field (position, salience, capability) of one actor (or all) on some
issues (or all), or an issue's status quo. It is applied to the point value AND to both ends of
the range, so the whole distribution moves with it: `add` shifts it, `multiply` scales it, `set`
pins it to one value (the lever states the value, so no uncertainty is left). Results are clipped
to what the field allows (the issue scale for positions and status quo, 0-100 for salience, >= 0
for capability). Stances the scenario does not have are left absent: a lever does not invent a
stance.
"""

from __future__ import annotations

import numpy as np

from qimma.analysis.sampling import FIELDS, InputSpace
from qimma.errors import NotFoundError
from qimma.scenario.arrays import FloatArray
from qimma.scenario.model import Lever, LeverChange, Scenario

STATUS_QUO = "status_quo"


def find_levers(scenario: Scenario, ids: list[str]) -> list[Lever]:
    """The scenario's levers with these ids; an unknown id is an error listing the known ones."""
    by_id = {lv.id: lv for lv in scenario.levers}
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        known = ", ".join(by_id) or "(none: this scenario declares no levers)"
        known_ar = ", ".join(by_id) or "(لا شيء: لا يعلن هذا السيناريو أي رافعة)"
        raise NotFoundError.single(
            f"unknown lever {', '.join(repr(u) for u in unknown)}",
            f"رافعة غير معروفة {', '.join(repr(u) for u in unknown)}",
            fix_en=f"use one of: {known}",
            fix_ar=f"استخدم إحدى: {known_ar}",
        )
    return [by_id[i] for i in ids]


def _apply_op(x: FloatArray, op: str, value: float) -> FloatArray:
    if op == "set":
        return np.full_like(x, value)
    if op == "add":
        return x + value
    return x * value


def apply_changes(space: InputSpace, changes: list[LeverChange]) -> InputSpace:
    """The input space after these changes, in order."""
    point = {f: space.point[f].copy() for f in FIELDS}
    low = {f: space.low[f].copy() for f in FIELDS}
    high = {f: space.high[f].copy() for f in FIELDS}
    sq = space.status_quo.copy()
    a_ix = {a: k for k, a in enumerate(space.actor_ids)}
    i_ix = {i: k for k, i in enumerate(space.issue_ids)}
    for ch in changes:
        issues = [i_ix[i] for i in ch.issues] if ch.issues else list(range(len(i_ix)))
        if ch.target == STATUS_QUO:
            sq[issues] = np.clip(
                _apply_op(sq[issues], ch.op, ch.value),
                space.scale_min[issues],
                space.scale_max[issues],
            )
            continue
        actors = [a_ix[ch.actor]] if ch.actor is not None else list(range(len(a_ix)))
        mask = np.zeros(space.present.shape, dtype=bool)
        mask[np.ix_(actors, issues)] = True
        mask &= space.present
        f = ch.target
        for arr in (point[f], low[f], high[f]):
            arr[mask] = _apply_op(arr[mask], ch.op, ch.value)
        if f == "position":
            lo_b = np.broadcast_to(space.scale_min[None, :], mask.shape)[mask]
            hi_b = np.broadcast_to(space.scale_max[None, :], mask.shape)[mask]
        elif f == "salience":
            lo_b, hi_b = np.zeros(mask.sum()), np.full(mask.sum(), 100.0)
        else:
            lo_b, hi_b = np.zeros(mask.sum()), np.full(mask.sum(), np.inf)
        for arr in (point[f], low[f], high[f]):
            arr[mask] = np.clip(arr[mask], lo_b, hi_b)
        # multiply by a negative number would swap the ends; keep low <= point <= high
        lo_new = np.minimum(low[f], high[f])
        hi_new = np.maximum(low[f], high[f])
        low[f], high[f] = lo_new, hi_new
        point[f] = np.clip(point[f], low[f], high[f])
    return space.with_fields(point, low, high, sq)


def apply_levers(space: InputSpace, levers: list[Lever]) -> InputSpace:
    return apply_changes(space, [ch for lv in levers for ch in lv.changes])


def changes_by_mover(levers: list[Lever]) -> dict[str, list[LeverChange]]:
    """The levers' changes grouped by who moves: an actor id, 'status_quo', or '*' (all actors)."""
    out: dict[str, list[LeverChange]] = {}
    for lv in levers:
        for ch in lv.changes:
            key = STATUS_QUO if ch.target == STATUS_QUO else (ch.actor or "*")
            out.setdefault(key, []).append(ch)
    return out
