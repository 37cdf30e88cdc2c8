"""Named outcomes: which draws land in them, how likely they are, and how much to trust that.

Pooling. A named outcome holds in a draw when every condition on the issue outcomes holds. Its
probability under one model is the share of draws where it holds; qimma's probability is the
unweighted mean over models (each model counts once, whatever its number of draws).

Interval. A two-level bootstrap, 4,000 replicates: resample the models with replacement (model
disagreement), and for each resampled model draw its probability from the Jeffreys posterior
Beta(k + 1/2, n - k + 1/2) of its k hits in n draws (Monte Carlo error; it never collapses to a
zero-width interval when k = 0 or k = n). The 5th and 95th percentiles form the 90% interval.

Residual outcomes. An outcome without conditions holds when no other outcome of its track holds.
Outcomes of a track are meant to be exclusive; `overlap` reports the share of draws where two or
more of them hold at once, so that a badly drawn set of conditions is visible.

Confidence (low / moderate / high) is separate from probability: see :func:`confidence`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from qimma import i18n
from qimma.analysis import icd203
from qimma.analysis.deal import DrawContext, TrackState, final_state, gains, track_states
from qimma.analysis.sampling import InputSpace
from qimma.scenario.arrays import BoolArray, FloatArray
from qimma.scenario.basis import outcome_basis_shares, outside_option_shares, weighted_shares
from qimma.scenario.model import NamedOutcome, Scenario, TextualEstimate

N_BOOT = 4000
BASIS_QUALITY = {"explicit": 1.0, "inferred": 0.5, "assumption": 0.0}
HIGH_SCORE = 0.6
MODERATE_SCORE = 0.35
UNREACHED = 0.05  # below this share in every model, confidence is low (docs/analysis.md)
DISAGREEMENT = 0.30  # max - min of the models' probabilities that lowers confidence one level
LEVELS = ("low", "moderate", "high")
_QUOTE = re.compile(r"«[^»]*»")


def seeds_words(te: TextualEstimate, lang: str) -> str:
    """The seeds' own estimate for a reader of `lang`: in English the analyst's gloss as written
    (Arabic quotes with their English reading); in Arabic the quoted Arabic words alone, with the
    ICD-203 band of the seeds' range when one is given. The gloss is English and is never shown
    to an Arabic reader."""
    if lang != "ar":
        return f"“{te.wording}”"
    text = quoted_words(te.wording, lang)
    if te.low_pct is not None and te.high_pct is not None:
        band = icd203.wording(min((te.low_pct + te.high_pct) / 200, 1.0), lang)
        text = f"{text} ({band})" if text else band
    return text or i18n.t("common.no_band", lang)


def quoted_words(wording: str, lang: str) -> str:
    """The seeds' estimative words for a reader of `lang`: as written in English; in Arabic only
    the quoted Arabic words («…»), without the English gloss beside them."""
    if lang != "ar":
        return wording
    return i18n.t("common.list_sep", lang).join(_QUOTE.findall(wording))


def outcome_issues(scenario: Scenario, oc: NamedOutcome) -> list[str]:
    """Issues an outcome depends on; a residual depends on its track's other outcomes' issues."""
    if oc.conditions:
        return list(dict.fromkeys(c.issue for c in oc.conditions))
    return list(
        dict.fromkeys(
            c.issue
            for o in scenario.outcomes
            if o.track == oc.track and o.id != oc.id
            for c in o.conditions
        )
    )


def _conditions_hold(scenario: Scenario, oc: NamedOutcome, x: FloatArray) -> BoolArray:
    i_ix = {iss.id: k for k, iss in enumerate(scenario.issues)}
    ok = np.ones(x.shape[0], dtype=bool)
    for c in oc.conditions:
        v = x[:, i_ix[c.issue]]
        if c.min is not None:
            ok &= v >= c.min
        if c.max is not None:
            ok &= v <= c.max
    return ok


@dataclass
class Evaluation:
    """One model's draws read as named outcomes: the hits, and what the deal test saw."""

    hits: dict[str, BoolArray]
    states: dict[str, TrackState]
    final: FloatArray  # (N, I) where each issue ends (track state, else the forecast)
    ctx: DrawContext | None
    _gains: tuple[BoolArray, BoolArray] | None = field(default=None, repr=False)

    def gains(self) -> tuple[BoolArray, BoolArray]:
        """Per draw and actor: better off than at the status quo where things end, worse off
        (deal.gains on `final`; computed once, read by every judgement)."""
        assert self.ctx is not None
        if self._gains is None:
            self._gains = gains(self.ctx, self.final)
        return self._gains


