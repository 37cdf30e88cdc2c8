"""`qimma forecast`: every model's forecast of each issue, side by side."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import typer
from rich import box
from rich.table import Table

from qimma import i18n
from qimma.analysis.sampling import Distribution
from qimma.app import Analyses, Execution, RunRequest, RunResult, parse_models
from qimma.cli.analysis_view import (
    deal_parts,
    issues_tables,
    outcomes_tables,
    point_deal_table,
    write_montecarlo,
)
from qimma.cli.common import Lang, LangOption, console, prepare_out_dir, set_lang
from qimma.cli.runs import check_for_cli, model_list, run_for_cli
from qimma.forecast import ENSEMBLE, Forecast
from qimma.scenario.anchors import read_on_scale
from qimma.scenario.basis import basis_shares
from qimma.scenario.formats import load_scenario


def _table(fc: Forecast, lang: str) -> Table:
    """Numbers only, one row per issue id, so that every model fits in 80 columns."""
    h = i18n.words("cli", lang)
    # no vertical rules: seven model columns and the status quo must fit in 80 columns
    t = Table(
        title=fc.scenario.title.get(lang),
        box=box.SIMPLE_HEAD,
        padding=(0, 1),
        pad_edge=False,
        collapse_padding=True,
    )
    # With long issue ids (cop21.csv) the status quo column was shrunk to nothing: ids now fold
    # onto a second line instead, and no number column is narrower than its numbers.
    t.add_column(h["issue"], overflow="fold", min_width=8)
    t.add_column(h["status_quo"], justify="right", min_width=6)
    for name in fc.model_columns():
        header = h["ensemble_short"] if name == ENSEMBLE else name
        t.add_column(header, justify="right", no_wrap=True, min_width=len(header))
    for i, issue in enumerate(fc.scenario.issues):
        vals = [f"{fc.outcome(name)[i]:.1f}" for name in fc.model_columns()]
        t.add_row(issue.id, f"{issue.status_quo:g}", *vals)
    return t


def _unsettled(fc: Forecast, lang: str) -> list[str]:
    """One line per model and issue whose rounds did not settle."""
    lines = []
    for name, res in fc.results.items():
        for i, issue in enumerate(fc.scenario.issues):
            st = res.settlement(0, i)
            if st is not None and not st["settled"]:
                lo, hi = st["range"]
                key = "cli.unsettled" if round(hi - lo, 1) > 0 else "cli.cycling"
                lines.append(i18n.t(key, lang, model=name, issue=issue.id, lo=lo, hi=hi))
    return lines


def _legend(fc: Forecast, lang: str) -> Table:
    """Each issue's name and the main forecast in words: near one labelled point or between two
    (qimma.scenario.anchors)."""
    h = i18n.words("cli", lang)
    cols = fc.model_columns()
    main = ENSEMBLE if ENSEMBLE in cols else cols[0]
    t = Table(show_header=True, box=None, padding=(0, 1))
    t.add_column(h["issue"], no_wrap=True)
    t.add_column(f"{h['on_scale']} ({h['ensemble_short'] if main == ENSEMBLE else main})")
    shares = basis_shares(fc.scenario)
    for i, issue in enumerate(fc.scenario.issues):
        x = float(fc.outcome(main)[i])
        words = read_on_scale(issue.scale, x).text(lang)
        t.add_row(
            issue.id,
            f"{issue.name.get(lang)}: {x:.1f} {i18n.arrow(lang)} {words}\n"
            f"[{basis_text(shares[issue.id], lang)}]",
        )
    return t


def basis_text(shares: dict[str, float], lang: str) -> str:
    """'explicit 62% · inferred 30% · assumed 8%': what a forecast rests on."""
    return i18n.t(
        "cli.basis_shares",
        lang,
        **{k[0]: f"{100 * shares[k]:.0f}%" for k in ("explicit", "inferred", "assumption")},
    )


MONTECARLO_OUT_FILES = ("montecarlo.json", "montecarlo_issues.csv", "montecarlo_outcomes.csv")
OUT_FILES = ("forecast.json", "forecast.csv")
CSV_COLUMNS = ("scenario", "issue", "model", "outcome", "nearest_anchor_en", "nearest_anchor_ar")
CSV_ANCHOR_COLUMNS = (
    "anchor_kind",
    "anchor_low",
    "anchor_high",
    "anchor_description_en",
    "anchor_description_ar",
)


def _write_out(fc: Forecast, out: Path) -> None:
    data = fc.to_json()
    (out / "forecast.json").write_text(
        json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    with (out / "forecast.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        # the first six columns are those of earlier versions; the forecast in words follows
        w.writerow([*CSV_COLUMNS, *CSV_ANCHOR_COLUMNS])
        for r in data["forecasts"]:
            w.writerow(
                [
                    data["scenario"],
                    r["issue"],
                    r["model"],
                    f"{r['outcome']:.6g}",
                    r["nearest_anchor"]["en"],
                    r["nearest_anchor"]["ar"],
                    r["anchor_kind"],
                    f"{r['anchor_low']:g}",
                    f"{r['anchor_high']:g}",
                    r["anchor_description"]["en"],
                    r["anchor_description"]["ar"],
                ]
            )


def forecast(
    scenario: Path | None = typer.Argument(None),
    model: str | None = typer.Option(None, "--model", "-m"),
    json_out: bool = typer.Option(False, "--json"),
    out: Path | None = typer.Option(None, "--out"),
    force: bool = typer.Option(False, "--force"),
    lang: Lang = LangOption,
    draws: int | None = typer.Option(
        None,
        "--draws",
        "-n",
    ),
    seed: int = typer.Option(0, "--seed"),
    workers: int = typer.Option(1, "--workers", "-w"),
    scheduler: str | None = typer.Option(None, "--scheduler"),
    dist: Distribution = typer.Option(Distribution.triangular, "--dist"),
    model_error: bool = typer.Option(
        True,
        "--model-error/--no-model-error",
    ),
) -> None:
    """Forecast the outcome of each issue with every model.

    Examples (the help text is in the `help` section of the word table):

      qimma forecast

      qimma forecast my_scenario.yaml --model compromise,median --lang ar

      qimma forecast table.csv --json --out results/

      qimma forecast --draws 2000 --seed 7 --model compromise,median,nash
    """
    language = set_lang(lang)
    names = model_list(model)
    request = RunRequest(
        models=parse_models(names),
        draws=draws or 0,
        seed=seed,
        distribution=dist,
        model_error=model_error,
        analyses=Analyses(montecarlo=draws is not None),
        execution=Execution(workers=workers, scheduler=scheduler),
    )
    if draws is not None:
        # the run's limits are checked before anything else is looked at
        check_for_cli(request.with_(models=None))
    scn = load_scenario(scenario)
    files = MONTECARLO_OUT_FILES if draws is not None else OUT_FILES
    if out is not None:
        prepare_out_dir(out, files, force)
    res = run_for_cli(scn, request, language, json_out)
    if draws is not None:
        _show_montecarlo(res, out, json_out, language)
        return
    fc = res.forecast
    if out is not None:
        _write_out(fc, out)
    if json_out:
        typer.echo(json.dumps(res.point_json(), ensure_ascii=False, indent=2))
    else:
        # whether a deal happens at all comes before what its terms are
        for part in point_deal_table(res.point_deal(), language):
            console.print(part)
        console.print(_table(fc, language))
        console.print(_legend(fc, language))
        for line in _unsettled(fc, language):
            console.print(line, style="yellow", markup=False)
        _print_skipped(fc, language)


def _show_montecarlo(res: RunResult, out: Path | None, json_out: bool, lang: str) -> None:
    data = write_montecarlo(res, out) if out is not None else res.montecarlo_json()
    if json_out:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    # whether a deal happens at all (its chance, then the point test naming the inputs) comes
    # before the terms; the seeds' judgements close the view
    lead, judgements = deal_parts(res.deal, res.judgements, res.scenario, lang)
    if lead is not None:
        console.print(lead)
    for part in point_deal_table(res.point_deal(), lang, with_hint=False):
        console.print(part)
    for t in issues_tables(res, lang):
        console.print(t)
    if res.scenario.outcomes:
        for t in outcomes_tables(res, lang):
            console.print(t)
    if judgements is not None:
        console.print(judgements)
    _print_skipped(res.forecast, lang)


def _print_skipped(fc: Forecast, lang: str) -> None:
    """Each model that did not run, and why, in the user's language."""
    for m, why in (fc.skipped_ar if lang == "ar" else fc.skipped).items():
        console.print(f"{m}: {why}", style="yellow")
