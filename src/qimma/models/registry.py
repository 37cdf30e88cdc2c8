"""The models qimma knows, by name. Each model module adds one line here."""

from __future__ import annotations

from typing import Any

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


def parse_model_list(spec: str | None) -> list[str]:
    """'eum,smp' -> ['eum', 'smp']; None or 'all' -> every model."""
    if spec is None or spec.strip() in ("", "all"):
        return model_names()
    names = [s.strip() for s in spec.split(",") if s.strip()]
    if not names:  # e.g. "," — an empty list would silently mean "every model"
        raise InputError.single(
            "--model names no model",
            "الخيار --model لا يسمّي أي نموذج",
            fix_en="name at least one model, e.g. --model compromise, or leave --model out",
            fix_ar="سمِّ نموذجًا واحدًا على الأقل، مثل --model compromise، أو احذف --model",
        )
    for n in names:
        get_model(n)  # raises a clear error for unknown names
    return names
