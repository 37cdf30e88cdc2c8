"""`qimma forecast --draws N`: the Monte Carlo view of the forecast."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from qimma.analysis.evaluate import runnable_models
from qimma.analysis.montecarlo import check_draws, check_seed, progress_total, run_monte_carlo
from qimma.analysis.parallel import parse_scheduler
from qimma.analysis.sampling import Distribution
from qimma.cli.analysis_view import (
    deal_tables,
    issues_tables,
    outcomes_tables,
    progress_bar,
    write_montecarlo,
)
from qimma.cli.common import console
from qimma.errors import InputError
from qimma.scenario.model import Scenario

PROGRESS_FROM = 2000  # draws from which a progress bar is worth showing


def check_workers(workers: int) -> None:
    if not 1 <= workers <= 256:
        raise InputError.single(
            f"--workers {workers} is out of range",
            f"عدد العمّال {workers} خارج المدى",
            path="--workers",
            fix_en="give a whole number from 1 to 256",
            fix_ar="أدخل عددًا صحيحًا من 1 إلى 256",
        )


def montecarlo_forecast(
    scn: Scenario,
    models: list[str],
    draws: int,
    seed: int,
    workers: int,
    scheduler: str | None,
    dist: Distribution,
    json_out: bool,
    out: Path | None,
    lang: str,
    model_error: bool = True,
) -> None:
    check_draws(draws)
    check_seed(seed)
    check_workers(workers)
    if scheduler is not None:
        parse_scheduler(scheduler)
    runnable, _ = runnable_models(models, len(scn.issues))
    cells = draws * len(scn.actors) * len(scn.issues)
    total = progress_total(runnable, workers, scheduler, None, cells)
    show = draws >= PROGRESS_FROM and not json_out
    label = "Monte Carlo" if lang == "en" else "مونت كارلو"
    with progress_bar(total, label, show) as tick:
        res = run_monte_carlo(
            scn,
            models,
            draws,
            seed,
            dist=dist,
            workers=workers,
            scheduler=scheduler,
            progress=tick,
            model_error=model_error,
        )
    data = write_montecarlo(res, out) if out is not None else None
    if json_out:
        typer.echo(json.dumps(data or res.to_json(), ensure_ascii=False, indent=2))
        return
    for t in issues_tables(res, lang):
        console.print(t)
    if scn.outcomes:
        for t in outcomes_tables(res, lang):
            console.print(t)
    for t in deal_tables(res, lang):
        console.print(t)
    for m, why in res.skipped.items():
        console.print(f"[yellow]{m}: {why}[/yellow]")
