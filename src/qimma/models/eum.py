"""Bueno de Mesquita's expected-utility model (`eum`), as reconstructed by Scholz et al. (2011).

Each issue is a separate one-dimensional contest. Every round each actor weighs challenging every
other actor (probability of success from third-party votes, utilities with risk exponents), the
dyads settle by conflict, compromise or capitulation, each actor accepts one offer and moves. The
rounds repeat until no actor moves more than `tol` (as a share of the issue's range), until the
positions repeat an earlier round (a cycle, reported), or until `max_rounds`.

All draws and issues run together: the (D, A, I) arrays are regrouped as D·I independent rows of A
actors and each round is a handful of (rows, A, A) NumPy broadcasts (see eum_core). Rows that have
stopped are frozen and dropped from later rounds. Formulas and sources: docs/models/eum.md.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from qimma.errors import InputError, QimmaError
from qimma.models import _eum_kernel as kernel
from qimma.models import _jit
from qimma.models import eum_core as core
from qimma.models._threads import run_blocks
from qimma.models.base import BargainingModel, ModelResult
from qimma.scenario.arrays import FloatArray, ScenarioArrays

STOP_MAX_ROUNDS = 0
STOP_CONVERGED = 1
STOP_CYCLE = 2
STOP_LEGEND = {
    STOP_MAX_ROUNDS: "reached max_rounds",
    STOP_CONVERGED: "converged: no actor moved more than tol",
    STOP_CYCLE: "cycle: positions repeat an earlier round (see cycle_length)",
}

# rows of A actors per chunk, so that the (rows, A, A) temporaries stay near the CPU caches
_CHUNK_ELEMENTS = 1 << 16
VARIANTS = ("scholz", "paper", "replication")


def _bad(message_en: str, message_ar: str, field: str, fix_en: str, fix_ar: str) -> QimmaError:
    return InputError.single(
        message_en, message_ar, path=f"eum.{field}", fix_en=fix_en, fix_ar=fix_ar
    )


OUTCOME_RULE = (
    "settled: the median after the last round; a cycle of p rounds: the mean of the median over "
    "the p rounds of the cycle; no settling within max_rounds: the mean of the median over all "
    "rounds run (rounds 1..n)"
)


def _summarise(
    med: np.ndarray, n_rounds: np.ndarray, stop: np.ndarray, cycle_len: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The outcome of each row and the range of medians it summarises (docs/models/eum.md).

    med: (rows, R+1) unit medians by round (stopped rows carried forward). A settled row is its
    last median; a cycle of length p is the mean over its p rounds, whichever phase the run
    stopped in; a row still moving at max_rounds is the mean over rounds 1..n.
    """
    n = n_rounds
    start = np.where(stop == STOP_CONVERGED, n, np.where(stop == STOP_CYCLE, n - cycle_len + 1, 1))
    k = np.arange(med.shape[1])[None, :]
    inside = (k >= np.minimum(start, n)[:, None]) & (k <= n[:, None])
    with np.errstate(invalid="ignore"):
        mean = np.where(inside, med, 0.0).sum(axis=1) / inside.sum(axis=1)
        low = np.where(inside, med, np.inf).min(axis=1)
        high = np.where(inside, med, -np.inf).max(axis=1)
    return mean, low, high


