"""The pre-registered split is stable and keeps proposals whole."""

from __future__ import annotations

from qimma.backtest.deu3 import load_deu3
from qimma.backtest.split import SPLIT_SEED, get_split, make_split, read_split_file


def test_committed_split_is_reproduced_by_its_seed():
    d = load_deu3()
    seed, ids = read_split_file()
    assert seed == SPLIT_SEED
    assert make_split(d, seed) == ids


def test_split_keeps_proposals_whole_and_is_a_third():
    d = load_deu3()
    _, ids = read_split_file()
    by_prop: dict[str, set[bool]] = {}
    for iss in d.issues:
        by_prop.setdefault(iss.prnr, set()).add(iss.isnr in ids)
    assert all(len(v) == 1 for v in by_prop.values())
    n_test = sum(1 for v in by_prop.values() if True in v)
    assert n_test == round(len(by_prop) / 3)


def test_other_seed_is_exploratory():
    d = load_deu3()
    s = get_split(d, 7)
    assert not s.preregistered and s.test != get_split(d).test
    assert get_split(d).preregistered and get_split(d, SPLIT_SEED).preregistered
