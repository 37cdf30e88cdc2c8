"""Numba kernels of the Spatial Model of Politics (see docs/models/smp.md for every formula).

Bargaining in KTAB's SMP is a sequence of small elections (every actor picks its best challenge,
every actor then votes over the bargains in its own queue) whose sizes depend on the previous
choices, so the inner loops cannot be written as array operations; this is the one place where
qimma uses Numba. Everything works on the unit scale [0, 1] like KTAB.

The arithmetic follows KTAB's evaluation order term by term (sums left to right, the same
parenthesisation), so that results agree with KTAB's C++ to the last bits and exact ties are
broken the same way; "KTAB" comments name the routine each step reproduces.

Speed without changing a bit: every sum keeps its own order of terms, but the O(N³) loops run
many independent sums side by side (one per target, option or voter, the innermost loop running
over them) so that the compiler can use vector instructions; values that KTAB recomputes (an
actor's Σ s², its utilities of each position) are computed once per turn or draw; a conditional
``if v > 0: c = c + v`` becomes ``c = c + (v if v > 0 else 0.0)``, the same value since c > 0; and
every draw of a block reuses one set of scratch arrays (:func:`workspace`).
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
def salience_norm2(s: np.ndarray) -> float:
    """Σ_k s_k², the denominator of the distances (the same for every position compared)."""
    ss2 = 0.0
    for k in range(s.shape[0]):
        ss2 = ss2 + s[k] * s[k]
    return ss2


@njit(cache=True, error_model="numpy")
def distances_from(
    xi: np.ndarray, si: np.ndarray, ss2: float, xt: np.ndarray, out: np.ndarray
) -> None:
    """Salience-weighted normalised distance from xi to every position (KTAB SMPModel::bvDiff),
    out[j] = sqrt(Σ_k (s_k (xi_k - x_jk))² / Σ_k s_k²), the sums of all j side by side.

    xt: (I, N) the positions by issue; ss2 = salience_norm2(si). KTAB refuses an actor whose
    saliences are all zero; such an actor is indifferent here (0). error_model="numpy": the
    division is only used where ss2 > 0, and the check would keep vector instructions out.
    """
    n = xt.shape[1]
    for j in range(n):
        out[j] = 0.0
    for k in range(xi.shape[0]):
        xk = xi[k]
        sk = si[k]
        row = xt[k]
        for j in range(n):
            ds = (xk - row[j]) * sk
            out[j] = out[j] + ds * ds
    for j in range(n):
        out[j] = 0.0 if ss2 <= 0.0 else np.sqrt(out[j] / ss2)


@njit(cache=True, error_model="numpy")
def distances_to(
    y: np.ndarray, xt: np.ndarray, salt: np.ndarray, ss2: np.ndarray, out: np.ndarray
) -> None:
    """Every actor a's distance to the position y (KTAB SMPModel::bvDiff, as distances_from
    with a's own ideal x_a and saliences s_a): out[a], the sums of all a side by side.

    xt, salt: (I, N) positions and saliences by issue; ss2[a] = salience_norm2(s_a).
    """
    n = xt.shape[1]
    for a in range(n):
        out[a] = 0.0
    for k in range(y.shape[0]):
        yk = y[k]
        row = xt[k]
        srow = salt[k]
        for a in range(n):
            ds = (row[a] - yk) * srow[a]
            out[a] = out[a] + ds * ds
    for a in range(n):
        out[a] = 0.0 if ss2[a] <= 0.0 else np.sqrt(out[a] / ss2[a])


@njit(cache=True)
def scalar_pce(
    w: np.ndarray,
    u: np.ndarray,
    n_opt: int,
    p: np.ndarray,
    pv: np.ndarray,
    cij: np.ndarray,
    cji: np.ndarray,
) -> None:
    """Conditional PCE over options with proportional voting and linear victory odds.

    KTAB Model::scalarPCE = coalitions + vProb(Linear) + condPCE. `u` is (actors, >= n_opt);
    the probabilities of the first n_opt options are written into p[:n_opt]. Scratch: pv
    (>= n_opt × n_opt), cij and cji (>= n_opt). Each coalition C(i, j) sums the voters in order;
    the sums of one i against every j < i run side by side.
    """
    n_act = u.shape[0]
    for i in range(n_opt):
        for j in range(i):
            cij[j] = MIN_COALITION
            cji[j] = MIN_COALITION
        for k in range(n_act):
            wk = w[k]
            uki = u[k, i]
            row = u[k]
            for j in range(i):
                v = wk * (uki - row[j])
                cij[j] = cij[j] + (v if v > 0.0 else 0.0)
                cji[j] = cji[j] - (v if v < 0.0 else 0.0)
        for j in range(i):
            pv[i, j] = cij[j] / (cij[j] + cji[j])
            pv[j, i] = cji[j] / (cij[j] + cji[j])
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
def risk_attitudes(
    vdiff: np.ndarray,
    cap: np.ndarray,
    r_out: np.ndarray,
    rn: np.ndarray,
    p: np.ndarray,
    pv: np.ndarray,
    cij: np.ndarray,
    cji: np.ndarray,
) -> None:
    """R_i from the PCE over all actors' positions, duplicates included (setAllAUtil, Mid range).

    KTAB divides by pMax - pMin and fails when every position is equally likely; qimma then sets
    every R to 0 (risk neutral). Scratch: rn (n × n), p (n) and scalar_pce's.
    """
    n = vdiff.shape[0]
    for i in range(n):
        for j in range(n):
            rn[i, j] = bs_util(vdiff[i, j], 0.0)
    scalar_pce(cap, rn, n, p, pv, cij, cji)
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


# Challengers whose third-party sums run together (each row of vdiff is read once for them all,
# which matters when vdiff outgrows the caches); rows of their scratch (`workspace`: B × 10 × N).
CHALLENGERS = 4
UNI, UNN, U_IK_DEF_J, U_I_DEF_JK, BASE_I, BASE_J, ACC_I, ACC_J, WIN, GAIN = range(10)


@njit(cache=True, error_model="numpy")
def challenges(
    i0: int,
    vdiff: np.ndarray,
    r_est: np.ndarray,
    u_own: np.ndarray,
    wn: np.ndarray,
    s_tot: np.ndarray,
    chal: np.ndarray,
) -> None:
    """Challengers i = i0 .. i0 + B - 1 (B = chal.shape[0], fewer at the end): i's estimates of
    P[i beats j] (chal[i - i0, WIN, j]) and of its own expected gain from challenging j
    (chal[i - i0, GAIN, j]), for every j (the entries j = i are meaningless).

    KTAB SMPState::probEduChlg(h=i, k=i, i, j) with proportional votes and semi-committed third
    parties; r_est[h, n] is h's estimate of n's risk attitude, u_own[i, j] = U^i(i, j) and
    wn[n] = S_n c_n. The third parties' votes are summed in KTAB's order for each i and j, the
    sums for all j side by side. error_model="numpy" as in third_party_votes.
    """
    n_act = vdiff.shape[0]
    i1 = min(n_act, i0 + chal.shape[0])
    for i in range(i0, i1):
        challenge_bases(i, vdiff, r_est, u_own, wn, chal[i - i0])
    for n in range(n_act):
        vd_n = vdiff[n]
        for i in range(i0, i1):
            if n == i:
                continue
            c = chal[i - i0]
            third_party_votes(
                n, vd_n, r_est[i, n], c[UNI, n], c[UNN, n], c[U_IK_DEF_J, n], c[U_I_DEF_JK, n],
                wn[n], c[BASE_I], c[BASE_J], c[ACC_I], c[ACC_J],
            )  # fmt: skip
    for i in range(i0, i1):
        c = chal[i - i0]
        uii = c[UNI, i]
        for j in range(n_act):
            uij = u_own[i, j]
            eu_sq = uii + uij
            eu_win = uii + uii
            eu_lose = uij + uij
            sj = s_tot[j]
            phij = c[ACC_I, j] / (c[ACC_I, j] + c[ACC_J, j])
            phji = c[ACC_J, j] / (c[ACC_I, j] + c[ACC_J, j])
            eu_contest = phij * eu_win + phji * eu_lose
            eu_chlg = (1 - sj) * eu_win + sj * eu_contest
            c[WIN, j] = phij
            c[GAIN, j] = eu_chlg - eu_sq


@njit(cache=True)
def challenge_bases(
    i: int, vdiff: np.ndarray, r_est: np.ndarray, u_own: np.ndarray, wn: np.ndarray, c: np.ndarray
) -> None:
    """i's utilities U^i(n, i), U^i(n, n) and the principals' own votes in i's challenge of
    every j (the coalitions before the third parties): rows of c (10 × N)."""
    n_act = vdiff.shape[0]
    uni = c[UNI]  # U^i(n, i): n's utility of i's position, in i's estimate
    unn = c[UNN]  # U^i(n, n)
    for n in range(n_act):
        rn = r_est[i, n]
        uni[n] = bs_util(vdiff[n, i], rn)
        unn[n] = bs_util(vdiff[n, n], rn)
        c[U_IK_DEF_J, n] = uni[n] + uni[n] + unn[n]
        c[U_I_DEF_JK, n] = uni[n] + uni[n] + uni[n]
    uii = uni[i]
    for j in range(n_act):
        uij = u_own[i, j]
        contrib_i = wn[i] * (uii - uij)
        contrib_j = wn[j] * (uni[j] - unn[j])
        chij = MIN_CHALLENGE_COALITION + (contrib_i if contrib_i > 0.0 else 0.0)
        chji = MIN_CHALLENGE_COALITION - (contrib_i if contrib_i < 0.0 else 0.0)
        chij = chij + (contrib_j if contrib_j > 0.0 else 0.0)
        chji = chji - (contrib_j if contrib_j < 0.0 else 0.0)
        c[BASE_I, j] = chij
        c[BASE_J, j] = chji
        c[ACC_I, j] = chij
        c[ACC_J, j] = chji


@njit(cache=True, error_model="numpy")
def third_party_votes(
    n: int,
    vd_n: np.ndarray,
    rn: float,
    uni: float,
    unn: float,
    u_ik_def_j: float,
    u_i_def_jk: float,
    wn: float,
    base_i: np.ndarray,
    base_j: np.ndarray,
    acc_i: np.ndarray,
    acc_j: np.ndarray,
) -> None:
    """Third party n's vote in i's challenge of every j ≠ n, added to the coalitions acc_i
    (for i) and acc_j (for j); vd_n = vdiff[n]. The "little conflict" of the principals alone
    plus n (Actor::vProbLittle), then the semi-committed vote (Actor::thirdPartyVoteSU).
    error_model="numpy": no zero-division check, which would keep the compiler from using
    vector instructions; the denominator is at least 2e-10 (the coalitions start there)."""
    for j in range(vd_n.shape[0]):
        unj = bs_util(vd_n[j], rn)
        v = wn * (uni - unj)
        cni = base_i[j] + v if v > 0 else base_i[j]
        cnj = base_j[j] - v if v < 0 else base_j[j]
        pin = cni / (cni + cnj)
        pjn = 1.0 - pin
        u_j_def_ik = unj + unj + unj
        u_jk_def_i = unj + unj + unn
        u_ik_j = (pin * u_ik_def_j) + (pjn * u_j_def_ik)
        u_i_jk = (pin * u_i_def_jk) + (pjn * u_jk_def_i)
        vk = wn * (u_ik_j - u_i_jk)
        third = n != j
        acc_i[j] = acc_i[j] + (vk if third and vk > 0 else 0.0)
        acc_j[j] = acc_j[j] - (vk if third and vk < 0 else 0.0)


@njit(cache=True)
def round4(x: float) -> float:
    """KTAB's round4: (int)(0.5 + 10000 x) / 10000, for x >= 0."""
    return float(np.floor(0.5 + x * 10000.0)) / 10000.0


