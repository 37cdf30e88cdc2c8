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

from dataclasses import replace

import numpy as np

from qimma.analysis.deal import DealSpace
from qimma.analysis.sampling import FIELDS, InputSpace
from qimma.errors import NotFoundError
from qimma.scenario.arrays import FloatArray
from qimma.scenario.model import Lever, LeverChange, Scenario

STATUS_QUO = "status_quo"
DEAL_TARGETS = ("outside_option", "no_deal_cost", "veto")


def apply_deal_changes(space: InputSpace, ds: DealSpace, changes: list[LeverChange]) -> DealSpace:
    """Outside options, costs and veto sets after these changes (clipped: terms to the issue
    scale, costs to >= 0). A change names one actor; `track` empty means every track."""
    terms = {k: v.copy() for k, v in ds.terms.items()}
    cost = {k: v.copy() for k, v in ds.cost.items()}
    veto = ds.veto.copy()
    a_ix = {a: k for k, a in enumerate(space.actor_ids)}
    i_ix = {i: k for k, i in enumerate(space.issue_ids)}
    for ch in changes:
        a = a_ix[ch.actor or ""]
        ts = [ds.track_index(ch.track)] if ch.track else list(range(len(ds.track_ids)))
        if ch.target == "veto":
            veto[ts, a] = bool(ch.value)
            continue
        for t in ts:
            if ch.target == "no_deal_cost":
                for arr in cost.values():
                    arr[t, a] = max(0.0, float(_apply_op(arr[t, a : a + 1], ch.op, ch.value)[0]))
                continue
            cols = [i_ix[i] for i in ch.issues] if ch.issues else list(range(len(i_ix)))
            for arr in terms.values():
                arr[t, a, cols] = np.clip(
                    _apply_op(arr[t, a, cols], ch.op, ch.value),
                    space.scale_min[cols],
                    space.scale_max[cols],
                )
    return replace(ds, terms=terms, cost=cost, veto=veto)


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
    deal = [ch for ch in changes if ch.target in DEAL_TARGETS]
    if deal and space.deal is not None:
        space = replace(space, deal=apply_deal_changes(space, space.deal, deal))
    changes = [ch for ch in changes if ch.target not in DEAL_TARGETS]
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
