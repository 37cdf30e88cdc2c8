"""A two-actor deal scenario shared by the deal and sensitivity tests (on tests/_scenarios)."""

from __future__ import annotations

from qimma.scenario.model import Scenario
from tests._scenarios import one_issue, stance


def fixed(v: float) -> dict[str, float]:
    return {"value": v, "low": v, "high": v}


def two_actor(
    terms_b: float,
    cost_b: float | dict[str, float] = 0.0,
    veto: list[str] | None = None,
    outcomes: bool = False,
) -> Scenario:
    """A on 0, B on 100 of one issue; both veto players of track t. B's cost of no deal is fixed
    at `cost_b`, or an Estimate given as a dict. With `outcomes`: the named outcomes "deal" and
    "no_deal" of track t (a deal, or a breakdown, whatever the terms)."""
    return one_issue(
        "toy",
        [stance(a, {"value": p}, 50, 1) for a, p in (("A", 0), ("B", 100))],
        tracks=[
            {"id": "t", "name": {"en": "t"}, "issues": ["X"], "veto_players": veto or ["A", "B"]}
        ],
        # low = high: fixed values (written without a range they would be sampled in the
        # default range, analysis/deal.py)
        outside_options=[
            {"actor": "A", "track": "t", "terms": [{"issue": "X", "value": fixed(60)}]},
            {
                "actor": "B",
                "track": "t",
                "terms": [{"issue": "X", "value": fixed(terms_b)}],
                "cost": cost_b if isinstance(cost_b, dict) else fixed(cost_b),
            },
        ],
        outcomes=[
            {"id": oid, "name": {"en": oid}, "track": "t", "requires": req}
            for oid, req in (("deal", "deal"), ("no_deal", "breakdown"))
        ]
        if outcomes
        else [],
    )
