"""Numba kernel of one round of the expected-utility model under the Scholz rules (Q = 1).

`eum_core.play_round` computes a round for a batch of rows (draws × issues) with NumPy broadcasts
over (rows, A, A) and (rows, A, A, A) arrays; for a Monte Carlo of thousands of draws most of that
time goes into writing and reading those temporaries. This kernel runs the same round row by row
with the scratch arrays of one row kept in cache. The formulas are those of eum_core
(docs/models/eum.md): Scholz's probability with its shared denominator, the risk-neutral utility,
the risk exponents, the probability again with the exponents, the receiver's view and the moves.

Same bits as eum_core. Every quantity is computed with the same operations in the same order as
the NumPy code, including its summation orders: the voters' sum (`np.einsum` over k) and the
security levels (a sum over the challengers' axis) add left to right; the denominator (a sum over
the A × A contiguous dyads) is NumPy's pairwise summation, reproduced by `_numpy_sum`. Powers call
the C library's `pow` in both (NumPy does so on CPUs without AVX-512; with AVX-512 NumPy uses its
own vectorised `pow`, which may differ in the last bit). tests/test_eum_kernel.py compares the
bytes of every output of the model run both ways.

Work skipped, without changing a bit: absent actors (about half of the default scenario's
actor × issue cells) carry no weight and enter no dyad, so each row runs over its present actors
only; the zeros NumPy adds for them change no sum (x + 0 = x), except in the pairwise-summed
denominator, whose grouping depends on where the zeros stand, so that sum still runs over the
full A × A layout. Powers that are exact without calling `pow` are not computed: x^1 = x (the
first pass, and every risk-neutral actor) and 0^r = 0 (actors at one position); at distance 0 the
receiver's two powers are 0.5^r, computed once per actor; actors at exactly the same position
share their powers and their vote sums (the moves put many actors on one another's positions:
at 160 actors, 135 present, about 75 distinct positions after ten rounds), so the A³ voters'
sums run over the distinct positions only.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from qimma.models import _jit  # noqa: F401  (registers the kernel cache location)

# NumPy's pairwise summation: blocks of at most this many elements are summed with 8 accumulators
_PW_BLOCKSIZE = 128


@njit(cache=True)
def _block_sum(x: np.ndarray, lo: int, n: int) -> float:
    """Σ x[lo:lo+n] for n <= 128 in the order of NumPy's pairwise_sum: 8 accumulators."""
    if n < 8:
        res = 0.0
        for k in range(lo, lo + n):
            res += x[k]
        return res
    r0, r1, r2, r3 = x[lo], x[lo + 1], x[lo + 2], x[lo + 3]
    r4, r5, r6, r7 = x[lo + 4], x[lo + 5], x[lo + 6], x[lo + 7]
    k = 8
    while k < n - (n % 8):
        r0 += x[lo + k]
        r1 += x[lo + k + 1]
        r2 += x[lo + k + 2]
        r3 += x[lo + k + 3]
        r4 += x[lo + k + 4]
        r5 += x[lo + k + 5]
        r6 += x[lo + k + 6]
        r7 += x[lo + k + 7]
        k += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while k < n:
        res += x[lo + k]
        k += 1
    return res


@njit(cache=True)
def _numpy_sum(x: np.ndarray, n: int) -> float:
    """Σ x[:n] in the order of NumPy's pairwise_sum (numpy/_core/src/umath/loops_utils.h.src):
    blocks of at most 128 summed by `_block_sum`, longer runs split in two (the first half a
    multiple of 8) and the halves added. The recursion is unrolled with an explicit stack: Numba
    cannot load a recursive function from its cache."""
    if n <= _PW_BLOCKSIZE:
        return _block_sum(x, 0, n)
    depth = 64
    los = np.empty(depth, np.int64)
    ns = np.empty(depth, np.int64)
    stage = np.empty(depth, np.int64)  # 0: left half next, 1: right half next, 2: both done
    left = np.empty(depth)
    top = 0
    los[0], ns[0], stage[0] = 0, n, 0
    value = 0.0
    while top >= 0:
        m = ns[top]
        if m <= _PW_BLOCKSIZE or stage[top] == 2:
            value = _block_sum(x, los[top], m) if m <= _PW_BLOCKSIZE else left[top] + value
            top -= 1
            if top >= 0:
                if stage[top] == 0:
                    left[top] = value
                stage[top] += 1
            continue
        n2 = m // 2
        n2 -= n2 % 8
        if stage[top] == 0:
            los[top + 1], ns[top + 1] = los[top], n2
        else:
            los[top + 1], ns[top + 1] = los[top] + n2, m - n2
        stage[top + 1] = 0
        top += 1
    return value


