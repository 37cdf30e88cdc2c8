"""One round of Bueno de Mesquita's expected-utility (challenge) model, vectorised.

The formulas are those of Scholz, Calbert & Smith (2011), "Unravelling Bueno de Mesquita's group
decision model" (ICAART 2011 pp. 18-30; JTP 23(4)); equation numbers below are the paper's. Every
function works on a batch of independent one-issue problems: positions ``u`` shaped (B, A) on the
unit scale (B = draws × issues, A = actors), so the dyad arrays are (B, A, A) with axis 1 the
challenger i and axis 2 the target j. See docs/models/eum.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

F = NDArray[np.float64]
B_ = NDArray[np.bool_]

# Perception classes of an ordered dyad (i, j) seen from i: the octants of Scholz et al. fig. 6,
# with a = E^i(U_ij) on the horizontal axis and b = E^j(U_ji) on the vertical one.
CLASS_NONE = 0  # the diagonal, an absent actor, or a point on a boundary (a = 0, b = 0, a = b)
CLASS_CONFLICT_I_WINS = 1  # a > b > 0: "confrontation +", j moves to x_i
CLASS_CONFLICT_J_WINS = 2  # b > a > 0: "confrontation -", i moves to x_j
CLASS_COMPROMISE_I = 3  # a > 0 > b, a > |b|: "compromise +", j moves part way to x_i (eq. 35)
CLASS_CAPITULATE_J = 4  # a > 0 > b, |b| >= a: "compel +", j capitulates to x_i
CLASS_COMPROMISE_J = 5  # b > 0 > a, b > |a|: "compromise -", i moves part way to x_j (eq. 36)
CLASS_CAPITULATE_I = 6  # b > 0 > a, |a| >= b: "compel -", i capitulates to x_j
CLASS_STALEMATE = 7  # a < 0 and b < 0: status quo, no one moves

CLASS_LEGEND: dict[int, str] = {
    CLASS_NONE: "none (same actor, absent actor, or on a boundary)",
    CLASS_CONFLICT_I_WINS: "conflict, i prevails: j moves to i",
    CLASS_CONFLICT_J_WINS: "conflict, j prevails: i moves to j",
    CLASS_COMPROMISE_I: "compromise, i has the upper hand: j moves part way to i",
    CLASS_CAPITULATE_J: "capitulation: j moves to i",
    CLASS_COMPROMISE_J: "compromise, j has the upper hand: i moves part way to j",
    CLASS_CAPITULATE_I: "capitulation: i moves to j",
    CLASS_STALEMATE: "stalemate: status quo",
}


@dataclass(frozen=True)
class Settings:
    """The model's parameters (see EUModel for their meaning)."""

    q: float = 0.5
    t: float | None = None  # None: the paper's per-dyad rule; a number: one value for all dyads
    replication: bool = False  # reproduce Masad's public replication instead of the paper
    scholz: bool = False  # Scholz et al.'s own program, which reproduces their Table 2
    capitulation: bool = True  # scholz rules: a receiver may capitulate (fig. 6); see eum.md


def weighted_mean(u: F, w: F) -> F:
    """Σ w u / Σ w per row (NaN where no one has weight)."""
    tot = w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray((w * u).sum(axis=1) / tot, dtype=float)


