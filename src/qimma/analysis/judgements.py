"""The texts' own judgements beside qimma's numbers, and which inputs drive a difference.

For a named outcome or a judgement, qimma's probability is compared with the band of the texts'
estimative words (ICD-203): inside it they agree, else qimma is higher or lower. The drivers are
read off the same draws, pooled over models with equal weight: how often each veto player
rejects the package (its outside option is worth more to it than the forecast terms), how often
every veto player accepts, and how often each of the outcome's conditions fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from qimma.analysis import icd203
from qimma.analysis.icd203 import agreement
from qimma.analysis.outcomes import Evaluation
from qimma.scenario.model import Judgement, NamedOutcome, Scenario

TOP_DRIVERS = 3


def _mean(values: list[float]) -> float:
    return float(np.mean(values)) if values else 0.0


def outcome_drivers(
    scenario: Scenario, oc: NamedOutcome, evals: dict[str, Evaluation]
) -> list[dict[str, Any]]:
    """The inputs behind an outcome's probability, largest share first (module docstring)."""
    out: list[dict[str, Any]] = []
    states = [e.states[oc.track] for e in evals.values() if oc.track in e.states]
    if states:
        out.append({"kind": "deal", "share": _mean([float(s.deal.mean()) for s in states])})
        for actor in states[0].rejects:
            share = _mean([float(s.rejects[actor].mean()) for s in states])
            out.append({"kind": "veto_rejects", "actor": actor, "share": share})
    i_ix = {iss.id: k for k, iss in enumerate(scenario.issues)}
    for c in oc.conditions:
        fails = []
        for e in evals.values():
            st = e.states.get(oc.track)
            x = (st.state if st is not None else e.final)[:, i_ix[c.issue]]
            bad = np.zeros(x.shape, dtype=bool)
            if c.min is not None:
                bad |= x < c.min
            if c.max is not None:
                bad |= x > c.max
            fails.append(float(bad.mean()))
        out.append(
            {"kind": "condition_fails", "issue": c.issue, "min": c.min, "max": c.max,
             "share": _mean(fails)}
        )  # fmt: skip
    return sorted(out, key=lambda d: -d["share"])[:TOP_DRIVERS]


def driver_text(d: dict[str, Any], lang: str, names: dict[str, str] | None = None) -> str:
    """One driver in words; `names` gives actors' names by id (else the id)."""
    pct = f"{100 * d['share']:.0f}%"
    if d["kind"] == "deal":
        if lang == "ar":
            return f"يقبل كل لاعبي الفيتو الحزمة في {pct} من السحبات"
        return f"every veto player accepts the package in {pct} of draws"
    if d["kind"] == "veto_rejects":
        who = (names or {}).get(d["actor"], d["actor"])
        if lang == "ar":
            return f"يرفض {who} الحزمة (بديله التفاوضي أفضل) في {pct} من السحبات"
        return f"{who} rejects the package (its outside option is worth more) in {pct}"
    lo, hi, issue = d.get("min"), d.get("max"), d["issue"]
    if lo is not None and hi is not None:
        cond = f"{lo:g} ≤ {issue} ≤ {hi:g}"
    else:
        cond = f"{issue} ≥ {lo:g}" if lo is not None else f"{issue} ≤ {hi:g}"
    if lang == "ar":  # a left-to-right isolate: the relation is read in its own direction
        return f"الشرط \u2066{cond}\u2069 لا يتحقق في {pct} من السحبات"
    return f"condition {cond} fails in {pct} of draws"


@dataclass
class JudgementResult:
    judgement: Judgement
    probability: float | None  # None: not modelled, or the condition never holds
    by_model: dict[str, float]

    def agreement(self) -> str | None:
        if self.probability is None:
            return None
        return agreement(self.probability, self.judgement.low_pct, self.judgement.high_pct)

    def to_json(self) -> dict[str, Any]:
        j = self.judgement
        p = self.probability
        return {
            "id": j.id,
            "statement": j.statement.model_dump(),
            "wording": j.wording,
            "evidence": j.evidence,
            "seeds_band_pct": None if j.low_pct is None else [j.low_pct, j.high_pct],
            "modelled": j.modelled,
            "note": j.note,
            "probability": p,
            "by_model": self.by_model,
            "icd203": None
            if p is None
            else {"en": icd203.wording(p, "en"), "ar": icd203.wording(p, "ar")},
            "qimma_vs_seeds": self.agreement(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], scenario: Scenario) -> JudgementResult:
        """Back from `to_json`: the judgement is the scenario's own (by id)."""
        j = next(x for x in scenario.judgements if x.id == data["id"])
        return cls(j, data["probability"], dict(data["by_model"]))


def judgement_results(scenario: Scenario, evals: dict[str, Evaluation]) -> list[JudgementResult]:
    """qimma's probability for each of the scenario's judgements (see Judgement)."""
    a_ix = {a.id: k for k, a in enumerate(scenario.actors)}
    out = []
    for j in scenario.judgements:
        if not j.modelled:
            out.append(JudgementResult(j, None, {}))
            continue
        by_model: dict[str, float] = {}
        for m, e in evals.items():
            n = next(iter(e.hits.values())).shape[0] if e.hits else e.final.shape[0]
            ok = np.ones(n, dtype=bool)
            if j.outcomes:
                ok &= np.any([e.hits[o] for o in j.outcomes], axis=0)
            if (j.gains or j.losses) and e.ctx is not None:
                better, worse = e.gains()
                for a in j.gains:
                    ok &= better[:, a_ix[a]]
                for a in j.losses:
                    ok &= worse[:, a_ix[a]]
            if j.backs_down and j.track is not None and j.track in e.states:
                st = e.states[j.track]
                ok &= np.any([st.backs_down[a] for a in j.backs_down], axis=0)
            cond = np.any([e.hits[o] for o in j.given], axis=0) if j.given else np.ones(n, bool)
            if cond.sum() > 0:
                by_model[m] = float((ok & cond).sum() / cond.sum())
        p = _mean(list(by_model.values())) if by_model else None
        out.append(JudgementResult(j, p, by_model))
    return out
