"""Bad input through the command line: the exact message, exit status 2, never a traceback.

Each case writes a file (or names a missing one), runs a command on it, and compares every line
of standard error with the expected messages ({f} stands for the file's path).
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

import pytest

from qimma.cli.main import run

SMALL = (Path(__file__).parent / "fixtures" / "scenarios" / "small.yaml").read_text("utf-8")
INPUTS = Path(__file__).parent / "fixtures" / "inputs"


def small(*edits: tuple[str, str]) -> str:
    """small.yaml with each (old, new) edit applied once (line numbers stay those of the file)."""
    text = SMALL
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


@dataclass
class Case:
    id: str
    name: str  # file name to write
    content: str | bytes | None  # None: do not create the file
    expected: list[str]
    command: str = "validate"
    lang: str = "en"


CASES = [
    Case(
        "empty",
        "s.yaml",
        "",
        ["{f}: the file is empty — fix: write the scenario into it, or pick another file"],
    ),
    Case(
        "only-blank",
        "t.csv",
        "  \n\r\n",
        ["{f}: the file is empty — fix: write the scenario into it, or pick another file"],
    ),
    Case(
        "binary",
        "t.csv",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        [
            "{f}: this is not a text file (it looks binary) — fix: give a YAML, CSV, XML or text "
            "file"
        ],
    ),
    Case(
        "excel-workbook",
        "t.csv",
        b"PK\x03\x04\x14\x00\x06\x00",
        [
            "{f}: this is an Excel workbook or another zip file, not a text file — fix: in the "
            "spreadsheet, use 'Save as… CSV UTF-8', or write a YAML scenario"
        ],
    ),
    Case(
        "latin1",
        "t.csv",
        "Actor,Capability,Position,Salience\nCôte d'Ivoire,1,2,3\n".encode("latin-1"),
        [
            "{f}, line 2: the file is not UTF-8 text — fix: save it as UTF-8 (for example 'Save "
            "as… "
            "CSV UTF-8' in a spreadsheet)"
        ],
    ),
    Case(
        "windows-arabic",
        "t.csv",
        "Actor,Capability,Position,Salience\nروسيا,1,2,3\n".encode("cp1256"),
        [
            "{f}, line 2: the file is not UTF-8 text; it looks like Arabic Windows (cp1256) text — "
            "fix: save it as UTF-8 (for example 'Save as… CSV UTF-8' in a spreadsheet)"
        ],
    ),
    Case(
        "missing-file",
        "nowhere.yaml",
        None,
        ["{f}: file not found — fix: check the path and the file name"],
    ),
    Case(
        "unknown-format",
        "notes.txt",
        "Dear colleague,\nplease find the positions attached.\n",
        [
            "{f}, line 1: qimma does not recognise this file's format — fix: give a qimma YAML "
            "scenario, a table with the header Actor,Capability,Position,Salience, a KTAB SMP CSV "
            "or "
            "XML file, or a Decide file (#A/#P/#M/#D lines); see docs/scenario-format.md"
        ],
    ),
    Case(
        "yaml-syntax",
        "s.yaml",
        small(("  - id: UKR\n", "  - id: UKR\n   bad: [\n")),
        [
            "{f}, line 18: this is not valid YAML: expected <block end>, but found '<block mapping "
            "start>' — fix: check the indentation and the ':' after each field name on that line"
        ],
    ),
    Case(
        "yaml-duplicate-key",
        "s.yaml",
        small(
            ("    salience: {value: 95}\n", "    salience: {value: 95}\n    salience: {value: 5}\n")
        ),
        [
            '{f}, line 46: this is not valid YAML: found duplicate key "salience" with value '
            "\"{{'value': 5}}\" (original value: \"{{'value': 95}}\") — fix: check the indentation "
            "and the ':' after each field name on that line"
        ],
    ),
    Case(
        "yaml-not-a-mapping",
        "s.yaml",
        "- just\n- a list\n",
        [
            "{f}, line 1: a scenario file must be a set of fields (id, title, actors, issues, "
            "stances, ...) — fix: start from the example in docs/scenario-format.md"
        ],
    ),
    Case(
        "yaml-out-of-range-and-unknown-id-at-once",
        "s.yaml",
        small(("salience: {value: 90}", "salience: {value: 150}"), ("- actor: UKR", "- actor: UK")),
        [
            "{f}, line 38, stances[0].salience: salience value 150 is outside 0-100 — fix: give a "
            "salience between 0 and 100",
            "{f}, line 42, stances[1].actor: unknown actor 'UK' — fix: use one of: RUS, UKR",
        ],
    ),
    Case(
        "yaml-duplicate-id",
        "s.yaml",
        small(("  - id: UKR\n", "  - id: RUS\n")),
        [
            "{f}, line 17, actors[1].id: duplicate actor id 'RUS' — fix: give every id once",
            "{f}, line 42, stances[1].actor: unknown actor 'UKR' — fix: use one of: RUS",
            "{f}, line 62, levers[0].changes[0].actor: unknown actor 'UKR' — fix: use one of: RUS",
        ],
    ),
    Case(
        "yaml-missing-field",
        "s.yaml",
        small(("    status_quo: 50\n", "")),
        [
            "{f}, line 21, issues[0].status_quo: this required field is missing — fix: add this "
            "field"
        ],
    ),
    Case(
        "yaml-wrong-type",
        "s.yaml",
        small(("capability: {value: 25}", "capability: {value: lots}")),
        [
            "{f}, line 46, stances[1].capability.value: 'lots' is not a number — fix: write a "
            "number "
            "such as 42 or 37.5"
        ],
    ),
    Case(
        "yaml-empty-value-arabic",
        "s.yaml",
        small(("salience: {value: 95}", "salience: {value: null}")),
        [
            "{f}، السطر 45، stances[1].salience.value: القيمة الفارغة ليست عددًا — الحل: اكتب عددًا "
            "مثل 42 أو 37.5"
        ],
        lang="ar",
    ),
    Case(
        "yaml-not-allowed-value",
        "s.yaml",
        small(("basis: assumption", "basis: guess")),
        [
            "{f}, line 47, stances[1].basis: 'guess' is not an allowed value — fix: use one of: "
            "'explicit', 'inferred' or 'assumption'"
        ],
    ),
    Case(
        "yaml-broken-stance-still-checked",
        "s.yaml",
        small(("- actor: UKR", "- actor: UK"), ("basis: assumption", "basis: guess")),
        [
            "{f}, line 42, stances[1].actor: unknown actor 'UK' — fix: use one of: RUS, UKR",
            "{f}, line 47, stances[1].basis: 'guess' is not an allowed value — fix: use one of: "
            "'explicit', 'inferred' or 'assumption'",
        ],
    ),
    Case(
        "yaml-position-off-scale",
        "s.yaml",
        small(("position: {value: 10}", "position: {value: 110}")),
        [
            "{f}, line 44, stances[1].position: position 110 is outside the scale of issue 'TERR' "
            "(0-100) — fix: give a position between 0 and 100"
        ],
    ),
    Case(
        "yaml-anchor-missing-end",
        "s.yaml",
        small(
            (
                "        - value: 100\n          label: {en: recognition of annexation, ar: "
                "الاعتراف بالضم}\n",
                "",
            )
        ),
        [
            "{f}, line 26, issues[0].scale.anchors: the scale needs labelled anchors at both ends "
            "(0 and 100) — fix: add an anchor with a label for each end of the scale"
        ],
    ),
    Case(
        "yaml-unknown-field",
        "s.yaml",
        small(("    basis: explicit\n", "    basis: explicit\n    colour: red\n")),
        [
            "{f}, line 41, stances[0].colour: unknown field — fix: remove it or check its spelling "
            "(see docs/scenario-format.md)"
        ],
    ),
    Case(
        "yaml-range-without-value",
        "s.yaml",
        small(("position: {value: 90, low: 80, high: 100}", "position: {value: 90, low: 95}")),
        [
            "{f}, line 37, stances[0].position: the range must contain the value: low 95 <= value "
            "90 <= high 90 — fix: make low <= value <= high"
        ],
    ),
    Case(
        "classic-missing-column",
        "t.csv",
        "Actor,Capability,Position\nA,1,50\n",
        [
            "{f}, line 1, Salience: the header has no Salience column — fix: add a column named "
            "one "
            "of: Salience"
        ],
    ),
    Case(
        "classic-bad-rows",
        "t.csv",
        "Stakeholder,Power,Position,Salience\nA,1,50,60\nB,x,50,60\nA,1,20,30\nC,1\nD,-1,50,60\n",
        [
            "{f}, line 3, Power: 'x' is not a number — fix: write a number such as 42 or 0.08",
            "{f}, line 4, Stakeholder: actor 'A' appears twice (first on line 2) — fix: give "
            "each actor one row",
            "{f}, line 5: this row has 2 of the header's 4 columns — fix: give every row the "
            "header's columns: Stakeholder,Power,Position,Salience",
            "{f}, line 6, Power: capability value -1 is negative — fix: give a capability of 0 or "
            "more",
        ],
    ),
    Case(
        "classic-unclosed-quote",
        "t.csv",
        'Actor,Capability,Position,Salience\nA,1,50,60\n"C,1,20,30\nD,1,50,60\n',
        [
            '{f}, line 3: this row opens a quotation mark (") that it never closes — fix: close '
            "the quotation mark, or remove it",
        ],
    ),
    Case(
        "classic-unclosed-quote-ar",
        "t.csv",
        'Actor,Capability,Position,Salience\nA,1,50,60\n"C,1,20,30\nD,1,50,60\n',
        [
            '{f}، السطر 3: يفتح هذا الصف علامة تنصيص (") ولا يغلقها — الحل: أغلق علامة التنصيص '
            "أو احذفها",
        ],
        lang="ar",
    ),
    Case(
        "classic-salience-out-of-range",
        "t.csv",
        "Actor,Capability,Position,Salience\nA,1,50,60\nB,1,50,160\n",
        [
            "{f}, line 3, Salience: salience value 160 is outside 0-100 — fix: give a salience "
            "between 0 and 100"
        ],
    ),
    Case(
        "ktab-csv-count-and-range",
        "k.csv",
        "S,Desc,3,1,\nActor,Description,Power,P Position,P Salience,\n"
        "A,a,10,50,50,\nB,b,10,150,50,\n",
        [
            "{f}, line 1, number of actors: line 1 declares 3 actors but the file has 2 actor "
            "rows — fix: write 2 as the third field of line 1, or fix the rows",
            "{f}, line 4, P Position: position 150 is outside the scale of issue 'P' (0-100) — "
            "fix: give a position between 0 and 100",
        ],
    ),
    Case(
        "ktab-xml-malformed",
        "k.xml",
        "<Scenario>\n  <name>x</name>\n  <Actors>\n</Scenario>\n",
        [
            "{f}, line 4: this is not well-formed XML: mismatched tag — fix: check the tags on "
            "that "
            "line: each <tag> needs its </tag>"
        ],
    ),
    Case(
        "ktab-xml-empty-coordinate",
        "smpExample.xml",
        (INPUTS / "smpExample.xml").read_bytes(),
        [
            "{f}, line 32, Actor 'Alice'/Position/dCoord[1]: <dCoord> is empty — fix: write a "
            "number "
            "between 0 and 100"
        ],
    ),
    Case(
        "decide-with-errors",
        "copenhagen_with_errors.csv",
        (INPUTS / "copenhagen_with_errors.csv").read_bytes(),
        [
            "{f}, line 86, #D position: position 160 is outside the scale of issue 'Control' "
            "(0-100) — fix: give a position between 0 and 100",
            "{f}, line 87, #D power: capability value -0.247 is negative — fix: give a capability "
            "of 0 or more",
        ],
    ),
    Case(
        "decide-arabic-messages",
        "copenhagen_with_errors.csv",
        (INPUTS / "copenhagen_with_errors.csv").read_bytes(),
        [
            "{f}، السطر 86، #D position: الموقف 160 خارج مقياس القضية 'Control' (0-100) — الحل: "
            "أدخل موقفًا بين 0 و100",
            "{f}، السطر 87، #D power: القدرة (القيمة) -0.247 سالبة — الحل: أدخل قدرة تساوي 0 أو "
            "أكثر",
        ],
        lang="ar",
    ),
    Case(
        "decide-one-mark",
        "d.csv",
        "#A\tX\tX\n#P\ti\ti\n#M\ti\t10\tlow\n#D\tX\ti\t10\t0.5\t1\n",
        [
            "{f}, line 3, #M position: issue 'i' has #M points at one position only (10); its "
            "scale "
            "runs from the lowest to the highest #M position — fix: add #M lines for both ends of "
            "the scale, or remove them all for 0–100"
        ],
    ),
    Case(
        "show-broken-file",
        "t.csv",
        "Actor,Capability,Position,Salience\nA,1,50,abc\n",
        ["{f}, line 2, Salience: 'abc' is not a number — fix: write a number such as 42 or 0.08"],
        command="show",
    ),
    Case(
        "yaml-bare-number-estimate",
        "s.yaml",
        small(("    salience: {value: 95}\n", "    salience: 140\n")),
        [
            "{f}, line 45, stances[1].salience: 140 must be written as fields under this name, "
            "e.g. 'value: 140' — fix: write fields as 'name: value' lines"
        ],
    ),
    Case(
        "yaml-bare-number-estimate-ar",
        "s.yaml",
        small(("    salience: {value: 95}\n", "    salience: 140\n")),
        [
            "{f}، السطر 45، stances[1].salience: يجب أن تُكتب 140 حقولًا تحت هذا الاسم، مثل "
            "'value: 140' — الحل: اكتب الحقول بصيغة 'الاسم: القيمة'"
        ],
        lang="ar",
    ),
    Case(
        "yaml-text-for-estimate",
        "s.yaml",
        small(("    salience: {value: 95}\n", "    salience: high\n")),
        [
            "{f}, line 45, stances[1].salience: 'high' is not a set of fields — fix: write "
            "fields as 'name: value' lines"
        ],
    ),
    Case(
        "forecast-broken-file",
        "t.csv",
        "Actor,Capability,Position,Salience\nA,1,50,abc\n",
        ["{f}, line 2, Salience: 'abc' is not a number — fix: write a number such as 42 or 0.08"],
        command="forecast",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case, tmp_path, capsys):
    f = tmp_path / case.name
    if isinstance(case.content, bytes):
        f.write_bytes(case.content)
    elif isinstance(case.content, str):
        f.write_bytes(case.content.encode("utf-8"))
    status = run([case.command, str(f), "--lang", case.lang])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert captured.err.splitlines() == [m.format(f=f) for m in case.expected]
    assert status == 2


def test_convert_refuses_non_yaml_output_and_keeps_input(tmp_path, capsys):
    src = tmp_path / "t.csv"
    src.write_text("Actor,Capability,Position,Salience\nA,1,50,60\n", encoding="utf-8")
    before = src.read_bytes()
    out = tmp_path / "t.json"
    assert run(["convert", str(src), str(out)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"{out}: cannot write '.json' files — fix: give an output name ending in .yaml"
    ]
    assert not out.exists() and src.read_bytes() == before


def test_convert_refuses_to_replace_its_input(tmp_path, capsys):
    src = tmp_path / "s.yaml"
    src.write_text(SMALL, encoding="utf-8")
    assert run(["convert", str(src), str(src), "--force"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"{src}: the output is the input file itself — fix: give another name for the YAML file"
    ]
    assert src.read_text("utf-8") == SMALL


def test_utf16_spreadsheet_export_is_read(tmp_path, capsys):
    f = tmp_path / "t.txt"
    f.write_bytes(
        codecs.BOM_UTF16_LE
        + "Actor\tPower\tPosition\tSalience\nروسيا\t2\t80\t90\nأوكرانيا\t1\t20\t90\n".encode(
            "utf-16-le"
        )
    )
    assert run(["validate", str(f)]) == 0  # (two actors: a one-actor table cannot be run)
    assert "2 actors, 1 issue, 2 stances" in capsys.readouterr().out


def test_folder_and_huge_file(tmp_path, capsys):
    assert run(["validate", str(tmp_path)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"{tmp_path}: this is a folder, not a file — fix: give the path of a scenario file "
        "inside it"
    ]
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as fh:  # sparse: 25 MB on paper, nothing on disk
        fh.seek(25_000_000)
        fh.write(b"\n")
    assert run(["validate", str(huge)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"{huge}: the file is 23.8 MB, more than the 20 MB allowed — fix: check that this is the "
        "right file"
    ]


def test_at_least_twenty_bad_input_cases():
    assert len(CASES) >= 20
