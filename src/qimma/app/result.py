"""The one result of a run: what every surface renders, and its JSON form.

`RunResult.to_json()` is what the web app stores and `qimma forecast --json` prints (with the
Monte Carlo under "montecarlo"); `RunResult.from_json(data, scenario)` rebuilds everything a report
draws from it (the forecast, distributions, named outcomes, sensitivity, signposts, backtest), so
a report made later from a stored run shows exactly what the run computed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from qimma.analysis.deal import PointDeal, point_deal
from qimma.analysis.drift import Drift
from qimma.analysis.judgements import JudgementResult
from qimma.analysis.montecarlo import POOLED, IssueStats, MonteCarloResult
from qimma.analysis.outcomes import Confidence, OutcomeProbability
from qimma.analysis.sampling import input_space
from qimma.analysis.sensitivity import InputInfo, SensitivityResult
from qimma.analysis.signpost_events import EventEffect
from qimma.analysis.signposts import PivotalActor, Signpost
from qimma.analysis.whatif import WhatIfResult
from qimma.app.requests import RunRequest
from qimma.forecast import ENSEMBLE, Forecast
from qimma.models.base import ModelResult
from qimma.scenario.arrays import to_arrays
from qimma.scenario.model import Scenario


@dataclass
class RunResult:
    """Everything one run computed. Live analysis objects (`monte_carlo`, `whatif`) exist only in
    the process that ran it; the rest survives `to_json`/`from_json`."""

    scenario: Scenario
    request: RunRequest
    forecast: Forecast
    models: list[str]  # the models that ran
    issue_stats: list[IssueStats] | None = None  # per model and pooled; None: no Monte Carlo
    probabilities: list[OutcomeProbability] | None = None
    deal: dict[str, Any] | None = None  # the deal test per track (analysis.deal.deal_summary)
    judgements: list[JudgementResult] | None = None  # the seeds' judgements beside qimma's
    basis_shares: dict[str, dict[str, float]] | None = None  # per issue, of the sampled stances
    sensitivity: SensitivityResult | None = None
    signposts: list[Signpost] | None = None
    pivotal: list[PivotalActor] | None = None
    events: list[EventEffect] | None = None  # observable signpost events and what each moves
    drift: Drift | None = None  # oldest → newest edition of the scenario
    backtest: dict[str, Any] | None = None
    notes: dict[str, str] = field(default_factory=dict)  # section -> why it is empty
    monte_carlo: MonteCarloResult | None = None
    whatif: WhatIfResult | None = None
    whatif_json: dict[str, Any] | None = None

    @property
    def draws(self) -> int:
        return self.request.draws

    @property
    def seed(self) -> int:
        return self.request.seed

    def point_deal(self) -> list[PointDeal]:
        """Whether a deal happens at the point values: every track's veto players tested on this
        run's point forecast (the ensemble's terms, and each model's), analysis.deal.point_deal."""
        fc = self.forecast
        if not fc.results or not self.scenario.tracks:
            return []
        forecasts = {m: np.asarray(r.outcome, dtype=float)[0] for m, r in fc.results.items()}
        return point_deal(self.scenario, input_space(self.scenario), forecasts, fc.ensemble()[0])

    def point_json(self) -> dict[str, Any]:
        """The point forecast with its deal test: what `qimma forecast --json` prints."""
        return {**self.forecast.to_json(), "deal_test": [d.to_json() for d in self.point_deal()]}

    def pooled_stats(self) -> list[IssueStats]:
        return [s for s in self.issue_stats or [] if s.model == POOLED]

    def named_probabilities(self) -> dict[str, float]:
        """Named outcome id -> probability (pooled over models)."""
        return {p.outcome.id: p.probability for p in self.probabilities or []}

    def montecarlo_json(self) -> dict[str, Any] | None:
        if self.issue_stats is None:
            return None
        return {
            "scenario": self.scenario.id,
            "draws": self.request.draws,
            "seed": self.request.seed,
            "distribution": self.request.distribution.value,
            "models": self.models,
            "levers": [],
            "skipped": [{"model": m, "reason": r} for m, r in self.forecast.skipped.items()],
            "issues": [s.to_json() for s in self.issue_stats],
            "basis_shares": self.basis_shares,
            "outcomes": [p.to_json() for p in self.probabilities or []],
            "deal": self.deal,
            "judgements": [j.to_json() for j in self.judgements or []],
        }

    def to_json(self) -> dict[str, Any]:
        wi = self.whatif.to_json() if self.whatif is not None else self.whatif_json
        return {
            **self.point_json(),
            "kind": "whatif" if self.request.levers else "forecast",
            "request": self.request.to_json(),
            "models": self.models,
            "rounds": _rounds_json(self.forecast),
            "montecarlo": self.montecarlo_json(),
            "whatif": wi,
            "sensitivity": None if self.sensitivity is None else self.sensitivity.to_json(),
            "signposts": None
            if self.signposts is None
            else [s.to_json(self.scenario) for s in self.signposts],
            "pivotal_actors": None if self.pivotal is None else [p.to_json() for p in self.pivotal],
            "signpost_events": None
            if self.events is None
            else [e.to_json(self.scenario) for e in self.events],
            "drift": None if self.drift is None else self.drift.to_json(),
            "backtest": self.backtest,
            "notes": self.notes,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], scenario: Scenario) -> RunResult:
        req = RunRequest.from_json(data.get("request") or {})
        mc = data.get("montecarlo")
        sens = _sensitivity_of(data.get("sensitivity"))
        return cls(
            scenario=scenario,
            request=req,
            forecast=forecast_of(scenario, data),
            models=list(data.get("models") or []),
            issue_stats=None if mc is None else [_stats_of(s) for s in mc["issues"]],
            probabilities=None if mc is None else [_prob_of(scenario, p) for p in mc["outcomes"]],
            deal=None if mc is None else mc.get("deal"),
            judgements=None
            if mc is None
            else [JudgementResult.from_json(j, scenario) for j in mc.get("judgements", [])],
            basis_shares=None if mc is None else mc.get("basis_shares"),
            sensitivity=sens,
            signposts=None
            if data.get("signposts") is None
            else [_signpost_of(s, sens) for s in data["signposts"]],
            pivotal=None
            if data.get("pivotal_actors") is None
            else [
                PivotalActor(p["actor"], p["shift"], p["shift_by_model"])
                for p in data["pivotal_actors"]
            ],
            events=None
            if data.get("signpost_events") is None
            else [EventEffect.from_json(e, scenario) for e in data["signpost_events"]],
            drift=None if data.get("drift") is None else Drift.from_json(data["drift"], scenario),
            backtest=data.get("backtest"),
            notes=dict(data.get("notes") or {}),
            whatif_json=data.get("whatif"),
        )


