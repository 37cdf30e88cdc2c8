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
    file: Path = typer.Argument(...),
    evidence: bool = typer.Option(
        False,
        "--evidence",
    ),
    lang: Lang = LangOption,
) -> None:
    """Check a scenario file; list every problem with its line, field and fix (exit status 2).

    Examples (the help text is in the `help` section of the word table):

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
        text = w.located(file=str(file)).render(i18n.lang_of(language))  # type: ignore[arg-type]
        console.print(
            f"{i18n.t('cli.warning', language)}: {text}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    if evidence:
        from qimma.evidence.links import check_evidence_links

        problems = check_evidence_links(scenario)
        if problems:
            raise InputError([p.located(file=str(file)) for p in problems])
    counts = (len(scenario.actors), len(scenario.issues), len(scenario.stances))
    # Arabic: "count of X n", as Arabic counted nouns change form with the number (1, 2, 3–10, 11+)
    actors, issues, stances = (
        _count(n, noun, language)
        for n, noun in zip(counts, ("actor", "issue", "stance"), strict=True)
    )
    console.print(
        i18n.t(
            "cli.valid",
            language,
            file=file,
            fmt=format_name(fmt, language),
            actors=actors,
            issues=issues,
            stances=stances,
        ),
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    if fmt != "yaml" and scenario.description:  # how the import read the file
        console.print(scenario.description.get(language), markup=False, highlight=False)


def _count(n: int, noun: str, lang: str) -> str:
    return i18n.t(f"cli.n_{noun}" if n == 1 else f"cli.n_{noun}s", lang, n=n)
