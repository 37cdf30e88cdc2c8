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
from dataclasses import dataclass
from typing import Any

import numpy as np

from qimma import i18n
from qimma.analysis import icd203
from qimma.analysis.sampling import InputSpace
from qimma.scenario.arrays import BoolArray, FloatArray
from qimma.scenario.model import NamedOutcome, Scenario, TextualEstimate

N_BOOT = 4000
BASIS_QUALITY = {"explicit": 1.0, "inferred": 0.5, "assumption": 0.0}
HIGH_SCORE = 0.6
MODERATE_SCORE = 0.35
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
    quotes = _QUOTE.findall(te.wording)
    text = i18n.t("common.list_sep", lang).join(quotes)
    if te.low_pct is not None and te.high_pct is not None:
        band = icd203.wording(min((te.low_pct + te.high_pct) / 200, 1.0), lang)
        text = f"{text} ({band})" if text else band
    return text or i18n.t("common.no_band", lang)


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


def indicators(scenario: Scenario, values: FloatArray) -> dict[str, BoolArray]:
    """For outcome values shaped (N, I): does each named outcome hold in each row?"""
    i_ix = {iss.id: k for k, iss in enumerate(scenario.issues)}
    n = values.shape[0]
    hit: dict[str, BoolArray] = {}
    for oc in scenario.outcomes:
        if not oc.conditions:
            continue
        ok = np.ones(n, dtype=bool)
        for c in oc.conditions:
            x = values[:, i_ix[c.issue]]
            if c.min is not None:
                ok &= x >= c.min
            if c.max is not None:
                ok &= x <= c.max
        hit[oc.id] = ok
    for oc in scenario.outcomes:
        if oc.conditions:
            continue
        others = [hit[o.id] for o in scenario.outcomes if o.track == oc.track and o.conditions]
        hit[oc.id] = ~np.any(others, axis=0) if others else np.ones(n, dtype=bool)
    return {oc.id: hit[oc.id] for oc in scenario.outcomes}


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

    def label(self, lang: str) -> str:
        return i18n.t(f"confidence.{self.level}", lang)

    def to_json(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "level_ar": self.label("ar"),
            "score": self.score,
            "shares": self.shares,
            "lowered_for_disagreement": self.lowered_for_disagreement,
        }


def evidence_shares(space: InputSpace, issues: list[str]) -> dict[str, float]:
    """Share of explicit / inferred / assumption stances on these issues, each stance weighted by
    its influence (capability × salience at the point values, normalised per issue) and each
    issue counted equally."""
    shares = dict.fromkeys(BASIS_QUALITY, 0.0)
    i_ix = {i: k for k, i in enumerate(space.issue_ids)}
    cols = [i_ix[i] for i in issues if i in i_ix]
    if not cols:
        return shares
    w = space.point["capability"] * space.point["salience"] * space.present
    for i in cols:
        total = w[:, i].sum()
        for a in range(len(space.actor_ids)):
            if not space.present[a, i]:
                continue
            share = w[a, i] / total if total > 0 else 1.0 / max(1, space.present[:, i].sum())
            shares[space.basis[a][i] or "assumption"] += share / len(cols)
    return shares


def confidence(space: InputSpace, issues: list[str], by_model: list[float]) -> Confidence:
    """Confidence rule (docs/analysis.md):

    score = explicit share + 0.5 × inferred share (assumptions count 0);
    high if score >= 0.6, moderate if >= 0.35, else low; then one level lower when the models
    disagree by more than 0.30 in probability (max - min), because agreement of methods is part of
    what ICD-203 confidence expresses."""
    shares = evidence_shares(space, issues)
    score = sum(BASIS_QUALITY[b] * s for b, s in shares.items())
    level = 2 if score >= HIGH_SCORE else 1 if score >= MODERATE_SCORE else 0
    lowered = bool(by_model) and (max(by_model) - min(by_model)) > DISAGREEMENT and level > 0
    if lowered:
        level -= 1
    return Confidence(LEVELS[level], float(score), shares, lowered)


@dataclass
class OutcomeProbability:
    outcome: NamedOutcome
    probability: float
    low: float
    high: float
    by_model: dict[str, float]
    confidence: Confidence
    overlap: float  # share of draws where this outcome's track has overlapping outcomes

    def wording(self, lang: str) -> str:
        return icd203.wording(self.probability, lang)

    def seed_agreement(self) -> str | None:
        """'agrees', 'higher' or 'lower': qimma's probability against the seeds' band."""
        te = self.outcome.textual_estimate
        if te is None or te.low_pct is None or te.high_pct is None:
            return None
        pct = 100 * self.probability
        if pct < te.low_pct:
            return "lower"
        if pct > te.high_pct:
            return "higher"
        return "agrees"

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
    scenario: Scenario, space: InputSpace, outcomes: dict[str, FloatArray], seed: int
) -> list[OutcomeProbability]:
    models = list(outcomes)
    hits = {m: indicators(scenario, outcomes[m]) for m in models}
    n = next(iter(outcomes.values())).shape[0]
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
        conf = confidence(space, outcome_issues(scenario, oc), list(by_model.values()))
        out.append(
            OutcomeProbability(oc, p, lo, hi, by_model, conf, overlap_by_track.get(oc.track, 0.0))
        )
    return out
