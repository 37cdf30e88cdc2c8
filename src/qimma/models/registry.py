"""The models qimma knows, by name. Each model module adds one line here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from qimma import i18n
from qimma.errors import InputError, NotFoundError
from qimma.models.base import BargainingModel
from qimma.models.compromise import CompromiseModel
from qimma.models.eum import EUModel
from qimma.models.exchange import ExchangeModel
from qimma.models.median import MedianModel
from qimma.models.nash import NashModel
from qimma.models.smp import SMPModel

MODELS: dict[str, type[BargainingModel]] = {
    CompromiseModel.name: CompromiseModel,
    MedianModel.name: MedianModel,
    EUModel.name: EUModel,
    NashModel.name: NashModel,
    ExchangeModel.name: ExchangeModel,
    SMPModel.name: SMPModel,
}


def model_names() -> list[str]:
    return list(MODELS)


def get_model(name: str, **params: Any) -> BargainingModel:
    try:
        cls = MODELS[name]
    except KeyError:
        known = ", ".join(MODELS)
        raise NotFoundError.single(
            f"unknown model '{name}'",
            f"نموذج غير معروف '{name}'",
            fix_en=f"use one of: {known}",
            fix_ar=f"استخدم أحد: {known}",
        ) from None
    return cls(**params)


@dataclass(frozen=True)
class ModelSpec:
    """A model by name with its parameters (e.g. eum's `q`, nash's `utility`): picklable, so a
    worker process or a Dask worker builds the same model."""

    name: str
    params: dict[str, Any] = field(default_factory=dict, hash=False, compare=True)

    def build(self) -> BargainingModel:
        return get_model(self.name, **self.params)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "params": dict(self.params)}


ModelRef = str | ModelSpec  # a registered model by name (default parameters), or with parameters


def ref_name(ref: ModelRef) -> str:
    return ref if isinstance(ref, str) else ref.name


def build_model(ref: ModelRef) -> BargainingModel:
    return get_model(ref) if isinstance(ref, str) else ref.build()


def runnable_models(
    models: Sequence[ModelRef], n_issues: int
) -> tuple[list[ModelRef], dict[str, str]]:
    """The one rule of which models can run on this many issues, and why the others cannot
    (in English; `skip_reason_ar` gives the Arabic)."""
    ok: list[ModelRef] = []
    skipped: dict[str, str] = {}
    for ref in models:
        need = get_model(ref_name(ref)).min_issues
        if n_issues < need:
            skipped[ref_name(ref)] = i18n.t("common.skipped_issues", "en", n=need)
        else:
            ok.append(ref)
    return ok, skipped


def static_models(models: Sequence[ModelRef] | None = None) -> list[ModelRef]:
    """The models among `models` (default: every registered one) that do not iterate over
    rounds, fast enough for the many runs of the editions drift, the signpost events and the
    what-if attribution; all of them when none is static."""
    chosen: list[ModelRef] = list(models) if models is not None else list(model_names())
    static = [m for m in chosen if not MODELS[ref_name(m)].dynamic]
    return static or chosen


def skip_reason_ar(name: str) -> str:
    return i18n.t("common.skipped_issues", "ar", n=get_model(name).min_issues)


def ensemble_mean(outcomes: Sequence[np.ndarray]) -> np.ndarray:
    """The ensemble: the unweighted mean over models, NaN-aware (a model without a value for a
    draw and issue is left out of that cell's mean; all NaN stays NaN)."""
    stack = np.asarray(list(outcomes), dtype=float)
    with np.errstate(all="ignore"):
        count = np.sum(~np.isnan(stack), axis=0)
        total = np.nansum(stack, axis=0)
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def parse_model_list(spec: str | None) -> list[str]:
    """'eum,smp' -> ['eum', 'smp']; None or 'all' -> every model."""
    if spec is None or spec.strip() in ("", "all"):
        return model_names()
    names = [s.strip() for s in spec.split(",") if s.strip()]
    if not names:  # e.g. "," — an empty list would silently mean "every model"
        raise InputError.single(
            "the list of models names no model",
            "قائمة النماذج لا تسمّي أي نموذج",
            fix_en="name at least one model, e.g. compromise, or none for every model",
            fix_ar="سمِّ نموذجًا واحدًا على الأقل، مثل compromise، أو لا شيء لكل النماذج",
        )
    for n in names:
        get_model(n)  # raises a clear error for unknown names
    return names
