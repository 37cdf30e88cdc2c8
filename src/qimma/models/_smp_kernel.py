"""Numba kernels of the Spatial Model of Politics (see docs/models/smp.md for every formula).

Bargaining in KTAB's SMP is a sequence of small elections (every actor picks its best challenge,
every actor then votes over the bargains in its own queue) whose sizes depend on the previous
choices, so the inner loops cannot be written as array operations; this is the one place where
qimma uses Numba. Everything works on the unit scale [0, 1] like KTAB.

The arithmetic follows KTAB's evaluation order term by term (sums left to right, the same
parenthesisation), so that results agree with KTAB's C++ to the last bits and exact ties are
broken the same way; "KTAB" comments name the routine each step reproduces.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from qimma.models import _jit  # noqa: F401  (registers the kernel cache location)

# KTAB constants (kmodel.cpp, smpbcn.cpp, smp.cpp)
MIN_COALITION = 1e-8  # Model::coalitions minC
MIN_CHALLENGE_COALITION = 1e-10  # SMPState::probEduChlg minCltn
MIN_SIG_EDU = 1e-5  # SMPState::bestChallenge minSigEDU
MIN_BARGAIN_WEIGHT = 1e-6  # SMPActor::interpBrgnSnPm minW


@njit(cache=True)
def bs_util(d: float, r: float) -> float:
    """Utility of a normalised distance d for risk attitude r (KTAB SMPModel::bsUtil)."""
    if d <= 1.0:
        return (1.0 - d) * (1.0 + d * r)
    return (1.0 - d) * (1.0 + r)


@njit(cache=True)
def bv_diff(ideal: np.ndarray, y: np.ndarray, s: np.ndarray) -> float:
    """Salience-weighted normalised distance (KTAB SMPModel::bvDiff).

    KTAB refuses an actor whose saliences are all zero; such an actor is indifferent here (0).
    """
    ds2 = 0.0
    ss2 = 0.0
    for k in range(ideal.shape[0]):
        ds = (ideal[k] - y[k]) * s[k]
        ds2 = ds2 + ds * ds
        ss2 = ss2 + s[k] * s[k]
    if ss2 <= 0.0:
        return 0.0
    return float(np.sqrt(ds2 / ss2))


@njit(cache=True)
def scalar_pce(w: np.ndarray, u: np.ndarray, n_opt: int, p: np.ndarray) -> None:
    """Conditional PCE over options with proportional voting and linear victory odds.

    KTAB Model::scalarPCE = coalitions + vProb(Linear) + condPCE. `u` is (actors, >= n_opt);
    the probabilities of the first n_opt options are written into p[:n_opt].
    """
    n_act = u.shape[0]
    c = np.empty((n_opt, n_opt))
    for i in range(n_opt):
        for j in range(i):
            cij = MIN_COALITION
            cji = MIN_COALITION
            for k in range(n_act):
                v = w[k] * (u[k, i] - u[k, j])
                if v > 0.0:
                    cij = cij + v
                if v < 0.0:
                    cji = cji - v
            c[i, j] = cij
            c[j, i] = cji
        c[i, i] = MIN_COALITION
    pv = np.empty((n_opt, n_opt))
    for i in range(n_opt):
        for j in range(i):
            cij = c[i, j]
            cji = c[j, i]
            pv[i, j] = cij / (cij + cji)
            pv[j, i] = cji / (cij + cji)
        pv[i, i] = 0.5
    total = 0.0
    for i in range(n_opt):
        pi = 1.0
        for j in range(n_opt):
            pi = pi * pv[i, j]
        p[i] = pi
    for i in range(n_opt):
        total = total + p[i]
    for i in range(n_opt):
        p[i] = p[i] / total


@njit(cache=True)
def first_argmax(p: np.ndarray, n: int) -> int:
    """Index of the largest |p| among the first n, the first one on ties (KTAB ndxMaxAbs)."""
    best = -1.0
    k = 0
    for i in range(n):
        a = abs(p[i])
        if best < a:
            best = a
            k = i
    return k


@njit(cache=True)
def risk_attitudes(vdiff: np.ndarray, cap: np.ndarray, r_out: np.ndarray) -> None:
    """R_i from the PCE over all actors' positions, duplicates included (setAllAUtil, Mid range).

    KTAB divides by pMax - pMin and fails when every position is equally likely; qimma then sets
    every R to 0 (risk neutral).
    """
    n = vdiff.shape[0]
    rn = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            rn[i, j] = bs_util(vdiff[i, j], 0.0)
    p = np.empty(n)
    scalar_pce(cap, rn, n, p)
    p_min = 1.0
    p_max = 0.0
    for i in range(n):
        p_min = p[i] if p[i] < p_min else p_min
        p_max = p[i] if p[i] > p_max else p_max
    if not p_max - p_min > 0.0:
        for i in range(n):
            r_out[i] = 0.0
        return
    for i in range(n):
        r_out[i] = (3 * p[i] - (p_max + 2 * p_min)) / (2 * (p_max - p_min))


@njit(cache=True)
def challenge(
    i: int,
    j: int,
    vdiff: np.ndarray,
    r_est: np.ndarray,
    s_tot: np.ndarray,
    cap: np.ndarray,
) -> tuple[float, float]:
    """i's estimate of P[i beats j] and of its own expected gain from challenging j.

    KTAB SMPState::probEduChlg(h=i, k=i, i, j) with proportional votes and semi-committed third
    parties; r_est[h, n] is h's estimate of n's risk attitude.
    """
    n_act = vdiff.shape[0]
    uii = bs_util(vdiff[i, i], r_est[i, i])
    uij = bs_util(vdiff[i, j], r_est[i, i])
    uji = bs_util(vdiff[j, i], r_est[i, j])
    ujj = bs_util(vdiff[j, j], r_est[i, j])
    eu_sq = uii + uij
    eu_win = uii + uii
    eu_lose = uij + uij
    si = s_tot[i]
    sj = s_tot[j]
    contrib_i = (si * cap[i]) * (uii - uij)
    contrib_j = (sj * cap[j]) * (uji - ujj)
    chij = MIN_CHALLENGE_COALITION
    chji = MIN_CHALLENGE_COALITION
    if contrib_i > 0.0:
        chij = chij + contrib_i
    if contrib_i < 0.0:
        chji = chji - contrib_i
    if contrib_j > 0.0:
        chij = chij + contrib_j
    if contrib_j < 0.0:
        chji = chji - contrib_j
    base_i = chij
    base_j = chji
    for n in range(n_act):
        if n in (i, j):
            continue
        rn = r_est[i, n]
        uni = bs_util(vdiff[n, i], rn)
        unj = bs_util(vdiff[n, j], rn)
        unn = bs_util(vdiff[n, n], rn)
        wn = s_tot[n] * cap[n]
        # the "little conflict": the principals alone plus n (Actor::vProbLittle)
        v = wn * (uni - unj)
        cni = base_i + v if v > 0 else base_i
        cnj = base_j - v if v < 0 else base_j
        pin = cni / (cni + cnj)
        pjn = 1.0 - pin
        # semi-commit third party (Actor::thirdPartyVoteSU)
        u_ik_def_j = uni + uni + unn
        u_j_def_ik = unj + unj + unj
        u_i_def_jk = uni + uni + uni
        u_jk_def_i = unj + unj + unn
        u_ik_j = (pin * u_ik_def_j) + (pjn * u_j_def_ik)
        u_i_jk = (pin * u_i_def_jk) + (pjn * u_jk_def_i)
        vk = wn * (u_ik_j - u_i_jk)
        if vk > 0:
            chij = chij + vk
        if vk < 0:
            chji = chji - vk
    phij = chij / (chij + chji)
    phji = chji / (chij + chji)
    eu_contest = phij * eu_win + phji * eu_lose
    eu_chlg = (1 - sj) * eu_win + sj * eu_contest
    return phij, eu_chlg - eu_sq


@njit(cache=True)
def round4(x: float) -> float:
    """KTAB's round4: (int)(0.5 + 10000 x) / 10000, for x >= 0."""
    return float(np.floor(0.5 + x * 10000.0)) / 10000.0