@njit(cache=True, error_model="numpy")
def interpolate_s2p2(
    xi: np.ndarray,
    si: np.ndarray,
    xj: np.ndarray,
    sj: np.ndarray,
    prb_i: float,
    yi: np.ndarray,
    yj: np.ndarray,
) -> None:
    """The S2P2 bargain between i and j (KTAB SMPActor::interpBrgnSnPm(2, 2, ...)).

    error_model="numpy" lets the issues run in vector instructions; den is at least 1e-6."""
    prb_j = 1 - prb_i
    for k in range(xi.shape[0]):
        wik = (si[k] * si[k]) * (prb_i * prb_i)
        wjk = (sj[k] * sj[k]) * (prb_j * prb_j)
        tik = xi[k]
        tjk = xj[k]
        den = wik + MIN_BARGAIN_WEIGHT + wjk
        yi[k] = round4(((wik + MIN_BARGAIN_WEIGHT) * tik + wjk * tjk) / den)
        yj[k] = round4((wik * tik + (MIN_BARGAIN_WEIGHT + wjk) * tjk) / den)


# The scratch arrays of one draw (`workspace`), reused by every draw of a block, and the rows
# of each: matrices (N × N), vectors (N + 1: a queue holds up to N + 1 options; or I),
# integer vectors, states (N × I).
_MATS = 7
VDIFF, R_EST, U_OWN, U_OWN_T, U_OPT, U_BRGN, DIST = range(_MATS)
_VECS = 14
(R, S_TOT, SS2, WN, P, CIJ, CJI, TARGET_P, U_SQ, D_INIT, D_RCVR, PROB, GROUP_P,
 E_UNIT) = range(_VECS)  # fmt: skip
