"""`qimma convert IN OUT`: any supported format in, the qimma YAML scenario out."""

from __future__ import annotations

from pathlib import Path

import typer

from qimma import i18n
from qimma.cli.common import Lang, LangOption, console, set_lang
from qimma.cli.validate_cmd import format_name
from qimma.errors import InputError
from qimma.scenario.formats import read_scenario, save_scenario


def convert(
    source: Path = typer.Argument(...),
    target: Path = typer.Argument(...),
    force: bool = typer.Option(False, "--force"),
    lang: Lang = LangOption,
) -> None:
    """Convert a scenario to qimma's YAML format (never replaces a file without --force).

    Examples (the help text is in the `help` section of the word table):

      qimma convert ExampleActors.csv example.yaml

      qimma convert copenhagen.csv copenhagen.yaml --force
    """
    language = set_lang(lang)
    if target.exists() and source.exists() and target.resolve() == source.resolve():
        raise InputError.single(
            "the output is the input file itself",
            "ملف الإخراج هو ملف الإدخال نفسه",
            file=str(target),
            fix_en="give another name for the YAML file",
            fix_ar="حدد اسمًا آخر لملف YAML",
        )
    scenario, fmt = read_scenario(source)
    save_scenario(scenario, target, overwrite=force)
    msg = i18n.t(
        "cli.wrote", language, target=target, source=source, fmt=format_name(fmt, language)
    )
    console.print(msg, markup=False, highlight=False, soft_wrap=True)
