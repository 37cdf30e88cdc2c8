"""`qimma editions`: the scenario's dated editions side by side, and the drift between two."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from qimma import i18n
from qimma.analysis import icd203
from qimma.analysis.drift import Drift
from qimma.app import Analyses, EditionOptions, RunRequest, parse_models
from qimma.cli.analysis_view import pct, track_name
from qimma.cli.common import Lang, LangOption, console, set_lang
from qimma.cli.runs import FLAGS, check_for_cli, model_list, run_for_cli
from qimma.errors import InputError
from qimma.models.registry import static_models
from qimma.scenario.editions import change_words, find_edition, ordered_editions
from qimma.scenario.formats import load_scenario
from qimma.scenario.model import Scenario


def basis_label(basis: str, lang: str) -> str:
    return i18n.t(f"common.{basis}", lang) if basis else "—"


def editions_table(sc: Scenario, lang: str) -> Table:
    w = i18n.words("cli", lang)
    t = Table(title=w["ed_title"].format(s=sc.title.get(lang)))
    for col in ("edition", "date", "sources"):
        t.add_column(w[col], overflow="fold")
    for ed in ordered_editions(sc):
        star = " *" if ed.base else ""
        t.add_row(f"{ed.name.get(lang)} ({ed.id}){star}", ed.date, ", ".join(ed.sources))
    return t


def drift_tables(d: Drift, lang: str) -> list[Table]:
    w = i18n.words("cli", lang)
    sc = d.after.scenario
    a, b = d.before.edition.name.get(lang), d.after.edition.name.get(lang)
    t1 = Table(title=w["ed_issues_title"].format(a=a, b=b, m=", ".join(d.models)))
    t1.add_column(w["issue"])
    for head in (a, b, w["change"], w["ed_assumed"]):
        t1.add_column(head, justify="right")
    e0, e1 = d.before.ensemble(), d.after.ensemble()
    for k, iss in enumerate(sc.issues):
        t1.add_row(
            iss.name.get(lang),
            f"{e0[k]:.1f}",
            f"{e1[k]:.1f}",
            f"{e1[k] - e0[k]:+.1f}",
            pct(d.after.assumption_share[iss.id]),
        )
    t2 = Table(
        title=w["ed_outcomes_title"].format(a=a, b=b, n=f"{d.draws:,}", s=d.seed), show_lines=True
    )
    t2.add_column(w["outcome"], overflow="fold")
    t2.add_column(a, justify="right")
    t2.add_column(b, justify="right")
    t2.add_column(w["change"], justify="right")
    t2.add_column("ICD-203", overflow="fold")
    t2.add_column(w["drivers"], overflow="fold")
    for oc in sc.outcomes:
        p0, p1 = d.before.probabilities[oc.id], d.after.probabilities[oc.id]
        drivers = [
            f"{e.change.label(sc, lang, short=True)} {100 * e.outcomes[oc.id]:+.0f}"
            + (f" ({basis_label(e.change.basis, lang)})" if e.change.basis else "")
            for e in d.drivers(oc.id)
            if abs(e.outcomes[oc.id]) >= 0.005
        ]
        t2.add_row(
            f"{oc.name.get(lang)} ({track_name(oc.track, lang)})",
            pct(p0),
            pct(p1),
            f"{100 * (p1 - p0):+.0f}",
            f"{icd203.wording(p0, lang)} {i18n.arrow(lang)} {icd203.wording(p1, lang)}",
            "\n".join(drivers) or "—",
        )
    t3 = Table(title=w["ed_changes_title"], show_lines=True)
    for col in ("input", "ed_change", "why", "effect"):
        t3.add_column(w[col], overflow="fold")
    names = {oc.id: oc.name.get(lang) for oc in sc.outcomes}
    for e in d.effects:
        big = sorted(e.outcomes.items(), key=lambda kv: -abs(kv[1]))[:2]
        t3.add_row(
            e.change.label(sc, lang, short=True),
            f"{change_words(e.change.before, lang)} {i18n.arrow(lang)} "
            f"{change_words(e.change.after, lang)}",
            i18n.english_only(e.change.why, lang) or "—",
            "\n".join(f"{names[k]} {100 * v:+.0f}" for k, v in big if abs(v) >= 0.005) or "—",
        )
    inter = {k: v for k, v in d.interaction().items() if abs(v) >= 0.005}
    if inter:
        t3.add_row(w["interaction"], "", "", "\n".join(f"{names[k]} {100 * v:+.0f}"
                                                         for k, v in inter.items()))  # fmt: skip
    return [t1, t2, t3]


EDITION_FLAGS = {
    **FLAGS,
    "analyses.editions.draws": "--draws",
    "analyses.editions.before": "--from",
    "analyses.editions.after": "--to",
}


def editions(
    scenario: Path | None = typer.Option(None, "--scenario", "-s"),
    since: str | None = typer.Option(None, "--from"),
    until: str | None = typer.Option(None, "--to"),
    model: str | None = typer.Option(None, "--model", "-m"),
    draws: int = typer.Option(500, "--draws", "-n"),
    seed: int = typer.Option(0, "--seed"),
    json_out: bool = typer.Option(False, "--json"),
    lang: Lang = LangOption,
) -> None:
    """Show the scenario's dated editions and how the forecast and each named outcome moved

    Examples (the help text is in the `help` section of the word table):

      qimma editions

      qimma editions --from spring-2025 --to august-2025 --lang ar

      qimma editions --model compromise,median,nash --draws 200 --json
    """
    language = set_lang(lang)
    limits = RunRequest(
        draws=0, seed=seed, analyses=Analyses(False, editions=EditionOptions(draws=draws))
    )
    check_for_cli(limits, EDITION_FLAGS)  # the limits, before the scenario is read
    scn = load_scenario(scenario)
    eds = ordered_editions(scn)
    if len(eds) < 2:
        if json_out:
            typer.echo(json.dumps({"editions": [e.id for e in eds]}))
            return
        raise InputError.single(
            "this scenario has fewer than two dated editions",
            "لا يحمل هذا السيناريو إصدارين مؤرخين على الأقل",
            fix_en="add an 'editions:' list (docs/scenario-format.md)",
            fix_ar="أضف قائمة 'editions:' (docs/scenario-format.md)",
        )
    a = find_edition(scn, since).id if since else eds[0].id
    b = find_edition(scn, until).id if until else eds[-1].id
    request = RunRequest(
        models=parse_models(model_list(model) or list(map(str, static_models()))),
        draws=0,
        seed=seed,
        analyses=Analyses(montecarlo=False, editions=EditionOptions(a, b, draws)),
    )
    d = run_for_cli(scn, request, language, json_out, EDITION_FLAGS).drift
    assert d is not None  # two editions exist: the pipeline ran the drift
    if json_out:
        data = {"editions": [e.model_dump(exclude={"stances"}) for e in eds], **d.to_json()}
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    console.print(editions_table(scn, language))
    for t in drift_tables(d, language):
        console.print(t)