@njit(cache=True)
def interpolate_s2p2(
    xi: np.ndarray,
    si: np.ndarray,
    xj: np.ndarray,
    sj: np.ndarray,
    prb_i: float,
    yi: np.ndarray,
    yj: np.ndarray,
) -> None:
    """The S2P2 bargain between i and j (KTAB SMPActor::interpBrgnSnPm(2, 2, ...))."""
    prb_j = 1 - prb_i
    for k in range(xi.shape[0]):
        wik = (si[k] * si[k]) * (prb_i * prb_i)
        wjk = (sj[k] * sj[k]) * (prb_j * prb_j)
        tik = xi[k]
        tjk = xj[k]
        den = wik + MIN_BARGAIN_WEIGHT + wjk
        yi[k] = round4(((wik + MIN_BARGAIN_WEIGHT) * tik + wjk * tjk) / den)
        yj[k] = round4((wik * tik + (MIN_BARGAIN_WEIGHT + wjk) * tjk) / den)


@njit(cache=True)
def state_assessment(
    x: np.ndarray,
    sal: np.ndarray,
    cap: np.ndarray,
    vdiff: np.ndarray,
    r: np.ndarray,
    r_est: np.ndarray,
    u_own: np.ndarray,
) -> None:
    """Distances, risk attitudes, h-perspective risk estimates and own utilities of one state."""
    n = x.shape[0]
    for i in range(n):
        for j in range(n):
            vdiff[i, j] = bv_diff(x[i], x[j], sal[i])
    risk_attitudes(vdiff, cap, r)
    for h in range(n):
        for i in range(n):
            r_est[h, i] = ((2.0 * r[h]) + r[i]) / 3.0  # OneThirdRA (Model::estNRA)
    for a in range(n):
        for j in range(n):
            u_own[a, j] = bs_util(vdiff[a, j], r_est[a, a])


