"""Stokman & Van Oosten's exchange model, Equal Gain variant, as implemented by Decide.

Actors trade voting positions across pairs of issues: each gives ground on the issue it cares
relatively less about in return for the partner's move on the issue it cares more about, so that
both gain the same utility. Exchanges are realised greedily (highest gain first) within a round;
after each round the actors' preference positions move part of the way towards the voting
positions they committed to. The forecast of a round is the capability × salience weighted mean
of the voting positions (Decide's "voting NBS").

Every step, and each place where we follow Decide's code rather than the papers, is documented in
docs/models/exchange.md with references to Decide 2025.3.1 (GPL-3.0; read, not copied). The
selection loop cannot be vectorised (each realised exchange changes the others), so it runs in
Numba; draws are independent and run in threads (blocks of draws, `_threads`), each draw
sequentially. Within a round, the scoring of the candidates and the choice loop each run in one
function without reference counting into which the per-exchange steps (`_recalculate`,
`_calculate`, `_check_nbs`) are inlined: as separate calls each passed ~100 machine words of
array arguments, more than the arithmetic they did.

Positions are handled on Decide's normalised 0-100 scale inside the kernel and mapped back to each
issue's own scale on the way out.
"""

from __future__ import annotations

from typing import Any

import numba as nb
import numpy as np

from qimma.models import _jit  # registers the kernel cache location; kernel_for
from qimma.models._threads import run_blocks
from qimma.models.base import BargainingModel, ModelResult
from qimma.scenario.arrays import ScenarioArrays

# Integer columns of an exchange: the two actors and the issue each of them supplies (moves on).
# Actor "I" supplies issue I_S and demands J_S; actor "J" supplies J_S and demands I_S.
_IA, _JA, _IS, _JS = 0, 1, 2, 3
# Float columns: current supply positions, fixed demand positions, round-start positions,
# current moves and voting positions, the equal gain, and the history of earlier moves (sum and
# sign) that Decide's direction/size checks look at.
_IXS, _JXS, _IXD, _JXD, _ISTART, _JSTART = 0, 1, 2, 3, 4, 5
_IMOVE, _JMOVE, _IY, _JY, _GAIN = 6, 7, 8, 9, 10
_IHSUM, _JHSUM, _IHSIGN, _JHSIGN = 11, 12, 13, 14
_NF = 15

# Decide's thresholds (base.py is_move_valid; equalgain.py calculate)
_MIN_MOVE = 1e-10
_MIN_GAIN = 1e-10
# Float tolerances standing in for Decide's exact Decimal arithmetic (see the docs)
_SIDE_TOL = 1e-9  # "x <= NBS" on the 0-100 scale
_EDGE_TOL = 1e-9  # voting position inside [0, 100]
_TIE_TOL = 1e-12  # gains this close are a tie (Decide: exactly equal Decimals)

# Kernels that only read and write arrays they are given (no array is created, none returned) are
# compiled without Numba's reference counting (`_nrt=False`). With it, every array argument of a
# helper whose loops can exit early was increfed and decrefed on each call (atomic operations, the
# larger part of a recalculation's time); without it the same machine arithmetic runs, so the
# results are the same bits.
_NO_REFCOUNT: dict[str, Any] = {"_nrt": False}  # a Numba option the type stubs do not list
_leaf = nb.njit(cache=True, **_NO_REFCOUNT)
_inl = nb.njit(cache=True, inline="always", **_NO_REFCOUNT)

# Record columns: round, I actor, I supply issue, I from, I to, J actor, J supply issue, J from,
# J to, gain (positions on the 0-100 scale here; mapped to issue scales in Python).
_NREC = 10


@nb.njit(cache=True)
def _nbs(x, cs, present, sq):
    n_a, n_i = x.shape
    out = np.empty(n_i)
    for k in range(n_i):
        num = 0.0
        den = 0.0
        for a in range(n_a):
            if present[a, k]:
                num += cs[a, k] * x[a, k]
                den += cs[a, k]
        out[k] = num / den if den > 0 else sq[k]
    return out


@_leaf
def _upd_get(head, e, actor, pool_a, pool_v, pool_n):
    """The partner position exchange e has recorded for `actor` (NaN: none)."""
    u = head[e]
    while u >= 0:
        b = pool_a[u]
        if b == actor:
            return pool_v[u]
        if b > actor:
            break
        u = pool_n[u]
    return np.nan


@_leaf
def _upd_set(head, e, actor, y, start, pool_a, pool_v, pool_n, used):
    """Record `actor`'s new position y for exchange e, or merge it with the one recorded
    (Decide's update_updates). Each exchange's records are a list sorted by actor."""
    prev = -1
    u = head[e]
    while u >= 0 and pool_a[u] < actor:
        prev = u
        u = pool_n[u]
    if u >= 0 and pool_a[u] == actor:
        pool_v[u] = _merge_update(pool_v[u], start, y)
        return
    new = used[0]
    used[0] += 1
    pool_a[new] = actor
    pool_v[new] = y
    pool_n[new] = u
    if prev < 0:
        head[e] = new
    else:
        pool_n[prev] = new


@_leaf
def _partner_num(a, k, head, e, x, cs, base_num, pool_a, pool_v, pool_n):
    """Σ c·s·x on issue k with the partner positions exchange e has learned of for every actor
    but a; a's own term is added by the caller (it is the last term of the sum, so the result is
    the same as adding it inside the loop). The records are visited in actor order, the order of
    the sum over all actors."""
    num = base_num[k]
    u = head[e]
    while u >= 0:
        b = pool_a[u]
        if b != a:
            num += cs[b, k] * (pool_v[u] - x[b, k])
        u = pool_n[u]
    return num


@_leaf
def _move_valid(pos, move, hsum, hsign):
    """Decide's is_move_valid: a real move, staying on the scale, at most 100 in total, and in
    the same direction as this actor's earlier moves on the issue."""
    am = abs(move)
    if am > 100.0 or am <= _MIN_MOVE:
        return False
    y = pos + move
    if y < -_EDGE_TOL or y > 100.0 + _EDGE_TOL:
        return False
    if hsum + move > 100.0:
        return False
    if hsign == 0.0:
        return True
    return (move > 0) == (hsign > 0)


