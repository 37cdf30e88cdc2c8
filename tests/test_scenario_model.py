"""The scenario data model: field rules, cross-checks, YAML round trip, the shipped JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from pydantic import ValidationError

from qimma.errors import InputError
from qimma.scenario.formats import load_default_scenario, load_scenario
from qimma.scenario.model import Estimate, Scale, Scenario, Stance, Text, cross_check
from qimma.scenario.schema import scenario_json_schema, schema_text, shipped_schema_text
from qimma.scenario.yaml_format import (
    _fast_valid,
    careful_scenario_from_yaml_text,
    scenario_from_yaml_text,
    scenario_to_yaml,
)

SMALL = Path(__file__).parent / "fixtures" / "scenarios" / "small.yaml"
INPUTS = Path(__file__).parent / "fixtures" / "inputs"


def _stance(**kw) -> dict:
    base = {
        "actor": "A",
        "issue": "I",
        "position": {"value": 50},
        "salience": {"value": 50},
        "capability": {"value": 1},
    }
    base.update(kw)
    return base


def test_text_needs_one_language_and_falls_back():
    with pytest.raises(ValidationError):
        Text()
    t = Text(en="Russia")
    assert t.get("ar") == "Russia" and t.get("en") == "Russia"
    assert Text(ar="روسيا", en="Russia").get("ar") == "روسيا"


def test_estimate_range_must_contain_value():
    assert Estimate(value=5, low=1, high=9).lo == 1
    assert Estimate(value=5).hi == 5
    with pytest.raises(ValidationError, match="the range must contain the value"):
        Estimate(value=5, low=6)


def test_scale_bounds_ordered_and_two_anchors():
    anchors = [{"value": 0, "label": {"en": "a"}}, {"value": 10, "label": {"en": "b"}}]
    assert Scale(min=0, max=10, anchors=anchors).nearest_anchor(7).value == 10
    with pytest.raises(ValidationError, match="must be greater than min"):
        Scale(min=10, max=0, anchors=anchors)
    with pytest.raises(ValidationError):
        Scale(anchors=anchors[:1])


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("salience", {"value": 101}, "salience value 101 is outside 0-100"),
        ("salience", {"value": 50, "high": 120}, "salience high 120 is outside 0-100"),
        ("capability", {"value": -1}, "capability value -1 is negative"),
        ("capability", {"value": 1, "low": -2}, "capability low -2 is negative"),
    ],
)
def test_stance_ranges(field, value, message):
    with pytest.raises(ValidationError, match=message):
        Stance.model_validate(_stance(**{field: value}))


def test_numbers_must_be_finite():
    with pytest.raises(ValidationError):
        Stance.model_validate(_stance(position={"value": float("nan")}))


def test_unquoted_yaml_date_is_kept_as_text():
    text = SMALL.read_text("utf-8").replace(
        "date: '2025-08-16'\nsources", "date: 2025-08-16\nsources"
    )
    assert scenario_from_yaml_text(text).date == "2025-08-16"


def test_cross_check_reports_every_problem_with_its_path():
    s = Scenario.model_validate(
        {
            "id": "s",
            "title": {"en": "s"},
            "actors": [{"id": "A", "name": {"en": "a"}}, {"id": "A", "name": {"en": "b"}}],
            "issues": [
                {
                    "id": "I",
                    "name": {"en": "i"},
                    "scale": {"anchors": [{"value": 0, "label": {"en": "x"}},
                                          {"value": 90, "label": {"en": "y"}}]},
                    "status_quo": 120,
                }
            ],
            "stances": [_stance(), _stance(actor="B"), _stance(position={"value": 101})],
        }
    )  # fmt: skip
    assert [(p.path, p.message_en) for p in cross_check(s)] == [
        ("actors[1].id", "duplicate actor id 'A'"),
        ("issues[0].status_quo", "status quo 120 is outside the scale 0-100"),
        ("issues[0].scale.anchors", "the scale needs labelled anchors at both ends (0 and 100)"),
        ("stances[1].actor", "unknown actor 'B'"),
        ("stances[2]", "a second stance for actor 'A' on issue 'I'"),
        ("stances[2].position", "position 101 is outside the scale of issue 'I' (0-100)"),
    ]


def test_yaml_round_trip_small_and_default():
    for scenario in (load_scenario(SMALL), load_default_scenario()):
        assert scenario_from_yaml_text(scenario_to_yaml(scenario)) == scenario


def test_fast_and_careful_yaml_readers_agree():
    texts = [SMALL.read_text("utf-8"), scenario_to_yaml(load_default_scenario())]
    texts.append(scenario_to_yaml(load_scenario(INPUTS / "sample_data.txt")))
    texts.append(texts[0].replace("status_quo: 50", "status_quo: 050").replace("90}", "9e1}"))
    for text in texts:
        fast = _fast_valid(text, "<test>")
        assert fast is not None
        assert fast == careful_scenario_from_yaml_text(text)


def test_yaml_alias_bomb_is_refused():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for k in range(1, 8):
        bomb += f"{chr(97 + k)}: &{chr(97 + k)} [" + ", ".join([f"*{chr(96 + k)}"] * 10) + "]\n"
    with pytest.raises(InputError, match="expands to more than"):
        scenario_from_yaml_text(bomb, "bomb.yaml")


def test_shipped_schema_is_the_generated_one():
    assert shipped_schema_text() == schema_text(), "run: python -m qimma.scenario.schema"


@pytest.mark.parametrize("name", ["small", "default", "copenhagen.csv", "SOE-Pol-Comp.csv"])
def test_scenarios_satisfy_the_schema(name):
    if name == "small":
        scenario = load_scenario(SMALL)
    elif name == "default":
        scenario = load_default_scenario()
    else:
        scenario = load_scenario(INPUTS / name)
    data = json.loads(scenario.model_dump_json(exclude_none=True))
    jsonschema.validate(data, scenario_json_schema())


def test_schema_rejects_what_the_model_rejects():
    data = json.loads(load_scenario(SMALL).model_dump_json(exclude_none=True))
    data["stances"][0]["basis"] = "guess"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, scenario_json_schema())


def test_docs_example_is_the_fixture_and_valid():
    docs = (Path(__file__).parents[1] / "docs" / "scenario-format.md").read_text("utf-8")
    example = docs.split("```yaml\n", 1)[1].split("```", 1)[0]
    assert example == SMALL.read_text("utf-8")
    assert scenario_from_yaml_text(example, "docs example").id == "ceasefire-demo"