@njit(cache=True)
def outcome_distribution(
    x: np.ndarray,
    cap: np.ndarray,
    u_own: np.ndarray,
    pos_tol: float,
    prob_actor: np.ndarray,
    group: np.ndarray,
    group_prob: np.ndarray,
    expected: np.ndarray,
) -> int:
    """PCE over the unique positions (KTAB SMPState::pDist(-1)); returns the modal actor.

    Writes each actor's probability of its own position into prob_actor (as KTAB reports it),
    the actor whose position represents each actor's group (first within pos_tol) into group
    and that group's probability into group_prob, and the probability-weighted mean of the
    unique positions into expected.
    """
    n, n_dim = x.shape
    uniq = np.empty(n, dtype=np.int64)
    equiv = np.empty(n, dtype=np.int64)
    n_u = 0
    for i in range(n):
        found = -1
        for m in range(n_u):
            k = uniq[m]
            s = 0.0
            for d in range(n_dim):
                dd = x[i, d] - x[k, d]
                s = s + dd * dd
            if np.sqrt(s) < pos_tol:
                found = m
                break
        if found < 0:
            uniq[n_u] = i
            equiv[i] = n_u
            n_u += 1
        else:
            equiv[i] = found
    uu = np.empty((n, n_u))
    for i in range(n):
        for m in range(n_u):
            uu[i, m] = u_own[i, uniq[m]]
    p = np.empty(n_u)
    scalar_pce(cap, uu, n_u, p)
    # KTAB State::posProb reports the *last* unique position within pos_tol of the actor's
    # (equivalence is not transitive), while the PCE itself groups by the first one.
    for i in range(n):
        last = equiv[i]
        for m in range(n_u):
            k = uniq[m]
            s = 0.0
            for d in range(n_dim):
                dd = x[i, d] - x[k, d]
                s = s + dd * dd
            if np.sqrt(s) < pos_tol:
                last = m
        prob_actor[i] = p[last]
        group[i] = uniq[equiv[i]]
        group_prob[i] = p[equiv[i]]
    for d in range(n_dim):
        e = 0.0
        for m in range(n_u):
            e = e + p[m] * x[uniq[m], d]
        expected[d] = e
    return int(uniq[first_argmax(p, n_u)])