@njit(cache=True)
def _power(x: float, r: float) -> float:
    """x ** r as C's pow, skipping the call where the result is exact: x^1 = x, 0^r = 0 (r > 0).
    pow(x, 1) = x holds for every x because the C library's pow is correctly rounded when the
    result is representable (checked on 6·10^8 values by tests/test_eum_kernel.py's data)."""
    if r == 1.0 or x == 0.0:
        return x
    return x**r


@njit(cache=True)
def _probability(
    u: np.ndarray,
    w: np.ndarray,
    r: np.ndarray,
    ids: np.ndarray,
    n: int,
    uniq: np.ndarray,
    nu: int,
    cls: np.ndarray,
    dr: np.ndarray,
    num: np.ndarray,
    flat: np.ndarray,
    p: np.ndarray,
) -> None:
    """p[i, j] of one row for the present actors ids[:n] (eum_core.scholz_probability):
    Σ_k w_k max(0, d_kj^r_k - d_ki^r_k) over 2 Σ of the same over the present ordered pairs.
    The sums are taken once per pair of distinct positions (uniq[:nu], cls: see `_first_at`):
    actors at one position have the same d_k·^r_k for every voter k, so the same terms in the
    same order and the same sum. dr, num (A, A) and flat (A·A,) are scratch; dr is indexed by
    voter and distinct position, num by two distinct positions. The voters' sum runs with k
    outermost, each (i, j) adding its terms in k's order as np.einsum does, so that the loop
    over j vectorises without changing a bit."""
    a = u.shape[0]
    for kk in range(n):
        uk, rk = u[ids[kk]], r[ids[kk]]
        for c in range(nu):
            dr[kk, c] = _power(abs(uk - u[ids[uniq[c]]]), rk)
    for ci in range(nu):
        for cj in range(nu):
            num[ci, cj] = 0.0
    for kk in range(n):
        wk = w[ids[kk]]
        for ci in range(nu):
            dki = dr[kk, ci]
            for cj in range(nu):
                v = dr[kk, cj] - dki
                num[ci, cj] = num[ci, cj] + wk * (v if v > 0.0 else 0.0)
    flat[:] = 0.0
    for ii in range(n):
        ci = cls[ii]
        for jj in range(n):
            flat[ids[ii] * a + ids[jj]] = num[ci, cls[jj]]
    den = 2.0 * _numpy_sum(flat, a * a)
    inv = 1.0 / den if den > 0.0 else 0.0
    for ii in range(n):
        i, ci = ids[ii], cls[ii]
        for jj in range(n):
            p[i, ids[jj]] = num[ci, cls[jj]] * inv


@njit(cache=True)
def _risk_exponents(
    u: np.ndarray, s: np.ndarray, p: np.ndarray, ids: np.ndarray, n: int, r: np.ndarray
) -> None:
    """r_i of one row (eum_core.risk_exponents) from the risk-neutral utilities of
    eum_core.expected_utility at Q = 1: E(U_ij) = 2 d_ij (1 - 2 s_j (1 - P_ij)); absent: 1."""
    sec = np.zeros(u.shape[0])
    for ii in range(n):
        i = ids[ii]
        for jj in range(n):
            j = ids[jj]
            if i != j:
                lose = s[j] * (1.0 - p[i, j])
                sec[j] = sec[j] + (2.0 * abs(u[i] - u[j])) * (1.0 - 2.0 * lose)
    hi = -np.inf
    lo = np.inf
    for jj in range(n):
        hi = max(hi, sec[ids[jj]])
        lo = min(lo, sec[ids[jj]])
    span = hi - lo
    ok = np.isfinite(span) and span > 1e-12 * max(abs(hi), 1.0)
    r[:] = 1.0
    for jj in range(n):
        j = ids[jj]
        big_r = (2.0 * sec[j] - hi - lo) / span if ok else 0.0
        r[j] = (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0)


