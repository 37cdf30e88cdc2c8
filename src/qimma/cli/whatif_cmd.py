"""`qimma whatif LEVER [LEVER...]`: the scenario with levers pulled, against the baseline."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from qimma.analysis.evaluate import static_models
from qimma.analysis.montecarlo import check_draws, check_seed, progress_total
from qimma.analysis.parallel import parse_scheduler
from qimma.analysis.sampling import Distribution
from qimma.analysis.whatif import run_whatif
from qimma.cli.analysis_view import (
    deal_tables,
    out_folder,
    progress_bar,
    whatif_tables,
    write_json,
)
from qimma.cli.common import Lang, LangOption, console, set_lang
from qimma.cli.montecarlo_cmd import PROGRESS_FROM, check_workers
from qimma.models.registry import parse_model_list
from qimma.scenario.formats import load_scenario


def whatif(
    levers: list[str] = typer.Argument(
        ..., help="Lever ids declared in the scenario, e.g. us_aid_cut."
    ),
    scenario: Path | None = typer.Option(
        None, "--scenario", "-s", help="Scenario file. Omit for the default scenario."
    ),
    model: str | None = typer.Option(
        None, "--model", "-m", help="Comma-separated models. Default: all."
    ),
    draws: int = typer.Option(2000, "--draws", "-n", help="Monte Carlo draws for both runs."),
    seed: int = typer.Option(0, "--seed", help="Random seed (shared by baseline and lever run)."),
    workers: int = typer.Option(1, "--workers", "-w", help="Local worker processes."),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="Dask cluster: dask://HOST:PORT."
    ),
    dist: Distribution = typer.Option(
        Distribution.triangular, "--dist", help="Distribution within each range."
    ),
    json_out: bool = typer.Option(False, "--json", help="Print machine-readable JSON."),
    out: Path | None = typer.Option(None, "--out", help="Also write whatif.json here."),
    model_error: bool = typer.Option(
        True,
        "--model-error/--no-model-error",
        help="Add each model's DEU III error to the named-outcome probabilities (default on).",
    ),
    lang: Lang = LangOption,
) -> None:
    """Compare the baseline with the scenario after pulling one or more levers.

    Shows each issue's shift, each named outcome's probability change (with 90% intervals, on
    common random numbers), and which actor's move made the difference.

    Examples:

      qimma whatif us_aid_cut

      qimma whatif us_aid_cut eu_aid_increase --draws 5000 --lang ar

      qimma whatif b_weaker --scenario my_scenario.yaml --json
    """
    language = set_lang(lang)
    check_draws(draws)
    check_seed(seed)
    check_workers(workers)
    if scheduler is not None:
        parse_scheduler(scheduler)
    names = parse_model_list(model) if model else static_models()
    scn = load_scenario(scenario)
    from qimma.analysis.levers import find_levers

    find_levers(scn, levers)  # unknown ids fail before any computing
    cells = draws * len(scn.actors) * len(scn.issues)
    total = 2 * progress_total(names, workers, scheduler, None, cells)
    show = draws >= PROGRESS_FROM and not json_out
    with progress_bar(total, "what-if" if language == "en" else "ماذا لو", show) as tick:
        res = run_whatif(
            scn,
            levers,
            names,
            draws,
            seed,
            dist=dist,
            workers=workers,
            scheduler=scheduler,
            progress=tick,
            model_error=model_error,
        )
    data = res.to_json()
    if out is not None:
        write_json(out_folder(out) / "whatif.json", data)
    if json_out:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    used = ", ".join(res.baseline.models)
    note = (
        ""
        if model
        else (
            " (the static models; --model all for every model)"
            if language == "en"
            else " (النماذج الساكنة؛ استخدم --model all لكل النماذج)"
        )
    )
    console.print(("models: " if language == "en" else "النماذج: ") + used + note)
    for t in whatif_tables(res, language):
        console.print(t)
    for t in deal_tables(res.variant, language):
        console.print(t)