def condorcet_median(u: F, w: F, present: B_) -> F:
    """The position μ of Appendix step 3: the actor position that wins every pairwise vote.

    The vote between x_j and x_k is v_jk = Σ_i c_i s_i (|x_i - x_k| - |x_i - x_j|) / R = F_k - F_j
    with F(y) = Σ_i c_i s_i |x_i - y|, so the Condorcet winner is the actor position minimising F:
    the c·s-weighted median, found here by sorting. When the weight splits exactly in half, F is
    flat between two positions and the midpoint of the two is returned, so that the result does
    not depend on the order of the actors. Rows where no one has weight give NaN.
    """
    a = u.shape[1]
    key = np.where(present, u, np.inf)  # absent actors sort last and carry no weight
    order = np.argsort(key, axis=1)
    us = np.take_along_axis(key, order, axis=1)
    ws = np.take_along_axis(np.where(present, w, 0.0), order, axis=1)
    cum = np.cumsum(ws, axis=1)
    total = cum[:, -1:]
    half = total / 2.0
    tol = 1e-12 * np.maximum(total, 1e-300)
    k = np.argmax(cum >= half - tol, axis=1)[:, None]  # first position reaching half the weight
    lower = np.take_along_axis(us, k, axis=1)[:, 0]
    exact = np.abs(np.take_along_axis(cum, k, axis=1) - half)[:, 0] <= tol[:, 0]
    later = (np.arange(a)[None, :] > k) & (ws > 0)
    upper = np.take_along_axis(us, np.argmax(later, axis=1)[:, None], axis=1)[:, 0]
    mu = np.where(exact & later.any(axis=1), (lower + upper) / 2.0, lower)
    return np.asarray(np.where(total[:, 0] > 0, mu, np.nan), dtype=float)


def _hinge(us: F, wc: F, xc: F, t: F) -> F:
    """G(t) = Σ_k w_k max(0, t - u_k) for queries t (B, Q), from sorted positions and prefix sums.

    The sorted rows are laid end to end with a gap between rows, so one np.searchsorted call finds
    for every query how many positions of its own row lie below it.
    """
    b, a = us.shape
    offset = 4.0 * np.arange(b, dtype=float)[:, None]  # positions are in [0, 1]
    flat = (us + offset).ravel()
    n = np.searchsorted(flat, (t + offset).ravel(), side="left").reshape(t.shape)
    n = np.clip(n - a * np.arange(b)[:, None], 0, a)
    return np.asarray(
        t * np.take_along_axis(wc, n, axis=1) - np.take_along_axis(xc, n, axis=1), dtype=float
    )


def support_sorted(u: F, w: F) -> F:
    """S[b, i, j] = Σ_k c_k s_k max(0, |x_k - x_j| - |x_k - x_i|): the votes for i over j.

    These are the numerator terms of eq. 31 (the "arg > 0" voters). On a line they reduce to a
    hinge function G(t) = Σ_k w_k max(0, t - u_k) at the midpoint m of i and j: for u_i < u_j,
    S_ij = 2 (G(m) - G(u_i)); mirrored with H(t) = Σ_k w_k max(0, u_k - t) for u_i > u_j. That is
    O(A² log A) per row instead of the O(A³) triple sum of `support_direct`.
    """
    b, a = u.shape
    order = np.argsort(u, axis=1)
    us = np.take_along_axis(u, order, axis=1)
    ws = np.take_along_axis(w, order, axis=1)
    zero = np.zeros((b, 1))
    wc = np.concatenate([zero, np.cumsum(ws, axis=1)], axis=1)  # (B, A+1)
    xc = np.concatenate([zero, np.cumsum(ws * us, axis=1)], axis=1)
    wt, xt = wc[:, -1:], xc[:, -1:]
    mid = (u[:, :, None] + u[:, None, :]) / 2.0  # (B, A, A)
    g_mid = _hinge(us, wc, xc, mid.reshape(b, a * a)).reshape(b, a, a)
    g_own = _hinge(us, wc, xc, u)[:, :, None]  # (B, A, 1)
    # H(t) = G(t) - (W t - X)
    h_mid = g_mid - (wt[:, :, None] * mid - xt[:, :, None])
    h_own = g_own - (wt[:, :, None] * u[:, :, None] - xt[:, :, None])
    left = u[:, :, None] < u[:, None, :]
    right = u[:, :, None] > u[:, None, :]
    s = np.where(left, 2.0 * (g_mid - g_own), np.where(right, 2.0 * (h_mid - h_own), 0.0))
    return np.asarray(np.maximum(s, 0.0), dtype=float)