@_inl
def _check_nbs(e, side, iv, fv, x, s, cs, den, base_num, head_i, head_j, pool_a, pool_v, pool_n):
    """Decide's check_nbs: if the side's move would push the outcome on its supply issue past
    the partner's own position there, cut the move so the outcome lands exactly on that position
    and re-solve the partner's move for equal gain."""
    if side == 0:
        a, o = iv[e, _IA], iv[e, _JA]
        k, ko = iv[e, _IS], iv[e, _JS]
        xs, ys, target = fv[e, _IXS], fv[e, _IY], fv[e, _JXD]
        a_dem, o_xs = fv[e, _IXD], fv[e, _JXS]
    else:
        a, o = iv[e, _JA], iv[e, _IA]
        k, ko = iv[e, _JS], iv[e, _IS]
        xs, ys, target = fv[e, _JXS], fv[e, _JY], fv[e, _IXD]
        a_dem, o_xs = fv[e, _JXD], fv[e, _IXS]
    head = head_i if side == 0 else head_j
    # Decide's adjusted_nbs (own position xs or ys) and adjusted_nbs_by_position (a recorded
    # update of the actor itself overrides xs) share the partner part of the sum
    part = _partner_num(a, k, head, e, x, cs, base_num, pool_a, pool_v, pool_n)
    nbs0 = (part + cs[a, k] * (xs - x[a, k])) / den[k]
    nbs1 = (part + cs[a, k] * (ys - x[a, k])) / den[k]
    # Cut when the partner's position lies strictly between the outcome before and after the
    # move. With exact arithmetic an outcome already at that position is not cut (Decide's
    # conditions both hold at 0); within rounding we treat it the same way (see the docs).
    if nbs1 > nbs0:
        crossing = nbs0 + _EDGE_TOL < target < nbs1 - _EDGE_TOL
    elif nbs1 < nbs0:
        crossing = nbs1 + _EDGE_TOL < target < nbs0 - _EDGE_TOL
    else:
        crossing = False
    if not crossing:
        return
    own_upd = _upd_get(head, e, a, pool_a, pool_v, pool_n)
    own = xs if np.isnan(own_upd) else own_upd
    num = part + cs[a, k] * (own - x[a, k])
    move_a = abs(target * den[k] - num) / cs[a, k]
    shift_a = move_a * cs[a, k] / den[k]
    shift_o = shift_a * (s[a, k] + s[o, k]) / (s[a, ko] + s[o, ko])
    move_o = abs(shift_o * den[ko] / cs[o, ko])
    if o_xs > a_dem:
        move_o = -move_o
    if xs > target:
        move_a = -move_a
    gain = abs(shift_o * s[o, ko] - shift_a * s[o, k])
    if side == 0:
        fv[e, _IMOVE] = move_a
        fv[e, _JMOVE] = move_o
        fv[e, _IY] = xs + move_a
        fv[e, _JY] = o_xs + move_o
    else:
        fv[e, _JMOVE] = move_a
        fv[e, _IMOVE] = move_o
        fv[e, _JY] = xs + move_a
        fv[e, _IY] = o_xs + move_o
    fv[e, _GAIN] = gain


@_inl
def _calculate(e, iv, fv, x, s, cs, den, base_num, head_i, head_j, pool_a, pool_v, pool_n):
    """Decide's EqualGainExchange.calculate; returns whether the exchange is valid."""
    ia, ja, qi, pj = iv[e, _IA], iv[e, _JA], iv[e, _IS], iv[e, _JS]
    ixs, jxs, ixd, jxd = fv[e, _IXS], fv[e, _JXS], fv[e, _IXD], fv[e, _JXD]
    s_ip, s_jp, s_iq, s_jq = s[ia, pj], s[ja, pj], s[ia, qi], s[ja, qi]
    # J moves all the way to I's position on p; I's move on q follows from equal gain
    j_dist = abs(ixd - jxs)
    dp = j_dist * cs[ja, pj] / den[pj]
    dq = dp * (s_ip + s_jp) / (s_iq + s_jq)
    i_move = dq * den[qi] / cs[ia, qi]
    j_move = j_dist
    i_full = False
    j_full = True
    i_dist = abs(jxd - ixs)
    if abs(i_move) > i_dist:
        # I would overshoot J's position: I moves all the way instead, J's move follows
        dq = i_dist * cs[ia, qi] / den[qi]
        dp = dq * (s_iq + s_jq) / (s_ip + s_jp)
        i_move = i_dist
        j_move = dp * den[pj] / cs[ja, pj]
        i_full = True
        j_full = False
    if ixs > jxd:
        i_move = -i_move
    if jxs > ixd:
        j_move = -j_move
    fv[e, _IMOVE] = i_move
    fv[e, _JMOVE] = j_move
    # a full move lands exactly on the partner's position (as it does in Decide's Decimals)
    fv[e, _IY] = jxd if i_full else ixs + i_move
    fv[e, _JY] = ixd if j_full else jxs + j_move
    fv[e, _GAIN] = abs(dq * s_iq - dp * s_ip)
    valid = _move_valid(ixs, i_move, fv[e, _IHSUM], fv[e, _IHSIGN]) and _move_valid(
        jxs, j_move, fv[e, _JHSUM], fv[e, _JHSIGN]
    )
    if fv[e, _GAIN] < _MIN_GAIN or not valid:
        return False
    _check_nbs(e, 0, iv, fv, x, s, cs, den, base_num, head_i, head_j, pool_a, pool_v, pool_n)
    _check_nbs(e, 1, iv, fv, x, s, cs, den, base_num, head_i, head_j, pool_a, pool_v, pool_n)
    return _move_valid(ixs, fv[e, _IMOVE], fv[e, _IHSUM], fv[e, _IHSIGN]) and _move_valid(
        jxs, fv[e, _JMOVE], fv[e, _JHSUM], fv[e, _JHSIGN]
    )


