"""How much of each issue rests on explicit, inferred and assumed stances.

Each stance counts with its influence on the issue, capability × salience at the point values,
normalised per issue (a stance with no weight anywhere on the issue: equal shares). This is the
share that the compromise model's forecast owes to each basis, and the rule every output uses to
say how much of a forecast or an outcome probability rests on assumptions.
"""

from __future__ import annotations

import numpy as np

from qimma.scenario.arrays import FloatArray, stance_basis, stance_bounds
from qimma.scenario.model import Scenario

BASES = ("explicit", "inferred", "assumption")


def weighted_shares(
    weights: FloatArray, present: np.ndarray, basis: tuple[tuple[str, ...], ...], col: int
) -> dict[str, float]:
    """Shares of one issue (column `col` of the (A, I) arrays) by basis."""
    shares = dict.fromkeys(BASES, 0.0)
    held = [a for a in range(weights.shape[0]) if present[a, col]]
    total = float(sum(weights[a, col] for a in held))
    for a in held:
        share = weights[a, col] / total if total > 0 else 1.0 / len(held)
        shares[basis[a][col] or "assumption"] += float(share)
    return shares


def basis_shares(scenario: Scenario) -> dict[str, dict[str, float]]:
    """issue id -> {explicit, inferred, assumption} shares (they add up to 1; all 0 if no actor
    holds a stance on the issue)."""
    b = stance_bounds(scenario)
    frozen = stance_basis(scenario)
    w = b["capability"] * b["salience"]
    present = b["present"].astype(bool)
    return {iss.id: weighted_shares(w, present, frozen, k) for k, iss in enumerate(scenario.issues)}


def outcome_basis_shares(
    per_issue: dict[str, dict[str, float]], issues: list[str]
) -> dict[str, float]:
    """An outcome's shares: the mean over the issues its definition uses."""
    used = [per_issue[i] for i in issues if i in per_issue]
    if not used:
        return dict.fromkeys(BASES, 0.0)
    return {b: sum(u[b] for u in used) / len(used) for b in BASES}


def outside_option_shares(scenario: Scenario, track: str) -> list[dict[str, float]]:
    """One entry per veto player of `track`: the shares of its outside option by basis, its
    no-deal terms on the track's issues (a term not given is the status quo: an assumption) and
    its cost of no deal (the option's own basis) counting half each; no option: all assumption."""
    tr = next((t for t in scenario.tracks if t.id == track), None)
    if tr is None:
        return []
    out = []
    for actor in tr.veto_players:
        shares = dict.fromkeys(BASES, 0.0)
        oo = scenario.outside_option(actor, track)
        given = {term.issue: term.basis for term in (oo.terms if oo is not None else [])}
        for issue in tr.issues:
            shares[given.get(issue, "assumption")] += 0.5 / len(tr.issues)
        shares[oo.basis if oo is not None else "assumption"] += 0.5
        out.append(shares)
    return out
