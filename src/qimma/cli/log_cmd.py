"""`qimma log`: keep a log of forecasts, resolve them, and score them (Brier and log scores)."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
from pathlib import Path

import typer
from rich.table import Table
from sqlalchemy import Engine
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url

from qimma import i18n
from qimma.backtest.forecast_log import (
    add_forecast,
    list_forecasts,
    parse_outcome_spec,
    resolve_forecast,
    scenario_hash,
    score_log,
)
from qimma.cli.common import Lang, LangOption, console, set_lang
from qimma.errors import InputError
from qimma.scenario.formats import load_scenario
from qimma.store.db import ENV_URL
from qimma.store.db import open_store as _open_store

log_app = typer.Typer(
    name="log",
    no_args_is_help=True,
)

StoreOption = typer.Option(None, "--store")


def _missing_sqlite_file(url: str | None) -> str | None:
    """The file of a SQLite store named by --store or $QIMMA_STORE when that file does not exist."""
    given = url or os.environ.get(ENV_URL)
    if not given:
        return None  # the default store in the data folder: created on first use
    try:
        parsed = make_url(given)
    except sa_exc.ArgumentError:
        return None  # reported by open_store
    db = parsed.database
    if parsed.get_backend_name() != "sqlite" or not db or db == ":memory:":
        return None
    return None if Path(db).exists() else db


def open_store(url: str | None, must_exist: bool = False) -> Engine:
    """The store, or a bilingual error naming the URL (never a traceback).

    must_exist: reading commands (list, score, resolve) refuse a SQLite file that is not there; a
    mistyped path would otherwise create an empty store and show an empty log."""
    missing = _missing_sqlite_file(url) if must_exist else None
    if missing is not None:
        raise InputError.single(
            "there is no store in this file",
            "لا يوجد مخزن في هذا الملف",
            file=missing,
            fix_en="check the path in --store / $QIMMA_STORE (qimma log add creates a new store)",
            fix_ar="تحقق من المسار في --store أو $QIMMA_STORE "
            "(الأمر qimma log add ينشئ مخزنًا جديدًا)",
        )
    try:
        return _open_store(url)
    except (sa_exc.ArgumentError, sa_exc.OperationalError, sa_exc.NoSuchModuleError) as e:
        shown = url or "$QIMMA_STORE / default"
        raise InputError.single(
            f"cannot open the store '{shown}': {type(e).__name__}",
            f"تعذّر فتح المخزن '{shown}': {type(e).__name__}",
            path="--store",
            fix_en="give a URL such as sqlite:///path/to/qimma.sqlite3 in a writable folder",
            fix_ar="حدد عنوانًا مثل sqlite:///path/to/qimma.sqlite3 في مجلد قابل للكتابة",
        ) from None


def _date(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError.single(
            f"'{text}' is not a date",
            f"'{text}' ليس تاريخًا",
            path=option,
            fix_en="write the date as YYYY-MM-DD, e.g. 2026-06-30",
            fix_ar="اكتب التاريخ بالشكل YYYY-MM-DD، مثل 2026-06-30",
        ) from None


def _fmt(x: float, digits: int = 3) -> str:
    return "—" if math.isnan(x) else f"{x:.{digits}f}"


@log_app.command("add")
def add(
    model: str = typer.Option(..., "--model", "-m"),
    outcome: list[str] | None = typer.Option(None, "--outcome", "-o"),
    issue: str | None = typer.Option(None, "--issue"),
    value: float | None = typer.Option(None, "--value"),
    scenario: Path | None = typer.Option(
        None,
        "--scenario",
    ),
    hash_: str | None = typer.Option(None, "--hash"),
    date: str | None = typer.Option(None, "--date"),
    resolve_by: str | None = typer.Option(None, "--resolve-by"),
    note: str | None = typer.Option(None, "--note"),
    store: str | None = StoreOption,
    lang: Lang = LangOption,
) -> None:
    """Record a forecast.

    Examples (the help text is in the `help` section of the word table):

      qimma log add -m ensemble -o "ceasefire=0.35" -o "no ceasefire=0.65" --resolve-by 2030-06-30

      qimma log add -m compromise --issue TERR --value 42 --resolve-by 2030-12-31
    """
    lg = set_lang(lang)
    named = dict(parse_outcome_spec(s) for s in outcome or [])
    if outcome and len(named) != len(outcome):
        raise InputError.single(
            "two outcomes have the same name",
            "نتيجتان بالاسم نفسه",
            path="--outcome",
            fix_en="give each outcome its own name",
            fix_ar="أعطِ كل نتيجة اسمًا خاصًا بها",
        )
    title = None
    if hash_ is not None:
        h = hash_.strip().lower()
    else:
        scn = load_scenario(scenario)
        h, title = scenario_hash(scn), scn.title.get("en")
    engine = open_store(store)
    fid = add_forecast(
        engine,
        scenario_hash=h,
        scenario_title=title,
        model=model,
        forecast_date=_date(date, "--date") or dt.date.today(),
        resolution_date=_date(resolve_by, "--resolve-by"),
        named_outcomes=named or None,
        issue=issue,
        predicted_value=value,
        note=note,
    )
    console.print(i18n.t("cli.logged", lg, id=fid), markup=False, highlight=False)


@log_app.command("resolve")
def resolve(
    forecast_id: int = typer.Argument(...),
    outcome: str = typer.Option(..., "--outcome", "-o"),
    date: str | None = typer.Option(None, "--date"),
    store: str | None = StoreOption,
    lang: Lang = LangOption,
) -> None:
    """Record what happened (the outcome that came true, or the issue's value).

    Examples (the help text is in the `help` section of the word table):

      qimma log add -m median -o yes=0.7 -o no=0.3 && qimma log resolve 1 --outcome no
    """
    lg = set_lang(lang)
    f = resolve_forecast(
        open_store(store, must_exist=True), forecast_id, outcome, _date(date, "--date")
    )
    what = f.resolved_outcome if f.resolved_outcome is not None else f.resolved_value
    console.print(i18n.t("cli.resolved_as", lg, id=f.id, what=what), markup=False, highlight=False)


@log_app.command("list")
def list_(
    json_out: bool = typer.Option(False, "--json"),
    store: str | None = StoreOption,
    lang: Lang = LangOption,
) -> None:
    """Every logged forecast.

    Examples (the help text is in the `help` section of the word table):

      qimma log list

      qimma log list --json --lang ar
    """
    lg = set_lang(lang)
    fs = list_forecasts(open_store(store, must_exist=True))
    if json_out:
        typer.echo(json.dumps([f.to_json() for f in fs], ensure_ascii=False, indent=2))
        return
    h = i18n.words("cli", lg)
    t = Table(title=h["log_title"])
    for c in ("id", "model", "date", "resolve_by", "forecast", "resolved"):
        t.add_column(h[f"log_{c}"])
    for f in fs:
        fc = (
            "; ".join(f"{n}={p:g}" for n, p in f.outcomes.items())
            if f.kind == "outcomes"
            else f"{f.issue}={f.predicted_value:g}"
        )
        res = f.resolved_outcome or ("" if f.resolved_value is None else f"{f.resolved_value:g}")
        t.add_row(
            str(f.id),
            f.model,
            f.forecast_date.isoformat(),
            f.resolution_date.isoformat() if f.resolution_date else "",
            fc,
            res,
        )
    console.print(t)


@log_app.command("score")
def score(
    json_out: bool = typer.Option(False, "--json"),
    store: str | None = StoreOption,
    lang: Lang = LangOption,
) -> None:
    """Brier and log scores of resolved forecasts, per model and overall (lower is better).

    Examples (the help text is in the `help` section of the word table):

      qimma log add -m median -o yes=0.7 -o no=0.3 && qimma log resolve 1 -o yes && qimma log score
    """
    lg = set_lang(lang)
    rows = score_log(open_store(store, must_exist=True))
    if json_out:
        data = [
            {
                k: (None if isinstance(v, float) and math.isnan(v) else v)
                for k, v in r.__dict__.items()
            }
            for r in rows
        ]
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    h = i18n.words("cli", lg)
    t = Table(title=h["score_title"])
    for c in ("model", "resolved", "brier", "log", "issue", "mae", "open"):
        t.add_column(h["log_model" if c == "model" else f"score_{c}"])
    for r in rows:
        t.add_row(
            h["overall"] if r.model == "overall" else r.model,
            str(r.n_outcomes),
            _fmt(r.brier),
            _fmt(r.log),
            str(r.n_issue),
            _fmt(r.mae, 2),
            str(r.n_open),
        )
    console.print(t)
