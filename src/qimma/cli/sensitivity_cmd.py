"""`qimma sensitivity`: Sobol/Morris indices, signposts and pivotal actors."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from qimma import i18n
from qimma.app import Analyses, Execution, RunRequest, SensitivityOptions, parse_models
from qimma.cli.analysis_view import (
    deal_tables,
    drivers_table,
    event_table,
    out_folder,
    outcomes_tables,
    pivotal_table,
    sensitivity_table,
    signpost_table,
    track_name,
    write_json,
)
from qimma.cli.common import Lang, LangOption, console, set_lang
from qimma.cli.runs import FLAGS, check_for_cli, model_list, run_for_cli
from qimma.errors import InputError
from qimma.scenario.formats import load_scenario

SENSITIVITY_FLAGS = {**FLAGS, "analyses.sensitivity.signpost_draws": "--draws"}


def sensitivity(
    scenario: Path | None = typer.Argument(None),
    model: str | None = typer.Option(
        None,
        "--model",
        "-m",
    ),
    method: str = typer.Option(
        "auto",
        "--method",
    ),
    n: int = typer.Option(1024, "--n"),
    seed: int = typer.Option(0, "--seed"),
    draws: int = typer.Option(
        1000,
        "--draws",
    ),
    top: int = typer.Option(5, "--top"),
    workers: int = typer.Option(1, "--workers", "-w"),
    json_out: bool = typer.Option(False, "--json"),
    out: Path | None = typer.Option(None, "--out"),
    lang: Lang = LangOption,
) -> None:
    """Which uncertain inputs drive each outcome; signposts to watch; pivotal actors.

    Examples (the help text is in the `help` section of the word table):

      qimma sensitivity --model compromise,median --method morris --n 10 --draws 500

      qimma sensitivity my_scenario.yaml --method morris --n 8 --draws 300 --lang ar
    """
    language = set_lang(lang)
    request = RunRequest(
        models=parse_models(model_list(model)),
        draws=draws,
        seed=seed,
        analyses=Analyses(
            # the named outcomes and the seeds' judgements beside them: the same Monte Carlo
            # as `forecast --draws N --seed S`
            montecarlo=True,
            sensitivity=SensitivityOptions(method=method, n=n, signpost_draws=draws, pivotal=True),
        ),
        execution=Execution(workers=workers),
    )
    check_for_cli(request, SENSITIVITY_FLAGS)  # the limits, before the scenario is read
    scn = load_scenario(scenario)
    result = run_for_cli(scn, request, language, json_out, SENSITIVITY_FLAGS)
    sens = result.sensitivity
    if sens is None:  # nothing is uncertain: the reason, as an error
        raise InputError.single(result.notes["sensitivity"], result.notes["sensitivity_ar"])
    posts = result.signposts or []
    piv = result.pivotal or []
    events = result.events or []
    data = {
        "scenario": scn.id,
        "sensitivity": sens.to_json(),
        "signposts": [p.to_json(scn) for p in posts],
        "pivotal_actors": [p.to_json() for p in piv],
        "signpost_events": [e.to_json(scn) for e in events],
        "montecarlo": result.montecarlo_json(),
    }
    if out is not None:
        write_json(out_folder(out) / "sensitivity.json", data)
    if json_out:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    used = ", ".join(sens.models)
    console.print(i18n.t("cli.inner_models", language, models=used))
    console.print(sensitivity_table(sens, scn, language, top))
    if scn.outcomes:
        console.print(drivers_table(sens, scn, language, top))
    flipless = sorted({p.track for p in posts if p.kind == "watch"})
    if flipless:
        tracks = i18n.t("common.comma", language).join(track_name(tr, language) for tr in flipless)
        console.print(i18n.t("cli.flipless", language, tracks=tracks))
    if posts:
        console.print(signpost_table(posts, scn, language))
    else:
        console.print(i18n.t("report.no_signposts", language))
    if events:
        console.print(event_table(events, scn, language))
    console.print(pivotal_table(piv, scn, language))
    if scn.outcomes:
        for t in outcomes_tables(result, language):
            console.print(t)
    for t in deal_tables(result.deal, result.judgements, scn, language):
        console.print(t)
