"""Turning form fields into a valid scenario, with messages placed next to the fields."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from qimma.errors import Problem
from qimma.scenario.model import Scenario, cross_check
from qimma.scenario.validation import problems_from_validation
from qimma.scenario.yaml_format import format_loc


class FormErrors(Exception):
    """Field name -> message, for display next to each field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def number(form: dict[str, str], name: str, lang: str, errors: dict[str, str]) -> float | None:
    raw = (form.get(name) or "").strip()
    if raw == "":
        return None
    try:
        x = float(raw.replace("٫", ".").translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")))
    except ValueError:
        errors[name] = "write a number such as 42" if lang == "en" else "اكتب عددًا مثل 42"
        return None
    if x != x or x in (float("inf"), float("-inf")):
        errors[name] = "write a finite number" if lang == "en" else "اكتب عددًا محدودًا"
        return None
    return x


def validate(data: dict[str, Any], lang: str) -> tuple[Scenario | None, list[Problem]]:
    """Validate a scenario dict; returns the scenario or the problems (with field paths)."""
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as e:
        # the validator's own words ("String should match pattern…") never reach the user: the
        # same located, bilingual problems as a scenario file gets
        return None, problems_from_validation(e, "", lambda loc: (None, format_loc(tuple(loc))))
    probs = cross_check(scenario)
    return (None, probs) if probs else (scenario, [])


def field_of(path: str) -> str:
    """Map 'stances[3].salience.low' to the form field 'salience_low'."""
    parts = path.replace("]", "").split(".")
    tail = [p for p in parts if not p.startswith("stances[")]
    if len(tail) >= 2 and tail[-1] in ("value", "low", "high"):
        return tail[-2] if tail[-1] == "value" else f"{tail[-2]}_{tail[-1]}"
    return tail[-1] if tail else "form"
