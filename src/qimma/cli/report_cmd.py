"""`qimma report`: the forecast as an analyst would publish it (HTML + PDF). The report's libraries
(WeasyPrint, Plotly, Matplotlib: qimma.report.render) are imported when the command runs, while it
says it is loading (qimma.cli.lazy.preload), not for `qimma report --help`."""

from __future__ import annotations

from pathlib import Path

import typer

from qimma import i18n
from qimma.app import Analyses, EditionOptions, RunRequest, SensitivityOptions, parse_models
from qimma.cli.common import Lang, LangOption, console, prepare_out_dir, set_lang
from qimma.cli.progress import unit_progress
from qimma.cli.runs import FLAGS, check_for_cli, model_list, run_for_cli
from qimma.errors import InputError
from qimma.limits import DEFAULT_DRAWS
from qimma.outdir import clear_outputs
from qimma.scenario.formats import load_scenario

REPORT_FLAGS = {**FLAGS, "analyses.sensitivity.n": "--sensitivity"}


def report(
    scenario: Path | None = typer.Argument(None),
    out: Path = typer.Option(Path("qimma-report"), "--out", "-o"),
    force: bool = typer.Option(False, "--force"),
    single_file: bool = typer.Option(
        True,
        "--single-file/--with-files",
    ),
    model: str | None = typer.Option(None, "--model", "-m"),
    pdf: bool = typer.Option(True, "--pdf/--no-pdf"),
    both: bool = typer.Option(False, "--both"),
    draws: int = typer.Option(
        DEFAULT_DRAWS,
        "--draws",
    ),
    seed: int = typer.Option(0, "--seed"),
    sensitivity: int = typer.Option(
        10,
        "--sensitivity",
    ),
    backtest: bool = typer.Option(True, "--backtest/--no-backtest"),
    actor: str | None = typer.Option(
        None,
        "--actor",
    ),
    lang: Lang = LangOption,
) -> None:
    """Write a self-contained HTML report and the same as PDF.

    Examples (the help text is in the `help` section of the word table):

      qimma report --lang ar --model compromise,median --draws 500 --out report/

      qimma report --both --model compromise,median --draws 500 --seed 7 --no-pdf --out both/

      qimma report my_scenario.yaml --lang en --draws 500 --out out/ --no-pdf --actor A
    """
    language = set_lang(lang)
    request = RunRequest(
        models=parse_models(model_list(model)),
        draws=draws,
        seed=seed,
        analyses=Analyses(
            montecarlo=draws > 0,
            sensitivity=SensitivityOptions(n=sensitivity) if sensitivity and draws > 0 else None,
            backtest=backtest,
            editions=EditionOptions() if draws > 0 else None,
        ),
    )
    if sensitivity < 0:
        raise InputError.single(
            "--sensitivity must be 0 or more",
            "يجب أن يكون --sensitivity صفرًا أو أكثر",
            path="--sensitivity",
            fix_en="give 0 to skip, or a number of Morris trajectories such as 10",
            fix_ar="أدخل 0 للتخطي، أو عدد مسارات موريس مثل 10",
        )
    check_for_cli(request, REPORT_FLAGS)
    from qimma.report import render  # preloaded when the command runs, not for its --help

    prepare_out_dir(out, render.REPORT_OUTPUTS, force)
    scn = load_scenario(scenario)
    render.check_actor(scn, actor)  # before the slow part: wrong options fail at once
    result = run_for_cli(scn, request, language, False, REPORT_FLAGS)
    clear_outputs(out, render.REPORT_OUTPUTS)  # --force: the earlier report goes as a whole
    langs = ("ar", "en") if both else (language,)
    written = []
    label, unit = i18n.t("cli.writing_report", language), i18n.t("cli.unit_reports", language)
    with unit_progress(label, unit) as tick:  # the charts and the PDF take seconds
        for k, lg in enumerate(langs):
            if tick is not None:
                tick(k, len(langs))
            written.append(
                render.write_report(result, out, lg, pdf=pdf, actor=actor, single_file=single_file)
            )
    for files in written:
        console.print(f"HTML: {files.html}")
        if files.pdf:
            console.print(f"PDF:  {files.pdf}")