def evaluate(
    scenario: Scenario, values: FloatArray, ctx: DrawContext | None = None, model: str = ""
) -> Evaluation:
    """For forecasts `values` (N, I) of one model: does each named outcome hold in each row?

    Without a context (or on a track the scenario does not declare) outcomes are read on the
    forecast terms alone; with one, the model's error is added and declared tracks go through
    the deal test (analysis/deal.py): the first outcome in file order whose `requires` and
    conditions hold on the track's state is the one that happens."""
    x = ctx.forecast(model, values) if ctx is not None else values
    states = track_states(ctx, x) if ctx is not None else {}
    n = x.shape[0]
    hit: dict[str, BoolArray] = {}
    for track in tracks(scenario):
        ocs = [o for o in scenario.outcomes if o.track == track]
        st = states.get(track)
        if st is None:
            for oc in ocs:
                if oc.conditions:
                    hit[oc.id] = _conditions_hold(scenario, oc, x)
            others = [hit[o.id] for o in ocs if o.conditions]
            for oc in ocs:
                if not oc.conditions:
                    hit[oc.id] = ~np.any(others, axis=0) if others else np.ones(n, dtype=bool)
            continue
        taken = np.zeros(n, dtype=bool)
        for oc in ocs:
            req = {"any": np.ones(n, dtype=bool), "deal": st.deal, "breakdown": ~st.deal}
            ok = req[oc.requires] & _conditions_hold(scenario, oc, st.state) & ~taken
            hit[oc.id] = ok
            taken |= ok
    final = final_state(ctx, x, states) if ctx is not None else x
    return Evaluation({oc.id: hit[oc.id] for oc in scenario.outcomes}, states, final, ctx)


def indicators(
    scenario: Scenario, values: FloatArray, ctx: DrawContext | None = None, model: str = ""
) -> dict[str, BoolArray]:
    """For outcome values shaped (N, I): does each named outcome hold in each row?"""
    return evaluate(scenario, values, ctx, model).hits


def track_overlap(scenario: Scenario, hits: dict[str, BoolArray]) -> dict[str, float]:
    """Per track, the share of rows where two or more outcomes with conditions hold."""
    out: dict[str, float] = {}
    for track in tracks(scenario):
        cols = [hits[o.id] for o in scenario.outcomes if o.track == track and o.conditions]
        if cols:
            out[track] = float((np.sum(cols, axis=0) >= 2).mean())
    return out


def tracks(scenario: Scenario) -> list[str]:
    return list(dict.fromkeys(o.track for o in scenario.outcomes))


def pooled_interval(
    hits_by_model: list[int], n: int, seed: int, n_boot: int = N_BOOT
) -> tuple[float, float]:
    """90% interval of the mean over models of each model's hit rate (see module docstring)."""
    k = np.asarray(hits_by_model, dtype=float)
    m = len(k)
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(0xB007,)))
    pick = rng.integers(0, m, size=(n_boot, m))
    p = rng.beta(k[pick] + 0.5, n - k[pick] + 0.5)
    rep = p.mean(axis=1)
    lo, hi = np.quantile(rep, [0.05, 0.95])
    return float(lo), float(hi)


@dataclass
class Confidence:
    level: str  # low | moderate | high
    score: float  # 0..1, weighted share of evidence quality
    shares: dict[str, float]  # explicit / inferred / assumption, weighted by influence
    lowered_for_disagreement: bool
    unreached: bool = False  # no model reaches the outcome in UNREACHED of its draws

    def label(self, lang: str) -> str:
        return i18n.t(f"confidence.{self.level}", lang)

    def to_json(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "level_ar": self.label("ar"),
            "score": self.score,
            "shares": self.shares,
            "lowered_for_disagreement": self.lowered_for_disagreement,
            "low_for_reachability": self.unreached,
        }


def evidence_shares(
    space: InputSpace, issues: list[str], options: list[dict[str, float]] | None = None
) -> dict[str, float]:
    """Share of explicit / inferred / assumption stances on these issues, each stance weighted by
    its influence (capability × salience at the point values, normalised per issue) and each
    issue counted equally (the rule of qimma.scenario.basis); `options`, the outside options of
    the veto players an outcome's deal test reads (scenario.basis.outside_option_shares), count
    as one more entry each."""
    i_ix = {i: k for k, i in enumerate(space.issue_ids)}
    w = space.point["capability"] * space.point["salience"] * space.present
    per = {i: weighted_shares(w, space.present, space.basis, i_ix[i]) for i in issues if i in i_ix}
    per.update({f"outside option {k}": shares for k, shares in enumerate(options or [])})
    return outcome_basis_shares(per, list(per))


