"""Importers: every peer sample loads (or is rejected clearly), and each format's rules by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from qimma.errors import InputError
from qimma.scenario.formats import detect_format, load_scenario, scenario_from_text
from qimma.scenario.model import Scenario
from qimma.scenario.yaml_format import scenario_from_yaml_text, scenario_to_yaml

INPUTS = Path(__file__).parent / "fixtures" / "inputs"

# (actors, issues, stances) as the peers' own documentation states them
# (shared/benchmarks/ktab/ktab-smp-notes.md §1, shared/benchmarks/peer-notes.md §1.2) or, for the
# classic tables, as counted from the rows of the file.
EXPECTED = {
    "ChinaData.csv": (24, 1, 24),
    "ChinaData_LF.csv": (24, 1, 24),
    "ExampleActors.csv": (10, 1, 10),
    "ExampleActors_LF.csv": (10, 1, 10),
    "HondurasCrisisData.csv": (5, 1, 5),
    "HondurasCrisisData_LF.csv": (5, 1, 5),
    "cop21.csv": (15, 13, 181),
    "copenhagen.csv": (11, 7, 75),
    "sample_data.txt": (10, 6, 60),
    "SOE-Competitive.csv": (34, 1, 34),
    "SOE-Pol-Comp.csv": (13, 2, 26),
    "SOE-Policy.csv": (26, 1, 26),
    "dummyData-a040.csv": (40, 1, 40),
    "dummyData-a080.csv": (80, 1, 80),
    "dummyData-a160.csv": (160, 1, 160),
    "dummyData_3Dim-no-final-comma.csv": (7, 3, 21),
    "dummyData_3Dim.csv": (7, 3, 21),
    "dummyData_3Dim.xml": (7, 3, 21),
    "dummyData_6Dim.csv": (27, 6, 162),
    "smpExample_fixed_AliceDim0_52.8.xml": (5, 3, 15),
}

REJECTED = {
    "smpExample.xml": [
        "{f}, line 32, Actor 'Alice'/Position/dCoord[1]: <dCoord> is empty — fix: write a number "
        "between 0 and 100"
    ],
    "copenhagen_with_errors.csv": [
        "{f}, line 86, #D position: position 160 is outside the scale of issue 'Control' (0-100) "
        "— fix: give a position between 0 and 100",
        "{f}, line 87, #D power: capability value -0.247 is negative — fix: give a capability of "
        "0 or more",
    ],
}

SAMPLES = sorted(p.name for p in INPUTS.iterdir() if p.name != "README.md")


def test_every_sample_is_accounted_for():
    assert set(SAMPLES) == set(EXPECTED) | set(REJECTED)


@pytest.mark.parametrize("name", SAMPLES)
def test_every_sample_loads_or_is_rejected_clearly(name):
    path = INPUTS / name
    if name in REJECTED:
        with pytest.raises(InputError) as e:
            load_scenario(path)
        assert [p.render("en") for p in e.value.problems] == [
            m.format(f=path) for m in REJECTED[name]
        ]
        return
    s = load_scenario(path)
    assert (len(s.actors), len(s.issues), len(s.stances)) == EXPECTED[name]
    # every stance lies on its issue's scale, every scale is labelled at both ends
    for st in s.stances:
        iss = s.issue(st.issue)
        assert iss.scale.min <= st.position.value <= iss.scale.max
        assert 0 <= st.salience.value <= 100
    for iss in s.issues:
        assert {iss.scale.min, iss.scale.max} <= {a.value for a in iss.scale.anchors}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_loadable_sample_round_trips_through_yaml(name):
    s = load_scenario(INPUTS / name)
    assert scenario_from_yaml_text(scenario_to_yaml(s), "round trip") == s


def _stance(s: Scenario, actor_name: str, issue_id: str | None = None):
    aid = next(a.id for a in s.actors if actor_name in (a.name.en, *a.aliases))
    iid = issue_id or s.issues[0].id
    st = s.stance(aid, iid)
    assert st is not None
    return st.capability.value, st.position.value, st.salience.value


# --- classic table ------------------------------------------------------------------------------


def test_classic_example_actors_values_and_scale():
    s = load_scenario(INPUTS / "ExampleActors.csv")
    assert detect_format((INPUTS / "ExampleActors.csv").read_text()) == "classic"
    assert _stance(s, "Netherlands") == (0.08, 4, 80)
    assert _stance(s, "Greece") == (0.08, 7, 70)  # last line, no final line break
    # years 4-10, all within 10 points: the scale is the data's own range, in years, and the
    # status quo (the table has none) is the middle of the actors' positions, said in the text
    iss = s.issues[0]
    assert (iss.scale.min, iss.scale.max, iss.status_quo) == (4, 10, 7)
    assert "no status quo" in (s.description.en if s.description else "")


def test_classic_percentages_keep_0_100():
    # China: positions 10-100 spread over most of 0-100; status quo = middle of the positions
    s = load_scenario(INPUTS / "ChinaData.csv")
    iss = s.issues[0]
    assert (iss.scale.min, iss.scale.max, iss.status_quo) == (0, 100, 55)


def test_classic_cr_and_lf_files_are_the_same_scenario():
    a = load_scenario(INPUTS / "ExampleActors.csv")
    b = load_scenario(INPUTS / "ExampleActors_LF.csv")
    assert [x.model_dump(exclude={"justification", "issue"}) for x in a.stances] == [
        x.model_dump(exclude={"justification", "issue"}) for x in b.stances
    ]


def test_classic_fraction_saliences_are_percent():
    # Honduras gives saliences on 0-1: Costa Rica 0.3 -> 30
    s = load_scenario(INPUTS / "HondurasCrisisData.csv")
    assert _stance(s, "Costa Rica") == (0.0001189, 0.5, 30)
    assert "multiplied by 100" in (s.description.en if s.description else "")


def test_classic_any_order_aliases_and_delimiters():
    text = "salience;Position;CLOUT;Stakeholder\n50;20;3;Alpha\n25;80;1;Beta\n"
    s = scenario_from_text(text, "t.csv")
    assert _stance(s, "Alpha") == (3, 20, 50)
    assert _stance(s, "Beta") == (1, 80, 25)
    tab = "Actor\tInfluence\tPosition\tSalience\r\nA\t2\t10\t90\r\n"
    assert _stance(scenario_from_text(tab, "t.tsv"), "A") == (2, 10, 90)


def test_classic_scale_from_data_when_positions_leave_0_100():
    text = "Actor,Power,Position,Salience\nA,1,-50,50\nB,1,150,50\n"
    iss = scenario_from_text(text, "t.csv").issues[0]
    assert (iss.scale.min, iss.scale.max, iss.status_quo) == (-50, 150, 50)
    assert [a.value for a in iss.scale.anchors] == [-50, 150]


def test_classic_arabic_headers():
    # alef forms, diacritics and any column order are tolerated in Arabic headers
    text = "الفاعل,النفوذ,المَوقف,الاهمية\nروسيا,5,70,90\nأوكرانيا,3,10,95\n"
    s = scenario_from_text(text, "t.csv")
    assert [(a.id, a.name.ar) for a in s.actors] == [("A1", "روسيا"), ("A2", "أوكرانيا")]
    st = s.stance("A2", s.issues[0].id)
    assert st is not None
    assert (st.capability.value, st.position.value, st.salience.value) == (3, 10, 95)


def test_byte_order_mark_and_yaml_document_marker_are_sniffed():
    s = scenario_from_text("\ufeff#A\tX\n#P\ti\n#D\tX\ti\t50\t0.5\t1\n", "d.txt")
    assert s.actors[0].id == "X"
    yaml_text = "---\n" + (INPUTS.parent / "scenarios" / "small.yaml").read_text("utf-8")
    assert detect_format(yaml_text) == "yaml"
    assert scenario_from_text(yaml_text, "s.txt").id == "ceasefire-demo"


def test_decomposed_arabic_is_composed():
    decomposed = "\u0627\u0654\u0648\u0643\u0631\u0627\u0646\u064a\u0627"  # ا + hamza above ...
    s = scenario_from_text(f"Actor,Capability,Position,Salience\n{decomposed},1,50,50\n", "t.csv")
    assert s.actors[0].name.ar == "أوكرانيا"


def test_classic_arabic_names_go_to_ar():
    s = scenario_from_text("Actor,Capability,Position,Salience\nروسيا,5,70,90\n", "t.csv")
    assert s.actors[0].name.ar == "روسيا" and s.actors[0].id == "A1"


# --- KTAB ---------------------------------------------------------------------------------------


def test_ktab_csv_values():
    s = load_scenario(INPUTS / "SOE-Pol-Comp.csv")
    assert [i.id for i in s.issues] == ["Policy", "Competitive"]
    # "XJ,Xi Jinping,100.0,30,24.0,20,48.0,"
    assert _stance(s, "Xi Jinping", "Policy") == (100, 30, 24)
    assert _stance(s, "XJ", "Competitive") == (100, 20, 48)


def test_ktab_xml_equals_ktab_csv():
    a = load_scenario(INPUTS / "dummyData_3Dim.csv")
    b = load_scenario(INPUTS / "dummyData_3Dim.xml")
    key = ("actor", "issue", "position", "salience", "capability")
    assert [x.model_dump(include=set(key)) for x in a.stances] == [
        x.model_dump(include=set(key)) for x in b.stances
    ]
    c = load_scenario(INPUTS / "dummyData_3Dim-no-final-comma.csv")
    assert [x.model_dump(include=set(key)) for x in a.stances] == [
        x.model_dump(include=set(key)) for x in c.stances
    ]


def test_ktab_xml_keeps_alice_fixed_value_and_names_ignored_settings():
    s = load_scenario(INPUTS / "smpExample_fixed_AliceDim0_52.8.xml")
    assert _stance(s, "Alice", "FirstDim") == (117.7, 52.8, 32.3)
    assert s.description is not None and "ModelParameters" in s.description.en


def test_ktab_xml_refuses_doctype(tmp_path):
    f = tmp_path / "x.xml"
    f.write_text('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "b">]>\n<Scenario/>\n')
    with pytest.raises(InputError) as e:
        load_scenario(f)
    assert "document type declarations" in str(e.value)


# --- Decide -------------------------------------------------------------------------------------


def test_decide_sample_values_and_marked_scale():
    s = load_scenario(INPUTS / "sample_data.txt")
    iss = s.issue("tol-hoogte")
    assert (iss.scale.min, iss.scale.max) == (0.5, 7)  # '#M' 'tol-hoogte' 0.5 and 7
    # '#D' 'Willems' 'tol-hoogte' 3.0 0.7 1.0 (salience 0.7 of 1 = 70 of 100)
    assert _stance(s, "Willems", "tol-hoogte") == (1.0, 3.0, 70)


@pytest.mark.parametrize("delim", ["\t", ";", ","])
@pytest.mark.parametrize("quote", ["", "'", '"'])
def test_decide_delimiters_and_quotes(delim, quote):
    def row(*cells: str) -> str:
        return delim.join(f"{quote}{c}{quote}" if not c[0].isdigit() else c for c in cells)

    text = "\n".join(
        [
            row("#O", "A test"),
            row("#/", "a comment"),
            row("#A", "EU", "European Union"),
            row("#A", "US", "United States"),
            row("#P", "tariff", "Tariff level"),
            row("#M", "tariff", "10", "low tariff"),
            row("#M", "tariff", "40", "high tariff"),
            row("#D", "EU", "tariff", "20", "0.5", "0.3"),
            row("#D", "US", "tariff", "35", "0.9", "0.7"),
        ]
    )
    s = scenario_from_text(text, "d.csv")
    assert s.title.en == "A test"
    iss = s.issue("tariff")
    assert (iss.scale.min, iss.scale.max) == (10, 40)
    assert [a.label.en for a in iss.scale.anchors] == ["low tariff", "high tariff"]
    assert _stance(s, "European Union", "tariff") == (0.3, 20, 50)
    assert s.actor("EU").aliases == ["EU"]


def test_decide_no_marks_means_0_100_and_percent_saliences_stay():
    text = "#A\tX\n#A\tY\tY\n#P\ti\n#D\tX\ti\t30\t80\t1\n#D\tY\ti\t60\t0.5\t1\n"
    s = scenario_from_text(text, "d.txt")
    assert (s.issues[0].scale.min, s.issues[0].scale.max) == (0, 100)
    assert _stance(s, "Y", "i") == (1, 60, 0.5)  # a 0-100 file: 0.5 stays 0.5


def test_decide_every_broken_line_named(tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text(
        "#A\tX\tX\n#A\tX\tX again\n#P\ti\ti\n#Q\tnope\n"
        "#D\tX\ti\tabc\t0.5\t1\n#D\tZ\ti\t50\t0.5\t1\n#D\tX\tj\t50\t0.5\t1\n#D\tX\ti\t50\n"
    )
    with pytest.raises(InputError) as e:
        load_scenario(f)
    assert [p.render("en") for p in e.value.problems] == [
        f"{f}, line 2, #A id: actor 'X' is declared twice (first on line 1) — fix: declare each "
        "actor once",
        f"{f}, line 4: unknown tag '#Q' — fix: use #A, #P, #M, #D, #O or #/ (comment)",
        f"{f}, line 5, #D position: 'abc' is not a number — fix: write a number such as 42 or 0.5",
        f"{f}, line 6, #D actor: unknown actor 'Z' — fix: use one declared on a #A line: X",
        f"{f}, line 7, #D issue: unknown issue 'j' — fix: use one declared on a #P line: i",
        f"{f}, line 8, #D: #D needs 5 fields (actor, issue, position, salience, power), this line "
        "has 3 — fix: write: #D\tactor\tissue\tposition\tsalience\tpower",
    ]


def test_classic_fraction_table_keeps_positions_on_0_1():
    # Honduras: positions 1, 0, 0.5 and saliences 1, 1, 0.3, 0.1, 0.3. On 0–100 the assumed status
    # quo (50) lay a hundred times beyond every actor; the scale is 0–1, its middle 0.5.
    s = load_scenario(INPUTS / "HondurasCrisisData.csv")
    [issue] = s.issues
    assert (issue.scale.min, issue.scale.max, issue.status_quo) == (0, 1, 0.5)
    assert "Positions were given on 0–1" in (s.description.en if s.description else "")
    # a 0–100 table whose saliences happen to be fractions keeps its 0–100 scale
    t = scenario_from_text("Actor,Capability,Position,Salience\nA,1,40,0.5\nB,1,60,0.5\n", "t.csv")
    assert (t.issues[0].scale.min, t.issues[0].scale.max, t.issues[0].status_quo) == (0, 100, 50)