_INTS = 6
TARGET, QUEUE_FROM, UNIQ, EQUIV, GROUP, ACTIVE = range(_INTS)
_STATES = 4  # 0 and 1: the current and the previous turn's positions (swapped every turn)
Y_INIT, Y_RCVR = 2, 3  # every initiator's version of its bargain, and the receiver's
XT, SALT = range(2)  # columns, by issue (I × N): the current positions, the saliences


Workspace = tuple[
    np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray
]


@njit(cache=True)
def workspace(n: int, n_dim: int) -> Workspace:
    """Scratch for draws of n actors and n_dim issues: matrices, vectors, integer vectors,
    states, issue-major columns, the challenge's scratch, the queues' utilities (N × N+1) and
    the PCE's P[i > j]."""
    m = n + 1
    return (
        np.empty((_MATS, n, n)),
        np.empty((_VECS, max(m, n_dim))),
        np.empty((_INTS, m), dtype=np.int64),
        np.empty((_STATES, n, n_dim)),
        np.empty((2, n_dim, n)),
        np.empty((CHALLENGERS, 10, n)),
        np.empty((n, m)),
        np.empty((m, m)),
    )


@njit(cache=True)
def state_assessment(
    x: np.ndarray, sal: np.ndarray, cap: np.ndarray, mats: np.ndarray, vecs: np.ndarray,
    cols: np.ndarray, pv: np.ndarray,
) -> None:  # fmt: skip
    """Distances, risk attitudes, h-perspective risk estimates and own utilities of one state
    (mats[VDIFF], vecs[R], mats[R_EST], mats[U_OWN] and its transpose mats[U_OWN_T]); the
    positions by issue into cols[XT]."""
    n = x.shape[0]
    vdiff = mats[VDIFF]
    r = vecs[R]
    r_est = mats[R_EST]
    u_own = mats[U_OWN]
    u_own_t = mats[U_OWN_T]
    ss2 = vecs[SS2]
    xt = cols[XT]
    for i in range(n):
        for k in range(x.shape[1]):
            xt[k, i] = x[i, k]
    for i in range(n):
        distances_from(x[i], sal[i], ss2[i], xt, vdiff[i])
    risk_attitudes(vdiff, cap, r, mats[U_OPT], vecs[P], pv, vecs[CIJ], vecs[CJI])
    for h in range(n):
        for i in range(n):
            r_est[h, i] = ((2.0 * r[h]) + r[i]) / 3.0  # OneThirdRA (Model::estNRA)
    for a in range(n):
        for j in range(n):
            u_own[a, j] = bs_util(vdiff[a, j], r_est[a, a])
            u_own_t[j, a] = u_own[a, j]


