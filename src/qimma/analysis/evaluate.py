"""Run every chosen model once on a stack of draws: the vectorised inner step of all analyses.

A "chunk" is a contiguous range of draws. Its uniforms are regenerated from the seed wherever the
chunk runs (see :func:`qimma.analysis.sampling.uniforms`), so only the small input space and the
draw range travel to a worker process or a Dask worker, and the numbers are the same everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from qimma.analysis.sampling import Distribution, InputSpace, arrays_from_uniforms, uniforms
from qimma.models.registry import (
    ModelRef,
    build_model,
    ref_name,
    runnable_models,
    static_models,
)
from qimma.scenario.arrays import FloatArray, ScenarioArrays

__all__ = ["runnable_models", "static_models"]


def run_models(arrays: ScenarioArrays, models: Sequence[ModelRef]) -> dict[str, FloatArray]:
    """Each model called once on all the draws of `arrays`; outcome (D, I) per model name."""
    return {
        ref_name(m): np.asarray(build_model(m).run(arrays).outcome, dtype=float) for m in models
    }


def evaluate_uniforms(
    space: InputSpace, u: FloatArray, models: Sequence[ModelRef], dist: Distribution
) -> dict[str, FloatArray]:
    return run_models(arrays_from_uniforms(space, u, dist), models)


@dataclass(frozen=True)
class Chunk:
    """Draws start..stop-1 of a seeded sweep over `space`."""

    space: InputSpace
    models: tuple[ModelRef, ...]
    dist: Distribution
    seed: int
    start: int
    stop: int


def run_chunk(chunk: Chunk) -> dict[str, FloatArray]:
    """Top-level (picklable) so that worker processes and Dask can call it."""
    u = uniforms(chunk.seed, chunk.start, chunk.stop, chunk.space.n_inputs)
    return evaluate_uniforms(chunk.space, u, chunk.models, chunk.dist)


@dataclass(frozen=True)
class UChunk:
    """Given uniforms (Sobol/Morris designs, conditional runs), evaluated anywhere."""

    space: InputSpace
    models: tuple[ModelRef, ...]
    dist: Distribution
    u: FloatArray


def run_uchunk(chunk: UChunk) -> dict[str, FloatArray]:
    return evaluate_uniforms(chunk.space, chunk.u, chunk.models, chunk.dist)
