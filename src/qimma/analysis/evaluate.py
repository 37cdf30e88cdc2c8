"""Run every chosen model once on a stack of draws: the vectorised inner step of all analyses.

A "chunk" is a contiguous range of draws. Its uniforms are regenerated from the seed wherever the
chunk runs (see :func:`qimma.analysis.sampling.uniforms`), so only the small input space and the
draw range travel to a worker process or a Dask worker, and the numbers are the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qimma.analysis.sampling import Distribution, InputSpace, arrays_from_uniforms, uniforms
from qimma.models.registry import MODELS, get_model, model_names
from qimma.scenario.arrays import FloatArray, ScenarioArrays


def static_models() -> list[str]:
    """Registered models that do not iterate over rounds: fast enough for the many runs of a
    sensitivity analysis or a what-if attribution (all models if none is static)."""
    names = [n for n in model_names() if not MODELS[n].dynamic]
    return names or model_names()


def runnable_models(models: list[str], n_issues: int) -> tuple[list[str], dict[str, str]]:
    """Models that can run on this many issues, and why the others cannot."""
    ok: list[str] = []
    skipped: dict[str, str] = {}
    for name in models:
        m = get_model(name)
        if n_issues < m.min_issues:
            skipped[name] = f"needs at least {m.min_issues} issues"
        else:
            ok.append(name)
    return ok, skipped


def run_models(arrays: ScenarioArrays, models: list[str]) -> dict[str, FloatArray]:
    """Each model called once on all the draws of `arrays`; outcome (D, I) per model."""
    return {name: np.asarray(get_model(name).run(arrays).outcome, dtype=float) for name in models}


def evaluate_uniforms(
    space: InputSpace, u: FloatArray, models: list[str], dist: Distribution
) -> dict[str, FloatArray]:
    return run_models(arrays_from_uniforms(space, u, dist), models)


@dataclass(frozen=True)
class Chunk:
    """Draws start..stop-1 of a seeded sweep over `space`."""

    space: InputSpace
    models: tuple[str, ...]
    dist: Distribution
    seed: int
    start: int
    stop: int


def run_chunk(chunk: Chunk) -> dict[str, FloatArray]:
    """Top-level (picklable) so that worker processes and Dask can call it."""
    u = uniforms(chunk.seed, chunk.start, chunk.stop, chunk.space.n_inputs)
    return evaluate_uniforms(chunk.space, u, list(chunk.models), chunk.dist)


@dataclass(frozen=True)
class UChunk:
    """Given uniforms (Sobol/Morris designs, conditional runs), evaluated anywhere."""

    space: InputSpace
    models: tuple[str, ...]
    dist: Distribution
    u: FloatArray


def run_uchunk(chunk: UChunk) -> dict[str, FloatArray]:
    return evaluate_uniforms(chunk.space, chunk.u, list(chunk.models), chunk.dist)