@njit(cache=True)
def euclidean_distances(x: np.ndarray, xt: np.ndarray, out: np.ndarray) -> None:
    """out[i, k] = ||x_i - x_k||, unweighted (KTAB's position tolerance test), the sums of all
    k side by side; xt: (I, N) the positions by issue."""
    n, n_dim = x.shape
    for i in range(n):
        row = out[i]
        for k in range(n):
            row[k] = 0.0
        for d in range(n_dim):
            xd = x[i, d]
            col = xt[d]
            for k in range(n):
                dd = xd - col[k]
                row[k] = row[k] + dd * dd
        for k in range(n):
            row[k] = np.sqrt(row[k])


@njit(cache=True)
def unique_positions(dist: np.ndarray, pos_tol: float, uniq: np.ndarray, equiv: np.ndarray) -> int:
    """First-come groups of positions within pos_tol (dist: euclidean_distances): the
    representatives uniq[:n_u] and each actor's group equiv[i]; returns n_u."""
    n_u = 0
    for i in range(dist.shape[0]):
        found = -1
        for m in range(n_u):
            if dist[i, uniq[m]] < pos_tol:
                found = m
                break
        if found < 0:
            uniq[n_u] = i
            equiv[i] = n_u
            n_u += 1
        else:
            equiv[i] = found
    return n_u


