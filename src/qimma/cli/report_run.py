"""What `qimma report` runs (qimma.cli.report_cmd holds its options): one request to the
application layer, then the report in one or both languages."""

from __future__ import annotations

from pathlib import Path

from qimma import i18n
from qimma.app import Analyses, EditionOptions, RunRequest, SensitivityOptions, parse_models
from qimma.cli.common import console, prepare_out_dir
from qimma.cli.progress import unit_progress
from qimma.cli.runs import FLAGS, check_for_cli, model_list, run_for_cli
from qimma.errors import InputError
from qimma.outdir import clear_outputs
from qimma.report import render
from qimma.scenario.formats import load_scenario

REPORT_FLAGS = {**FLAGS, "analyses.sensitivity.n": "--sensitivity"}


def write_reports(
    scenario: Path | None,
    out: Path,
    *,
    force: bool,
    single_file: bool,
    model: str | None,
    pdf: bool,
    both: bool,
    draws: int,
    seed: int,
    sensitivity: int,
    backtest: bool,
    actor: str | None,
    language: str,
) -> None:
    """The report command's work, its options checked first (the report's text: its help)."""
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
