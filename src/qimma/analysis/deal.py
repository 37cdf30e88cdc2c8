"""Deal or no deal: does every veto player accept the forecast package? (docs/models/deal.md)

A bargaining model forecasts the terms x (one value per issue) a negotiation ends at, assuming it
ends in agreement. Whether it does is read here, draw by draw, as in the bargaining model of war
(Fearon 1995) and the zone of possible agreement (Raiffa 1982): veto player a of track t
(Tsebelis 2002) accepts the package when it is worth at least its outside option,

    d_a(x) = 100 · Σ_{i in t} w_ai |x_i − p_ai| / (max_i − min_i),   w_ai = s_ai / Σ_{j in t} s_aj
    accept_a  ⇔  d_a(x) ≤ d_a(o_a) + c_a

with p_a its position, s_a its salience (this draw), o_a the terms it expects without a deal and
c_a its cost of no deal (both sampled within their ranges). A deal happens when every veto
player accepts; otherwise the track is in breakdown. The track's state is the package x after a
deal and the veto players' mean expected no-deal terms after a breakdown; named outcomes of the
track are read on that state.

Model error: before the test, each model's forecast gets an error drawn from that model's own
DEU III backtest residuals (with a random sign), so an outcome that the models never reach only
by construction keeps the chance the models' track record gives it.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from qimma import i18n
from qimma.analysis.sampling import PPF, Distribution, InputSpace, uniforms, values_from_uniforms
from qimma.scenario.arrays import BoolArray, FloatArray
from qimma.scenario.model import Estimate, Scenario

DEAL_STREAM = 0xDEA1  # the outside options' own random stream (sampling.uniforms)
# Half-widths of the range an outside-option value written without `low`/`high` is sampled in
# (basis "assumption": the scenario gives the value, not its uncertainty). Terms: points of a
# 0-100 scale (scaled to the issue's span, clipped to it); cost: utility points (clipped at 0).
# Write low = high to keep a value fixed. (docs/models/deal.md, "Outside options as inputs")
DEFAULT_TERM_HALF = 10.0
DEFAULT_COST_HALF = 5.0
ERROR_STREAM = 0xE770  # the model-error stream
ERROR_RESOURCE = "model_error.json"


@dataclass(frozen=True)
class DealSpace:
    """Tracks, veto sets and outside options as arrays; the deal part of an InputSpace."""

    track_ids: tuple[str, ...]
    track_issues: BoolArray  # (T, I)
    veto: BoolArray  # (T, A)
    terms: dict[str, FloatArray]  # "point" | "low" | "high" -> (T, A, I) expected no-deal terms
    cost: dict[str, FloatArray]  # "point" | "low" | "high" -> (T, A)
    basis: tuple[tuple[str, ...], ...]  # (T, A): basis of each cost of no deal ("" = none)
    term_basis: tuple[tuple[tuple[str, ...], ...], ...] = ()  # (T, A, I): of each no-deal term
    deal_only: BoolArray | None = None  # (T, I): at the status quo after a breakdown

    @property
    def n_inputs(self) -> int:
        t, a, i = self.terms["point"].shape
        return t * a * i + t * a

    def uncertain(self) -> list[tuple[str, int, int, int, int]]:
        """The outside-option values with a real range (low < high), as (field, track, actor,
        issue, column of the deal uniforms W): field "outside_option" for a no-deal term (W's
        first T·A·I columns, in (t, a, i) order), "no_deal_cost" for a cost (issue -1)."""
        t_n, a_n, i_n = self.terms["point"].shape
        out = []
        for t, a, i in zip(*np.nonzero(self.terms["low"] < self.terms["high"]), strict=True):
            out.append(("outside_option", int(t), int(a), int(i), int((t * a_n + a) * i_n + i)))
        for t, a in zip(*np.nonzero(self.cost["low"] < self.cost["high"]), strict=True):
            out.append(("no_deal_cost", int(t), int(a), -1, t_n * a_n * i_n + int(t * a_n + a)))
        return out

    def track_index(self, track: str) -> int:
        return self.track_ids.index(track)


def deal_space(scenario: Scenario) -> DealSpace | None:
    """The deal part of a scenario's input space; None when it declares no tracks."""
    if not scenario.tracks:
        return None
    a_ix = {a.id: k for k, a in enumerate(scenario.actors)}
    i_ix = {i.id: k for k, i in enumerate(scenario.issues)}
    t_n, a_n, i_n = len(scenario.tracks), len(a_ix), len(i_ix)
    sq = np.array([i.status_quo for i in scenario.issues], dtype=float)
    terms = {k: np.broadcast_to(sq, (t_n, a_n, i_n)).copy() for k in ("point", "low", "high")}
    cost = {k: np.zeros((t_n, a_n)) for k in ("point", "low", "high")}
    issues = np.zeros((t_n, i_n), dtype=bool)
    veto = np.zeros((t_n, a_n), dtype=bool)
    basis = [["" for _ in range(a_n)] for _ in range(t_n)]
    term_basis = [[["" for _ in range(i_n)] for _ in range(a_n)] for _ in range(t_n)]
    lo_i = np.array([i.scale.min for i in scenario.issues], dtype=float)
    hi_i = np.array([i.scale.max for i in scenario.issues], dtype=float)
    deal_only = np.zeros((t_n, i_n), dtype=bool)
    for t, tr in enumerate(scenario.tracks):
        issues[t, [i_ix[i] for i in tr.issues]] = True
        deal_only[t, [i_ix[i] for i in tr.deal_only]] = True
        veto[t, [a_ix[a] for a in tr.veto_players]] = True
        for a_id, a in a_ix.items():
            oo = scenario.outside_option(a_id, tr.id)
            if oo is None:
                continue
            given = "cost" in oo.model_fields_set
            c_lo, c_hi, basis[t][a] = _ranged(oo.cost, oo.basis, DEFAULT_COST_HALF, given)
            cost["point"][t, a], cost["low"][t, a], cost["high"][t, a] = (
                oo.cost.value,
                max(0.0, c_lo),
                c_hi,
            )
            for term in oo.terms:
                i = i_ix[term.issue]
                half = DEFAULT_TERM_HALF * (hi_i[i] - lo_i[i]) / 100.0
                v_lo, v_hi, term_basis[t][a][i] = _ranged(term.value, term.basis, half, True)
                terms["point"][t, a, i] = term.value.value
                terms["low"][t, a, i] = max(lo_i[i], v_lo)
                terms["high"][t, a, i] = min(hi_i[i], v_hi)
    return DealSpace(
        tuple(t.id for t in scenario.tracks),
        issues,
        veto,
        terms,
        cost,
        tuple(tuple(r) for r in basis),
        tuple(tuple(tuple(r) for r in rows) for rows in term_basis),
        deal_only,
    )


