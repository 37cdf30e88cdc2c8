"""`qimma report`: the forecast as an analyst would publish it (HTML + PDF). This module holds the
command's options only; what it runs (qimma.cli.report_run, with the application layer and the
report's libraries: WeasyPrint, Plotly, Matplotlib) is imported when the command runs, while it says
it is loading (qimma.cli.lazy.preload), not for `qimma report --help`."""

from __future__ import annotations

from pathlib import Path

import typer

from qimma.cli.common import Lang, LangOption, set_lang
from qimma.limits import DEFAULT_DRAWS


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
    from qimma.cli.report_run import write_reports  # preloaded when the command runs

    write_reports(
        scenario,
        out,
        force=force,
        single_file=single_file,
        model=model,
        pdf=pdf,
        both=both,
        draws=draws,
        seed=seed,
        sensitivity=sensitivity,
        backtest=backtest,
        actor=actor,
        language=set_lang(lang),
    )
