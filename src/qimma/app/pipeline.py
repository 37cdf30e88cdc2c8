"""The one pipeline: forecast → Monte Carlo → named outcomes → what-if → sensitivity and
signposts → backtest summary. Every surface calls `run` and renders its RunResult."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from qimma.analysis.levers import changes_by_mover, find_levers
from qimma.analysis.montecarlo import MonteCarloResult, progress_total, run_monte_carlo
from qimma.analysis.outcomes import evidence_shares
from qimma.analysis.sampling import input_space
from qimma.analysis.whatif import MAX_SHAPLEY
from qimma.app.progress import ProgressFn, Tracker
from qimma.app.requests import RunRequest, SensitivityOptions, check
from qimma.app.result import RunResult
from qimma.errors import QimmaError
from qimma.forecast import run_forecast
from qimma.models._jit import compile_seconds, models_to_compile
from qimma.models.cost import Announcement, announcement, estimate
from qimma.models.registry import ModelRef, ModelSpec, model_names, ref_name, static_models
from qimma.scenario.editions import ordered_editions
from qimma.scenario.model import Scenario

WEIGHTS = {
    "forecast": 0.05,
    "montecarlo": 0.5,
    "whatif": 0.6,
    "sensitivity": 0.3,
    "signposts": 0.1,
    "editions": 0.2,
    "backtest": 0.05,
}


def default_models() -> tuple[ModelSpec, ...]:
    """The default model set: every registered model (those that cannot run on a scenario are
    skipped, with the reason, by the one rule in qimma.models.registry.runnable_models)."""
    return tuple(ModelSpec(n) for n in model_names())


def many_run_models(request: RunRequest, refs: list[ModelSpec]) -> list[ModelRef]:
    """The models of the analyses that run one Monte Carlo per input or event (signpost search,
    signpost events, editions drift): the models the request names, or by default the static
    ones among them (the iterating models would make these minutes long)."""
    return list(refs) if request.models else static_models(refs)


def _whatif_sweeps(scenario: Scenario, request: RunRequest) -> int:
    """Monte Carlo sweeps a what-if runs beyond its baseline: the lever run, and for two or more
    movers the attribution's subsets (Shapley up to MAX_SHAPLEY movers, else one at a time)."""
    movers = len(changes_by_mover(find_levers(scenario, list(request.levers))))
    return 1 + ((2**movers - 2 if movers <= MAX_SHAPLEY else movers) if movers > 1 else 0)


def _sensitivity_rows(scenario: Scenario, opts: SensitivityOptions) -> int:
    """Design rows of a sensitivity run: N·(K + 2) for Sobol, r·(K + 1) for Morris, for its K
    inputs (stances and outside options with a range)."""
    from qimma.analysis.sensitivity import sensitivity_inputs

    k = len(sensitivity_inputs(scenario, input_space(scenario)))
    return opts.n * (k + 2 if opts.method == "sobol" else k + 1)


def _stages(scenario: Scenario, request: RunRequest) -> dict[str, float]:
    a = request.analyses
    chosen = {
        "forecast": True,
        "montecarlo": a.montecarlo or bool(request.levers),
        "whatif": bool(request.levers),
        "sensitivity": a.sensitivity is not None,
        "signposts": a.sensitivity is not None and bool(scenario.outcomes),
        "editions": a.editions is not None and len(ordered_editions(scenario)) >= 2,
        "backtest": a.backtest,
    }
    return {s: w for s, w in WEIGHTS.items() if chosen[s]}


def announce(scenario: Scenario, request: RunRequest) -> Announcement | None:
    """What a run will take, said before it starts when that is more than ANNOUNCE_S: the cost
    model's estimate of its Monte Carlo draws (the what-if's extra sweeps and the sensitivity
    design rows counted as draws); None for a short run."""
    refs = request.model_refs(scenario)
    if not refs:
        return None
    a = request.analyses
    draws = request.draws if a.montecarlo or request.levers else 1
    if request.levers:
        draws *= 1 + _whatif_sweeps(scenario, request)
    if a.sensitivity is not None:
        draws += _sensitivity_rows(scenario, a.sensitivity) + a.sensitivity.signpost_draws
    e = request.execution
    cost = estimate(
        [ref_name(r) for r in refs],
        len(scenario.actors),
        len(scenario.issues),
        draws,
        cores=e.workers,
    )
    return announcement(cost, on_cluster=e.scheduler is not None)