def _ranged(e: Estimate, basis: str, half: float, given: bool) -> tuple[float, float, str]:
    """(low, high, basis) of an outside-option value: its own range, or for a value written
    without low and high the default range value ± half, with the basis "assumption"."""
    if given and e.low is None and e.high is None and half > 0:
        return e.value - half, e.value + half, "assumption"
    return e.lo, e.hi, basis


@cache
def _residuals() -> dict[str, FloatArray]:
    text = resources.files("qimma.data").joinpath(ERROR_RESOURCE).read_text("utf-8")
    data = json.loads(text)["models"]
    return {m: np.asarray(v["residuals"], dtype=float) for m, v in data.items()}


def model_mae() -> dict[str, float]:
    """Each model's DEU III mean absolute error (0-100 scale), as stored with its residuals."""
    return {m: float(np.abs(r).mean()) for m, r in _residuals().items()}


def model_error(model: str, seed: int, n: int, n_issues: int) -> FloatArray:
    """Errors (n, n_issues) for one model: its DEU III residuals resampled, with random signs.

    A model without stored residuals gets the residuals of all models pooled."""
    res = _residuals()
    r = res.get(model)
    if r is None:
        r = np.concatenate(list(res.values()))
    key = zlib.crc32(model.encode("utf-8"))
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(ERROR_STREAM, key)))
    pick = rng.integers(0, r.size, size=(n, n_issues))
    sign = np.where(rng.random((n, n_issues)) < 0.5, -1.0, 1.0)
    return np.asarray(r[pick] * sign, dtype=float)