@njit(cache=True)
def outcome_distribution(
    x: np.ndarray,
    cap: np.ndarray,
    pos_tol: float,
    mats: np.ndarray,
    vecs: np.ndarray,
    ints: np.ndarray,
    cols: np.ndarray,
    pv: np.ndarray,
) -> int:
    """PCE over the unique positions (KTAB SMPState::pDist(-1)); returns the modal actor.

    Writes each actor's probability of its own position into vecs[PROB] (as KTAB reports it),
    the actor whose position represents each actor's group (first within pos_tol) into
    ints[GROUP] and that group's probability into vecs[GROUP_P], and the probability-weighted
    mean of the unique positions into vecs[E_UNIT].
    """
    n, n_dim = x.shape
    uniq = ints[UNIQ]
    equiv = ints[EQUIV]
    u_own = mats[U_OWN]
    dist = mats[DIST]
    euclidean_distances(x, cols[XT], dist)
    n_u = unique_positions(dist, pos_tol, uniq, equiv)
    uu = mats[U_OPT]
    for i in range(n):
        for m in range(n_u):
            uu[i, m] = u_own[i, uniq[m]]
    p = vecs[P]
    scalar_pce(cap, uu, n_u, p, pv, vecs[CIJ], vecs[CJI])
    # KTAB State::posProb reports the *last* unique position within pos_tol of the actor's
    # (equivalence is not transitive), while the PCE itself groups by the first one.
    for i in range(n):
        last = equiv[i]
        for m in range(n_u):
            if dist[i, uniq[m]] < pos_tol:
                last = m
        vecs[PROB, i] = p[last]
        ints[GROUP, i] = uniq[equiv[i]]
        vecs[GROUP_P, i] = p[equiv[i]]
    for d in range(n_dim):
        e = 0.0
        for m in range(n_u):
            e = e + p[m] * x[uniq[m], d]
        vecs[E_UNIT, d] = e
    return int(uniq[first_argmax(p, n_u)])