def _model_calls(scenario: Scenario, request: RunRequest) -> list[tuple[list[str], int]]:
    """The models of each part of a run and the draws of its largest model call (what decides
    whether their kernels are compiled: qimma.models._jit)."""
    from qimma.analysis.sensitivity import EVAL_CHUNK

    refs = request.model_refs(scenario)
    names = [ref_name(r) for r in refs]
    many = [ref_name(r) for r in many_run_models(request, list(refs))]
    a = request.analyses
    calls = [(names, 1)]  # the point forecast: one draw
    if a.montecarlo or request.levers:
        calls.append((names, request.draws))
    if a.sensitivity is not None:
        calls.append((names, min(_sensitivity_rows(scenario, a.sensitivity), EVAL_CHUNK)))
        if scenario.outcomes:
            calls.append((many, a.sensitivity.signpost_draws))
    if "editions" in _stages(scenario, request) and a.editions is not None:
        calls.append((many, a.editions.draws))
    return calls


@dataclass(frozen=True)
class Preview:
    """What a valid run says before it starts: its estimate when it is long (None when short),
    and the models whose Numba kernels it compiles first (once per version), with the CPU
    seconds that takes."""

    estimate: Announcement | None
    compiling: tuple[str, ...]
    compile_seconds: int


def preview(scenario: Scenario, request: RunRequest) -> Preview:
    a, i = len(scenario.actors), len(scenario.issues)
    pending: list[str] = []
    for names, draws in _model_calls(scenario, request):
        pending += [m for m in models_to_compile(names, draws, a, i) if m not in pending]
    return Preview(announce(scenario, request), tuple(pending), compile_seconds(pending))


def run(
    scenario: Scenario,
    request: RunRequest,
    progress: ProgressFn | None = None,
    before: Callable[[Preview], None] | None = None,
) -> RunResult:
    """Validate `request` on `scenario` (InputError with every located problem), then run it.
    `before`, if given, hears the run's preview once the request is valid, before any work."""
    check(request, scenario)
    if before is not None:
        before(preview(scenario, request))
    track = Tracker(_stages(scenario, request), progress)
    chosen = list(request.models or default_models())
    models = len(chosen)
    done = [0]

    def model_tick(name: str) -> None:
        track.report("forecast", done[0], models, "models")
        done[0] += 1

    fc = run_forecast(scenario, chosen, progress=model_tick)
    refs = [r for r in chosen if ref_name(r) in fc.results]
    res = RunResult(scenario, request, fc, [ref_name(r) for r in refs])
    if request.analyses.montecarlo or request.levers:
        mc = _montecarlo(scenario, request, refs, track)
        res.monte_carlo = mc
        res.probabilities = mc.outcome_probabilities() if scenario.outcomes else []
        res.issue_stats = mc.issue_stats()
        res.deal = mc.deal_summary()
        res.judgements = mc.judgements()
        res.basis_shares = {i: evidence_shares(mc.space, [i]) for i in mc.space.issue_ids}
        if request.levers:
            res.whatif = _whatif(scenario, request, mc, track)
    if request.analyses.sensitivity is not None:
        _sensitivity(res, refs, request.analyses.sensitivity, track)
    if "editions" in track.share:
        _editions(res, refs, track)
    if request.analyses.backtest:
        from qimma.backtest.summary import backtest_summary

        track.report("backtest", 0, 1, "steps")
        res.backtest = backtest_summary(res.models)
    track.done()
    return res


def _exec(request: RunRequest) -> dict[str, Any]:
    e = request.execution
    return {"workers": e.workers, "scheduler": e.scheduler}


