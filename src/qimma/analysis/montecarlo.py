"""Monte Carlo over the experts' ranges: every model, all draws in one vectorised call.

    result = run_monte_carlo(scenario, models=["compromise", "median"], draws=10_000, seed=1)
    result.issue_stats()            # mean, median, 50% and 80% intervals, histogram
    result.outcome_probabilities()  # named outcomes, ICD-203 wording, confidence

With one worker each model is called once on the whole (draws × actors × issues) stack. With
`workers` > 1 or a Dask scheduler, the draw axis is cut into chunks and each model is called
once per chunk. The draws themselves depend only on the seed (see sampling.uniforms), so the
result is byte-identical for any number of workers, as long as every model treats its draws
independently (tests/test_analysis_montecarlo.py checks that for every registered model).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from qimma.analysis.deal import DrawContext, deal_summary, draw_context
from qimma.analysis.evaluate import Chunk, run_chunk, run_models
from qimma.analysis.judgements import JudgementResult, judgement_results
from qimma.analysis.levers import apply_levers, find_levers
from qimma.analysis.outcomes import (
    Evaluation,
    OutcomeProbability,
    evaluate,
    evidence_shares,
    outcome_probabilities,
)
from qimma.analysis.parallel import Progress, map_ordered
from qimma.analysis.sampling import (
    Distribution,
    InputSpace,
    arrays_from_uniforms,
    input_space,
    uniforms,
)
from qimma.errors import InputError
from qimma.limits import check_draws, check_seed
from qimma.models.cost import check_cost, estimate, max_draws_per_call
from qimma.models.registry import (
    ModelRef,
    ensemble_mean,
    model_names,
    ref_name,
    runnable_models,
)
from qimma.scenario.arrays import FloatArray
from qimma.scenario.model import Scenario

POOLED = "pooled"
HIST_BINS = 20
# draws × actors × issues per model call: 4 M cells is 32 MB per float array and up to ~100 MB of
# uniforms (three per stance); larger runs are cut into chunks, which gives the same bytes because
# every model treats its draws independently (10,000 draws of the default scenario: one call)
MAX_CELLS_PER_CALL = 4_000_000
__all__ = ["check_draws", "check_seed"]


@dataclass
class IssueStats:
    issue: str
    model: str  # a model name or "pooled" (all models' draws, each model weighted equally)
    mean: float
    median: float
    q10: float
    q25: float
    q75: float
    q90: float
    hist_edges: list[float]
    hist_counts: list[int]

    def to_json(self) -> dict[str, Any]:
        return {
            "issue": self.issue,
            "model": self.model,
            "mean": self.mean,
            "median": self.median,
            "interval_50": [self.q25, self.q75],
            "interval_80": [self.q10, self.q90],
            "histogram": {"edges": self.hist_edges, "counts": self.hist_counts},
        }


@dataclass
class MonteCarloResult:
    scenario: Scenario
    space: InputSpace
    models: list[str]
    draws: int
    seed: int
    dist: Distribution
    outcomes: dict[str, FloatArray]  # model -> (draws, issues), on each issue's scale
    levers: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    refs: list[ModelRef] = field(default_factory=list)  # the models with their parameters
    model_error: bool = True  # add each model's DEU III error before reading named outcomes
    _evals: dict[str, Evaluation] | None = field(default=None, repr=False)

    def context(self) -> DrawContext:
        """What the deal test reads besides the forecasts (analysis/deal.py)."""
        return draw_context(
            self.space, self.seed, self.draws, self.dist, with_error=self.model_error
        )

    def evaluations(self) -> dict[str, Evaluation]:
        """Each model's draws read as named outcomes (computed once)."""
        if self._evals is None:
            ctx = self.context()
            self._evals = {
                m: evaluate(self.scenario, self.outcomes[m], ctx, m) for m in self.models
            }
        return self._evals

    def deal_summary(self) -> dict[str, Any]:
        """Per track: share of draws with a deal and per veto player share rejecting, by model."""
        return deal_summary(self.scenario, self.evaluations(), self.model_error)

    def judgements(self) -> list[JudgementResult]:
        return judgement_results(self.scenario, self.evaluations())

    def pooled(self) -> FloatArray:
        """All models' draws stacked, shape (models × draws, issues): equal weight per model."""
        return np.concatenate([self.outcomes[m] for m in self.models], axis=0)

    def ensemble(self) -> FloatArray:
        """Per draw, the unweighted mean over models, shape (draws, issues)."""
        return ensemble_mean([self.outcomes[m] for m in self.models])

    def issue_stats(self, include_models: bool = True) -> list[IssueStats]:
        out: list[IssueStats] = []
        cols = ([*self.models] if include_models else []) + [POOLED]
        pooled = self.pooled()  # stacked once, not once per issue
        for k, issue in enumerate(self.scenario.issues):
            edges = np.linspace(issue.scale.min, issue.scale.max, HIST_BINS + 1)
            for m in cols:
                x = pooled[:, k] if m == POOLED else self.outcomes[m][:, k]
                q = np.quantile(x, [0.1, 0.25, 0.5, 0.75, 0.9])
                counts, _ = np.histogram(np.clip(x, edges[0], edges[-1]), bins=edges)
                out.append(
                    IssueStats(
                        issue=issue.id,
                        model=m,
                        mean=float(x.mean()),
                        median=float(q[2]),
                        q10=float(q[0]),
                        q25=float(q[1]),
                        q75=float(q[3]),
                        q90=float(q[4]),
                        hist_edges=[float(e) for e in edges],
                        hist_counts=[int(c) for c in counts],
                    )
                )
        return out

    def outcome_probabilities(self) -> list[OutcomeProbability]:
        return outcome_probabilities(self.scenario, self.space, self.evaluations(), self.seed)

    def to_json(self, probabilities: list[OutcomeProbability] | None = None) -> dict[str, Any]:
        """As plain data; `probabilities`, when already computed, are not computed again."""
        probs = self.outcome_probabilities() if probabilities is None else probabilities
        return {
            "scenario": self.scenario.id,
            "draws": self.draws,
            "seed": self.seed,
            "distribution": self.dist.value,
            "models": self.models,
            "levers": self.levers,
            "skipped": [{"model": m, "reason": r} for m, r in self.skipped.items()],
            "issues": [s.to_json() for s in self.issue_stats()],
            "outcomes": [p.to_json() for p in probs],
            "basis_shares": {i: evidence_shares(self.space, [i]) for i in self.space.issue_ids},
            "deal": self.deal_summary(),
            "judgements": [j.to_json() for j in self.judgements()],
        }


