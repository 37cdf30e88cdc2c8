"""European spreadsheets: fields separated by ';' and numbers with a decimal comma (0,08).

Each file is the same data as a fixture written the English way; both must read the same."""

from __future__ import annotations

import re
from pathlib import Path

from qimma.cli.main import run
from qimma.scenario.formats import load_scenario
from qimma.scenario.importing import parse_number

INPUTS = Path(__file__).parent / "fixtures" / "inputs"
DOT_NUMBER = re.compile(r"^(-?\d+)\.(\d+)$")


def _european(cells: list[str]) -> str:
    return ";".join(DOT_NUMBER.sub(r"\1,\2", c) for c in cells)


def _stances(path: Path) -> list[tuple[str, str, float, float, float]]:
    s = load_scenario(path)
    return [
        (st.actor, st.issue, st.position.value, st.salience.value, st.capability.value)
        for st in s.stances
    ]


def test_parse_number_reads_a_decimal_comma_only_where_comma_is_no_separator():
    assert parse_number("0,08", ";") == 0.08
    assert parse_number("-12,5", "\t") == -12.5
    assert parse_number("0,08", ",") is None  # cannot happen in a comma-separated file
    assert parse_number("1,234,5", ";") is None  # not a number in any convention
    assert parse_number("0.08", ";") == 0.08


def test_classic_table_from_european_excel(tmp_path, capsys):
    text = (INPUTS / "ExampleActors.csv").read_text(encoding="utf-8")
    rows = [ln.split(",") for ln in re.split(r"\r\n|\r|\n", text) if ln]
    eu = tmp_path / "ExampleActors.csv"
    eu.write_text("\r\n".join(_european(r) for r in rows) + "\r\n", encoding="utf-8")
    assert "0,08" in eu.read_text(encoding="utf-8")
    assert _stances(eu) == _stances(INPUTS / "ExampleActors.csv")
    netherlands = next(s for s in _stances(eu) if s[0].lower().startswith("netherlands"))
    assert netherlands[4] == 0.08  # written 0,08 in the file
    scn = load_scenario(eu)
    assert scn.description is not None
    assert "decimal comma" in scn.description.en and "فاصلة عشرية" in scn.description.get("ar")
    english = load_scenario(INPUTS / "ExampleActors.csv").description
    assert english is not None and "decimal comma" not in english.en
    # the command says so
    assert run(["validate", str(eu)]) == 0
    assert "decimal comma (0,08) were read as decimals" in capsys.readouterr().out.replace(
        "\n", " "
    )


def test_decide_file_with_semicolons_and_decimal_commas(tmp_path):
    lines = (INPUTS / "sample_data.txt").read_text(encoding="utf-8").splitlines()
    eu = tmp_path / "sample_data.txt"
    eu.write_text("\n".join(_european(ln.split("\t")) for ln in lines) + "\n", encoding="utf-8")
    assert "0,95" in eu.read_text(encoding="utf-8")
    assert _stances(eu) == _stances(INPUTS / "sample_data.txt")
    scn = load_scenario(eu)
    assert scn.description is not None and "decimal comma" in scn.description.en
