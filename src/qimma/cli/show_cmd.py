"""`qimma show FILE`: a scenario's actors, issues and stances as tables."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from qimma import i18n
from qimma.cli.common import Lang, LangOption, console, set_lang
from qimma.scenario.formats import load_scenario
from qimma.scenario.importing import has_arabic
from qimma.scenario.model import Estimate, Scenario


def _estimate(e: Estimate) -> str:
    if e.low is None and e.high is None:
        return f"{e.value:g}"
    return f"{e.value:g} [{e.lo:g}–{e.hi:g}]"


def actor_table(s: Scenario, lang: str) -> Table:
    h = i18n.words("show", lang)
    t = Table(title=h["actors"])
    for key in ("id", "name", "aliases"):
        t.add_column(h[key])
    for a in s.actors:
        role = "" if a.holds_stances else f"\n({h['no_stance'].format(role=h[f'role_{a.role}'])})"
        # the aliases a reader of this language would search for (Arabic or Latin ones)
        mine = [x for x in a.aliases if has_arabic(x) == (lang == "ar")] or a.aliases
        t.add_row(a.id, a.name.get(lang) + role, i18n.t("common.comma", lang).join(mine))
    return t


def issue_table(s: Scenario, lang: str) -> Table:
    h = i18n.words("show", lang)
    t = Table(title=h["issues"])
    for key in ("id", "name", "scale", "sq", "anchors"):
        t.add_column(h[key], justify="right" if key == "sq" else "left")
    for i in s.issues:
        anchors = "\n".join(f"{a.value:g}: {a.label.get(lang)}" for a in i.scale.anchors)
        t.add_row(
            i.id, i.name.get(lang), f"{i.scale.min:g}–{i.scale.max:g}", f"{i.status_quo:g}", anchors
        )
    return t


def stance_table(s: Scenario, lang: str) -> Table:
    h = i18n.words("show", lang)
    t = Table(title=h["stances"])
    for key in ("actor", "issue", "position", "salience", "capability", "basis", "evidence"):
        numeric = key in ("position", "salience", "capability")
        t.add_column(h[key], justify="right" if numeric else "left")
    for st in s.stances:
        t.add_row(
            st.actor,
            st.issue,
            _estimate(st.position),
            _estimate(st.salience),
            _estimate(st.capability),
            i18n.t(f"common.{st.basis}", lang) if st.basis else "",
            ", ".join(st.evidence),
        )
    return t


def show(
    file: Path = typer.Argument(...),
    lang: Lang = LangOption,
) -> None:
    """Show a scenario's actors, issues (scales, anchors, status quo) and stances as tables.

    Examples (the help text is in the `help` section of the word table):

      qimma show my_scenario.yaml

      qimma show copenhagen.csv --lang ar
    """
    language = set_lang(lang)
    s = load_scenario(file, runnable=False)  # showing a scenario that cannot run helps fix it
    console.print(f"{s.title.get(language)} ({s.id})", markup=False, highlight=False)
    console.print(actor_table(s, language))
    console.print(issue_table(s, language))
    console.print(stance_table(s, language))
