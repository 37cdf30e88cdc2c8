"""`qimma backtest deu3`: score every model on real EU negotiations with known outcomes."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer

from qimma import i18n
from qimma.backtest.deu3 import load_deu3
from qimma.backtest.harness import N_BOOT, run_backtest
from qimma.backtest.report import (
    calibration_table,
    clean_json,
    diff_table,
    header_lines,
    score_table,
    write_out,
)
from qimma.backtest.split import get_split
from qimma.cli.common import Lang, LangOption, console, prepare_out_dir, set_lang
from qimma.cli.progress import unit_progress
from qimma.errors import InputError, NotFoundError

BENCHMARKS = ("deu3",)
OUT_FILES = ("backtest.json", "predictions.csv", "scores.csv", "calibration.csv")


class CapabilityChoice(StrEnum):
    votes = "votes"
    gdp = "gdp"


def backtest(
    benchmark: str = typer.Argument(...),
    models: str | None = typer.Option(
        None,
        "--models",
        "-m",
    ),
    split: int | None = typer.Option(
        None,
        "--split",
    ),
    capability: CapabilityChoice = typer.Option(
        CapabilityChoice.votes,
        "--capability",
    ),
    data: Path | None = typer.Option(None, "--data"),
    limit: int | None = typer.Option(None, "--limit", min=1),
    n_boot: int = typer.Option(N_BOOT, "--bootstrap", min=10),
    json_out: bool = typer.Option(False, "--json"),
    out: Path | None = typer.Option(
        None,
        "--out",
    ),
    force: bool = typer.Option(False, "--force"),
    lang: Lang = LangOption,
) -> None:
    """Backtest every model on DEU III: MAE, RMSE, median error, share within 10 points.

    Examples (the help text is in the `help` section of the word table):

      qimma backtest deu3

      qimma backtest deu3 --models compromise,median --capability gdp

      qimma backtest deu3 --json --out results/
    """
    language = set_lang(lang)
    if benchmark.lower() not in BENCHMARKS:
        raise NotFoundError.single(
            f"unknown benchmark '{benchmark}'",
            f"مجموعة اختبار غير معروفة '{benchmark}'",
            fix_en=f"use one of: {', '.join(BENCHMARKS)}",
            fix_ar=f"استخدم إحدى: {', '.join(BENCHMARKS)}",
        )
    names = None
    if models is not None:
        names = [s.strip() for s in models.split(",") if s.strip()]
        if not names:
            raise InputError.single(
                "--models is empty",
                "الخيار --models فارغ",
                fix_en="name at least one model, e.g. --models compromise",
                fix_ar="سمِّ نموذجًا واحدًا على الأقل، مثل --models compromise",
            )
    if out is not None:  # before the run: minutes of work must not end in a refusal
        prepare_out_dir(out, OUT_FILES, force)
    deu = load_deu3(data)
    label, unit = i18n.t("cli.bt_progress", language), i18n.t("cli.bt_unit", language)
    with unit_progress(label, unit, enabled=not json_out) as tick:
        bt = run_backtest(
            deu,
            get_split(deu, split),
            models=names,
            capability=capability.value,  # type: ignore[arg-type]
            limit=limit,
            n_boot=n_boot,
            progress=tick,
        )
    if out is not None:
        write_out(bt, out)
    if json_out:
        typer.echo(json.dumps(clean_json(bt.to_json()), ensure_ascii=False, indent=2))
        return
    for line in header_lines(bt, language):
        console.print(line, markup=False, highlight=False)
    for subset in bt.scores:
        console.print(score_table(bt, subset, language))
        console.print(diff_table(bt, subset, language))
    if bt.calibration:
        console.print(calibration_table(bt, language))