def chunk_bounds(draws: int, n_chunks: int) -> list[tuple[int, int]]:
    n = max(1, min(n_chunks, draws))
    size = math.ceil(draws / n)
    return [(s, min(draws, s + size)) for s in range(0, draws, size)]


def n_chunks(
    workers: int,
    scheduler: str | None,
    client: Any,
    chunks: int | None,
    cells: int = 0,
) -> int:
    """Chunks of the draw axis: in process one (unless `cells`, draws × actors × issues, is
    above MAX_CELLS_PER_CALL), else a few per worker (load balance)."""
    if chunks is not None:
        return max(1, chunks)
    by_cells = max(1, math.ceil(cells / MAX_CELLS_PER_CALL))
    if workers <= 1 and client is None and scheduler is None:
        return by_cells
    # a few chunks per worker for load balance, but never larger calls than in one process:
    # every worker holds one call's arrays at a time
    return max(2 * workers, 4, by_cells)


def law_chunks(
    models: Sequence[ModelRef], draws: int, shape: tuple[int, int], workers: int, *, local: bool
) -> int:
    """Chunks the models' memory laws impose: no call larger than one process may make, and
    `workers` local processes, each holding a call at once, together no more than that. The
    command itself is one more process on the same machine (its interpreter, the finished
    chunks), so K local workers share one call's memory K + 1 ways: measured with smp in
    benchmarks/bench_worker_memory.py, K shares left the K workers and the command 1.15 times
    above the one-process peak (docs/performance.md, "Worker and Dask memory")."""
    per_call = max_draws_per_call([ref_name(m) for m in models], *shape)
    if local and workers > 1:
        per_call = max(1, per_call // (workers + 1))
    return math.ceil(draws / per_call)


def progress_total(
    models: Sequence[ModelRef],
    workers: int,
    scheduler: str | None,
    chunks: int | None,
    cells: int = 0,
    draws: int = 0,
    shape: tuple[int, int] | None = None,
) -> int:
    """How many ticks :func:`sweep` reports: one per model in process, else one per chunk
    (`draws` and the (actors, issues) `shape`: also the chunks the memory laws impose)."""
    c = n_chunks(workers, scheduler, None, chunks, cells)
    if draws and shape is not None:
        c = max(c, law_chunks(models, draws, shape, workers, local=scheduler is None))
    if c == 1 and workers <= 1 and scheduler is None:
        return len(models)
    return c


def sweep(
    space: InputSpace,
    models: Sequence[ModelRef],
    draws: int,
    seed: int,
    dist: Distribution = Distribution.triangular,
    *,
    workers: int = 1,
    scheduler: str | None = None,
    client: Any = None,
    chunks: int | None = None,
    progress: Progress | None = None,
) -> dict[str, FloatArray]:
    """Every model's outcome (draws, issues) on `draws` seeded draws of `space`."""
    check_draws(draws)
    check_seed(seed)
    # one call per model unless the stack would not fit comfortably in memory
    chunks = n_chunks(workers, scheduler, client, chunks, draws * space.present.size)
    # and no call larger than the models' memory laws allow (pairwise models grow as actors²)
    local = client is None and scheduler is None
    chunks = max(chunks, law_chunks(models, draws, space.present.shape, workers, local=local))
    if chunks == 1 and workers <= 1 and client is None and scheduler is None:
        # in process: build the stack once and call each model once, ticking per model
        u = uniforms(seed, 0, draws, space.n_inputs)
        arrays = arrays_from_uniforms(space, u, Distribution(dist))
        out: dict[str, FloatArray] = {}
        for m in models:
            out.update(run_models(arrays, [m]))
            if progress:
                progress(1)
        return out
    tasks = [
        Chunk(space, tuple(models), Distribution(dist), seed, a, b)
        for a, b in chunk_bounds(draws, chunks)
    ]
    parts = map_ordered(
        run_chunk, tasks, workers=workers, scheduler=scheduler, client=client, progress=progress
    )
    if len(parts) == 1:
        return parts[0]
    names = [ref_name(m) for m in models]
    return {m: np.concatenate([p[m] for p in parts], axis=0) for m in names}


def run_monte_carlo(
    scenario: Scenario,
    models: Sequence[ModelRef] | None = None,
    draws: int = 10_000,
    seed: int = 0,
    *,
    dist: Distribution | str = Distribution.triangular,
    levers: list[str] | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    client: Any = None,
    chunks: int | None = None,
    progress: Progress | None = None,
    model_error: bool = True,
) -> MonteCarloResult:
    """Sample every stance within its range and run each model on all draws.

    `levers` (ids declared in the scenario) are applied to the input space first; the same seed
    then gives the same uniforms, so a lever run and a baseline run share random numbers."""
    refs, skipped = runnable_models(models or model_names(), len(scenario.issues))
    if not refs:
        raise InputError.single(
            "none of the chosen models can run on this scenario",
            "لا يمكن تشغيل أي من النماذج المختارة على هذا السيناريو",
            fix_en="; ".join(f"{m}: {r}" for m, r in skipped.items()),
            fix_ar="اختر نموذجًا آخر",
        )
    space = input_space(scenario)
    n_actors, n_issues = space.present.shape
    cost = estimate([ref_name(r) for r in refs], n_actors, n_issues, draws, cores=max(1, workers))
    check_cost(cost, on_cluster=scheduler is not None or client is not None)
    lever_ids = list(levers or [])
    if lever_ids:
        space = apply_levers(space, find_levers(scenario, lever_ids))
    d = Distribution(dist)
    outcomes = sweep(
        space,
        refs,
        draws,
        seed,
        d,
        workers=workers,
        scheduler=scheduler,
        client=client,
        chunks=chunks,
        progress=progress,
    )
    names = [ref_name(r) for r in refs]
    return MonteCarloResult(
        scenario,
        space,
        names,
        draws,
        seed,
        d,
        outcomes,
        lever_ids,
        skipped,
        refs=refs,
        model_error=model_error,
    )