@njit(cache=True)
def bargaining_turn(
    x: np.ndarray,
    sal: np.ndarray,
    s_tot: np.ndarray,
    cap: np.ndarray,
    vdiff: np.ndarray,
    r: np.ndarray,
    r_est: np.ndarray,
    u_own: np.ndarray,
    x_new: np.ndarray,
) -> None:
    """One turn: challenges, S2P2 bargains, and each actor's election over its own queue.

    KTAB SMPState::doBCN with InitOnlyInterp bargains and deterministic state transition.
    """
    n, n_dim = x.shape
    target = np.full(n, -1, dtype=np.int64)
    prob = np.zeros(n)
    for i in range(n):
        best_j = -1
        best_p = 0.0
        best_eu = -1.0
        for j in range(n):
            if j == i:
                continue
            pij, edu = challenge(i, j, vdiff, r_est, s_tot, cap)
            if edu > MIN_SIG_EDU and best_eu < edu:
                best_j = j
                best_p = pij
                best_eu = edu
        target[i] = best_j
        prob[i] = best_p
    y_init = np.empty((n, n_dim))
    y_rcvr = np.empty((n, n_dim))
    for i in range(n):
        j = target[i]
        if j >= 0:
            interpolate_s2p2(x[i], sal[i], x[j], sal[j], prob[i], y_init[i], y_rcvr[i])
    # value to actor a of the state after bargain b (only its two parties move), averaged
    u_sq = np.empty(n)
    for a in range(n):
        s = 0.0
        for m in range(n):
            s = s + u_own[a, m]
        u_sq[a] = s / n
    u_brgn = np.empty((n, n))  # column b = the bargain initiated by b
    for b in range(n):
        j = target[b]
        if j < 0:
            continue
        for a in range(n):
            u_init = bs_util(bv_diff(x[a], y_init[b], sal[a]), r[a])
            u_rcvr = bs_util(bv_diff(x[a], y_rcvr[b], sal[a]), r[a])
            s = 0.0
            s = s + u_init
            s = s + u_rcvr
            for m in range(n):
                if m != b and m != j:
                    s = s + u_own[a, m]
            u_brgn[a, b] = s / n
    # each actor's queue: its status quo, its own bargain, the bargains aimed at it
    queue_u = np.empty((n, n + 1))
    queue_from = np.empty(n + 1, dtype=np.int64)
    p = np.empty(n + 1)
    for k in range(n):
        for a in range(n):
            queue_u[a, 0] = u_sq[a]
        queue_from[0] = -1
        nb = 1
        if target[k] >= 0:
            for a in range(n):
                queue_u[a, nb] = u_brgn[a, k]
            queue_from[nb] = k
            nb += 1
        for b in range(n):
            if b != k and target[b] == k:
                for a in range(n):
                    queue_u[a, nb] = u_brgn[a, b]
                queue_from[nb] = b
                nb += 1
        scalar_pce(cap, queue_u, nb, p)
        chosen = queue_from[first_argmax(p, nb)]
        for d in range(n_dim):
            if chosen < 0:
                x_new[k, d] = x[k, d]
            elif chosen == k:
                x_new[k, d] = y_init[k, d]
            else:
                x_new[k, d] = y_rcvr[chosen, d]


