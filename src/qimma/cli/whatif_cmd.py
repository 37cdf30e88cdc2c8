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
    levers: list[str] = typer.Argument(...),
    scenario: Path | None = typer.Option(None, "--scenario", "-s"),
    model: str | None = typer.Option(None, "--model", "-m"),
    draws: int = typer.Option(DEFAULT_DRAWS, "--draws", "-n"),
    seed: int = typer.Option(0, "--seed"),
    workers: int = typer.Option(1, "--workers", "-w"),
    scheduler: str | None = typer.Option(None, "--scheduler"),
    dist: Distribution = typer.Option(Distribution.triangular, "--dist"),
    json_out: bool = typer.Option(False, "--json"),
    out: Path | None = typer.Option(None, "--out"),
    model_error: bool = typer.Option(
        True,
        "--model-error/--no-model-error",
    ),
    lang: Lang = LangOption,
) -> None:
    """Compare the baseline with the scenario after pulling one or more levers.

    Examples (the help text is in the `help` section of the word table):

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