@njit(cache=True)
def _receiver_view(
    u: np.ndarray,
    s: np.ndarray,
    p: np.ndarray,
    r: np.ndarray,
    ids: np.ndarray,
    n: int,
    first: np.ndarray,
    half: float,
    pw: np.ndarray,
    own: np.ndarray,
    theirs: np.ndarray,
) -> None:
    """own[i, j] = E(i challenges j), theirs[i, j] = E(j challenges i), both with r_i
    (eum_core.receiver_view at Q = 1), for the present actors. first: see `_first_at`;
    half: 0.5, see `scholz_run`; pw (A, A, 2) scratch for the powers."""
    for ii in range(n):
        i = ids[ii]
        ri = r[i]
        h = _power(half, ri)
        usq = 2.0 - 4.0 * h
        for jj in range(n):
            j = ids[jj]
            d = abs(u[i] - u[j])
            same = first[jj]
            if same != jj:  # the powers of d_i,first = d_ij
                pw[ii, jj, 0], pw[ii, jj, 1] = pw[ii, same, 0], pw[ii, same, 1]
            elif d == 0.0:  # both powers are 0.5^r
                pw[ii, jj, 0], pw[ii, jj, 1] = h, h
            else:
                pw[ii, jj, 0] = _power(max(0.5 - 0.5 * d, 0.0), ri)
                pw[ii, jj, 1] = _power(max(0.5 + 0.5 * d, 0.0), ri)
            a_r = pw[ii, jj, 0]
            gap = (pw[ii, jj, 1] - a_r) * 4.0
            base = (2.0 - 4.0 * a_r) - usq
            own[i, j] = base - s[j] * (1.0 - p[i, j]) * gap
            theirs[i, j] = base - s[i] * (1.0 - p[j, i]) * gap


@njit(cache=True)
def _first_at(
    u: np.ndarray, ids: np.ndarray, n: int, first: np.ndarray, uniq: np.ndarray, cls: np.ndarray
) -> int:
    """first[mm] = kk, the first present actor (in the actors' order) at exactly the position of
    the mm-th present actor: the powers of its distances are those of mm's, computed once.
    uniq[:nu] lists the first actor at each distinct position in order, cls[mm] the index of
    mm's position in it; returns nu."""
    nu = 0
    for mm in range(n):
        x = u[ids[mm]]
        c = 0
        while c < nu and u[ids[uniq[c]]] != x:
            c += 1
        if c == nu:
            uniq[nu] = mm
            nu += 1
        first[mm] = uniq[c]
        cls[mm] = c
    return nu


@njit(cache=True)
def _moves(
    u: np.ndarray,
    own: np.ndarray,
    theirs: np.ndarray,
    ids: np.ndarray,
    n: int,
    capitulation: bool,
    new_u: np.ndarray,
) -> None:
    """Each receiver's move (eum_core.scholz_moves): the least conflict lost, else the compromise
    with the lowest point on the scale, else the least capitulation; ties to the first proposer.
    Absent actors stay where they are."""
    new_u[:] = u
    for ii in range(n):
        i = ids[ii]
        ui = u[i]
        best_c, best_m, best_k = np.inf, np.inf, np.inf
        pick_c, pick_m, pick_k = -1, -1, -1
        share_m = 0.0
        for jj in range(n):
            j = ids[jj]
            uj = u[j]
            if ui == uj:  # also i = j
                continue
            aa, bb = own[i, j], theirs[i, j]
            move = abs(uj - ui)
            if bb > aa and aa > 0.0:
                if move < best_c:
                    best_c, pick_c = move, j
            elif bb > 0.0 and aa < 0.0:
                if bb > -aa:
                    key = (abs(aa) * ui + abs(bb) * uj) / (abs(aa) + abs(bb))
                    if key < best_m:
                        best_m, pick_m, share_m = key, j, -aa / bb
                elif capitulation and move < best_k:
                    best_k, pick_k = move, j
        if pick_c >= 0:
            new_u[i] = u[pick_c] + 0.0 * ui
        elif pick_m >= 0:
            new_u[i] = ui + share_m * (u[pick_m] - ui)
        elif pick_k >= 0:
            new_u[i] = u[pick_k] + 0.0 * ui


