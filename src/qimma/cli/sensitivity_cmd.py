"""`qimma sensitivity`: Sobol/Morris indices, signposts and pivotal actors."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from qimma.analysis.evaluate import static_models
from qimma.analysis.montecarlo import check_draws, check_seed
from qimma.analysis.sensitivity import run_sensitivity
from qimma.analysis.signpost_events import event_signposts
from qimma.analysis.signposts import find_signposts, pivotal_actors
from qimma.cli.analysis_view import (
    event_table,
    out_folder,
    pivotal_table,
    sensitivity_table,
    signpost_table,
    write_json,
)
from qimma.cli.common import Lang, LangOption, console, set_lang
from qimma.cli.montecarlo_cmd import check_workers
from qimma.models.registry import parse_model_list
from qimma.scenario.formats import load_scenario


def sensitivity(
    scenario: Path | None = typer.Argument(
        None, help="Scenario file. Omit for the default scenario."
    ),
    model: str | None = typer.Option(
        None,
        "--model",
        "-m",
        help="Comma-separated models for the inner loop, or 'all'. Default: the static models.",
    ),
    method: str = typer.Option(
        "auto", "--method", help="sobol, morris, or auto (Sobol unless too big)."
    ),
    n: int = typer.Option(
        1024, "--n", help="Sobol base sample (a power of 2) or Morris trajectories."
    ),
    seed: int = typer.Option(0, "--seed", help="Random seed."),
    draws: int = typer.Option(1000, "--draws", help="Draws for the signpost search."),
    top: int = typer.Option(5, "--top", help="Inputs shown per output."),
    workers: int = typer.Option(1, "--workers", "-w", help="Local worker processes."),
    json_out: bool = typer.Option(False, "--json", help="Print machine-readable JSON."),
    out: Path | None = typer.Option(None, "--out", help="Also write sensitivity.json here."),
    lang: Lang = LangOption,
) -> None:
    """Which uncertain inputs drive each outcome; signposts to watch; pivotal actors.

    Examples:

      qimma sensitivity

      qimma sensitivity my_scenario.yaml --method morris --n 50 --lang ar
    """
    language = set_lang(lang)
    check_draws(draws)
    check_seed(seed)
    check_workers(workers)
    names = parse_model_list(model) if model else static_models()
    scn = load_scenario(scenario)
    sens = run_sensitivity(scn, names, method=method, n=n, seed=seed, workers=workers)
    posts = find_signposts(scn, names, draws=draws, seed=seed, sensitivity=sens, workers=workers)
    piv = pivotal_actors(scn, names)
    events = event_signposts(scn, names, draws=draws, seed=seed)
    data = {
        "scenario": scn.id,
        "sensitivity": sens.to_json(),
        "signposts": [p.to_json(scn) for p in posts],
        "pivotal_actors": [p.to_json() for p in piv],
        "signpost_events": [e.to_json(scn) for e in events],
    }
    if out is not None:
        write_json(out_folder(out) / "sensitivity.json", data)
    if json_out:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    used = ", ".join(sens.models)
    console.print(
        f"models in the inner loop: {used}"
        + ("" if model else " (the static models; choose others with --model)")
        if language == "en"
        else f"النماذج المستخدمة: {used}"
        + ("" if model else " (النماذج الساكنة؛ اختر غيرها بالخيار --model)")
    )
    console.print(sensitivity_table(sens, scn, language, top))
    flipless = sorted({p.track for p in posts if p.kind == "watch"})
    if flipless:
        console.print(
            f"Tracks {', '.join(flipless)}: no single input flips the most probable outcome "
            "within its range; the indicators shown only weaken it."
            if language == "en"
            else f"المسارات {', '.join(flipless)}: لا يوجد مُدخل واحد يقلب المآل الأرجح ضمن مداه؛"
            " المؤشرات المعروضة تُضعفه فقط."
        )
    if posts:
        console.print(signpost_table(posts, scn, language))
    else:
        console.print(
            "No single input flips the most probable named outcome within its range."
            if language == "en"
            else "لا يوجد مُدخل واحد يقلب المآل الأرجح ضمن مداه."
        )
    if events:
        console.print(event_table(events, scn, language))
    console.print(pivotal_table(piv, scn, language))