@dataclass
class DrawContext:
    """What the deal test reads in each draw besides the forecast: the stance inputs of that draw,
    the sampled outside options, and whether (and from which seed) model error is added."""

    space: InputSpace
    positions: FloatArray  # (D, A, I)
    saliences: FloatArray  # (D, A, I), 0 where the actor has no stance
    terms: FloatArray | None  # (D, T, A, I)
    cost: FloatArray | None  # (D, T, A)
    seed: int
    with_error: bool = True
    _errors: dict[str, FloatArray] = field(default_factory=dict)
    # what every model's deal test reads alike, computed once per context (cols -> arrays)
    _weights: dict[bytes, tuple[FloatArray, FloatArray]] = field(default_factory=dict)
    _no_deal: dict[int, tuple[FloatArray, FloatArray | None]] = field(default_factory=dict)
    _d_sq: FloatArray | None = None

    @property
    def n(self) -> int:
        return int(self.positions.shape[0])

    def weights(self, cols: BoolArray) -> tuple[FloatArray, FloatArray]:
        """The saliences on the issues `cols` (D, A, I) and their total (D, A): the weights of
        every distance on those issues, the same for every model (computed once)."""
        key = cols.tobytes()
        if key not in self._weights:
            w = self.saliences * cols[None, None, :]
            self._weights[key] = (w, w.sum(axis=2))
        return self._weights[key]

    def distance(self, x: FloatArray, cols: BoolArray) -> FloatArray:
        """d_a(x) on the issues `cols` for every draw and actor (D, A): `distance` with this
        context's positions and saliences, its weights computed once."""
        w, tot = self.weights(cols)
        span = self.space.scale_max - self.space.scale_min
        return summed(weighted_gap(x, self.positions, w, span), tot)

    def no_deal(self, t: int) -> tuple[FloatArray, FloatArray | None]:
        """Track t without a deal, the same for every model: each actor's d_a(o_a) (D, A) and
        the veto players' mean expected no-deal terms (D, I), None without veto players."""
        if t not in self._no_deal:
            ds = self.space.deal
            assert ds is not None and self.terms is not None
            vetoes = np.nonzero(ds.veto[t])[0]
            d_none = self.distance(self.terms[:, t], ds.track_issues[t])
            mean = self.terms[:, t][:, vetoes].mean(axis=1) if len(vetoes) else None
            self._no_deal[t] = (d_none, mean)
        return self._no_deal[t]

    def status_quo_distance(self) -> FloatArray:
        """d_a(status quo) over all issues (D, A), the same for every model (computed once)."""
        if self._d_sq is None:
            s = self.space
            sq = np.broadcast_to(s.status_quo, (self.n, len(s.issue_ids)))
            self._d_sq = self.distance(sq, np.ones(len(s.issue_ids), dtype=bool))
        return self._d_sq

    def forecast(self, model: str, values: FloatArray) -> FloatArray:
        """A model's forecast with its error added (when on), clipped to each issue's scale."""
        if not self.with_error:
            return values
        if model not in self._errors:
            self._errors[model] = model_error(model, self.seed, values.shape[0], values.shape[1])
        s = self.space
        return np.clip(values + self._errors[model], s.scale_min, s.scale_max)


