"""The JSON Schema of the scenario format, generated from the Pydantic models.

The schema ships with the package as `qimma/data/scenario.schema.json` so that editors (e.g. the
YAML language server) can check and complete scenario files. Regenerate it after changing
`model.py`:

    python -m qimma.scenario.schema
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from qimma.scenario.model import Scenario

SCHEMA_RESOURCE = "scenario.schema.json"
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def scenario_json_schema() -> dict[str, Any]:
    schema = Scenario.model_json_schema()
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "qimma scenario",
        "description": "A negotiation as actors × issues with stances, evidence, outcomes and "
        "levers. Field by field: docs/scenario-format.md. Cross-field rules (unknown ids, "
        "duplicates, values off an issue's scale) are checked by `qimma validate`, not here.",
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
    }


def schema_text() -> str:
    return json.dumps(scenario_json_schema(), ensure_ascii=False, indent=2) + "\n"


def shipped_schema_text() -> str:
    return resources.files("qimma.data").joinpath(SCHEMA_RESOURCE).read_text("utf-8")


def write_shipped_schema() -> Path:
    path = Path(str(resources.files("qimma.data").joinpath(SCHEMA_RESOURCE)))
    path.write_text(schema_text(), encoding="utf-8")
    return path


if __name__ == "__main__":
    print(write_shipped_schema())