def _ticks_per_sweep(scenario: Scenario, request: RunRequest, refs: list[ModelSpec]) -> int:
    e = request.execution
    cells = request.draws * len(scenario.actors) * len(scenario.issues)
    shape = (len(scenario.actors), len(scenario.issues))
    return progress_total(list(refs), e.workers, e.scheduler, e.chunks, cells, request.draws, shape)


def _montecarlo(
    scenario: Scenario, request: RunRequest, refs: list[ModelSpec], track: Tracker
) -> MonteCarloResult:
    per = request.draws / _ticks_per_sweep(scenario, request, refs)
    tick = track.counter("montecarlo", request.draws, "draws", per)
    return run_monte_carlo(
        scenario,
        refs,
        request.draws,
        request.seed,
        dist=request.distribution,
        chunks=request.execution.chunks,
        progress=tick,
        model_error=request.model_error,
        **_exec(request),
    )


def _whatif(scenario: Scenario, request: RunRequest, base: MonteCarloResult, track: Tracker) -> Any:
    from qimma.analysis.whatif import run_whatif

    sweeps = _whatif_sweeps(scenario, request)
    refs = [r for r in base.refs if isinstance(r, ModelSpec)]
    per = request.draws / _ticks_per_sweep(scenario, request, refs)
    tick = track.counter("whatif", sweeps * request.draws, "draws", per)
    return run_whatif(
        scenario,
        list(request.levers),
        baseline=base,
        progress=tick,
        **_exec(request),
    )


def _sensitivity(
    res: RunResult, refs: list[ModelSpec], opts: SensitivityOptions, track: Tracker
) -> None:
    from qimma.analysis.sensitivity import EVAL_CHUNK, run_sensitivity
    from qimma.analysis.signpost_events import event_signposts
    from qimma.analysis.signposts import find_signposts, pivotal_actors

    scn, req = res.scenario, res.request
    rows = _sensitivity_rows(scn, opts)
    tick = track.counter("sensitivity", rows, "samples", EVAL_CHUNK)
    try:
        res.sensitivity = run_sensitivity(
            scn, refs, method=opts.method, n=opts.n, seed=req.seed, progress=tick, **_exec(req)
        )
    except QimmaError as e:  # e.g. no stance has a range: nothing is uncertain
        res.notes["sensitivity"] = e.render("en")
        res.notes["sensitivity_ar"] = e.render("ar")
        return
    if scn.outcomes:
        track.report("signposts", 0, 1, "steps")
        res.signposts = find_signposts(
            scn,
            many_run_models(req, refs),  # one Monte Carlo per candidate input and level
            draws=opts.signpost_draws,
            seed=req.seed,
            dist=req.distribution,
            sensitivity=res.sensitivity,
            workers=req.execution.workers,
        )
        if scn.signposts:
            # the static models, as for the drift: one Monte Carlo per event
            res.events = event_signposts(
                scn, many_run_models(req, refs), draws=opts.signpost_draws, seed=req.seed
            )
    if opts.pivotal:
        res.pivotal = pivotal_actors(scn, refs)


def _editions(res: RunResult, refs: list[ModelSpec], track: Tracker) -> None:
    """The drift between two editions (point forecasts and named outcomes), attributed to each
    changed stance one at a time. One Monte Carlo per changed stance: the static models of the
    run (the section names them)."""
    from qimma.analysis.drift import drift, drift_runs

    scn, req = res.scenario, res.request
    opts = req.analyses.editions
    assert opts is not None
    eds = ordered_editions(scn)
    a, b = opts.before or eds[0].id, opts.after or eds[-1].id
    runs = drift_runs(scn, a, b)
    tick = track.counter("editions", runs * opts.draws, "draws", opts.draws)
    res.drift = drift(
        scn, a, b, many_run_models(req, refs), draws=opts.draws, seed=req.seed, progress=tick
    )


__all__ = ["Preview", "announce", "default_models", "many_run_models", "preview", "run"]
