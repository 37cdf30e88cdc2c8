"""Hypothesis fuzzing: no text or bytes make a parser raise anything but InputError."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qimma.errors import InputError
from qimma.scenario.classic_table import parse_classic_table
from qimma.scenario.decide import parse_decide
from qimma.scenario.formats import scenario_from_text
from qimma.scenario.ktab_csv import parse_ktab_csv
from qimma.scenario.ktab_xml import parse_ktab_xml
from qimma.scenario.model import Scenario
from qimma.scenario.textfile import decode_text
from qimma.scenario.yaml_format import scenario_from_yaml_text

PARSERS: dict[str, Callable[[str, str], Scenario]] = {
    "yaml": scenario_from_yaml_text,
    "classic": parse_classic_table,
    "ktab-csv": parse_ktab_csv,
    "ktab-xml": parse_ktab_xml,
    "decide": parse_decide,
}

FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces of the real formats, so that generated files get past the first line and into the rows.
TOKENS = [
    "Actor", "Stakeholder", "Capability", "Power", "Position", "Salience", "#A", "#P", "#M",
    "#D", "#O", "#/", "'#D'", "A", "B", "i", "x", "0", "1", "50", "100", "150", "-1", "0.5",
    "1e999", "nan", "", " ", "\"", "'", "<Scenario>", "</Scenario>", "<Actors>", "<Actor>",
    "<name>A</name>", "<dCoord>", "</dCoord>", "Dimensions", "روسيا", "id:", "actors:", "- ",
    "  ", "{", "}", "[", "]", "*a", "&a",
]  # fmt: skip
SEPARATORS = [",", ";", "\t", "\n", "\r", "\r\n", " "]


def _assemble(parts: list[str]) -> str:
    return "".join(parts)


format_like_text = st.lists(
    st.one_of(st.sampled_from(TOKENS), st.sampled_from(SEPARATORS)), max_size=60
).map(_assemble)


def _only_input_error(parse: Callable[[str, str], object], text: str) -> None:
    try:
        result = parse(text, "fuzz.txt")
    except InputError as e:
        assert e.problems, "an InputError must carry at least one problem"
        for p in e.problems:
            assert p.render("en") and p.render("ar")
    else:
        assert isinstance(result, Scenario)


@FUZZ
@given(text=st.text(max_size=400))
def test_any_text_any_parser(text):
    for parse in PARSERS.values():
        _only_input_error(parse, text)


@FUZZ
@given(text=format_like_text)
def test_format_like_text_any_parser(text):
    for parse in PARSERS.values():
        _only_input_error(parse, text)
    _only_input_error(scenario_from_text, text)


@FUZZ
@given(
    header=st.permutations(["Actor", "Capability", "Position", "Salience"]),
    rows=st.lists(
        st.tuples(
            st.text(max_size=8),
            st.one_of(st.floats(allow_nan=True), st.text(max_size=4)),
            st.one_of(st.floats(allow_nan=True), st.text(max_size=4)),
            st.one_of(st.floats(allow_nan=True), st.text(max_size=4)),
        ),
        max_size=6,
    ),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_classic_tables_with_arbitrary_cells(header, rows, delimiter):
    lines = [delimiter.join(header)] + [delimiter.join(str(c) for c in r) for r in rows]
    _only_input_error(parse_classic_table, "\n".join(lines))


@FUZZ
@given(
    d_rows=st.lists(
        st.tuples(
            st.sampled_from(["X", "Y", "Z"]),
            st.sampled_from(["i", "j"]),
            st.one_of(st.floats(), st.text(max_size=3)),
            st.one_of(st.floats(), st.text(max_size=3)),
            st.one_of(st.floats(), st.text(max_size=3)),
        ),
        max_size=6,
    ),
    marks=st.lists(st.floats(allow_nan=False, allow_infinity=False), max_size=3),
)
def test_decide_with_arbitrary_numbers(d_rows, marks):
    lines = ["#A\tX\tX", "#A\tY\tY", "#P\ti\ti"]
    lines += [f"#M\ti\t{m}\tlabel" for m in marks]
    lines += ["\t".join(["#D", *map(str, r)]) for r in d_rows]
    _only_input_error(parse_decide, "\n".join(lines))


@FUZZ
@given(raw=st.binary(max_size=300))
def test_any_bytes_decode_then_parse(raw):
    try:
        text = decode_text(raw, "fuzz.bin")
    except InputError:
        return
    for suffix in ("", ".yaml", ".xml", ".csv"):
        _only_input_error(lambda t, f, s=suffix: scenario_from_text(t, f, s), text)


SMALL_LINES = (
    (Path(__file__).parent / "fixtures" / "scenarios" / "small.yaml").read_text("utf-8").split("\n")
)
VALUES = ["", "null", "-1", "1e400", "150", "'x'", "[1, 2]", "{a: 1}", "RUS", "TERR", "UKR",
          "{value: -5}", "{value: 50, low: 60}", "[]", "{}", "&a [*a]", "!!binary AAAA",
          "2025-01-01", "[{value: 0}]", "{en: ''}", "true", ".nan"]  # fmt: skip


@FUZZ
@given(
    edits=st.lists(
        st.tuples(st.integers(0, len(SMALL_LINES) - 1), st.sampled_from(VALUES)), max_size=4
    )
)
def test_edited_scenario_yaml(edits):
    """A valid scenario with values swapped for odd ones: validation never crashes."""
    lines = list(SMALL_LINES)
    for index, value in edits:
        head, sep, _ = lines[index].partition(": ")
        lines[index] = f"{head}{sep}{value}" if sep else f"{lines[index]} {value}"
    _only_input_error(scenario_from_yaml_text, "\n".join(lines))