def confidence(
    space: InputSpace,
    issues: list[str],
    by_model: list[float],
    options: list[dict[str, float]] | None = None,
) -> Confidence:
    """Confidence rule (docs/analysis.md):

    score = explicit share + 0.5 × inferred share (assumptions count 0);
    high if score >= 0.6, moderate if >= 0.35, else low; then one level lower when the models
    disagree by more than 0.30 in probability (max - min), because agreement of methods is part of
    what ICD-203 confidence expresses; and low when no model reaches the outcome in 5% of its
    draws, because then its smallness may be the models' limit rather than a fact about the
    world ("almost no chance" is never said with high confidence about an unreached outcome);
    and at most moderate when the pooled probability is under 5% ("almost no chance" is never
    said with high confidence at all: with few assumptions left, evidence alone could make it
    high)."""
    shares = evidence_shares(space, issues, options)
    score = sum(BASIS_QUALITY[b] * s for b, s in shares.items())
    level = 2 if score >= HIGH_SCORE else 1 if score >= MODERATE_SCORE else 0
    lowered = bool(by_model) and (max(by_model) - min(by_model)) > DISAGREEMENT and level > 0
    if lowered:
        level -= 1
    unreached = bool(by_model) and max(by_model) < UNREACHED
    if unreached:
        level = 0
    elif by_model and sum(by_model) / len(by_model) < UNREACHED:
        level = min(level, 1)
    return Confidence(LEVELS[level], float(score), shares, lowered, unreached)


@dataclass
class OutcomeProbability:
    outcome: NamedOutcome
    probability: float
    low: float
    high: float
    by_model: dict[str, float]
    confidence: Confidence
    overlap: float  # share of draws where this outcome's track has overlapping outcomes
    drivers: list[dict[str, Any]] = field(default_factory=list)  # judgements.outcome_drivers

    def wording(self, lang: str) -> str:
        return icd203.wording(self.probability, lang)

    def seed_agreement(self) -> str | None:
        """'agrees', 'higher' or 'lower': qimma's probability against the seeds' band."""
        te = self.outcome.textual_estimate
        if te is None:
            return None
        return icd203.agreement(self.probability, te.low_pct, te.high_pct)

    def to_json(self) -> dict[str, Any]:
        b = icd203.band(self.probability)
        te = self.outcome.textual_estimate
        return {
            "id": self.outcome.id,
            "track": self.outcome.track,
            "name": self.outcome.name.model_dump(),
            "probability": self.probability,
            "interval_90": [self.low, self.high],
            "by_model": self.by_model,
            "icd203": {"band": b.key, "en": b.en, "ar": b.ar},
            "icd203_interval": {
                "en": icd203.wording_range(self.low, self.high, "en"),
                "ar": icd203.wording_range(self.low, self.high, "ar"),
            },
            "confidence": self.confidence.to_json(),
            "track_overlap": self.overlap,
            "drivers": self.drivers,
            "seeds_estimate": None
            if te is None
            else {
                "wording": te.wording,
                "evidence": te.evidence,
                "low_pct": te.low_pct,
                "high_pct": te.high_pct,
                "qimma_vs_seeds": self.seed_agreement(),
            },
        }


def probabilities_by_model(
    scenario: Scenario, outcomes: dict[str, FloatArray]
) -> dict[str, dict[str, float]]:
    """outcome id -> model -> share of draws where it holds."""
    per: dict[str, dict[str, float]] = {oc.id: {} for oc in scenario.outcomes}
    for m, vals in outcomes.items():
        for oid, h in indicators(scenario, vals).items():
            per[oid][m] = float(h.mean())
    return per


def outcome_probabilities(
    scenario: Scenario,
    space: InputSpace,
    evaluated: dict[str, Evaluation] | dict[str, FloatArray],
    seed: int,
) -> list[OutcomeProbability]:
    """Pooled probabilities, intervals and confidence of every named outcome, from each model's
    evaluated draws (:func:`evaluate`); plain forecasts are read on their terms alone."""
    from qimma.analysis.judgements import outcome_drivers  # it imports this module

    evals = {
        m: v if isinstance(v, Evaluation) else evaluate(scenario, v) for m, v in evaluated.items()
    }
    models = list(evals)
    hits = {m: evals[m].hits for m in models}
    n = next(iter(evals.values())).final.shape[0]
    overlap_by_track: dict[str, float] = {}
    for m in models:
        for t, v in track_overlap(scenario, hits[m]).items():
            overlap_by_track[t] = max(overlap_by_track.get(t, 0.0), v)
    out = []
    for k, oc in enumerate(scenario.outcomes):
        counts = [int(hits[m][oc.id].sum()) for m in models]
        by_model = {m: c / n for m, c in zip(models, counts, strict=True)}
        p = float(np.mean(list(by_model.values())))
        lo, hi = pooled_interval(counts, n, seed + k)
        lo, hi = min(lo, p), max(hi, p)
        # an outcome of a track with veto players is read through the deal test: the outside
        # options it reads rest on their own evidence, counted beside the stances
        options = outside_option_shares(scenario, oc.track) if space.deal is not None else []
        conf = confidence(space, outcome_issues(scenario, oc), list(by_model.values()), options)
        out.append(
            OutcomeProbability(
                oc,
                p,
                lo,
                hi,
                by_model,
                conf,
                overlap_by_track.get(oc.track, 0.0),
                outcome_drivers(scenario, oc, evals),
            )
        )
    return out
