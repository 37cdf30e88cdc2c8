"""`qimma validate FILE`: check a scenario file and report every problem in it at once."""

from __future__ import annotations

from pathlib import Path

import typer

from qimma import i18n
from qimma.cli.common import Lang, LangOption, console, set_lang
from qimma.errors import InputError
from qimma.scenario.degenerate import runnable_warnings
from qimma.scenario.formats import read_scenario, runnable_problems_in_file


def format_name(fmt: str, lang: str) -> str:
    return i18n.t(f"format.{fmt}", lang)


def validate(
    file: Path = typer.Argument(
        ..., help="Scenario file: .yaml, classic or KTAB .csv, KTAB .xml, Decide .csv/.txt."
    ),
    evidence: bool = typer.Option(
        False,
        "--evidence",
        help="Also check every evidence quote against its passage in the corpus "
        "($QIMMA_STORE; the default corpus is ingested on first use).",
    ),
    lang: Lang = LangOption,
) -> None:
    """Check a scenario file; list every problem with its line, field and fix (exit status 2).

    Examples:

      qimma validate my_scenario.yaml

      qimma validate ExampleActors.csv --lang ar

      qimma validate my_scenario.yaml --evidence
    """
    language = set_lang(lang)
    scenario, fmt = read_scenario(file)
    unrunnable = runnable_problems_in_file(file, scenario, fmt)
    if unrunnable:
        raise InputError(unrunnable)
    for w in runnable_warnings(scenario):
        word = "تحذير" if language == "ar" else "warning"
        text = w.located(file=str(file)).render("ar" if language == "ar" else "en")
        console.print(f"{word}: {text}", markup=False, highlight=False, soft_wrap=True)
    if evidence:
        from qimma.evidence.links import check_evidence_links

        problems = check_evidence_links(scenario)
        if problems:
            raise InputError([p.located(file=str(file)) for p in problems])
    counts = (len(scenario.actors), len(scenario.issues), len(scenario.stances))
    if language == "ar":
        console.print(
            # "count of X n": Arabic counted nouns change form with the number (1, 2, 3–10, 11+)
            f"{file}: سليم ({format_name(fmt, language)}): عدد الفاعلين {counts[0]}، "
            f"عدد القضايا {counts[1]}، عدد المواقف {counts[2]}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    else:
        console.print(
            f"{file}: valid ({format_name(fmt, language)}): {_count(counts[0], 'actor')}, "
            f"{_count(counts[1], 'issue')}, {_count(counts[2], 'stance')}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    if fmt != "yaml" and scenario.description:  # how the import read the file
        console.print(scenario.description.get(language), markup=False, highlight=False)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