@_leaf
def _push_history(fv, e, side):
    """Decide keeps the superseded move of a side in its move list (see the docs)."""
    if side == 0:
        m = fv[e, _IMOVE]
        fv[e, _IHSUM] += m
        if fv[e, _IHSIGN] == 0.0:
            fv[e, _IHSIGN] = 1.0 if m > 0 else -1.0
    else:
        m = fv[e, _JMOVE]
        fv[e, _JHSUM] += m
        if fv[e, _JHSIGN] == 0.0:
            fv[e, _JHSIGN] = 1.0 if m > 0 else -1.0


@_leaf
def _merge_update(prev, start, y):
    """Decide's update_updates (base.py) for a partner position already recorded."""
    if start <= prev:
        return prev if prev < y else y
    return prev if prev > y else y


@_inl
def _recalculate(
    e, r, iv, fv, x, s, cs, den, base_num, head_i, head_j, pool_a, pool_v, pool_n, used
):
    """Decide's AbstractExchange.recalculate of exchange e after exchange r was realised.

    Returns 0 when e is unaffected, 1 when it was recalculated and is still valid, -1 when it was
    recalculated and is no longer valid."""
    re_calc = False
    inv_i = False
    inv_j = False
    # an actor of e that moved on the same supply issue in r starts from its new voting position
    if iv[e, _IA] == iv[r, _IA] and iv[e, _IS] == iv[r, _IS]:
        fv[e, _IXS] = fv[r, _IY]
        inv_i = True
    elif iv[e, _IA] == iv[r, _JA] and iv[e, _IS] == iv[r, _JS]:
        fv[e, _IXS] = fv[r, _JY]
        inv_i = True
    if iv[e, _JA] == iv[r, _IA] and iv[e, _JS] == iv[r, _IS]:
        fv[e, _JXS] = fv[r, _IY]
        inv_j = True
    elif iv[e, _JA] == iv[r, _JA] and iv[e, _JS] == iv[r, _JS]:
        fv[e, _JXS] = fv[r, _JY]
        inv_j = True
    if inv_i or inv_j:
        if inv_i:
            _push_history(fv, e, 0)
        if inv_j:
            _push_history(fv, e, 1)
        re_calc = True
    # r's J demanded issue I_S(r) and r's I moved there: if an actor of e demands the same
    # issue, e records I's new position there (it shifts the outcome e's partner faces)
    for rside in range(2):
        if rside == 0:
            d_actor, d_issue = iv[r, _JA], iv[r, _IS]
            mover, y, start = iv[r, _IA], fv[r, _IY], fv[r, _ISTART]
        else:
            d_actor, d_issue = iv[r, _IA], iv[r, _JS]
            mover, y, start = iv[r, _JA], fv[r, _JY], fv[r, _JSTART]
        head = head_i
        hit = False
        if iv[e, _JA] == d_actor and iv[e, _IS] == d_issue:
            hit = True  # e's J demands e's I_S: used when checking I's supply issue
        elif iv[e, _IA] == d_actor and iv[e, _JS] == d_issue:
            head = head_j
            hit = True
        if hit:
            _upd_set(head, e, mover, y, start, pool_a, pool_v, pool_n, used)
            re_calc = True
    if not re_calc:
        return 0
    ok = _calculate(e, iv, fv, x, s, cs, den, base_num, head_i, head_j, pool_a, pool_v, pool_n)
    return 1 if ok else -1


@_leaf
def _sort_by_gain(order, n, fv):
    """Stable insertion sort of order[:n] by gain, highest first; gains within 1e-12 tie."""
    for t in range(1, n):
        cur = order[t]
        g = fv[cur, _GAIN]
        u = t - 1
        while u >= 0 and g > fv[order[u], _GAIN] + _TIE_TOL:
            order[u + 1] = order[u]
            u -= 1
        order[u + 1] = cur


@nb.njit(cache=True)
def _sort_by_gain_initial(order, n, fv):
    """The order _sort_by_gain gives, in O(n log n) plus the insertion sort of tied groups.

    Sorted by gain (highest first), the list falls into clusters: a new cluster starts where a
    gain is lower than the one before by more than the tolerance (g_prev > g + tol, in floats).
    Any exchange of an earlier cluster then has a gain higher by more than the tolerance than any
    of a later one (rounding is monotone), so the insertion sort moves every exchange past all
    those of lower clusters and past none of higher ones: it leaves the clusters in gain order,
    each ordered as the insertion sort of that cluster's exchanges alone, in list order. That is
    what is done here; clusters of equal gains need no work (stable order is list order)."""
    if n < 2:
        return
    neg = np.empty(n)
    for t in range(n):
        neg[t] = -fv[order[t], _GAIN]
        if np.isnan(neg[t]):  # no order to reason about: the insertion sort itself
            _sort_by_gain(order, n, fv)
            return
    idx = np.argsort(neg, kind="mergesort")
    old = order[:n].copy()
    t = 0
    while t < n:
        v = t + 1
        mixed = False
        while v < n:
            g_hi = fv[old[idx[v - 1]], _GAIN]
            g_lo = fv[old[idx[v]], _GAIN]
            if g_hi > g_lo + _TIE_TOL:
                break
            mixed = mixed or g_hi != g_lo
            v += 1
        if mixed:
            grp = np.sort(idx[t:v])  # the cluster in list order
            for u in range(v - t):
                order[t + u] = old[grp[u]]
            _sort_by_gain(order[t:v], v - t, fv)
        else:
            for u in range(t, v):
                order[u] = old[idx[u]]
        t = v


@_leaf
def _sort_by_gain_with_pos(items, pos, n, fv):
    """As _sort_by_gain, carrying each item's list position along."""
    for t in range(1, n):
        cur = items[t]
        cur_pos = pos[t]
        g = fv[cur, _GAIN]
        u = t - 1
        while u >= 0 and g > fv[items[u], _GAIN] + _TIE_TOL:
            items[u + 1] = items[u]
            pos[u + 1] = pos[u]
            u -= 1
        items[u + 1] = cur
        pos[u + 1] = cur_pos


