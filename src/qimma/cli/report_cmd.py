"""`qimma report`: the forecast as an analyst would publish it (HTML + PDF)."""

from __future__ import annotations

from pathlib import Path

import typer

from qimma.cli.common import Lang, LangOption, console, set_lang
from qimma.forecast import run_forecast
from qimma.models.registry import parse_model_list
from qimma.scenario.formats import load_scenario


def report(
    scenario: Path | None = typer.Argument(
        None, help="Scenario file. Omit for the default scenario."
    ),
    out: Path = typer.Option(Path("qimma-report"), "--out", "-o", help="Folder for the report."),
    model: str | None = typer.Option(None, "--model", "-m", help="Comma-separated models."),
    pdf: bool = typer.Option(True, "--pdf/--no-pdf", help="Also write the PDF."),
    lang: Lang = LangOption,
) -> None:
    """Write a self-contained HTML report and the same as PDF.

    Examples:

      qimma report --lang ar --out report/

      qimma report my_scenario.yaml --lang en --out out/ --no-pdf
    """
    from qimma.report.render import write_report  # heavy imports only for this command

    language = set_lang(lang)
    fc = run_forecast(load_scenario(scenario), parse_model_list(model))
    files = write_report(fc, out, language, pdf=pdf)
    console.print(f"HTML: {files.html}")
    if files.pdf:
        console.print(f"PDF:  {files.pdf}")