def draw_context(
    space: InputSpace,
    seed: int,
    draws: int,
    dist: Distribution | str = Distribution.triangular,
    *,
    u: FloatArray | None = None,
    w: FloatArray | None = None,
    with_error: bool = True,
) -> DrawContext:
    """The context of draws 0..draws-1 of a Monte Carlo with this seed (the same uniforms as
    montecarlo.sweep), or of the design rows `u` when given (sensitivity, signposts). The outside
    options come from their own uniforms W: `w` when given (a sensitivity design, where they are
    inputs), else the seed's DEAL_STREAM, draw by draw."""
    d = Distribution(dist)
    if u is None:
        u = uniforms(seed, 0, draws, space.n_inputs)
    v = values_from_uniforms(space, u, d, ("position", "salience"))  # capability: not read
    sal = np.where(space.present[None], v["salience"], 0.0)
    n = u.shape[0]
    ds = space.deal
    terms = cost = None
    if ds is not None:
        if w is None:
            w = uniforms(seed, 0, n, ds.n_inputs, stream=DEAL_STREAM)
        terms, cost = deal_values(ds, w, d)
    return DrawContext(space, v["position"], sal, terms, cost, seed, with_error)


def deal_values(
    ds: DealSpace, w: FloatArray, dist: Distribution = Distribution.triangular
) -> tuple[FloatArray, FloatArray]:
    """The outside options of each row of uniforms W (n, ds.n_inputs): no-deal terms (n, T, A, I)
    and costs (n, T, A), through the same inverse CDFs as the stances. The one rule for how
    outside options are sampled, in the Monte Carlo and in the sensitivity design alike."""
    n = w.shape[0]
    t_n, a_n, i_n = ds.terms["point"].shape
    ppf = PPF[Distribution(dist)]
    k = t_n * a_n * i_n
    terms = _ranged_ppf(ppf, w[:, :k].reshape(n, t_n, a_n, i_n), ds.terms)
    cost = _ranged_ppf(ppf, w[:, k:].reshape(n, t_n, a_n), ds.cost)
    return terms, cost


def _ranged_ppf(ppf: Any, u: FloatArray, v: dict[str, FloatArray]) -> FloatArray:
    """ppf(u, low, point, high) for rows u shaped (n, *v's shape), evaluated only on the values
    with a range (low < high; the default scenario: 16 of 264 no-deal terms): elsewhere the
    point value, as every PPF gives there. The same operations per value, so the same bits."""
    out = np.broadcast_to(v["point"], u.shape).copy()
    ranged = v["low"] < v["high"]
    if ranged.any():
        lo, mode, hi = (v[f][ranged][None] for f in ("low", "point", "high"))
        out[:, ranged] = ppf(u[:, ranged], lo, mode, hi)
    return np.asarray(out, dtype=float)


