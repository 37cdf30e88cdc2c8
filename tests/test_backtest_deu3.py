"""The DEU III loader: counts, absent actors, dates, and bad input."""

from __future__ import annotations

import datetime as dt
from importlib import resources

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qimma.backtest.arrays import deu3_arrays
from qimma.backtest.deu3 import ACTORS, load_deu3, parse_date
from qimma.errors import InputError

SHIPPED = resources.files("qimma.data.deu3").joinpath("deu3.csv").read_text("utf-8")


@pytest.fixture(scope="module")
def deu():
    return load_deu3()


def test_counts_match_the_readme(deu):
    # README: 364 issue rows; empty `out` means no valid outcome (11 rows in the shared copy)
    assert deu.n_issues == 364
    assert len(deu.skipped()) == 11
    assert len(deu.scored()) == 353
    assert len({i.isnr for i in deu.issues}) == 364
    assert len(ACTORS) == 30


def test_missing_positions_are_absent_not_zero(deu):
    first = deu.issues[0]
    assert first.isnr == "d00032i1"
    bu, dk = ACTORS.index("bu"), ACTORS.index("dk")
    # the first issue row leaves Bulgaria's position empty and gives Denmark 100
    assert not deu.present[bu, 0]
    assert deu.present[dk, 0] and deu.positions[dk, 0] == 100.0
    arr = deu3_arrays(deu, [0])
    assert not arr.present[bu, 0]
    assert arr.saliences[0, bu, 0] == 0.0 and arr.capabilities[0, bu, 0] == 0.0
    assert arr.positions[0, bu, 0] == arr.status_quo[0, 0]  # absent -> status quo, not 0


def test_first_row_gdp_and_reference(deu):
    assert deu.gdp[ACTORS.index("de")] == pytest.approx(4.1)
    assert deu.gdp[ACTORS.index("com")] == pytest.approx(4.1)
    assert deu.reference[0] == 0.0 and deu.outcome[0] == 100.0


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("26-01-00", dt.date(2000, 1, 26)),
        ("04-03-98", dt.date(1998, 3, 4)),
        ("27-09-2017", dt.date(2017, 9, 27)),
        ("1930-05-01", dt.date(2001, 5, 30)),  # damaged dd-mm-yy: day 30, May, 2001
        ("2013-10-04", dt.date(2004, 10, 13)),
        ("999", None),
        ("", None),
    ],
)
def test_parse_date(text, want):
    assert parse_date(text) == want


def test_every_issue_has_a_date_in_the_data_period(deu):
    for iss in deu.issues:
        assert iss.date is not None
        assert dt.date(1996, 1, 1) <= iss.date <= dt.date(2020, 12, 31)


def _write(tmp_path, text, name="d.tsv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_bad_cell_names_line_and_field(tmp_path):
    lines = SHIPPED.splitlines()
    cells = lines[4].split("\t")
    cells[13] = "abc"  # pcom of the third issue, line 5
    lines[4] = "\t".join(cells)
    with pytest.raises(InputError) as e:
        load_deu3(_write(tmp_path, "\n".join(lines)))
    p = e.value.problems[0]
    assert p.line == 5 and p.path == "pcom" and "abc" in p.message_en and p.message_ar


def test_out_of_range_position(tmp_path):
    lines = SHIPPED.splitlines()
    cells = lines[2].split("\t")
    cells[-1] = "140"
    lines[2] = "\t".join(cells)
    with pytest.raises(InputError) as e:
        load_deu3(_write(tmp_path, "\n".join(lines)))
    assert e.value.problems[0].path == "out" and e.value.problems[0].line == 3


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "header"),
        (b"\x00\x01\x02binary", "binary"),
        (b"prnr\tisnr\n", "header"),
        (b"a\tb\nc\td\ne\tf\n", "missing columns"),
        ("é".encode("latin-1") * 10, "UTF-8"),
    ],
)
def test_malformed_files(tmp_path, content, fragment):
    p = tmp_path / "bad.tsv"
    p.write_bytes(content)
    with pytest.raises(InputError) as e:
        load_deu3(p)
    assert fragment in str(e.value)
    assert str(p) in str(e.value)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="not found"):
        load_deu3(tmp_path / "nope.tsv")


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=12))
def test_parse_date_fuzz(s):
    # a date, None (blank) or ValueError, which the loader turns into a located InputError
    try:
        d = parse_date(s)
    except ValueError:
        return
    assert d is None or isinstance(d, dt.date)


@settings(max_examples=40, deadline=None)
@given(
    cell=st.text(
        alphabet=st.characters(blacklist_characters="\t\n\r", blacklist_categories=("Cs",)),
        max_size=8,
    )
)  # no lone surrogates (Cs): they cannot be written as UTF-8 at all
def test_loader_fuzz_one_cell(tmp_path_factory, cell):
    lines = SHIPPED.splitlines()[:6]
    cells = lines[3].split("\t")
    cells[20] = cell
    lines[3] = "\t".join(cells)
    p = tmp_path_factory.mktemp("fz") / "f.tsv"
    p.write_text("\n".join(lines), encoding="utf-8")
    try:
        d = load_deu3(p)
    except InputError as e:
        p = e.problems[0]
        assert p.line == 4 or "binary" in p.message_en  # a NUL byte makes the file binary
    else:
        assert d.n_issues == 4
        assert np.all(d.positions[~np.isnan(d.positions)] >= 0)