@nb.njit(cache=True)
def _grow_pool(pool_a, pool_v, pool_n, need):
    size = max(need, 2 * pool_a.shape[0])
    new_a = np.empty(size, dtype=np.int64)
    new_v = np.empty(size)
    new_n = np.empty(size, dtype=np.int64)
    n = pool_a.shape[0]
    new_a[:n] = pool_a
    new_v[:n] = pool_v
    new_n[:n] = pool_n
    return new_a, new_v, new_n


@_leaf
def _block_min(b, gains, size):
    """Lowest gain of the exchanges of block b that keep their place (inf if none). The gains of
    the others are NaN, which no comparison selects."""
    m = np.inf
    for t in range(size[b]):
        if gains[b, t] < m:
            m = gains[b, t]
    return m


@_leaf
def _place(b, t, e, g, items, gains, blk_of, pos_in):
    items[b, t] = e
    gains[b, t] = g
    blk_of[e] = b
    pos_in[e] = t


@_leaf
def _leave(e, items, gains, live, blk_of, pos_in):
    """Exchange e leaves its place in the list: a hole until its block is rewritten."""
    b = blk_of[e]
    items[b, pos_in[e]] = -1
    gains[b, pos_in[e]] = np.nan
    live[b] -= 1


@_leaf
def _chunk_blocks(flat, flat_g, n, blk, items, gains, size, live, blk_of, pos_in, bmin):
    """Cut the list flat[:n] (gains flat_g) into blocks of `blk` exchanges (the later blocks
    empty)."""
    size[:] = 0
    for t in range(n):
        b = t // blk
        _place(b, size[b], flat[t], flat_g[t], items, gains, blk_of, pos_in)
        size[b] += 1
    for b in range(items.shape[0]):
        live[b] = size[b]
        bmin[b] = _block_min(b, gains, size)


@_leaf
def _block_content(b, k0, moved, n_moved, ins_b, ins_i, items, gains, size, fv, out, out_g, n):
    """Append block b's new content to out[n:] (gains to out_g): its exchanges that keep their
    place (the others are marked -1), with the moved exchanges k0.. that go into this block
    inserted before their place. Returns the new length and the next moved exchange."""
    k = k0
    for t in range(size[b] + 1):
        while k < n_moved and ins_b[k] == b and ins_i[k] == t:
            out[n] = moved[k]
            out_g[n] = fv[moved[k], _GAIN]
            n += 1
            k += 1
        if t < size[b] and items[b, t] >= 0:
            out[n] = items[b, t]
            out_g[n] = gains[b, t]
            n += 1
    return n, k


@_leaf
def _insertion_points(moved, moved_pos, n_moved, ins_b, ins_i, gains, size, bmin, fv, cap):
    """Where the stable merge of the old list puts each moved exchange (moved in merge order).

    The merge puts moved exchange m before the first exchange s that keeps its place (from
    where the previous one went) with g_m > g_s + tol, or g_m >= g_s - tol and m earlier in the
    old list than s. A whole block can be skipped when no s in it satisfies that; with the
    block's lowest gain `lo` (rounding is monotone) that is g_m <= lo + tol for a block before
    m's old place and g_m < lo - tol for a block after it, so the skip changes nothing. The
    exchanges that do not keep their place have NaN gains here, which satisfy neither test."""
    n_blk = size.shape[0]
    pb = 0
    pi = 0
    for k in range(n_moved):
        m = moved[k]
        g_m = fv[m, _GAIN]
        pos_m = moved_pos[k]
        mb = pos_m // cap
        found = False
        while pb < n_blk:
            if pi == 0:
                if pb < mb and g_m <= bmin[pb] + _TIE_TOL:
                    pb += 1
                    continue
                if pb > mb and g_m < bmin[pb] - _TIE_TOL:
                    pb += 1
                    continue
            while pi < size[pb]:
                g_s = gains[pb, pi]
                if g_m > g_s + _TIE_TOL or (g_m >= g_s - _TIE_TOL and pos_m < pb * cap + pi):
                    found = True
                    break
                pi += 1
            if found:
                break
            pb += 1
            pi = 0
        if found:
            ins_b[k] = pb
            ins_i[k] = pi
        else:  # after every exchange that keeps its place
            ins_b[k] = n_blk - 1
            ins_i[k] = size[n_blk - 1]


@_leaf
def _merge_moved(
    moved,
    moved_pos,
    n_moved,
    ins_b,
    ins_i,
    buf,
    buf_g,
    items,
    gains,
    size,
    live,
    bmin,
    blk_of,
    pos_in,
    fv,
    changed,
    blk,
):
    """Decide re-sorts its whole list stably by gain before every choice. The list stays sorted
    between choices except for the exchanges just recalculated (`moved`), so those are sorted
    (ties keep their list order) and merged back in, which gives the same order. The list is
    kept in blocks with their lowest gain, so that the merge looks only at the blocks where a
    moved exchange lands, not at the whole list. Each block keeps its exchanges' gains next to
    them, so the scans read memory in order. An exchange that leaves the list leaves a hole
    (exchange -1, gain NaN) that is dropped when a moved exchange lands in its block; until then
    the block's lowest gain may be lower than that of the exchanges it still holds, which only
    makes the merge skip the block less often.

    Returns the first block that may have received an exchange (0 after cutting anew)."""
    cap = items.shape[1]
    n_blk = size.shape[0]
    if n_moved == 0:
        return n_blk
    # old list positions of the moved exchanges, then list order, then gain order
    for k in range(n_moved):
        m = moved[k]
        moved_pos[k] = blk_of[m] * cap + pos_in[m]
    _sort_by_pos(moved, moved_pos, n_moved)
    _sort_by_gain_with_pos(moved, moved_pos, n_moved, fv)
    _insertion_points(moved, moved_pos, n_moved, ins_b, ins_i, gains, size, bmin, fv, cap)
    # ins_b never decreases along the merge order: the blocks that receive exchanges are its
    # runs of equal values
    overflow = False
    k = 0
    while k < n_moved:
        b = ins_b[k]
        n = live[b]
        while k < n_moved and ins_b[k] == b:
            n += 1
            k += 1
        overflow = overflow or n > cap
    first = ins_b[0]
    if overflow:  # cut the whole list into blocks again
        n = 0
        k = 0
        for b in range(n_blk):
            n, k = _block_content(
                b, k, moved, n_moved, ins_b, ins_i, items, gains, size, fv, buf, buf_g, n
            )
        _chunk_blocks(buf, buf_g, n, blk, items, gains, size, live, blk_of, pos_in, bmin)
        first = 0
    else:
        k = 0
        while k < n_moved:
            b = ins_b[k]
            n, k = _block_content(
                b, k, moved, n_moved, ins_b, ins_i, items, gains, size, fv, buf, buf_g, 0
            )
            for t in range(n):
                _place(b, t, buf[t], buf_g[t], items, gains, blk_of, pos_in)
            size[b] = n
            live[b] = n
            bmin[b] = _block_min(b, gains, size)
    for k in range(n_moved):
        changed[moved[k]] = False
    return first