@njit(cache=True)
def state_distance(x: np.ndarray, y: np.ndarray) -> float:
    """Σ_i ||x_i - y_i||, unweighted, on the unit scale (KTAB SMPModel::stateDist)."""
    total = 0.0
    for i in range(x.shape[0]):
        s = 0.0
        for d in range(x.shape[1]):
            dd = x[i, d] - y[i, d]
            s = s + dd * dd
        total = total + np.sqrt(s)
    return total


@njit(cache=True, nogil=True)
def simulate_batch(
    lo: int,
    hi: int,
    x0: np.ndarray,
    sal: np.ndarray,
    cap: np.ndarray,
    max_turns: int,
    min_turns: int,
    min_delta_ratio: float,
    min_sig_delta: float,
    pos_tol: float,
    traj: np.ndarray,
    expected: np.ndarray,
    prob_actor: np.ndarray,
    group: np.ndarray,
    group_prob: np.ndarray,
    modal: np.ndarray,
    n_turns: np.ndarray,
) -> None:
    """Run draws lo..hi-1 to their stopping turns (threads run blocks of draws, see _threads).

    x0, sal: (D, A, I) on [0, 1]; cap: (D, A). Outputs: traj (D, max_turns+1, A, I) and
    expected (D, max_turns+1, I), padded with the last state after a draw stops; prob_actor,
    group, group_prob (D, A) and modal (D,) for the final state; n_turns (D,).
    Draws are independent and each runs the same sequential code (simulate_draw), so results
    do not depend on the number of threads.
    """
    for dr in range(lo, hi):
        simulate_draw(
            dr,
            x0,
            sal,
            cap,
            max_turns,
            min_turns,
            min_delta_ratio,
            min_sig_delta,
            pos_tol,
            traj,
            expected,
            prob_actor,
            group,
            group_prob,
            modal,
            n_turns,
        )


@njit(cache=True)
def simulate_draw(
    dr: int,
    x0: np.ndarray,
    sal: np.ndarray,
    cap: np.ndarray,
    max_turns: int,
    min_turns: int,
    min_delta_ratio: float,
    min_sig_delta: float,
    pos_tol: float,
    traj: np.ndarray,
    expected: np.ndarray,
    prob_actor: np.ndarray,
    group: np.ndarray,
    group_prob: np.ndarray,
    modal: np.ndarray,
    n_turns: np.ndarray,
) -> None:
    """One draw of simulate_batch, with its own scratch arrays."""
    _, n, n_dim = x0.shape
    vdiff = np.empty((n, n))
    r = np.empty(n)
    r_est = np.empty((n, n))
    u_own = np.empty((n, n))
    s_tot = np.empty(n)
    probs = np.empty(n)
    groups = np.empty(n, dtype=np.int64)
    group_probs = np.empty(n)
    for i in range(n):
        s = 0.0
        for d in range(n_dim):
            s = s + sal[dr, i, d]
        s_tot[i] = s
    x = x0[dr].copy()
    traj[dr, 0] = x
    d01 = 0.0
    t = 0
    while True:
        state_assessment(x, sal[dr], cap[dr], vdiff, r, r_est, u_own)
        modal[dr] = outcome_distribution(
            x, cap[dr], u_own, pos_tol, probs, groups, group_probs, expected[dr, t]
        )
        if t > 0:
            ratio = state_distance(traj[dr, t], traj[dr, t - 1]) / d01
            if t >= max_turns or (t >= min_turns and ratio < min_delta_ratio):
                break
        x_new = np.empty_like(x)
        bargaining_turn(x, sal[dr], s_tot, cap[dr], vdiff, r, r_est, u_own, x_new)
        t += 1
        traj[dr, t] = x_new
        if t == 1:
            d01 = state_distance(traj[dr, 0], traj[dr, 1]) + min_sig_delta
        x = x_new
    prob_actor[dr] = probs
    group[dr] = groups
    group_prob[dr] = group_probs
    n_turns[dr] = t
    for k in range(t + 1, traj.shape[1]):
        traj[dr, k] = traj[dr, t]
        expected[dr, k] = expected[dr, t]