def _weighted_hinge(t: F, u: F, w: F) -> F:
    """G(t) = Σ_k w_k max(0, t - u_k) for t (B, Q), in place (this is the model's hot loop).

    Laid out (B, K, Q) so that the sum over voters k runs across contiguous rows of queries,
    which NumPy vectorises better than many short sums along the last axis.
    """
    h = t[:, None, :] - u[:, :, None]
    np.maximum(h, 0.0, out=h)
    h *= w[:, :, None]
    return np.asarray(h.sum(axis=1), dtype=float)


def _pair_votes(u: F, w: F) -> tuple[F, F, NDArray[np.intp], NDArray[np.intp]]:
    """For the pairs i < j: (den, net, ii, jj), each (B, pairs), with den = S_ij + S_ji (the
    denominator of eq. 31) and net = S_ij - S_ji.

    With G(t) = Σ_k w_k max(0, t - u_k), m the midpoint of i and j, and W = Σ_k w_k:
    den = 4 G(m) - 2 (G(u_i) + G(u_j)) + W |u_i - u_j|  (from S_lower = 2 (G(m) - G(x_lower)) and
    its mirror image, see `support_sorted`), and net = F_j - F_i with F(y) = Σ_k w_k |y - u_k|
    = 2 G(y) - (W y - Σ_k w_k u_k), i.e. net = 2 (G(u_j) - G(u_i)) - W (u_j - u_i).
    G is evaluated directly: O(A³) per row, but for small A fewer and simpler array passes than
    sorting.
    """
    a = u.shape[1]
    ii, jj = np.triu_indices(a, k=1)
    ui, uj = u[:, ii], u[:, jj]  # (B, pairs)
    mid = (ui + uj) / 2.0
    g_mid = _weighted_hinge(mid, u, w)  # (B, pairs)
    g_own = _weighted_hinge(u, u, w)  # (B, A)
    gi, gj = g_own[:, ii], g_own[:, jj]
    wt = w.sum(axis=1, keepdims=True)
    diff = uj - ui
    den = 4.0 * g_mid - 2.0 * (gi + gj) + wt * np.abs(diff)
    net = 2.0 * (gj - gi) - wt * diff
    np.maximum(den, 0.0, out=den)  # rounding; exactly 0 when x_i = x_j
    return den, np.clip(net, -den, den), ii, jj


def support_direct(u: F, w: F) -> F:
    """The same sums as `support_sorted`, from `_pair_votes`: S_ij = (den + net) / 2."""
    b, a = u.shape
    den, net, ii, jj = _pair_votes(u, w)
    out = np.zeros((b, a, a))
    out[:, ii, jj] = (den + net) / 2.0
    out[:, jj, ii] = (den - net) / 2.0
    return out


DIRECT_MAX_ACTORS = 64


def support(u: F, w: F) -> F:
    """S[b, i, j]: the c·s-weighted votes for i over j (numerator of eq. 31)."""
    if u.shape[1] <= DIRECT_MAX_ACTORS:
        return support_direct(u, w)
    return support_sorted(u, w)


def success_probability(u: F, w: F, replication: bool = False) -> F:
    """P[b, i, j]: i's probability of prevailing when it challenges j (eqs. 30-31).

    Paper: the weight of i's supporters over the weight of everyone's |vote|. Masad's replication
    instead takes the net vote, max(0, S_ij - S_ji) / (S_ij + S_ji). P is 0 where no one has a
    preference between the two (x_i = x_j); the expected utility does not depend on P there.
    """
    b, a = u.shape
    if a <= DIRECT_MAX_ACTORS:
        den, net, ii, jj = _pair_votes(u, w)
    else:
        full = support_sorted(u, w)
        ii, jj = np.triu_indices(a, k=1)
        s_ij, s_ji = full[:, ii, jj], full[:, jj, ii]
        den, net = s_ij + s_ji, s_ij - s_ji
    ok = den > 0
    inv = np.where(ok, 1.0 / np.where(ok, den, 1.0), 0.0)
    if replication:
        p_ij, p_ji = np.maximum(net, 0.0) * inv, np.maximum(-net, 0.0) * inv
    else:
        p_ij = (den + net) * inv
        p_ij *= 0.5
        p_ji = np.where(ok, 1.0 - p_ij, 0.0)
    out = np.zeros((b, a, a))
    out[:, ii, jj] = p_ij
    out[:, jj, ii] = p_ji
    return out


