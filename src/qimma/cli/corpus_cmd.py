"""`qimma corpus ...` (add, clean, search, statements, list) and `qimma evidence ACTOR ISSUE`."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path

import typer

from qimma import i18n
from qimma.cli.common import Lang, LangOption, err_console, set_lang, show_progress, state
from qimma.cli.progress import unit_progress
from qimma.errors import NotFoundError, QimmaError
from qimma.scenario.model import Scenario

corpus_app = typer.Typer(
    no_args_is_help=True,
)

StoreOption = typer.Option(None, "--store")
ScenarioOption = typer.Option(None, "--scenario", "-s")


def _scenario(path: Path | None) -> Scenario:
    from qimma.scenario.formats import load_scenario

    return load_scenario(path)


def _open(store: str | None, scenario: Scenario | None = None):  # type: ignore[no-untyped-def]
    """The store, with the default corpus ingested (saying so the one time it takes a while)."""
    from qimma.evidence import store as st
    from qimma.evidence.corpus import ensure_default_corpus
    from qimma.scenario.formats import load_default_scenario
    from qimma.store.db import open_store

    engine = open_store(store)
    default = load_default_scenario()
    if any(s.resource and s.id not in st.document_ids(engine) for s in default.sources):
        typer.echo(i18n.t("cli.preparing_corpus", state["lang"]), err=True)
        ensure_default_corpus(engine, default)
    return engine


def _one_line(text: str, width: int = 0) -> str:
    t = " ".join(text.split())
    return t if not width or len(t) <= width else t[: width - 1] + "…"


@corpus_app.command("add")
def corpus_add(
    files: list[Path] = typer.Argument(...),
    title: str = typer.Option(""),
    author: str = typer.Option(""),
    venue: str = typer.Option(""),
    date: str = typer.Option(""),
    language: str = typer.Option(""),
    doc_id: str = typer.Option("", "--id"),
    store: str | None = StoreOption,
    lang: Lang = LangOption,
) -> None:
    """Read, clean and store documents. All files are checked first: one bad file adds nothing.

    Examples (the help text is in the `help` section of the word table):

      qimma corpus add article.txt

      qimma corpus add notes.md --title "After Alaska" --author "A. Writer" --date 2025-08-20
    """
    from qimma.evidence.corpus import add
    from qimma.evidence.ingest import Metadata, read_document

    lg = set_lang(lang)
    if doc_id and len(files) > 1:
        raise QimmaError.single(
            "--id names one document; give one file with it",
            "الخيار --id يسمّي مستندًا واحدًا؛ أعطه ملفًا واحدًا",
            fix_en="run the command once per file",
            fix_ar="شغّل الأمر مرة لكل ملف",
        )
    meta = Metadata(title, author, venue, date, language)
    problems = []
    docs = []
    label, unit = i18n.t("cli.reading", lg), i18n.t("cli.documents", lg)
    with unit_progress(label, unit) as tick:
        for k, f in enumerate(files):
            try:
                docs.append(read_document(f, meta=meta, doc_id=doc_id or None))
            except QimmaError as e:
                problems += e.problems
            if tick is not None:
                tick(k + 1, len(files))
    if problems:
        raise QimmaError(problems)
    engine = _open(store)
    storing = i18n.t("cli.storing", lg)
    with err_console.status(storing) if show_progress(False) else nullcontext():
        added = add(engine, docs)
    for d in docs:
        status = i18n.t("cli.added" if d.id in added else "cli.present", lg)
        passages = i18n.t("cli.n_passages", lg, n=len(d.passages))
        typer.echo(f"{d.id}\t{passages}\t{status}\t{d.meta.title}")
        for r in d.review:
            typer.echo("  " + i18n.t("cli.review", lg, note=r))


@corpus_app.command("clean")
def corpus_clean(
    file: Path = typer.Argument(...),
    lang: Lang = LangOption,
) -> None:
    """Print the cleaned text of a document (paragraphs separated by blank lines).

    Examples (the help text is in the `help` section of the word table):

      qimma corpus clean article.txt
    """
    from qimma.evidence.ingest import read_document

    set_lang(lang)
    doc = read_document(file)
    typer.echo(doc.text)


@corpus_app.command("list")
def corpus_list(store: str | None = StoreOption, lang: Lang = LangOption) -> None:
    """The documents in the corpus.

    Examples (the help text is in the `help` section of the word table):

      qimma corpus list
    """
    from qimma.evidence import store as st

    lg = set_lang(lang)
    for d in st.list_documents(_open(store)):
        flag = i18n.t("cli.default_doc", lg) if d["is_default"] else ""
        typer.echo(f"{d['id']}\t{d['passages']}\t{d['language']}\t{flag}\t{d['title']}")


@corpus_app.command("search")
def corpus_search(
    query: str = typer.Argument(...),
    mode: str = typer.Option("fused"),
    limit: int = typer.Option(10, "--limit", "-n", min=1, max=200),
    store: str | None = StoreOption,
    scenario: Path | None = ScenarioOption,
    lang: Lang = LangOption,
) -> None:
    """Rank passages by BM25, multilingual semantic similarity, or both fused.

    Examples (the help text is in the `help` section of the word table):

      qimma corpus search "قمة ألاسكا" --limit 5

      qimma corpus search "sanctions relief" --mode bm25 --lang ar
    """
    from qimma.evidence.search import search

    lg = set_lang(lang)
    if mode not in ("bm25", "semantic", "fused"):
        raise QimmaError.single(
            f"unknown search mode '{mode}'",
            f"نمط بحث غير معروف '{mode}'",
            fix_en="use bm25, semantic or fused",
            fix_ar="استخدم bm25 أو semantic أو fused",
        )
    sc = _scenario(scenario)
    res = search(_open(store, sc), query, mode=mode, limit=limit, scenario=sc)  # type: ignore[arg-type]
    if res.note:
        typer.echo(i18n.t("cli.note", lg, note=res.note), err=True)
    if not res.hits:
        typer.echo(i18n.t("cli.no_match", lg))
    for h in res.hits:
        typer.echo(f"{h.rank}. [{h.passage.id}] ({h.score:.3f}) {_one_line(h.passage.text)}")


@corpus_app.command("statements")
def corpus_statements(
    actor: str = typer.Option(""),
    issue: str = typer.Option(""),
    store: str | None = StoreOption,
    scenario: Path | None = ScenarioOption,
    lang: Lang = LangOption,
) -> None:
    """Estimative statements (likely, unlikely, قد، من غير المرجح ...) with ICD-203 bands.

    Examples (the help text is in the `help` section of the word table):

      qimma corpus statements --actor RUS

      qimma corpus statements --issue TERR --lang ar
    """
    from qimma.evidence.statements import statements

    lg = set_lang(lang)
    sc = _scenario(scenario)
    _check_ids(sc, actor or None, issue or None)
    for s in statements(_open(store, sc), sc, actor=actor or None, issue=issue or None):
        who = ",".join(s.actors) or "-"
        what = ",".join(s.issues) or "-"
        line = i18n.t(
            "cli.statement",
            lg,
            id=s.passage.id,
            label=s.estimate.label(lg),
            cue=s.estimate.cue,
            actors=who,
            issues=what,
        )
        typer.echo(f"{line}\n    {_one_line(s.claim)}")


def _check_ids(sc: Scenario, actor: str | None, issue: str | None) -> None:
    actors = [a.id for a in sc.actors]
    issues = [i.id for i in sc.issues]
    if actor is not None and actor not in actors:
        raise NotFoundError.single(
            f"unknown actor '{actor}'",
            f"فاعل غير معروف '{actor}'",
            fix_en=f"use one of: {', '.join(actors)}",
            fix_ar=f"استخدم أحد: {', '.join(actors)}",
        )
    if issue is not None and issue not in issues:
        raise NotFoundError.single(
            f"unknown issue '{issue}'",
            f"قضية غير معروفة '{issue}'",
            fix_en=f"use one of: {', '.join(issues)}",
            fix_ar=f"استخدم إحدى: {', '.join(issues)}",
        )


def evidence(
    actor: str = typer.Argument(...),
    issue: str = typer.Argument(...),
    limit: int = typer.Option(10, "--limit", "-n", min=1, max=100),
    store: str | None = StoreOption,
    scenario: Path | None = ScenarioOption,
    lang: Lang = LangOption,
) -> None:
    """The passages about one stance (actor × issue), best first; * = cited by the scenario.

    Examples (the help text is in the `help` section of the word table):

      qimma evidence RUS TERR

      qimma evidence UKR NEUTRAL --limit 3 --lang ar
    """
    from qimma.evidence.statements import stance_evidence, stored_translations
    from qimma.scenario.importing import has_arabic

    lg = set_lang(lang)
    sc = _scenario(scenario)
    _check_ids(sc, actor, issue)
    rows = stance_evidence(_open(store, sc), sc, actor, issue, limit=limit)
    if not rows:
        typer.echo(i18n.t("cli.no_passage", lg))
    for k, r in enumerate(rows, start=1):
        mark = "*" if r.cited else " "
        typer.echo(f"{k}.{mark}[{r.passage.id}] {_one_line(r.passage.text)}")
        if lg == "en" and has_arabic(r.passage.text):
            # an English reader gets the scenario's stored translation of the quoted words
            found = stored_translations(sc, r.passage.text)
            for tr in found or [i18n.t("cli.no_translation", lg)]:
                typer.echo(f"     EN: {_one_line(tr)}")