@njit(cache=True)
def choose_targets(
    mats: np.ndarray, vecs: np.ndarray, ints: np.ndarray, chal: np.ndarray, n: int
) -> None:
    """Each actor's best challenge (KTAB SMPState::bestChallenge): the target with the largest
    expected gain above MIN_SIG_EDU, the first on ties (ints[TARGET], -1 for none), and the
    initiator's estimate of winning it (vecs[TARGET_P])."""
    for i0 in range(0, n, chal.shape[0]):
        challenges(i0, mats[VDIFF], mats[R_EST], mats[U_OWN], vecs[WN], vecs[S_TOT], chal)
        for i in range(i0, min(n, i0 + chal.shape[0])):
            c = chal[i - i0]
            best_j = -1
            best_p = 0.0
            best_eu = -1.0
            for j in range(n):
                if j == i:
                    continue
                edu = c[GAIN, j]
                if edu > MIN_SIG_EDU and best_eu < edu:
                    best_j = j
                    best_p = c[WIN, j]
                    best_eu = edu
            ints[TARGET, i] = best_j
            vecs[TARGET_P, i] = best_p


# Bargains whose sums run together in bargain_values (each row of U_OWN_T read once for them).
BARGAINS = 8


@njit(cache=True)
def bargain_values(
    mats: np.ndarray, vecs: np.ndarray, ints: np.ndarray, states: np.ndarray, cols: np.ndarray
) -> None:
    """Value to each actor a of the state after bargain b, in which only its two parties move,
    averaged over the actors (mats[U_BRGN][a, b]), and of the status quo (vecs[U_SQ])."""
    n = mats.shape[1]
    u_own = mats[U_OWN]
    u_own_t = mats[U_OWN_T]
    u_brgn = mats[U_BRGN]  # column b = the bargain initiated by b
    acc = mats[U_OPT]  # row q: the sum of the block's q-th bargain, for every a
    target = ints[TARGET]
    active = ints[ACTIVE]
    for a in range(n):
        s = 0.0
        for m in range(n):
            s = s + u_own[a, m]
        vecs[U_SQ, a] = s / n
    n_active = 0
    for b in range(n):
        if target[b] >= 0:
            active[n_active] = b
            n_active += 1
    for q0 in range(0, n_active, BARGAINS):
        q1 = min(n_active, q0 + BARGAINS)
        for q in range(q0, q1):
            parties_utilities(active[q], vecs, states, cols, acc[q - q0])
        # the others' own utilities, summed in order for every a side by side
        for m in range(n):
            row = u_own_t[m]
            for q in range(q0, q1):
                b = active[q]
                if m != b and m != target[b]:
                    acc_q = acc[q - q0]
                    for a in range(n):
                        acc_q[a] = acc_q[a] + row[a]
        for q in range(q0, q1):
            acc_q = acc[q - q0]
            for a in range(n):
                u_brgn[a, active[q]] = acc_q[a] / n


@njit(cache=True)
def parties_utilities(
    b: int, vecs: np.ndarray, states: np.ndarray, cols: np.ndarray, out: np.ndarray
) -> None:
    """out[a] = 0 + u_a(initiator's new position) + u_a(receiver's new position) in bargain b,
    for every actor a (the first terms of bargain_values's sums)."""
    r = vecs[R]
    d_init = vecs[D_INIT]
    d_rcvr = vecs[D_RCVR]
    distances_to(states[Y_INIT, b], cols[XT], cols[SALT], vecs[SS2], d_init)
    distances_to(states[Y_RCVR, b], cols[XT], cols[SALT], vecs[SS2], d_rcvr)
    for a in range(cols.shape[2]):
        u_init = bs_util(d_init[a], r[a])
        u_rcvr = bs_util(d_rcvr[a], r[a])
        s = 0.0
        s = s + u_init
        s = s + u_rcvr
        out[a] = s