def _power(base: F, r: F) -> F:
    """base ** r for base >= 0, with the common r = 1 case free."""
    with np.errstate(divide="ignore"):
        return np.asarray(np.power(np.maximum(base, 0.0), r), dtype=float)


def expected_utility(
    u: F,
    s: F,
    p: F,
    r: F,
    mu: F,
    settings: Settings,
    risk_neutral: bool = False,
    d: F | None = None,
) -> F:
    """E^i(U_ij) for every ordered pair, eqs. 5-7 / 25 with the utilities of eqs. 15, 16, 22-24.

    u, s: (B, A) unit positions and saliences; p: (B, A, A); r: (B, A) risk exponents of the
    challengers, or (B, A, A) one exponent per ordered pair (the Scholz rules); mu: (B,)
    the median position used by the "better/worse" utilities; d: the distances |x_i - x_j| / R
    when the caller has them. Eq. 6 is evaluated as U_s - s_j (1 - P)(U_s - U_f), the same sum
    with fewer array passes.
    """
    if d is None:
        d = np.abs(u[:, :, None] - u[:, None, :])  # |x_i - x_j| / R
    di_mu = np.abs(u - mu[:, None])[:, :, None]  # |x_i - μ| / R
    lose = s[:, None, :] * (1.0 - p)  # s_j (1 - P^i): the target's salience (eq. 6)
    ri = r[:, :, None] if r.ndim == 2 else r  # (B, A, A): one exponent per ordered pair
    q = settings.q
    # T = 1 when j moving to the median would bring it nearer to i (cases 1 and 3A, p. 22)
    t = (di_mu < d) if settings.t is None else None
    # The in-place steps below only save array passes; each line names the equation it builds.
    if risk_neutral:  # r = 1: U_s = 2d, U_f = -2d, U_b = e, U_w = -e, U_sq = 0
        eu = 2.0 * d * (1.0 - 2.0 * lose)
        usq: F | float = 0.0
    else:
        half = 0.5 * d
        a_r = np.maximum(0.5 - half, 0.0)
        np.power(a_r, ri, out=a_r)  # (0.5 - 0.5 d)^r: U_s = 2 - 4 a_r (eq. 15)
        half += 0.5
        b_r = np.power(half, ri, out=half)  # (0.5 + 0.5 d)^r: U_f = 2 - 4 b_r (eq. 16)
        b_r -= a_r
        b_r *= lose
        b_r *= 4.0  # s_j (1 - P)(U_s - U_f)
        eu = a_r
        eu *= -4.0
        eu += 2.0  # U_s
        eu -= b_r  # eq. 6: U_s - s_j (1 - P)(U_s - U_f)
        usq = 2.0 - 4.0 * np.power(0.5, ri)  # eq. 24
    if q < 1.0:
        e = di_mu + d
        if risk_neutral:
            sign = (2.0 * t - 1.0) if t is not None else (2.0 * settings.t - 1.0)  # type: ignore[operator]
            moved = sign * e
        elif t is not None:  # only the utility that applies: U_b (eq. 22) or U_w (eq. 23)
            base = np.where(t, -0.25, 0.25)
            base *= e
            base += 0.5
            np.power(base, ri, out=base)
            moved = base
            moved *= -4.0
            moved += 2.0
        else:
            ub = 2.0 - 4.0 * _power(0.5 - 0.25 * e, ri)
            uw = 2.0 - 4.0 * _power(0.5 + 0.25 * e, ri)
            moved = settings.t * ub + (1.0 - settings.t) * uw  # type: ignore[operator]
        # eq. 7; Masad's code flips the sign of the (1 - Q) term
        moved *= -(1.0 - q) if settings.replication else (1.0 - q)
        eu = eu - moved
        eu -= q * usq
    else:
        eu = eu - usq
    return np.asarray(eu, dtype=float)  # eq. 5