@_leaf
def _sort_by_pos(items, pos, n):
    """Insertion sort of items[:n] by pos (distinct)."""
    for t in range(1, n):
        cur = items[t]
        cur_pos = pos[t]
        u = t - 1
        while u >= 0 and pos[u] > cur_pos:
            items[u + 1] = items[u]
            pos[u + 1] = pos[u]
            u -= 1
        items[u + 1] = cur
        pos[u + 1] = cur_pos


@_leaf
def _block_size(n):
    """Exchanges per block of the sorted list (a block may grow to twice this before the list is
    cut again). Any size gives the same order; this one balances the blocks rewritten per
    realised exchange against the passes over all blocks (measured: 8 for the default
    scenario's ~250 exchanges, ~34 at 160 × 20's ~300,000; docs/performance.md)."""
    return max(8, int(np.sqrt(n) / 16))


@_leaf
def _score_candidates(x, s, cs, eligible, left, den, base_num, iv, fv, heads, pool, order, grp):
    """Every candidate of the round (for each issue pair, every A x D and B x C pair of eligible
    actors, in Decide's order) written into iv/fv and scored; the valid ones listed in `order`.
    Returns how many are valid."""
    n_a, n_i = x.shape
    head_i, head_j = heads
    pool_a, pool_v, pool_n, _ = pool
    n_valid = 0
    e = 0
    for p in range(n_i):
        for q in range(p + 1, n_i):
            for a in range(n_a):
                if eligible[a, p] and eligible[a, q]:
                    grp[a] = int(left[a, p]) + 2 * int(left[a, q])
                else:
                    grp[a] = -1
            for g1, g2 in ((0, 3), (1, 2)):
                for a in range(n_a):
                    if grp[a] != g1:
                        continue
                    for b in range(n_a):
                        if grp[b] != g2:
                            continue
                        # the actor with the lower salience ratio s_p / s_q supplies p
                        if s[a, p] / s[a, q] < s[b, p] / s[b, q]:
                            i_act, j_act = b, a
                        else:
                            i_act, j_act = a, b
                        iv[e, _IA] = i_act
                        iv[e, _JA] = j_act
                        iv[e, _IS] = q
                        iv[e, _JS] = p
                        fv[e, _IXS] = x[i_act, q]
                        fv[e, _JXS] = x[j_act, p]
                        fv[e, _IXD] = x[i_act, p]
                        fv[e, _JXD] = x[j_act, q]
                        fv[e, _ISTART] = x[i_act, q]
                        fv[e, _JSTART] = x[j_act, p]
                        if _calculate(
                            e,
                            iv,
                            fv,
                            x,
                            s,
                            cs,
                            den,
                            base_num,
                            head_i,
                            head_j,
                            pool_a,
                            pool_v,
                            pool_n,
                        ):
                            order[n_valid] = e
                            n_valid += 1
                        e += 1
    return n_valid


@_leaf
def _realise(st, rnd, iv, fv, x, s, cs, den, base_num, heads, pool, vote, rec, index, blocks, work):
    """Decide's choice loop: realise the first exchange of the sorted list, recalculate the ones
    it affects and merge them back, until the list is empty. The loop's counters live in `st`
    (exchanges in the list, first non-empty block, step, records, pool size needed) so that it
    can stop when the partner-position pool must grow (returns 1; the caller grows it and calls
    again) and go on where it stopped; returns 0 when the round is over."""
    n_i = x.shape[1]
    head_i, head_j = heads
    pool_a, pool_v, pool_n, used = pool
    alive, by_key_start, by_key_end, by_key, seen, changed = index
    items, gains, size, live, bmin, blk_of, pos_in = blocks
    moved, moved_pos, ins_b, ins_i, buf, buf_g = work
    blk = items.shape[1] // 2
    n_valid, hb, step, n_rec = st[0], st[1], st[2], st[3]
    while n_valid > 0:
        while live[hb] == 0:
            hb += 1
        ht = 0
        while items[hb, ht] < 0:
            ht += 1
        r = items[hb, ht]
        ia, ja, qi, pj = iv[r, _IA], iv[r, _JA], iv[r, _IS], iv[r, _JS]
        # each recalculation records at most two partner positions: make room first
        need = used[0]
        for key in (ia * n_i + qi, ia * n_i + pj, ja * n_i + qi, ja * n_i + pj):
            need += 2 * (by_key_end[key] - by_key_start[key])
        if need > pool_a.shape[0]:
            st[0], st[1], st[2], st[3], st[4] = n_valid, hb, step, n_rec, need
            return 1
        alive[r] = False
        _leave(r, items, gains, live, blk_of, pos_in)
        n_valid -= 1
        vote[ia, qi] = fv[r, _IY]
        vote[ja, pj] = fv[r, _JY]
        rec[n_rec, 0] = rnd
        rec[n_rec, 1] = ia
        rec[n_rec, 2] = qi
        rec[n_rec, 3] = fv[r, _IXS]
        rec[n_rec, 4] = fv[r, _IY]
        rec[n_rec, 5] = ja
        rec[n_rec, 6] = pj
        rec[n_rec, 7] = fv[r, _JXS]
        rec[n_rec, 8] = fv[r, _JY]
        rec[n_rec, 9] = fv[r, _GAIN]
        n_rec += 1
        step += 1
        n_moved = 0
        for key in (ia * n_i + qi, ia * n_i + pj, ja * n_i + qi, ja * n_i + pj):
            # the key's list drops the exchanges that have left the list for good (in order)
            w = by_key_start[key]
            for u in range(by_key_start[key], by_key_end[key]):
                e2 = by_key[u]
                if not alive[e2]:
                    continue
                by_key[w] = e2
                w += 1
                if changed[e2] or seen[e2] == step:
                    continue
                seen[e2] = step
                status = _recalculate(
                    e2,
                    r,
                    iv,
                    fv,
                    x,
                    s,
                    cs,
                    den,
                    base_num,
                    head_i,
                    head_j,
                    pool_a,
                    pool_v,
                    pool_n,
                    used,
                )
                if status != 0:  # e2 leaves its place in the list
                    _leave(e2, items, gains, live, blk_of, pos_in)
                if status == 1:
                    changed[e2] = True
                    moved[n_moved] = e2
                    n_moved += 1
                elif status == -1:
                    alive[e2] = False
                    n_valid -= 1
            by_key_end[key] = w
        first = _merge_moved(
            moved,
            moved_pos,
            n_moved,
            ins_b,
            ins_i,
            buf,
            buf_g,
            items,
            gains,
            size,
            live,
            bmin,
            blk_of,
            pos_in,
            fv,
            changed,
            blk,
        )
        hb = min(hb, first)
    st[0], st[1], st[2], st[3] = n_valid, hb, step, n_rec
    return 0


