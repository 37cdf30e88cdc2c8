"""Council voting weights by treaty period, the institutions' weights, and GDP."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from qimma.backtest.capabilities import (
    capability_matrix,
    institution_weight,
    load_council_weights,
    treaty_period,
)
from qimma.backtest.deu3 import ACTORS, load_deu3


def test_vote_totals_match_the_treaties():
    w = load_council_weights().by_period
    assert sum(w["pre_nice"].values()) == 87  # Art. 205(2) TEC, EU-15; QMV 62 of 87
    assert sum(w["accession_2004"].values()) == 124  # Act of Accession 2003, Art. 26
    assert sum(w["nice"].values()) == 345 + 7  # EU-27 345 votes, Croatia 7 from July 2013
    assert sum(w["lisbon"].values()) == pytest.approx(100.0, abs=0.05)  # population shares
    assert w["nice"]["de"] == 29 and w["nice"]["pl"] == 27 and w["nice"]["mt"] == 3
    assert w["pre_nice"]["lu"] == 2 and w["pre_nice"]["pl"] == 0


@pytest.mark.parametrize(
    ("date", "period"),
    [
        (dt.date(2001, 5, 30), "pre_nice"),
        (dt.date(2004, 4, 30), "pre_nice"),
        (dt.date(2004, 5, 1), "accession_2004"),
        (dt.date(2004, 10, 31), "accession_2004"),
        (dt.date(2004, 11, 1), "nice"),
        (dt.date(2014, 10, 31), "nice"),
        (dt.date(2014, 11, 1), "lisbon"),
        (None, "pre_nice"),
    ],
)
def test_treaty_period_boundaries(date, period):
    assert treaty_period(date) == period


def test_institution_weights():
    assert institution_weight("com", "CNS", 29.0) == 29.0
    assert institution_weight("ep", "COD", 29.0) == 29.0
    assert institution_weight("ep", "CNS", 29.0) == 0.0


def test_every_member_state_with_a_position_has_a_vote():
    d = load_deu3()
    cap = capability_matrix(d, "votes")
    states = [a not in ("com", "ep") for a in ACTORS]
    # a state stating a position must have been a member under the treaty of the issue's date
    assert not np.any((cap[states] == 0) & d.present[states])


def test_gdp_capability_is_row_two():
    d = load_deu3()
    cap = capability_matrix(d, "gdp")
    assert cap.shape == (30, 364)
    assert cap[ACTORS.index("uk"), 100] == pytest.approx(2.64)  # last GDP cell of row 2
    assert np.allclose(cap[:, 0], cap[:, -1])


def test_no_position_before_accession():
    # BG and RO joined on 1 January 2007, HR on 1 July 2013: the Nice column gives them votes for
    # the whole Nice period, so the data must not show them earlier
    d = load_deu3()
    joined = {"bu": dt.date(2007, 1, 1), "ro": dt.date(2007, 1, 1), "cr": dt.date(2013, 7, 1)}
    for actor, day in joined.items():
        a = ACTORS.index(actor)
        early = [iss.isnr for k, iss in enumerate(d.issues) if d.present[a, k] and iss.date < day]
        assert early == [], actor