def risk_exponents(eu: F, present: B_) -> F:
    """r_i from the security levels Sec_i = Σ_{j≠i} E(U_ji) (eqs. 32-34, then 33).

    R_i = (2 Sec_i - max Sec - min Sec) / (max Sec - min Sec) over the present actors, and
    r_i = (1 - R_i/3) / (1 + R_i/3) in [0.5, 2]. When every Sec is equal the ratio is undefined
    (Masad's code divides by zero); we take R_i = 0, i.e. r_i = 1 (risk neutral).
    """
    pair = present[:, :, None] & present[:, None, :]
    a = eu.shape[1]
    pair = pair & ~np.eye(a, dtype=bool)[None]
    sec = np.where(pair, eu, 0.0).sum(axis=1)  # Σ_j E(U_ji): column sums, (B, A)
    hi = np.where(present, sec, -np.inf).max(axis=1, keepdims=True)
    lo = np.where(present, sec, np.inf).min(axis=1, keepdims=True)
    span = hi - lo
    ok = np.isfinite(span) & (span > 1e-12 * np.maximum(np.abs(hi), 1.0))
    with np.errstate(invalid="ignore", divide="ignore"):
        big_r = np.where(ok, (2.0 * sec - hi - lo) / np.where(ok, span, 1.0), 0.0)
    big_r = np.where(present, big_r, 0.0)  # absent actors: r = 1, never used
    return np.asarray((1.0 - big_r / 3.0) / (1.0 + big_r / 3.0), dtype=float)


def classify(eu: F, pair: B_) -> NDArray[np.int8]:
    """The perception class (CLASS_*) of every ordered dyad, from fig. 6 of Scholz et al."""
    a = eu
    b = np.swapaxes(eu, 1, 2)
    out = np.zeros(eu.shape, dtype=np.int8)
    both_pos = (a > 0) & (b > 0)
    out[both_pos & (a > b)] = CLASS_CONFLICT_I_WINS
    out[both_pos & (b > a)] = CLASS_CONFLICT_J_WINS
    i_up = (a > 0) & (b < 0)
    out[i_up & (a > -b)] = CLASS_COMPROMISE_I
    out[i_up & (-b >= a)] = CLASS_CAPITULATE_J
    j_up = (a < 0) & (b > 0)
    out[j_up & (b > -a)] = CLASS_COMPROMISE_J
    out[j_up & (-a >= b)] = CLASS_CAPITULATE_I
    out[(a < 0) & (b < 0)] = CLASS_STALEMATE
    out[~pair] = CLASS_NONE
    return out