@nb.njit(cache=True)
def _one_round(x, s, cs, present, eligible, sq, rnd, rec, n_rec):
    """One round on start positions x (A, I): returns the voting positions and the records."""
    n_a, n_i = x.shape
    den = np.zeros(n_i)
    base_num = np.zeros(n_i)
    for k in range(n_i):
        for a in range(n_a):
            if present[a, k]:
                den[k] += cs[a, k]
                base_num[k] += cs[a, k] * x[a, k]
    nbs = _nbs(x, cs, present, sq)
    left = np.zeros((n_a, n_i), dtype=np.bool_)
    for a in range(n_a):
        for k in range(n_i):
            left[a, k] = x[a, k] <= nbs[k] + _SIDE_TOL
    # candidates: for each issue pair, every A x D and B x C pair of eligible actors
    n_cand = 0
    cnt = np.zeros(4, dtype=np.int64)
    for p in range(n_i):
        for q in range(p + 1, n_i):
            cnt[:] = 0
            for a in range(n_a):
                if eligible[a, p] and eligible[a, q]:
                    cnt[int(left[a, p]) + 2 * int(left[a, q])] += 1
            n_cand += cnt[0] * cnt[3] + cnt[1] * cnt[2]
    iv = np.zeros((n_cand, 4), dtype=np.int64)
    fv = np.zeros((n_cand, _NF))
    # partner positions recorded per exchange and side: linked lists sorted by actor in a shared
    # pool (head -1: none), so memory grows with the records, not with exchanges x actors
    heads = (np.full(n_cand, -1, dtype=np.int64), np.full(n_cand, -1, dtype=np.int64))
    pool = (np.empty(1024, dtype=np.int64), np.empty(1024), np.empty(1024, dtype=np.int64))
    used = np.zeros(1, dtype=np.int64)
    order = np.empty(n_cand, dtype=np.int64)
    n_valid = _score_candidates(
        x,
        s,
        cs,
        eligible,
        left,
        den,
        base_num,
        iv,
        fv,
        heads,
        (*pool, used),
        order,
        np.empty(n_a, dtype=np.int64),
    )
    vote = x.copy()
    # Decide re-sorts its whole list stably by gain before every choice. The list stays sorted
    # between choices except for the exchanges just recalculated, so we sort those few and merge
    # them back in (ties keep their list order), which gives the same order in O(n) per choice.
    _sort_by_gain_initial(order, n_valid, fv)
    index = _exchange_index(iv, order, n_valid, n_a * n_i, n_i)
    blocks, work = _list_blocks(order, n_valid, fv, n_cand)
    if rec.shape[0] < n_rec + n_valid:  # one record per realised exchange at most
        bigger = np.empty((n_rec + n_valid + 16, _NREC))
        bigger[:n_rec] = rec[:n_rec]
        rec = bigger
    st = np.array([n_valid, 0, 0, n_rec, 0], dtype=np.int64)
    while _realise(
        st,
        rnd,
        iv,
        fv,
        x,
        s,
        cs,
        den,
        base_num,
        heads,
        (*pool, used),
        vote,
        rec,
        index,
        blocks,
        work,
    ):
        pool = _grow_pool(*pool, st[4])
    return vote, rec, st[3]


@nb.njit(cache=True)
def _exchange_index(iv, order, n_valid, n_keys, n_i):
    """Which exchanges are in the list (`alive`), and the exchanges of each (actor, issue) key
    (key actor * n_i + issue) in `by_key[by_key_start[key]:by_key_end[key]]`: only
    exchanges that share such a pair with the realised one can be affected (every condition of
    _recalculate matches one of e's actors and one of e's two issues with one of r's). Also the
    per-exchange marks of the choice loop (`seen`, `changed`)."""
    n_cand = iv.shape[0]
    alive = np.zeros(n_cand, dtype=np.bool_)
    for t in range(n_valid):
        alive[order[t]] = True
    by_key_start = np.zeros(n_keys + 1, dtype=np.int64)
    for e in range(n_cand):
        if not alive[e]:  # never in the list: never recalculated
            continue
        for ca in (_IA, _JA):
            for ck in (_IS, _JS):
                by_key_start[iv[e, ca] * n_i + iv[e, ck] + 1] += 1
    for key in range(n_keys):
        by_key_start[key + 1] += by_key_start[key]
    fill = by_key_start[:-1].copy()
    by_key = np.empty(4 * n_cand, dtype=np.int64)
    for e in range(n_cand):
        if not alive[e]:  # never in the list: never recalculated
            continue
        for ca in (_IA, _JA):
            for ck in (_IS, _JS):
                key = iv[e, ca] * n_i + iv[e, ck]
                by_key[fill[key]] = e
                fill[key] += 1
    seen = np.full(n_cand, -1, dtype=np.int64)
    changed = np.zeros(n_cand, dtype=np.bool_)
    return alive, by_key_start, fill, by_key, seen, changed


