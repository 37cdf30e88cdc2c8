"""Capabilities of the DEU actors: Council voting weights by treaty period, or GDP.

Sources (see `qimma/data/deu3/README.md` and docs/backtest.md):

- pre-Nice (to 30 April 2004): Art. 205(2) TEC, EU-15, 87 votes;
- accession period (1 May - 31 October 2004): Act of Accession 2003, Art. 26, 124 votes;
- Nice (1 November 2004 - 31 October 2014): Protocol on enlargement as amended by the Acts of
  Accession 2005 and 2012, 345 votes (EU-27) and 352 with Croatia;
- Lisbon double majority (from 1 November 2014): approximated by each state's share of the Union's
  population, as in the voting-power literature; the shares of the Council's 2016 figures
  (Council Decision (EU, Euratom) 2015/2393, Annex III to the Council's Rules of Procedure).

The Commission and the Parliament carry "documented weights" (a choice, stated here and in the docs,
fixed before any look at the test issues): the Commission weighs as much as the largest member state
of the period (it drafts the text and under QMV only unanimity can amend it, Art. 293 TFEU); the
Parliament likewise under codecision (COD, a co-legislator) and 0 under consultation (CNS, where its
opinion does not bind). This is the "Council-centric" reading that fits DEU data best in Thomson &
Hosli (2006), where the supranational actors are not weighted above the Council's members.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from importlib import resources
from typing import Literal

import numpy as np

from qimma.backtest.deu3 import ACTORS, Deu3
from qimma.scenario.arrays import FloatArray

Capability = Literal["votes", "gdp"]
PERIODS = ("pre_nice", "accession_2004", "nice", "lisbon")
ACCESSION_2004 = dt.date(2004, 5, 1)
NICE_START = dt.date(2004, 11, 1)
LISBON_QMV_START = dt.date(2014, 11, 1)


@dataclass(frozen=True)
class CouncilWeights:
    """Member-state weight per period; 0 where a state was not (yet) a member."""

    by_period: dict[str, dict[str, float]]

    def weight(self, period: str, actor: str) -> float:
        return self.by_period[period].get(actor, 0.0)

    def largest(self, period: str) -> float:
        return max(self.by_period[period].values())


def load_council_weights() -> CouncilWeights:
    text = resources.files("qimma.data.deu3").joinpath("council_weights.csv").read_text("utf-8")
    table: dict[str, dict[str, float]] = {p: {} for p in PERIODS}
    for row in csv.DictReader(io.StringIO(text)):
        for p in PERIODS:
            table[p][row["actor"]] = float(row[p])
    return CouncilWeights(table)


def treaty_period(date: dt.date | None) -> str:
    """The Council voting rule in force on `date` (pre-Nice when unknown: the oldest proposals)."""
    if date is None or date < ACCESSION_2004:
        return "pre_nice"
    if date < NICE_START:
        return "accession_2004"
    if date < LISBON_QMV_START:
        return "nice"
    return "lisbon"


def institution_weight(actor: str, proc: str, largest: float) -> float:
    """The Commission's and the Parliament's weight (see the module docstring)."""
    if actor == "com":
        return largest
    if actor == "ep":
        return largest if proc.upper() == "COD" else 0.0
    raise ValueError(actor)


def capability_matrix(data: Deu3, kind: Capability = "votes") -> FloatArray:
    """Capabilities (A, I) for every actor and issue of `data`."""
    n_a, n_i = len(ACTORS), data.n_issues
    if kind == "gdp":
        return np.repeat(data.gdp[:, None], n_i, axis=1)
    if kind != "votes":
        raise ValueError(f"unknown capability '{kind}'")
    table = load_council_weights()
    out = np.zeros((n_a, n_i))
    for i, issue in enumerate(data.issues):
        period = treaty_period(issue.date)
        big = table.largest(period)
        for a, actor in enumerate(ACTORS):
            if actor in ("com", "ep"):
                out[a, i] = institution_weight(actor, issue.proc, big)
            else:
                out[a, i] = table.weight(period, actor)
    return out
