"""The application layer: one request, one pipeline, one result, shared by every front end.

from qimma.app import RunRequest, run
result = run(scenario, RunRequest(draws=2000, seed=7))
result.named_probabilities()
"""

from __future__ import annotations

from qimma.app.pipeline import default_models, run
from qimma.app.progress import ProgressEvent, ProgressFn
from qimma.app.requests import (
    Analyses,
    EditionOptions,
    Execution,
    RunRequest,
    SensitivityOptions,
    check,
    parse_models,
    validate,
)
from qimma.app.result import RunResult
from qimma.models.registry import ModelSpec

__all__ = [
    "Analyses",
    "EditionOptions",
    "Execution",
    "ModelSpec",
    "ProgressEvent",
    "ProgressFn",
    "RunRequest",
    "RunResult",
    "SensitivityOptions",
    "check",
    "default_models",
    "parse_models",
    "run",
    "validate",
]