class EUModel(BargainingModel):
    """The challenge model; parameters default to the paper's (Scholz et al. 2011, Appendix).

    q: probability that j stays put when not challenged (Q, eq. 7). The Appendix says "Let Q=0.5
       (or 1.0)"; the paper's own EC emissions replication (its Table 2) used 1.0, the default.
    t: None applies the paper's per-dyad rule (T = 1 when j moving to the median helps i, cases 1
       and 3A, p. 22); a number in [0, 1] fixes T for every dyad (as Masad's replication does).
    max_rounds: at most this many rounds (the paper's τ).
    range_from: R = x_max - x_min, which scales every distance: "positions" (the paper's "range
       of positions", p. 21; 4-10 years in its EC example) takes the range of the present actors'
       positions in each draw, "scale" the issue's whole scale.
    tol: convergence and cycle tolerance, as a share of R (see range_from).
    variant: "scholz" (default) follows Scholz et al.'s own program, whose steps the public
       reconstructions descending from jmckib/bdm-scholz-expected-utility-model document and
       which reproduces the paper's Table 2; "paper" is a reading of the paper's text alone;
       "replication" reproduces Masad's public Python replication (net-vote probabilities,
       mean-based second pass, sign slip in eq. 7, any challenge can be the chosen offer). The
       last two are kept to explain the differences.
    """

    name = "eum"
    title_en = "Expected utility (Bueno de Mesquita)"
    title_ar = "المنفعة المتوقعة (بوينو دي مسكيتا)"
    dynamic = True

    def __init__(
        self,
        q: float = 1.0,
        t: float | None = None,
        max_rounds: int = 20,
        tol: float = 1e-4,
        variant: str = "scholz",
        range_from: str = "positions",
    ) -> None:
        if not (0.0 <= float(q) <= 1.0):
            raise _bad(
                f"Q must be between 0 and 1, got {q}",
                f"يجب أن تكون Q بين 0 و1، والقيمة المعطاة {q}",
                "q",
                "give a probability such as 0.5 or 1.0",
                "أدخل احتمالًا مثل 0.5 أو 1.0",
            )
        if t is not None and not (0.0 <= float(t) <= 1.0):
            raise _bad(
                f"T must be between 0 and 1, got {t}",
                f"يجب أن تكون T بين 0 و1، والقيمة المعطاة {t}",
                "t",
                "leave T unset for the paper's rule, or give a value in [0, 1]",
                "اترك T فارغة لتطبيق قاعدة الورقة، أو أدخل قيمة بين 0 و1",
            )
        if int(max_rounds) < 1:
            raise _bad(
                f"max_rounds must be at least 1, got {max_rounds}",
                f"يجب أن يكون max_rounds على الأقل 1، والقيمة المعطاة {max_rounds}",
                "max_rounds",
                "give a whole number of rounds such as 20",
                "أدخل عددًا صحيحًا من الجولات مثل 20",
            )
        if not (float(tol) >= 0.0):
            raise _bad(
                f"tol must be zero or positive, got {tol}",
                f"يجب ألا تكون tol سالبة، والقيمة المعطاة {tol}",
                "tol",
                "give a small share of the scale such as 0.0001",
                "أدخل نسبة صغيرة من المقياس مثل 0.0001",
            )
        if variant not in VARIANTS:
            raise _bad(
                f"unknown variant '{variant}'",
                f"صيغة غير معروفة '{variant}'",
                "variant",
                "use 'scholz', 'paper' or 'replication'",
                "استخدم 'scholz' أو 'paper' أو 'replication'",
            )
        self.settings = core.Settings(
            q=float(q),
            t=None if t is None else float(t),
            replication=variant == "replication",
            scholz=variant == "scholz",
        )
        self.max_rounds = int(max_rounds)
        self.tol = float(tol)
        self.variant = variant
        if range_from not in ("scale", "positions"):
            raise _bad(
                f"unknown range_from '{range_from}'",
                f"قيمة غير معروفة لـ range_from '{range_from}'",
                "range_from",
                "use 'scale' (the issue's scale) or 'positions' (the actors' positions)",
                "استخدم 'scale' (مقياس القضية) أو 'positions' (مواقف الفاعلين)",
            )
        self.range_from = range_from

    # -- input ------------------------------------------------------------------------------

    def _check(self, arrays: ScenarioArrays) -> None:
        if arrays.n_actors == 0:
            raise _bad(
                "the scenario has no actors",
                "لا يوجد فاعلون في السيناريو",
                "actors",
                "add at least one actor with a position on the issue",
                "أضف فاعلًا واحدًا على الأقل له موقف من القضية",
            )
        span = arrays.span
        if np.any(~(span > 0)):
            i = int(np.argmax(~(span > 0)))
            raise _bad(
                f"issue '{arrays.issue_ids[i]}' has an empty scale",
                f"مقياس القضية '{arrays.issue_ids[i]}' فارغ",
                "scale",
                "give the issue a scale whose maximum is above its minimum",
                "اجعل الحد الأعلى لمقياس القضية أكبر من حده الأدنى",
            )
        eps = 1e-9 * span
        lo = arrays.positions < arrays.scale_min - eps
        hi = arrays.positions > arrays.scale_max + eps
        out = (lo | hi | ~np.isfinite(arrays.positions)) & arrays.present[None]
        if out.any():
            _, a, i = np.argwhere(out)[0]
            raise _bad(
                f"actor '{arrays.actor_ids[a]}' is outside the scale of issue "
                f"'{arrays.issue_ids[i]}' ({arrays.scale_min[i]:g}..{arrays.scale_max[i]:g})",
                f"موقف الفاعل '{arrays.actor_ids[a]}' خارج مقياس القضية "
                f"'{arrays.issue_ids[i]}' ({arrays.scale_min[i]:g}..{arrays.scale_max[i]:g})",
                "positions",
                "keep every position within its issue's scale, or widen the scale",
                "اجعل كل موقف ضمن مقياس قضيته، أو وسّع المقياس",
            )
        for name, en, ar, arr in (
            ("saliences", "salience", "الأهمية", arrays.saliences),
            ("capabilities", "capability", "القدرة", arrays.capabilities),
        ):
            bad = (~np.isfinite(arr) | (arr < 0)) & arrays.present[None]
            if name == "saliences":
                bad |= (arr > 1.0 + 1e-9) & arrays.present[None]
            if bad.any():
                _, a, i = np.argwhere(bad)[0]
                raise _bad(
                    f"the {en} of actor '{arrays.actor_ids[a]}' on issue "
                    f"'{arrays.issue_ids[i]}' is out of range",
                    f"قيمة {ar} للفاعل '{arrays.actor_ids[a]}' في القضية "
                    f"'{arrays.issue_ids[i]}' خارج النطاق",
                    name,
                    "saliences go from 0 to 100 and capabilities are zero or positive",
                    "الأهمية من 0 إلى 100 والقدرة صفر أو أكثر",
                )

    # -- the rounds -------------------------------------------------------------------------

    def run(self, arrays: ScenarioArrays) -> ModelResult:
        self._check(arrays)
        d, a, n_i = arrays.positions.shape
        rows = d * n_i

        def flat(x: np.ndarray) -> np.ndarray:  # (D, A, I) -> (D·I, A)
            return np.ascontiguousarray(np.moveaxis(x, 2, 1).reshape(rows, a))

        lo, span = self._range(arrays)  # (D, I) each
        u = flat((arrays.positions - lo[:, None, :]) / span[:, None, :])
        w = flat(arrays.weights())
        s = flat(arrays.saliences * arrays.present[None])
        present = flat(np.broadcast_to(arrays.present[None], (d, a, n_i)))
        # absent actors are masked out everywhere; parking them mid-range keeps every power real
        u = np.where(present, u, 0.5)
        has_weight = np.asarray((w > 0).any(axis=1))

        first: dict[str, np.ndarray] = {
            "eu": np.zeros((rows, a, a)),
            "p": np.zeros((rows, a, a)),
            "r": np.ones((rows, a)),
            "cls": np.zeros((rows, a, a), dtype=np.int8),
        }
        rounds = self._rounds_kernel if self._compiled(d, a, n_i) else self._rounds_numpy
        history, medians, n_rounds, stop, cycle_len = rounds(u, w, s, present, first)
        return self._result(
            lo,
            span,
            arrays,
            history,
            medians,
            w,
            present,
            has_weight,
            n_rounds,
            stop,
            cycle_len,
            first,
        )

    def _compiled(self, draws: int, actors: int, issues: int) -> bool:
        """Whether the rounds run in the Numba kernel (_eum_kernel, the Scholz rules at Q = 1,
        the default): when it is compiled already, or the run is long enough to pay for the
        compile (models/_jit.py). Both ways give the same bytes (tests/test_eum_kernel.py)."""
        if not (self.settings.scholz and self.settings.q >= 1.0):
            return False
        return _jit.compiles(self.name, draws, actors, issues)

    def _rounds_numpy(
        self,
        u: np.ndarray,
        w: np.ndarray,
        s: np.ndarray,
        present: np.ndarray,
        first: dict[str, np.ndarray],
    ) -> tuple[list[np.ndarray], list[np.ndarray], np.ndarray, np.ndarray, np.ndarray]:
        """The rounds as NumPy broadcasts over the rows still running (eum_core.play_round):
        positions and medians by round (stopped rows carried forward), rounds run, stop reason
        and cycle length per row; fills `first` with round 1's dyads."""
        rows, a = u.shape
        history = [u]
        medians = [core.condorcet_median(u, w, present)]
        mu = medians[0]
        active = np.ones(rows, dtype=bool)
        n_rounds = np.zeros(rows, dtype=np.int64)
        stop = np.full(rows, STOP_MAX_ROUNDS, dtype=np.int8)
        cycle_len = np.zeros(rows, dtype=np.int64)
        if self.settings.scholz:  # the Scholz votes are (rows, A, A, A)
            chunk = max(1, 4 * _CHUNK_ELEMENTS // max(1, a * a * a))
        else:
            chunk = max(1, _CHUNK_ELEMENTS // max(1, a * a))

        for t in range(1, self.max_rounds + 1):
            idx = np.flatnonzero(active)
            new_u = history[-1].copy()
            for c0 in range(0, len(idx), chunk):
                sel = idx[c0 : c0 + chunk]
                res = core.play_round(u[sel], w[sel], s[sel], present[sel], self.settings, mu[sel])
                new_u[sel] = res.new_u
                if t == 1:
                    self._keep_first(first, sel, res, present[sel], a)
            u = new_u
            history.append(u)
            mu = medians[-1].copy()  # frozen rows keep their median
            mu[idx] = core.condorcet_median(u[idx], w[idx], present[idx])
            medians.append(mu)
            n_rounds[idx] = t
            step = np.abs(u[idx] - history[-2][idx]).max(axis=1)
            done = step <= self.tol
            stop[idx[done]] = STOP_CONVERGED
            looping = idx[~done]
            for lag in range(2, t + 1):
                if looping.size == 0:
                    break
                back = np.abs(u[looping] - history[t - lag][looping]).max(axis=1)
                hit = back <= self.tol
                stop[looping[hit]] = STOP_CYCLE
                cycle_len[looping[hit]] = lag
                looping = looping[~hit]
            active[idx] = stop[idx] == STOP_MAX_ROUNDS
            if not active.any():
                break
        return history, medians, n_rounds, stop, cycle_len

    def _rounds_kernel(
        self,
        u: np.ndarray,
        w: np.ndarray,
        s: np.ndarray,
        present: np.ndarray,
        first: dict[str, np.ndarray],
    ) -> tuple[list[np.ndarray], list[np.ndarray], np.ndarray, np.ndarray, np.ndarray]:
        """The same as `_rounds_numpy`, each row's rounds run to the end in the kernel
        (_eum_kernel.scholz_run, rows in blocks over Numba's threads). Under the Scholz rules at
        Q = 1 the median does not enter the moves, so the medians are taken afterwards from the
        positions, for the rows that ran each round, as `_rounds_numpy` takes them."""
        rows, a = u.shape
        hist = np.empty((self.max_rounds + 1, rows, a))
        hist[0] = u
        n_rounds = np.zeros(rows, dtype=np.int64)
        stop = np.full(rows, STOP_MAX_ROUNDS, dtype=np.int8)
        cycle_len = np.zeros(rows, dtype=np.int64)
        cap, tol = self.settings.capitulation, self.tol
        p_out, eu_out, r_out = first["p"], first["eu"], first["r"]

        def block(lo: int, hi: int) -> None:
            kernel.scholz_run(
                lo,
                hi,
                w,
                s,
                present,
                cap,
                0.5,
                tol,
                hist,
                n_rounds,
                stop,
                cycle_len,
                p_out,
                eu_out,
                r_out,
            )

        run_blocks(block, 0, rows)
        step = max(1, _CHUNK_ELEMENTS // max(1, a * a))
        eye = np.eye(a, dtype=bool)[None]
        for c0 in range(0, rows, step):
            pr = present[c0 : c0 + step]
            pair = pr[:, :, None] & pr[:, None, :] & ~eye
            # classify sets every other dyad to CLASS_NONE: the zeros there do not matter
            first["cls"][c0 : c0 + step] = core.classify(eu_out[c0 : c0 + step], pair)
        last = int(n_rounds.max(initial=1))  # the NumPy loop runs round 1 even with no rows
        medians = [core.condorcet_median(hist[0], w, present)]
        for t in range(1, last + 1):
            mu = medians[-1].copy()  # stopped rows keep their median
            idx = np.flatnonzero(n_rounds >= t)
            if len(idx) == rows:
                mu = core.condorcet_median(hist[t], w, present)
            else:
                mu[idx] = core.condorcet_median(hist[t][idx], w[idx], present[idx])
            medians.append(mu)
        return list(hist[: last + 1]), medians, n_rounds, stop, cycle_len

    @staticmethod
    def _keep_first(
        first: dict[str, np.ndarray],
        sel: np.ndarray,
        res: core.RoundResult,
        present: np.ndarray,
        a: int,
    ) -> None:
        pair = present[:, :, None] & present[:, None, :] & ~np.eye(a, dtype=bool)[None]
        first["eu"][sel] = np.where(pair, res.eu, 0.0)
        first["p"][sel] = np.where(pair, res.p, 0.0)
        first["r"][sel] = res.r
        first["cls"][sel] = core.classify(res.eu, pair)

    def _range(self, arrays: ScenarioArrays) -> tuple[np.ndarray, np.ndarray]:
        d = arrays.n_draws
        if self.range_from == "scale":
            lo = np.broadcast_to(arrays.scale_min, (d, arrays.n_issues))
            return lo, np.broadcast_to(arrays.span, (d, arrays.n_issues))
        pres = arrays.present[None]
        lo = np.where(pres, arrays.positions, np.inf).min(axis=1)
        hi = np.where(pres, arrays.positions, -np.inf).max(axis=1)
        empty = ~np.isfinite(lo) | ~(hi > lo)  # no one, or everyone at one point: any R will do
        lo = np.where(empty, arrays.scale_min, lo)
        return lo, np.where(empty, arrays.span, hi - lo)

    def _result(
        self,
        lo: np.ndarray,
        span: np.ndarray,
        arrays: ScenarioArrays,
        history: list[np.ndarray],
        medians: list[np.ndarray],
        w: np.ndarray,
        present: np.ndarray,
        has_weight: np.ndarray,
        n_rounds: np.ndarray,
        stop: np.ndarray,
        cycle_len: np.ndarray,
        first: dict[str, np.ndarray],
    ) -> ModelResult:
        d, _, n_i = arrays.positions.shape
        sq = arrays.status_quo.reshape(d * n_i)  # (D, I) row order matches the flat rows
        med = np.stack(medians, axis=1)  # (rows, R+1)
        mean = np.stack([core.weighted_mean(h, w) for h in history], axis=1)
        summary, low, high = _summarise(med, n_rounds, stop, cycle_len)

        def unflat(x: np.ndarray) -> np.ndarray:  # (rows, ...) -> (D, ..., I)
            return np.moveaxis(x.reshape((d, n_i, *x.shape[1:])), 1, -1)

        def to_scale(x: FloatArray) -> FloatArray:  # (D, n, I) unit values -> the issue's scale
            return np.asarray(lo[:, None, :] + x * span[:, None, :], dtype=float)

        med_s = to_scale(unflat(med))  # (D, R+1, I)
        mean_s = to_scale(unflat(mean))
        # (D, R+1, A, I), filled round by round to avoid several copies of the largest array
        pos_s = np.empty((d, len(history), arrays.n_actors, n_i))
        absent = ~arrays.present  # (A, I)
        for k, h in enumerate(history):
            out = pos_s[:, k]  # lo + x · span, written in place (the same bits as to_scale)
            np.multiply(np.moveaxis(h.reshape(d, n_i, arrays.n_actors), 1, 2), span[:, None], out)
            out += lo[:, None, :]
            if absent.any():
                np.copyto(out, arrays.positions, where=absent[None])
        nobody = unflat(~has_weight)  # (D, I)
        sq_di = sq.reshape(d, n_i)
        med_s = np.where(nobody[:, None, :], sq_di[:, None, :], med_s)
        mean_s = np.where(nobody[:, None, :], sq_di[:, None, :], mean_s)
        n_issue = unflat(n_rounds)  # (D, I)
        outcome = to_scale(unflat(summary[:, None]))[:, 0]  # (D, I)
        band = to_scale(unflat(np.stack([low, high], axis=1)))  # (D, 2, I)
        outcome = np.where(nobody, sq_di, outcome)
        band = np.where(nobody[:, None, :], sq_di[:, None, :], band)
        details: dict[str, Any] = {
            "mean_by_round": mean_s,
            "median_by_round": med_s,
            "n_rounds_by_issue": n_issue,
            "stop_reason": unflat(stop),
            "stop_legend": dict(STOP_LEGEND),
            "cycle_length": unflat(cycle_len),
            "settled": unflat(stop == STOP_CONVERGED),  # (D, I)
            "median_range": band,  # (D, 2, I): lowest and highest median the outcome summarises
            "outcome_rule": OUTCOME_RULE,
            "round1_class": unflat(first["cls"]),  # (D, A, A, I), ordered dyad (i, j) seen by i
            "class_legend": dict(core.CLASS_LEGEND),
            "round1_eu": unflat(first["eu"]),  # (D, A, A, I): E^i(U_ij), risk-adjusted
            "round1_probability": unflat(first["p"]),  # (D, A, A, I): P^i_i against j
            "round1_risk_exponent": unflat(first["r"]),  # (D, A, I)
            "params": {
                "q": self.settings.q,
                "t": self.settings.t,
                "max_rounds": self.max_rounds,
                "tol": self.tol,
                "variant": self.variant,
                "range_from": self.range_from,
            },
        }
        n_draw = n_issue.max(axis=1)
        return ModelResult(
            model=self.name,
            outcome=outcome,  # settled: the last median; otherwise the mean over the cycle/run
            rounds=med_s,
            positions=pos_s,
            n_rounds=n_draw,
            details=details,
        )
