"""The interface every bargaining model implements.

A model takes :class:`~qimma.scenario.arrays.ScenarioArrays` (draws × actors × issues) and returns a
:class:`ModelResult` whose outcome is on each issue's own scale. Dynamic models also return the
outcome and every actor's position by round. Models are pure: same arrays, same parameters, same
result; any randomness takes an explicit seed.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from qimma.scenario.arrays import FloatArray, ScenarioArrays


@dataclass
class ModelResult:
    model: str
    outcome: FloatArray  # (D, I) predicted outcome per draw and issue
    rounds: FloatArray | None = None  # (D, R+1, I) outcome by round, round 0 = the start
    positions: FloatArray | None = None  # (D, R+1, A, I) actor positions by round
    n_rounds: np.ndarray | None = None  # (D,) rounds actually run before stopping
    details: dict[str, Any] = field(default_factory=dict)

    def settlement(self, draw: int, issue: int) -> dict[str, Any] | None:
        """For dynamic models that report it: whether the rounds settled, and if not the range of
        outcomes the forecast summarises and the cycle length (0 = no exact cycle)."""
        if "settled" not in self.details:
            return None
        band = self.details["median_range"][draw, :, issue]
        return {
            "settled": bool(self.details["settled"][draw, issue]),
            "range": [float(band[0]), float(band[1])],
            "cycle_length": int(self.details["cycle_length"][draw, issue]),
            "rule": self.details.get("outcome_rule", ""),
        }

    def trajectory(self, draw: int, issue: int) -> list[float]:
        """Outcome by round for one draw and issue (empty for static models)."""
        if self.rounds is None:
            return []
        n = self.rounds.shape[1] if self.n_rounds is None else int(self.n_rounds[draw]) + 1
        return [float(x) for x in self.rounds[draw, :n, issue]]


class BargainingModel(ABC):
    """One published bargaining model."""

    name: ClassVar[str]
    title_en: ClassVar[str]
    title_ar: ClassVar[str]
    dynamic: ClassVar[bool] = False
    min_issues: ClassVar[int] = 1

    @abstractmethod
    def run(self, arrays: ScenarioArrays) -> ModelResult:
        """Forecast every draw and issue at once."""

    def title(self, lang: str) -> str:
        return self.title_ar if lang == "ar" else self.title_en