@njit(cache=True)
def bargaining_turn(
    x: np.ndarray,
    sal: np.ndarray,
    cap: np.ndarray,
    mats: np.ndarray,
    vecs: np.ndarray,
    ints: np.ndarray,
    states: np.ndarray,
    cols: np.ndarray,
    chal: np.ndarray,
    queue_u: np.ndarray,
    pv: np.ndarray,
    x_new: np.ndarray,
) -> None:
    """One turn: challenges, S2P2 bargains, and each actor's election over its own queue.

    KTAB SMPState::doBCN with InitOnlyInterp bargains and deterministic state transition.
    Bargains go to states[Y_INIT] and states[Y_RCVR], the new state to x_new.
    """
    n = x.shape[0]
    choose_targets(mats, vecs, ints, chal, n)
    target = ints[TARGET]
    for i in range(n):
        j = target[i]
        if j >= 0:
            interpolate_s2p2(
                x[i], sal[i], x[j], sal[j], vecs[TARGET_P, i], states[Y_INIT, i], states[Y_RCVR, i]
            )
    bargain_values(mats, vecs, ints, states, cols)
    elections(x, cap, mats, vecs, ints, states, queue_u, pv, x_new)


@njit(cache=True)
def elections(
    x: np.ndarray,
    cap: np.ndarray,
    mats: np.ndarray,
    vecs: np.ndarray,
    ints: np.ndarray,
    states: np.ndarray,
    queue_u: np.ndarray,
    pv: np.ndarray,
    x_new: np.ndarray,
) -> None:
    """Each actor k's election over its own queue (its status quo, its own bargain, the
    bargains aimed at it; KTAB SMPState::updateBestBrgnPositions): k moves to its own
    coordinates in the winner (x_new[k])."""
    n, n_dim = x.shape
    target = ints[TARGET]
    u_brgn = mats[U_BRGN]
    queue_from = ints[QUEUE_FROM]
    p = vecs[P]
    for k in range(n):
        for a in range(n):
            queue_u[a, 0] = vecs[U_SQ, a]
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
        scalar_pce(cap, queue_u, nb, p, pv, vecs[CIJ], vecs[CJI])
        chosen = queue_from[first_argmax(p, nb)]
        for d in range(n_dim):
            if chosen < 0:
                x_new[k, d] = x[k, d]
            elif chosen == k:
                x_new[k, d] = states[Y_INIT, k, d]
            else:
                x_new[k, d] = states[Y_RCVR, chosen, d]


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


@njit(cache=True)
def write_state(
    x: np.ndarray,
    out: np.ndarray,
    keep: np.ndarray,
    absent: np.ndarray,
    pos: np.ndarray,
    scale_lo: np.ndarray,
    span: np.ndarray,
) -> None:
    """One turn's positions on the issues' scales (ScenarioArrays.from_unit: x · span + lo) into
    out (all actors × issues): the running actors keep[a] from x, the left-out ones `absent`
    at their input positions pos."""
    n, n_dim = x.shape
    for a in range(n):
        ka = keep[a]
        for d in range(n_dim):
            out[ka, d] = x[a, d] * span[d] + scale_lo[d]
    for b in absent:
        for d in range(n_dim):
            out[b, d] = pos[b, d]