def distance_parts(
    x: FloatArray, pos: FloatArray, sal: FloatArray, cols: BoolArray, span: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Each issue's term of d_a(x) before the division by the weights' total, shape (D, A, I),
    and that total, shape (D, A): `distance` sums them; `point_deal` also reads them apart."""
    w = sal * cols[None, None, :]
    return weighted_gap(x, pos, w, span), w.sum(axis=2)


def weighted_gap(x: FloatArray, pos: FloatArray, w: FloatArray, span: FloatArray) -> FloatArray:
    """w · 100 |x − p| / span per draw, actor and issue (D, A, I), in one buffer (the same
    operations in the same order as written out, so the same bits)."""
    xx = x[:, None, :] if x.ndim == 2 else x
    out = np.subtract(xx, pos)
    np.abs(out, out=out)
    np.divide(out, span[None, None, :], out=out)
    np.multiply(out, 100.0, out=out)
    np.multiply(w, out, out=out)
    return out


def distance(
    x: FloatArray, pos: FloatArray, sal: FloatArray, cols: BoolArray, span: FloatArray
) -> FloatArray:
    """d_a(x) for every draw and actor, shape (D, A): salience-weighted distance on `cols`.

    x is (D, I) or (D, A, I); pos and sal are (D, A, I)."""
    return summed(*distance_parts(x, pos, sal, cols, span))


def summed(parts: FloatArray, tot: FloatArray) -> FloatArray:
    """d_a from `distance_parts`: the issues' terms summed over the weights' total."""
    out = parts.sum(axis=2) / np.where(tot > 0, tot, 1.0)
    return np.asarray(out, dtype=float)


@dataclass
class TrackState:
    """One track in every draw: deal or not, who rejected, and the state outcomes are read on."""

    track: str
    deal: BoolArray  # (D,)
    rejects: dict[str, BoolArray]  # veto player -> (D,) rejects the package
    state: FloatArray  # (D, I)
    # veto player -> (D,) in a deal on terms farther from it than its no-deal terms: it accepts
    # only for what no deal costs it (a judgement's `backs_down`)
    backs_down: dict[str, BoolArray]


def track_states(ctx: DrawContext, x: FloatArray) -> dict[str, TrackState]:
    """The deal test of every track for forecast x (D, I) (module docstring)."""
    ds = ctx.space.deal
    if ds is None or ctx.terms is None or ctx.cost is None:
        return {}
    out: dict[str, TrackState] = {}
    for t, tid in enumerate(ds.track_ids):
        cols = ds.track_issues[t]
        vetoes = np.nonzero(ds.veto[t])[0]
        d_deal = ctx.distance(x, cols)
        d_none, mean = ctx.no_deal(t)  # d_a(o_a), the same for every model
        accept = d_deal <= d_none + ctx.cost[:, t]
        deal = np.all(accept[:, vetoes], axis=1) if len(vetoes) else np.ones(ctx.n, dtype=bool)
        rejects = {ctx.space.actor_ids[a]: ~accept[:, a] for a in vetoes}
        worse = d_deal > d_none
        backs_down = {ctx.space.actor_ids[a]: deal & worse[:, a] for a in vetoes}
        no_deal = x if mean is None else mean
        if mean is not None and ds.deal_only is not None and ds.deal_only[t].any():
            no_deal = no_deal.copy()  # a term of a deal only: nothing agreed, the status quo
            no_deal[:, ds.deal_only[t]] = ctx.space.status_quo[ds.deal_only[t]]
        state = x.copy()
        state[:, cols] = np.where(deal[:, None], x[:, cols], no_deal[:, cols])
        out[tid] = TrackState(tid, deal, rejects, state, backs_down)
    return out


def final_state(ctx: DrawContext, x: FloatArray, states: dict[str, TrackState]) -> FloatArray:
    """Per draw and issue, where things end: the state of the first track that holds the issue,
    else the forecast."""
    ds = ctx.space.deal
    out = x.copy()
    if ds is None:
        return out
    done = np.zeros(x.shape[1], dtype=bool)
    for t, tid in enumerate(ds.track_ids):
        cols = ds.track_issues[t] & ~done
        out[:, cols] = states[tid].state[:, cols]
        done |= cols
    return out


def gains(ctx: DrawContext, x: FloatArray) -> tuple[BoolArray, BoolArray]:
    """Per draw and actor: (better off than at the status quo, worse off), over all its issues."""
    d_x = ctx.distance(x, np.ones(len(ctx.space.issue_ids), dtype=bool))
    d_sq = ctx.status_quo_distance()
    return d_x < d_sq, d_x > d_sq


def deal_summary(scenario: Scenario, evals: dict[str, Any], with_error: bool) -> dict[str, Any]:
    """What the deal test found, for output: per track the share of draws with a deal (pooled
    and by model) and per veto player the share rejecting; and how outcomes were read."""
    tracks: list[dict[str, Any]] = []
    for tr in scenario.tracks:
        by_model = {m: float(e.states[tr.id].deal.mean()) for m, e in evals.items()}
        first = next(iter(evals.values())).states[tr.id]
        rejects = {
            a: float(np.mean([float(e.states[tr.id].rejects[a].mean()) for e in evals.values()]))
            for a in first.rejects
        }
        tracks.append(
            {
                "track": tr.id,
                "name": tr.name.model_dump(),
                "veto_players": list(first.rejects),
                "deal_probability": float(np.mean(list(by_model.values()))),
                "deal_by_model": by_model,
                "rejects": rejects,
            }
        )
    mae = model_mae() if with_error else {}
    return {
        "basis": "deal" if scenario.tracks else "terms_only",
        "basis_text": BASIS_TEXT["deal" if scenario.tracks else "terms_only"],
        "model_error": {
            "included": with_error,
            "mae_deu3": {m: mae[m] for m in evals if m in mae},
            "text": ERROR_TEXT[with_error],
        },
        "tracks": tracks,
    }


BASIS_TEXT = {
    "deal": {
        "en": "Named outcomes read through the deal test: a deal needs every veto player to "
        "prefer the forecast terms to its outside option.",
        "ar": "تُقرأ المآلات المسماة عبر اختبار الاتفاق: لا اتفاق إلا إذا فضّل كل لاعبي الفيتو "
        "الشروط المتوقعة على بديلهم التفاوضي.",
    },
    "terms_only": {
        "en": "This scenario declares no veto players: named outcomes are read from the forecast "
        "terms only, assuming a settlement is reached.",
        "ar": "لا يعلن هذا السيناريو لاعبي فيتو: تُقرأ المآلات المسماة من الشروط المتوقعة وحدها، "
        "بافتراض التوصل إلى تسوية.",
    },
}
ERROR_TEXT = {
    True: {
        "en": "Each model's own error (its DEU III backtest residuals) is included in the "
        "named-outcome probabilities.",
        "ar": "يدخل خطأ كل نموذج (بواقي اختباره الرجعي على DEU III) في احتمالات المآلات المسماة.",
    },
    False: {
        "en": "Model error is NOT included: the probabilities reflect the ranges of the stances "
        "and outside options only.",
        "ar": "لا يدخل خطأ النماذج: تعكس الاحتمالات مديات المواقف والبدائل التفاوضية وحدها.",
    },
}


def point_context(space: InputSpace, n: int, with_error: bool = True, seed: int = 0) -> DrawContext:
    """n rows of the stances and outside options at their point values (no sampling)."""
    s = space
    pos = np.broadcast_to(s.point["position"], (n, *s.present.shape)).copy()
    sal = np.broadcast_to(np.where(s.present, s.point["salience"], 0.0), pos.shape).copy()
    ds = s.deal
    terms = cost = None
    if ds is not None:
        terms = np.broadcast_to(ds.terms["point"], (n, *ds.terms["point"].shape)).copy()
        cost = np.broadcast_to(ds.cost["point"], (n, *ds.cost["point"].shape)).copy()
    return DrawContext(space, pos, sal, terms, cost, seed, with_error)


@dataclass(frozen=True)
class VetoCheck:
    """One veto player's test of a package at the point values (utility points, 0-100)."""

    actor: str
    package: float  # d_a(x): how far the package is from what the actor wants on the track
    no_deal: float  # d_a(o_a): how far its expected no-deal terms are
    cost: float  # c_a: what no deal costs it beyond those terms
    basis: str  # basis of its outside option ("" = none given: status quo, no cost)
    name: dict[str, str] = field(default_factory=dict)  # the actor's name by language
    assumed_share: float = 0.0  # share of `no_deal` that rests on assumed no-deal terms

    @property
    def margin(self) -> float:
        """How much better than no deal the package is for the actor; it accepts when ≥ 0."""
        return self.no_deal + self.cost - self.package

    @property
    def accepts(self) -> bool:
        return self.margin >= 0

    def text(self, lang: str) -> str:
        """'RUS accepts by 7.7 pts (terms 43.5; no deal 46.1 + cost 5.0) (inferred)'."""
        key = "common.veto_accepts" if self.accepts else "common.veto_rejects_by"
        line = i18n.t(
            key,
            lang,
            a=self.name.get(lang) or self.name.get("en") or self.actor,
            m=f"{abs(self.margin):.1f}",
            p=f"{self.package:.1f}",
            n=f"{self.no_deal:.1f}",
            c=f"{self.cost:.1f}",
        )
        basis = self.basis or "assumption"  # no outside option given: an assumed status quo
        return line + i18n.t(
            "common.veto_basis",
            lang,
            s=f"{100 * self.assumed_share:.0f}%",
            b=i18n.t(f"common.{basis}", lang),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "actor": self.actor,
            "name": self.name,
            "package_distance": self.package,
            "no_deal_distance": self.no_deal,
            "cost_of_no_deal": self.cost,
            "margin": self.margin,
            "accepts": self.accepts,
            "basis": self.basis,
            "assumed_share_of_no_deal": self.assumed_share,
            "text": {lang: self.text(lang) for lang in ("en", "ar")},
        }


@dataclass(frozen=True)
class PointDeal:
    """The deal test of one track on the point forecast (the ensemble's terms, every stance and
    outside option at its point value, no model error), and whether each model's terms pass."""

    track: str
    name: dict[str, str]
    deal: bool  # the ensemble's package passes every veto player
    vetoes: tuple[VetoCheck, ...]
    by_model: dict[str, bool]

    @property
    def rejecting(self) -> list[str]:
        return [v.actor for v in self.vetoes if not v.accepts]

    def verdict(self, lang: str) -> str:
        """'deal: every veto player accepts' or 'no deal: RUS rejects'."""
        if self.deal:
            return i18n.t("common.deal_yes", lang)
        who = ", ".join(self.rejecting)
        return i18n.t("common.deal_no", lang, who=who)

    def to_json(self) -> dict[str, Any]:
        return {
            "track": self.track,
            "name": self.name,
            "deal": self.deal,
            "verdict": {lang: self.verdict(lang) for lang in ("en", "ar")},
            "veto_players": [v.to_json() for v in self.vetoes],
            "deal_by_model": self.by_model,
        }


def point_deal(
    scenario: Scenario, space: InputSpace, forecasts: dict[str, FloatArray], ensemble: FloatArray
) -> list[PointDeal]:
    """The deal test of every track at the point values: the ensemble's terms (I,) and each
    model's (I,) against every veto player's outside option (the same `distance` and rule as
    `track_states`, on one row per model and one for the ensemble)."""
    ds = space.deal
    if ds is None:
        return []
    names = list(forecasts)
    x = np.vstack([*(np.asarray(forecasts[m], dtype=float) for m in names), ensemble])
    x = np.where(np.isnan(x), space.status_quo[None], x)  # a model with no value: status quo
    ctx = point_context(space, 1, with_error=False)  # one row: every x row is read against it
    assert ctx.terms is not None and ctx.cost is not None  # ds is not None
    span = space.scale_max - space.scale_min
    out: list[PointDeal] = []
    for t, tr in enumerate(scenario.tracks):
        cols = ds.track_issues[t]
        d_deal = distance(x, ctx.positions, ctx.saliences, cols, span)  # (models + 1, A)
        parts, tot = distance_parts(ctx.terms[:, t], ctx.positions, ctx.saliences, cols, span)
        d_none = summed(parts, tot)[0]
        cost = ctx.cost[0, t]
        vetoes = np.nonzero(ds.veto[t])[0]
        accept = d_deal <= d_none + cost
        passes = np.all(accept[:, vetoes], axis=1) if len(vetoes) else np.ones(len(x), bool)
        checks = tuple(
            VetoCheck(
                space.actor_ids[a],
                float(d_deal[-1, a]),
                float(d_none[a]),
                float(cost[a]),
                ds.basis[t][a],
                scenario.actors[a].name.model_dump(),
                _share(parts[0, a], _assumed_terms(scenario, space, t, int(a))),
            )
            for a in vetoes
        )
        by_model = {m: bool(passes[k]) for k, m in enumerate(names)}
        out.append(PointDeal(tr.id, tr.name.model_dump(), bool(passes[-1]), checks, by_model))
    return out


def _assumed_terms(scenario: Scenario, space: InputSpace, t: int, a: int) -> BoolArray:
    """Per issue, whether veto player a's no-deal term on track t is an assumption (a term not
    given is the status quo: an assumption too)."""
    oo = scenario.outside_option(space.actor_ids[a], scenario.tracks[t].id)
    given = {term.issue: term.basis for term in (oo.terms if oo is not None else [])}
    return np.array([given.get(i, "assumption") == "assumption" for i in space.issue_ids])


def _share(parts: FloatArray, which: BoolArray) -> float:
    """The share of a distance (its issues' terms `parts`) that the issues `which` make up."""
    total = float(parts.sum())
    return float(parts[which].sum() / total) if total > 0 else 0.0
