"""Small scenarios built in tests: actors A and B on one issue X (0–100, status quo 50)."""

from __future__ import annotations

from typing import Any

from qimma.scenario.model import Scenario


def stance(actor: str, position: dict[str, float], salience: float, capability: float) -> dict:
    """A stance on issue X; `position` as the file writes it ({"value": 30, "low": 20, ...})."""
    return {
        "actor": actor,
        "issue": "X",
        "position": position,
        "salience": {"value": salience},
        "capability": {"value": capability},
    }


def one_issue(sid: str, stances: list[dict[str, Any]], **more: Any) -> Scenario:
    """Actors A and B, issue X on 0–100 (anchors 'lo', 'hi') with status quo 50, the given
    stances, and any further fields (tracks, outside options) as the scenario file writes them."""
    return Scenario.model_validate(
        {
            "id": sid,
            "title": {"en": sid},
            "actors": [{"id": "A", "name": {"en": "A"}}, {"id": "B", "name": {"en": "B"}}],
            "issues": [
                {
                    "id": "X",
                    "name": {"en": "X"},
                    "status_quo": 50,
                    "scale": {
                        "anchors": [
                            {"value": 0, "label": {"en": "lo"}},
                            {"value": 100, "label": {"en": "hi"}},
                        ]
                    },
                }
            ],
            "stances": stances,
            **more,
        }
    )