@nb.njit(cache=True)
def _list_blocks(order, n_valid, fv, n_cand):
    """The sorted list order[:n_valid], cut into blocks (rows of `items`, gains in `gains`; see
    _merge_moved), and the merge's work arrays."""
    blk = _block_size(n_valid)
    n_blk = max(1, (n_valid + blk - 1) // blk)
    items = np.empty((n_blk, 2 * blk), dtype=np.int64)
    gains = np.empty((n_blk, 2 * blk))
    size = np.zeros(n_blk, dtype=np.int64)
    live = np.zeros(n_blk, dtype=np.int64)  # exchanges in the block that are not holes
    bmin = np.full(n_blk, np.inf)
    blk_of = np.full(n_cand, -1, dtype=np.int64)
    pos_in = np.zeros(n_cand, dtype=np.int64)
    buf_g = np.empty(n_cand)
    for t in range(n_valid):
        buf_g[t] = fv[order[t], _GAIN]
    _chunk_blocks(order, buf_g, n_valid, blk, items, gains, size, live, blk_of, pos_in, bmin)
    work = (
        np.empty(n_cand, dtype=np.int64),  # moved
        np.empty(n_cand, dtype=np.int64),  # moved_pos
        np.empty(n_cand, dtype=np.int64),  # ins_b
        np.empty(n_cand, dtype=np.int64),  # ins_i
        np.empty(n_cand, dtype=np.int64),  # buf
        buf_g,
    )
    return (items, gains, size, live, bmin, blk_of, pos_in), work


@nb.njit(cache=True)
def _run_draw(
    d,
    x0,
    s,
    c,
    present,
    sq,
    n_rounds,
    salience_weight,
    fixed_weight,
    rounds,
    pref,
    positions,
    n_ex,
    rec,
    keep,
    out_rec,
    n_out,
):
    """Every round of draw d, written into row d of the outputs. With `keep` the exchange records
    are appended to out_rec (draw number in column 0). Returns the (possibly grown) buffers."""
    cs = c[d] * s[d]
    eligible = present & (cs > 0)
    x = x0[d].copy()
    positions[d, 0] = x
    rounds[d, 0] = _nbs(x, cs, present, sq[d])
    for r in range(n_rounds):
        pref[d, r] = _nbs(x, cs, present, sq[d])
        vote, rec, n_rec = _one_round(x, s[d], cs, present, eligible, sq[d], r + 1, rec, 0)
        n_ex[d, r] = n_rec
        rounds[d, r + 1] = _nbs(vote, cs, present, sq[d])
        # post-round update: each moved actor keeps part of its voting move (Decide's
        # new_start_position; the last realised exchange of an actor-issue wins)
        new_x = x.copy()
        for t in range(n_rec):
            for side in range(2):
                a = int(rec[t, 1 + 4 * side])
                k = int(rec[t, 2 + 4 * side])
                w = (1.0 - s[d, a, k]) * salience_weight + fixed_weight
                new_x[a, k] = x[a, k] + w * (rec[t, 4 + 4 * side] - x[a, k])
        if keep:
            if n_out + n_rec > out_rec.shape[0]:
                bigger = np.empty((2 * (n_out + n_rec), _NREC + 1))
                bigger[:n_out] = out_rec[:n_out]
                out_rec = bigger
            for t in range(n_rec):
                out_rec[n_out, 0] = d
                out_rec[n_out, 1:] = rec[t]
                n_out += 1
        x = new_x
        positions[d, r + 1] = x
    return rec, out_rec, n_out


@nb.njit(cache=True)
def _run_recorded(
    x0,
    s,
    c,
    present,
    sq,
    n_rounds,
    salience_weight,
    fixed_weight,
    n_record,
    rounds,
    pref,
    positions,
    n_ex,
):
    """The first `n_record` draws, one after the other, keeping their exchange records."""
    rec = np.empty((64, _NREC))
    out_rec = np.empty((64, _NREC + 1))
    n_out = 0
    for d in range(min(n_record, x0.shape[0])):
        rec, out_rec, n_out = _run_draw(
            d,
            x0,
            s,
            c,
            present,
            sq,
            n_rounds,
            salience_weight,
            fixed_weight,
            rounds,
            pref,
            positions,
            n_ex,
            rec,
            True,
            out_rec,
            n_out,
        )
    return out_rec[:n_out]


@nb.njit(cache=True, nogil=True)
def _run_unrecorded(
    x0,
    s,
    c,
    present,
    sq,
    n_rounds,
    salience_weight,
    fixed_weight,
    lo,
    hi,
    rounds,
    pref,
    positions,
    n_ex,
):
    """Draws lo..hi-1 without records, one after the other (threads run blocks of draws, see
    _threads). Each draw's arithmetic is the same sequential code as in _run_recorded, so the
    results do not depend on the number of threads."""
    rec = np.empty((64, _NREC))
    dummy = np.empty((0, _NREC + 1))
    for d in range(lo, hi):
        rec, _, _ = _run_draw(
            d,
            x0,
            s,
            c,
            present,
            sq,
            n_rounds,
            salience_weight,
            fixed_weight,
            rounds,
            pref,
            positions,
            n_ex,
            rec,
            False,
            dummy,
            0,
        )


def _run_all(x0, s, c, present, sq, n_rounds, salience_weight, fixed_weight, n_record):
    """Every draw, every round. Returns outcomes (D, R+1, I), preference outcomes (D, R, I),
    start positions (D, R+1, A, I), exchanges per round (D, R) and the exchange records of the
    first `n_record` draws (with the draw number in column 0)."""
    n_d, n_a, n_i = x0.shape
    rounds = np.empty((n_d, n_rounds + 1, n_i))
    pref = np.empty((n_d, n_rounds, n_i))
    positions = np.empty((n_d, n_rounds + 1, n_a, n_i))
    n_ex = np.zeros((n_d, n_rounds), dtype=np.int64)
    args = (x0, s, c, present, sq, n_rounds, salience_weight, fixed_weight)
    n_keep = min(max(n_record, 0), n_d)
    out_rec = _run_recorded(*args, n_keep, rounds, pref, positions, n_ex)

    def block(lo: int, hi: int) -> None:
        _run_unrecorded(*args, lo, hi, rounds, pref, positions, n_ex)

    run_blocks(block, n_keep, n_d)
    return rounds, pref, positions, n_ex, out_rec


EXCHANGE_FIELDS = (
    "draw",
    "round",
    "i",
    "i_supply",
    "i_from",
    "i_to",
    "j",
    "j_supply",
    "j_from",
    "j_to",
    "gain",
)


class ExchangeModel(BargainingModel):
    """Equal Gain exchange of voting positions (Stokman & Van Oosten 1994; Decide's variant).

    Parameters: `rounds` (Decide's default 10; Decide has no stopping rule), the weights of the
    post-round position update (`salience_weight` 0.4, `fixed_weight` 0.1, Decide's), and
    `record_draws`: exchanges are listed for the first this-many draws (all draws of a batch of
    at most that size), so a 10,000-draw Monte Carlo does not keep millions of records.
    """

    name = "exchange"
    title_en = "Exchange model (Equal Gain)"
    title_ar = "نموذج التبادل (المكسب المتساوي)"
    dynamic = True
    min_issues = 2

    def __init__(
        self,
        rounds: int = 10,
        salience_weight: float = 0.4,
        fixed_weight: float = 0.1,
        record_draws: int = 16,
    ) -> None:
        if rounds < 1:
            raise ValueError("rounds must be at least 1")
        self.rounds = int(rounds)
        self.salience_weight = float(salience_weight)
        self.fixed_weight = float(fixed_weight)
        self.record_draws = int(record_draws)

    def run(self, arrays: ScenarioArrays) -> ModelResult:
        span = arrays.span
        x0 = np.ascontiguousarray(100.0 * (arrays.positions - arrays.scale_min) / span)
        sq = np.ascontiguousarray(100.0 * (arrays.status_quo - arrays.scale_min) / span)
        run_all = _jit.kernel_for(_run_all, self.name, *x0.shape)
        rounds, pref, positions, n_ex, rec = run_all(
            x0,
            np.ascontiguousarray(arrays.saliences, dtype=np.float64),
            np.ascontiguousarray(arrays.capabilities, dtype=np.float64),
            np.ascontiguousarray(arrays.present),
            sq,
            self.rounds,
            self.salience_weight,
            self.fixed_weight,
            self.record_draws,
        )

        def back(u: np.ndarray) -> np.ndarray:
            return np.asarray(arrays.scale_min + u / 100.0 * span, dtype=float)

        table = _record_table(rec, arrays)
        details: dict[str, Any] = {
            "preference_outcomes": back(pref),  # (D, R, I): weighted mean of start positions
            "exchanges_per_round": n_ex,  # (D, R)
            "exchanges": table,  # structured array, fields EXCHANGE_FIELDS
            "recorded_draws": min(self.record_draws, arrays.n_draws),
        }
        out_rounds = back(rounds)
        return ModelResult(
            model=self.name,
            outcome=out_rounds[:, -1, :],
            rounds=out_rounds,
            positions=np.asarray(
                arrays.scale_min + positions / 100.0 * span[None, None, None, :], dtype=float
            ),
            n_rounds=np.full(arrays.n_draws, self.rounds, dtype=np.int64),
            details=details,
        )


def _record_table(rec: np.ndarray, arrays: ScenarioArrays) -> np.ndarray:
    """Exchange records as a structured array, positions on each issue's own scale."""
    dtype = [(f, "i8") for f in EXCHANGE_FIELDS[:2]]
    dtype += [("i", "i8"), ("i_supply", "i8"), ("i_from", "f8"), ("i_to", "f8")]
    dtype += [("j", "i8"), ("j_supply", "i8"), ("j_from", "f8"), ("j_to", "f8"), ("gain", "f8")]
    out = np.zeros(len(rec), dtype=dtype)
    if len(rec) == 0:
        return out
    out["draw"] = rec[:, 0].astype(np.int64)
    out["round"] = rec[:, 1].astype(np.int64)
    for side, off in (("i", 2), ("j", 6)):
        issue = rec[:, off + 1].astype(np.int64)
        lo = arrays.scale_min[issue]
        span = arrays.span[issue]
        out[side] = rec[:, off].astype(np.int64)
        out[f"{side}_supply"] = issue
        out[f"{side}_from"] = lo + rec[:, off + 2] / 100.0 * span
        out[f"{side}_to"] = lo + rec[:, off + 3] / 100.0 * span
    out["gain"] = rec[:, 10]
    return out


def exchanges_of(result: ModelResult, arrays: ScenarioArrays, draw: int = 0) -> list[dict]:
    """The exchanges of one recorded draw as dicts with actor and issue ids, in order."""
    table = result.details["exchanges"]
    rows = table[table["draw"] == draw]
    return [
        {
            "round": int(r["round"]),
            "i": arrays.actor_ids[r["i"]],
            "i_supply": arrays.issue_ids[r["i_supply"]],
            "i_from": float(r["i_from"]),
            "i_to": float(r["i_to"]),
            "j": arrays.actor_ids[r["j"]],
            "j_supply": arrays.issue_ids[r["j_supply"]],
            "j_from": float(r["j_from"]),
            "j_to": float(r["j_to"]),
            "gain": float(r["gain"]),
        }
        for r in rows
    ]