def offers(eu: F, pair: B_, replication: bool = False) -> F:
    """frac[b, i, j]: the share of the distance to x_i that target j concedes to challenger i.

    Paper (fig. 6, eqs. 35-36): with a = E^i(U_ij), b = E^j(U_ji), j moves all the way when it
    loses a conflict (a > b > 0) and min(|b|/a, 1) of the way when it expects to lose by
    challenging back (a > 0 > b): compromise below 1, capitulation at 1. Masad's code reaches the
    same shares from the receiver's side, but also counts offers it does not have to accept
    (b >= a > 0), with share 0; see `choose_moves`.
    """
    a = eu
    b = np.ascontiguousarray(np.swapaxes(eu, 1, 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.divide(b, a)
    np.negative(share, out=share)
    np.minimum(share, 1.0, out=share)  # compromise or capitulation, used where b < 0
    conflict = (a > b) & (b > 0)
    frac = np.where(b < 0, share, conflict)
    return np.asarray(np.where(pair & (a > 0), frac, 0.0), dtype=float)


def choose_moves(
    u: F, eu: F, frac: F, pair: B_, replication: bool = False, dist: F | None = None
) -> F:
    """New positions: each actor accepts one offer (Scholz et al. §6.2) and moves accordingly.

    Paper: among the offers that stick (frac > 0), the most enforceable one, i.e. the challenger
    with the highest E^i(U_ij); between equally enforceable offers the actor moves the least.
    Replication: among every challenge received (E^i(U_ij) > 0), the highest EU, ties to the
    nearest challenger; that offer may leave the actor where it is.
    """
    if dist is None:
        dist = np.abs(u[:, :, None] - u[:, None, :])  # (B, I, J)
    cand = (pair & (eu > 0)) if replication else (frac > 0)
    score = np.where(cand, eu, -np.inf)
    best = score.max(axis=1, keepdims=True)  # (B, 1, J)
    has = np.isfinite(best[:, 0, :])
    best -= 1e-12 * np.maximum(np.abs(best), 1.0)
    # ties in enforceability go to the smallest move (replication: the nearest challenger)
    tiebreak = np.where(score >= best, dist if replication else frac * dist, np.inf)
    pick = np.argmin(tiebreak, axis=1)  # (B, J): the chosen challenger of each target
    f = np.take_along_axis(frac, pick[:, None, :], axis=1)[:, 0, :]
    target = np.take_along_axis(u, pick, axis=1)
    return np.asarray(np.where(has, u + f * (target - u), u), dtype=float)


def scholz_probability(u: F, w: F, r: F, present: B_) -> F:
    """P[b, i, j] as Scholz et al.'s program computes it (the "Scholz rules", docs/models/eum.md).

    Voter k's vote for x_i over x_j is w_k ((|x_k - x_j|/R)^{r_k} - (|x_k - x_i|/R)^{r_k}), with k's
    own current risk exponent; P^i(j) is the sum of the positive votes for i over j divided by the
    sum of |vote| over every voter and every ordered pair of actors, a denominator shared by all
    dyads. This makes P small, and only with it does the EC case reproduce Table 2.
    """
    dr = np.power(np.abs(u[:, :, None] - u[:, None, :]), r[:, :, None])  # (B, K, A): d_ka^{r_k}
    vote = dr[:, :, None, :] - dr[:, :, :, None]  # (B, K, A_i, A_j): d_kj^r - d_ki^r
    np.maximum(vote, 0.0, out=vote)
    num = np.einsum("bk,bkij->bij", np.where(present, w, 0.0), vote)  # (B, A, A)
    # each vote for i over j is minus the vote for j over i, so Σ |vote| = 2 Σ max(0, vote)
    both = present[:, :, None] & present[:, None, :]
    den = 2.0 * np.where(both, num, 0.0).sum(axis=(1, 2))
    ok = den > 0
    return np.asarray(num * np.where(ok, 1.0 / np.where(ok, den, 1.0), 0.0)[:, None, None])


def receiver_view(u: F, s: F, p: F, r: F, mu: F, settings: Settings, d: F) -> tuple[F, F]:
    """own[i, j] = E(i challenges j) and theirs[i, j] = E(j challenges i), both with r_i.

    Both use the same utilities U_s, U_f, U_sq of the distance d_ij at exponent r_i; they differ
    only in P and in the target's salience (eq. 6). At Q < 1 the (1 - Q) terms depend on the
    challenger's distance to the median, so both are evaluated in full.
    """
    if settings.q < 1.0:
        own = expected_utility(u, s, p, r, mu, settings, d=d)
        seen = expected_utility(u, s, p, r[:, None, :], mu, settings, d=d)  # [j, i] with r_i
        return own, np.swapaxes(seen, 1, 2)
    ri = r[:, :, None]
    a_r = _power(0.5 - 0.5 * d, ri)  # U_s = 2 - 4 a_r (eq. 15)
    gap = _power(0.5 + 0.5 * d, ri)
    gap -= a_r
    gap *= 4.0  # U_s - U_f
    base = 2.0 - 4.0 * a_r - (2.0 - 4.0 * np.power(0.5, ri))  # U_s - U_sq (Q = 1)
    own = base - s[:, None, :] * (1.0 - p) * gap
    theirs = base - s[:, :, None] * (1.0 - np.swapaxes(p, 1, 2)) * gap
    return np.asarray(own), np.asarray(theirs)


def scholz_moves(u: F, own: F, theirs: F, pair: B_, capitulation: bool = True) -> F:
    """New positions under Scholz et al.'s program: the receiver i weighs each proposer j by
    a = own[i, j] (i's EU of challenging j) and b = theirs[i, j] (j's EU of challenging i), both
    seen with i's risk exponent. Offers: conflict lost (b > a > 0, move to x_j), compromise
    (b > 0 > a, b > |a|: move the share |a|/b towards x_j, eq. 36) and capitulation (b > 0 > a,
    b <= |a|: move to x_j). A conflict is taken first (the least move), else the compromise whose
    point (|a| x_i + |b| x_j)/(|a| + |b|) is lowest on the scale, else the least capitulation.
    Ties go to the first proposer in the actors' order.
    """
    ui, uj = u[:, :, None], u[:, None, :]
    ok = pair & (ui != uj)
    a, b = own, theirs
    move = np.abs(uj - ui)
    conflict = ok & (b > a) & (a > 0)
    opposed = ok & (b > 0) & (a < 0)
    compromise = opposed & (b > -a)
    capitulate = opposed & ~compromise if capitulation else np.zeros_like(ok)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(compromise, -a / np.where(compromise, b, 1.0), 0.0)
        key = (np.abs(a) * ui + np.abs(b) * uj) / (np.abs(a) + np.abs(b))
    new = u.copy()
    done = np.zeros(u.shape, dtype=bool)
    for kind, score, target in (
        (conflict, move, uj + 0.0 * ui),
        (compromise, key, ui + share * (uj - ui)),
        (capitulate, move, uj + 0.0 * ui),
    ):
        has = kind.any(axis=2) & ~done
        pick = np.argmin(np.where(kind, score, np.inf), axis=2)[:, :, None]
        to = np.take_along_axis(np.broadcast_to(target, kind.shape), pick, axis=2)[:, :, 0]
        new = np.where(has, to, new)
        done |= has
    return np.asarray(new, dtype=float)


@dataclass
class RoundResult:
    new_u: F  # (B, A) positions after the round
    mu: F  # (B,) the median at the start of the round
    p: F  # (B, A, A) success probabilities (second pass)
    eu: F  # (B, A, A) expected utilities with risk (second pass)
    r: F  # (B, A) risk exponents


def play_round(
    u: F, w: F, s: F, present: B_, settings: Settings, mu: F | None = None
) -> RoundResult:
    """Appendix steps 2-11: median, probabilities, EU at r = 1, risk, EU with risk, moves.

    mu: the median of these positions when the caller has it already.
    """
    if mu is None:
        mu = condorcet_median(u, w, present)
    mu = np.where(np.isnan(mu), 0.5, mu)  # rows where no one has weight: nothing moves anyway
    a = u.shape[1]
    pair = present[:, :, None] & present[:, None, :] & ~np.eye(a, dtype=bool)[None]
    d = np.abs(u[:, :, None] - u[:, None, :])
    ones = np.ones_like(u)
    if settings.scholz:
        p = scholz_probability(u, w, ones, present)
    else:
        p = success_probability(u, w, settings.replication)
    eu1 = expected_utility(u, s, p, ones, mu, settings, risk_neutral=True, d=d)
    r = risk_exponents(eu1, present)
    if settings.scholz:  # every quantity as the receiver sees it, with its own exponent
        p = scholz_probability(u, w, r, present)
        own, theirs = receiver_view(u, s, p, r, mu, settings, d)
        new_u = scholz_moves(u, own, theirs, pair, settings.capitulation)
        return RoundResult(new_u, mu, p, own, r)
    # Masad's code recomputes the utilities around the weighted mean on its second pass
    mu2 = weighted_mean(u, w) if settings.replication else mu
    eu = expected_utility(u, s, p, r, mu2, settings, d=d)
    frac = offers(eu, pair, settings.replication)
    new_u = choose_moves(u, eu, frac, pair, settings.replication, d)
    return RoundResult(new_u, mu, p, eu, r)