def _rounds_json(fc: Forecast) -> dict[str, list[Any]]:
    """Every actor's position by round (draw 0) of each dynamic model: the rounds chart."""
    return {
        name: np.asarray(res.positions[0]).tolist()
        for name, res in fc.results.items()
        if res.positions is not None and res.rounds is not None and res.rounds.shape[1] > 1
    }


def forecast_of(scenario: Scenario, result: dict[str, Any]) -> Forecast:
    """The Forecast a run computed (draw 0 of each model), from its stored JSON."""
    issue_index = {issue.id: k for k, issue in enumerate(scenario.issues)}
    n_issues = len(scenario.issues)
    outcomes: dict[str, np.ndarray] = {}
    trajectories: dict[str, dict[int, list[float]]] = {}
    for row in result.get("forecasts", []):
        model, k = row["model"], issue_index.get(row["issue"])
        if model == ENSEMBLE or k is None:
            continue
        outcomes.setdefault(model, np.full((1, n_issues), np.nan))[0, k] = float(row["outcome"])
        if row.get("trajectory"):
            trajectories.setdefault(model, {})[k] = [float(x) for x in row["trajectory"]]
    positions = result.get("rounds") or {}
    fc = Forecast(scenario, to_arrays(scenario))
    for model, outcome in outcomes.items():
        rounds = None
        traj = trajectories.get(model)
        if traj and len(traj) == n_issues:
            length = max(len(t) for t in traj.values())
            rounds = np.empty((1, length, n_issues))
            for k, t in traj.items():  # a shorter one stopped early: it stays at its last value
                rounds[0, :, k] = t + [t[-1]] * (length - len(t))
        pos = np.asarray(positions[model], dtype=float)[None] if model in positions else None
        fc.results[model] = ModelResult(model=model, outcome=outcome, rounds=rounds, positions=pos)
    for s in result.get("skipped", []):
        fc.skipped[s["model"]] = s["reason"]
    return fc


def _stats_of(s: dict[str, Any]) -> IssueStats:
    return IssueStats(
        issue=s["issue"],
        model=s["model"],
        mean=s["mean"],
        median=s["median"],
        q10=s["interval_80"][0],
        q25=s["interval_50"][0],
        q75=s["interval_50"][1],
        q90=s["interval_80"][1],
        hist_edges=s["histogram"]["edges"],
        hist_counts=s["histogram"]["counts"],
    )


def _prob_of(scenario: Scenario, p: dict[str, Any]) -> OutcomeProbability:
    c = p["confidence"]
    return OutcomeProbability(
        outcome=next(o for o in scenario.outcomes if o.id == p["id"]),
        probability=p["probability"],
        low=p["interval_90"][0],
        high=p["interval_90"][1],
        by_model=p["by_model"],
        confidence=Confidence(
            c["level"],
            c["score"],
            c["shares"],
            c["lowered_for_disagreement"],
            bool(c.get("low_for_reachability", False)),
        ),
        overlap=p["track_overlap"],
        drivers=list(p.get("drivers") or []),
    )


def _sensitivity_of(d: dict[str, Any] | None) -> SensitivityResult | None:
    if d is None:
        return None
    inputs = [
        InputInfo(
            x.get("column", k),
            x["field"],
            x["actor"],
            x["issue"],
            x["low"],
            x["point"],
            x["high"],
            x["basis"],
            x.get("track", ""),
        )
        for k, x in enumerate(d["inputs"])
    ]
    return SensitivityResult(
        d["method"],
        d["n"],
        d["evaluations"],
        d["models"],
        inputs,
        d["indices"],
        d["constant_outputs"],
    )


def _signpost_of(s: dict[str, Any], sens: SensitivityResult | None) -> Signpost:
    by_id = {x.id: x for x in (sens.inputs if sens is not None else [])}
    return Signpost(
        track=s["track"],
        input=by_id[s["input"]],
        direction=s["direction"],
        threshold=s["threshold"],
        plausibility=s["plausibility"],
        leader=s["leader"],
        new_leader=s["new_leader"],
        p_leader_at_end=s["p_leader_at_end"],
        p_new_at_end=s["p_new_at_end"],
        kind=s["kind"],
        p_leader_base=s.get("p_leader_base", 0.0),
    )