@njit(cache=True)
def _settle(hist: np.ndarray, g: int, t: int, tol: float) -> tuple[int, int]:
    """(stop, cycle length) of row g after round t (EUModel.run's rule): converged when no
    actor moved more than tol, a cycle of `lag` when the positions are within tol of those
    `lag` rounds back (the shortest such lag), else still running (0, 0)."""
    a = hist.shape[2]
    step = 0.0
    for i in range(a):
        step = max(step, abs(hist[t, g, i] - hist[t - 1, g, i]))
    if step <= tol:
        return 1, 0
    for lag in range(2, t + 1):
        back = 0.0
        for i in range(a):
            back = max(back, abs(hist[t, g, i] - hist[t - lag, g, i]))
        if back <= tol:
            return 2, lag
    return 0, 0


@njit(cache=True, nogil=True)
def scholz_run(
    lo: int,
    hi: int,
    w: np.ndarray,
    s: np.ndarray,
    present: np.ndarray,
    capitulation: bool,
    half: float,
    tol: float,
    hist: np.ndarray,
    n_rounds: np.ndarray,
    stop: np.ndarray,
    cycle_len: np.ndarray,
    p_out: np.ndarray,
    eu_out: np.ndarray,
    r_out: np.ndarray,
) -> None:
    """Every round of rows lo..hi-1 until they stop. hist (T, R, A): hist[0] the starting unit
    positions, filled with the positions after each round (a stopped row's last positions
    carried forward); w, s, present (R, A). Stop rule, n_rounds, stop (1 converged, 2 cycle,
    0 max rounds) and cycle_len as in EUModel.run. The second-pass probability and utility of
    the present ordered pairs in round 1 (0 elsewhere) go to p_out, eu_out (R, A, A), its
    exponents to r_out (R, A). half: the number 0.5, passed at run time: with the constant in the
    code the compiler rewrites 0.5**r as exp2(-r), which is not always the same bits as NumPy's
    pow(0.5, r). Rows are independent: threads run blocks of them (models/_threads.py) with the
    same bytes as one thread."""
    n_hist, _, a = hist.shape
    dr = np.empty((a, a))
    num = np.empty((a, a))
    flat = np.empty(a * a)
    p = np.empty((a, a))
    own = np.empty((a, a))
    theirs = np.empty((a, a))
    r = np.empty(a)
    ones = np.ones(a)
    ids = np.empty(a, np.int64)
    first = np.empty(a, np.int64)
    uniq = np.empty(a, np.int64)
    cls = np.empty(a, np.int64)
    pw = np.empty((a, a, 2))
    for g in range(lo, hi):
        wg, sg, pg = w[g], s[g], present[g]
        n = 0
        for m in range(a):
            if pg[m]:
                ids[n] = m
                n += 1
        t = 0
        for t in range(1, n_hist):
            ug = hist[t - 1, g]
            nu = _first_at(ug, ids, n, first, uniq, cls)
            _probability(ug, wg, ones, ids, n, uniq, nu, cls, dr, num, flat, p)
            _risk_exponents(ug, sg, p, ids, n, r)
            _probability(ug, wg, r, ids, n, uniq, nu, cls, dr, num, flat, p)
            _receiver_view(ug, sg, p, r, ids, n, first, half, pw, own, theirs)
            _moves(ug, own, theirs, ids, n, capitulation, hist[t, g])
            if t == 1:
                r_out[g] = r
                for ii in range(n):
                    i = ids[ii]
                    for jj in range(n):
                        j = ids[jj]
                        if i != j:
                            p_out[g, i, j] = p[i, j]
                            eu_out[g, i, j] = own[i, j]
            stop[g], cycle_len[g] = _settle(hist, g, t, tol)
            if stop[g] != 0:
                break
        n_rounds[g] = t
        for k in range(t + 1, n_hist):
            hist[k, g] = hist[t, g]
