"""`qimma whatif LEVER [LEVER...]`: the scenario with levers pulled, against the baseline."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from qimma import i18n
from qimma.analysis.sampling import Distribution
from qimma.app import Execution, RunRequest, parse_models
from qimma.cli.analysis_view import deal_tables, out_folder, whatif_tables, write_json
from qimma.cli.common import Lang, LangOption, console, set_lang
from qimma.cli.runs import check_for_cli, model_list, run_for_cli
from qimma.limits import DEFAULT_DRAWS
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
    draws: int = typer.Option(
        DEFAULT_DRAWS, "--draws", "-n", help="Monte Carlo draws for both runs."
    ),
    seed: int = typer.Option(0, "--seed", help="Random seed (shared by baseline and lever run)."),
    workers: int = typer.Option(1, "--workers", "-w", help="Local worker processes."),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="Dask cluster: tcp://HOST:PORT (or dask://HOST:PORT)."
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

      qimma whatif us_aid_cut --model compromise,median --draws 500

      qimma whatif us_aid_cut eu_aid_increase --model compromise,median,nash --draws 1000 --lang ar

      qimma whatif b_weaker --scenario my_scenario.yaml --json
    """
    language = set_lang(lang)
    request = RunRequest(
        models=parse_models(model_list(model)),
        draws=draws,
        seed=seed,
        distribution=dist,
        levers=tuple(levers),
        model_error=model_error,
        execution=Execution(workers=workers, scheduler=scheduler),
    )
    check_for_cli(request.with_(levers=()))  # the limits, before the scenario is read
    scn = load_scenario(scenario)
    result = run_for_cli(scn, request, language, json_out)
    res = result.whatif
    assert res is not None
    data = res.to_json()
    if out is not None:
        write_json(out_folder(out) / "whatif.json", data)
    if json_out:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    used = ", ".join(res.baseline.models)
    console.print(i18n.t("cli.models_list", language, models=used))
    for t in whatif_tables(res, language):
        console.print(t)
    var = res.variant
    for t in deal_tables(var.deal_summary(), var.judgements(), scn, language):
        console.print(t)