@njit(cache=True, nogil=True)
def simulate_batch(
    lo: int,
    hi: int,
    x0: np.ndarray,
    sal: np.ndarray,
    cap: np.ndarray,
    stop: tuple[int, int, float, float, float],
    keep: np.ndarray,
    absent: np.ndarray,
    pos: np.ndarray,
    scale_lo: np.ndarray,
    span: np.ndarray,
    traj: np.ndarray,
    expected: np.ndarray,
    prob_actor: np.ndarray,
    group: np.ndarray,
    group_prob: np.ndarray,
    modal: np.ndarray,
    n_turns: np.ndarray,
) -> None:
    """Run draws lo..hi-1 to their stopping turns (threads run blocks of draws, see _threads).

    x0, sal: (D, N, I) on [0, 1] for the N running actors; cap: (D, N); stop: (max_turns,
    min_turns, min_delta_ratio, min_sig_delta, pos_tol). Turns 0..n_turns[d] go into traj
    (D, max_turns+1, A, I) for all A actors, the running ones at keep (N,) and the others
    (absent) at their input positions pos (D, A, I), and their expected outcomes into expected
    (D, max_turns+1, I), both on the issues' scales (x · span + scale_lo); `pad_batch` then
    repeats each draw's last turn. prob_actor, group, group_prob (D, N) and modal (D,) describe
    the final state (indices of running actors); n_turns (D,).
    Draws are independent and each runs the same sequential code (simulate_draw), so results
    do not depend on the number of threads.
    """
    _, n, n_dim = x0.shape
    ws = workspace(n, n_dim)
    for dr in range(lo, hi):
        t = simulate_draw(dr, x0, sal, cap, stop, keep, absent, pos, scale_lo, span, traj,
                          expected, modal, ws)  # fmt: skip
        n_turns[dr] = t
        vecs, ints = ws[1], ws[2]
        for i in range(n):
            prob_actor[dr, i] = vecs[PROB, i]
            group[dr, i] = ints[GROUP, i]
            group_prob[dr, i] = vecs[GROUP_P, i]


@njit(cache=True)
def simulate_draw(
    dr: int,
    x0: np.ndarray,
    sal: np.ndarray,
    cap: np.ndarray,
    stop: tuple[int, int, float, float, float],
    keep: np.ndarray,
    absent: np.ndarray,
    pos: np.ndarray,
    scale_lo: np.ndarray,
    span: np.ndarray,
    traj: np.ndarray,
    expected: np.ndarray,
    modal: np.ndarray,
    ws: Workspace,
) -> int:
    """One draw of simulate_batch in the scratch ws (`workspace`); returns its turns."""
    max_turns, min_turns, min_delta_ratio, min_sig_delta, pos_tol = stop
    mats, vecs, ints, states, cols, chal, queue_u, pv = ws
    _, n, n_dim = x0.shape
    sal_d = sal[dr]
    cap_d = cap[dr]
    for i in range(n):
        s = 0.0
        for d in range(n_dim):
            s = s + sal_d[i, d]
        vecs[S_TOT, i] = s
        vecs[SS2, i] = salience_norm2(sal_d[i])
        vecs[WN, i] = s * cap_d[i]
        for d in range(n_dim):
            cols[SALT, d, i] = sal_d[i, d]
    cur, prev = 0, 1
    states[cur] = x0[dr]
    write_state(states[cur], traj[dr, 0], keep, absent, pos[dr], scale_lo, span)
    d01 = 0.0
    t = 0
    while True:
        x = states[cur]
        state_assessment(x, sal_d, cap_d, mats, vecs, cols, pv)
        modal[dr] = outcome_distribution(x, cap_d, pos_tol, mats, vecs, ints, cols, pv)
        for d in range(n_dim):
            expected[dr, t, d] = vecs[E_UNIT, d] * span[d] + scale_lo[d]
        if t > 0:
            ratio = state_distance(x, states[prev]) / d01
            if t >= max_turns or (t >= min_turns and ratio < min_delta_ratio):
                break
        x_new = states[prev]  # the previous turn is no longer needed
        bargaining_turn(x, sal_d, cap_d, mats, vecs, ints, states, cols, chal, queue_u, pv, x_new)
        t += 1
        write_state(x_new, traj[dr, t], keep, absent, pos[dr], scale_lo, span)
        if t == 1:
            d01 = state_distance(x, x_new) + min_sig_delta
        cur, prev = prev, cur
    return t


@njit(cache=True, nogil=True)
def pad_batch(
    lo: int, hi: int, n_turns: np.ndarray, t_all: int, traj: np.ndarray, expected: np.ndarray
) -> None:
    """Repeat the last turn of draws lo..hi-1 up to turn t_all - 1 (the batch's longest run)."""
    for dr in range(lo, hi):
        t = n_turns[dr]
        for k in range(t + 1, t_all):
            traj[dr, k] = traj[dr, t]
            expected[dr, k] = expected[dr, t]
