"""The forecast log round-trips through SQLite (Arabic intact) and scores by hand-checked rules."""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest
from alembic.script import ScriptDirectory
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect

from qimma.backtest.forecast_log import (
    add_forecast,
    brier,
    list_forecasts,
    log_score,
    parse_outcome_spec,
    resolve_forecast,
    score_log,
)
from qimma.cli.main import run
from qimma.errors import InputError, NotFoundError
from qimma.store.db import alembic_config, open_store

AR_YES = "وقفٌ لإطلاق النار بحلول يونيو"
AR_NO = "لا وقف لإطلاق النار"


@pytest.fixture
def engine(tmp_path):
    return open_store(f"sqlite:///{tmp_path / 'log.sqlite3'}")


def test_migration_is_a_branch_off_base(engine):
    script = ScriptDirectory.from_config(alembic_config(engine))
    rev = script.get_revision("0002_forecast_log")
    assert rev.down_revision == "0001_base"
    assert "forecast_log" in rev.branch_labels
    tables = set(inspect(engine).get_table_names())
    assert {"forecast_log", "forecast_log_outcome"} <= tables


def test_arabic_round_trip(tmp_path):
    url = f"sqlite:///{tmp_path / 'log.sqlite3'}"
    fid = add_forecast(
        open_store(url),
        scenario_hash="abc",
        scenario_title="قمة ألاسكا",
        model="ensemble",
        forecast_date=dt.date(2026, 1, 1),
        resolution_date=dt.date(2026, 6, 30),
        named_outcomes={AR_YES: 0.3, AR_NO: 0.7},
        note="ملاحظة: النص العربي يجب أن يبقى سليمًا",
    )
    # a fresh engine on the same file reads back exactly what was written
    (f,) = list_forecasts(open_store(url))
    assert f.id == fid
    assert f.outcomes == {AR_YES: 0.3, AR_NO: 0.7}
    assert f.scenario_title == "قمة ألاسكا"
    assert f.note == "ملاحظة: النص العربي يجب أن يبقى سليمًا"
    resolve_forecast(open_store(url), fid, AR_NO, dt.date(2026, 7, 1))
    assert list_forecasts(open_store(url))[0].resolved_outcome == AR_NO


def test_scores_by_hand(engine):
    day = dt.date(2026, 1, 1)
    a = add_forecast(
        engine,
        scenario_hash="h",
        model="m1",
        forecast_date=day,
        named_outcomes={"A": 0.7, "B": 0.3},
    )
    b = add_forecast(
        engine,
        scenario_hash="h",
        model="m1",
        forecast_date=day,
        named_outcomes={"A": 0.2, "B": 0.8},
    )
    c = add_forecast(
        engine, scenario_hash="h", model="m2", forecast_date=day, issue="TERR", predicted_value=40.0
    )
    add_forecast(
        engine,
        scenario_hash="h",
        model="m2",
        forecast_date=day,
        named_outcomes={"A": 0.5, "B": 0.5},
    )  # left open
    resolve_forecast(engine, a, "A")
    resolve_forecast(engine, b, "A")
    resolve_forecast(engine, c, "55")
    rows = {r.model: r for r in score_log(engine)}
    # Brier: (0.7-1)^2 + 0.3^2 = 0.18 and (0.2-1)^2 + 0.8^2 = 1.28 -> mean 0.73
    assert rows["m1"].brier == pytest.approx(0.73)
    assert rows["m1"].log == pytest.approx((-math.log(0.7) - math.log(0.2)) / 2)
    assert rows["m1"].n_outcomes == 2 and rows["m1"].n_open == 0
    assert rows["m2"].mae == pytest.approx(15.0) and rows["m2"].n_open == 1
    assert math.isnan(rows["m2"].brier)
    assert rows["overall"].n_outcomes == 2 and rows["overall"].n_issue == 1


def test_brier_and_log_edge_cases():
    assert brier({"x": 1.0, "y": 0.0}, "x") == 0.0
    assert brier({"x": 0.0, "y": 1.0}, "x") == 2.0
    assert log_score({"x": 0.0, "y": 1.0}, "x") == pytest.approx(-math.log(1e-6))


def test_bad_forecasts_and_resolutions(engine):
    day = dt.date(2026, 1, 1)
    with pytest.raises(InputError, match="sum to 1"):
        add_forecast(
            engine,
            scenario_hash="h",
            model="m",
            forecast_date=day,
            named_outcomes={"A": 0.5, "B": 0.2},
        )
    with pytest.raises(InputError, match="either"):
        add_forecast(engine, scenario_hash="h", model="m", forecast_date=day)
    with pytest.raises(InputError, match="before the forecast"):
        add_forecast(
            engine,
            scenario_hash="h",
            model="m",
            forecast_date=day,
            resolution_date=dt.date(2025, 1, 1),
            issue="X",
            predicted_value=1.0,
        )
    fid = add_forecast(
        engine, scenario_hash="h", model="m", forecast_date=day, named_outcomes={"A": 0.5, "B": 0.5}
    )
    with pytest.raises(InputError, match="not one of"):
        resolve_forecast(engine, fid, "C")
    resolve_forecast(engine, fid, "B")
    with pytest.raises(InputError, match="already resolved"):
        resolve_forecast(engine, fid, "A")
    assert list_forecasts(engine)[0].resolved_outcome == "B"  # not overwritten
    with pytest.raises(NotFoundError):
        resolve_forecast(engine, 999, "A")


def test_parse_outcome_spec():
    assert parse_outcome_spec("x=y=0.25") == ("x=y", 0.25)
    assert parse_outcome_spec(f"{AR_YES}=30%") == (AR_YES, pytest.approx(0.3))
    for bad in ("nothing", "=0.5", "a=1.5", "a=abc"):
        with pytest.raises(InputError):
            parse_outcome_spec(bad)


def test_log_cli_round_trip(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("QIMMA_STORE", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    assert (
        run(
            [
                "log",
                "add",
                "-m",
                "ensemble",
                "-o",
                f"{AR_YES}=0.6",
                "-o",
                f"{AR_NO}=0.4",
                "--resolve-by",
                "2026-12-31",
            ]
        )
        == 0
    )
    assert run(["log", "resolve", "1", "--outcome", AR_YES]) == 0
    capsys.readouterr()
    assert run(["log", "list", "--json"]) == 0
    (f,) = json.loads(capsys.readouterr().out)
    assert f["outcomes"] == {AR_YES: 0.6, AR_NO: 0.4} and f["resolved_outcome"] == AR_YES
    assert len(f["scenario_hash"]) == 64
    assert run(["log", "score", "--json"]) == 0
    rows = {r["model"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["ensemble"]["brier"] == pytest.approx(0.32)  # 0.4^2 + 0.4^2
    assert run(["log", "resolve", "1", "--outcome", AR_NO]) == 2
    assert "already resolved" in capsys.readouterr().err
    assert run(["log", "add", "-m", "x", "-o", "a=0.5", "--date", "2026-13-01"]) == 2
    assert run(["log", "score", "--lang", "ar"]) == 0


def test_migration_matches_the_table_definitions(engine):
    from qimma.backtest.forecast_log import metadata

    insp = inspect(engine)
    for table in metadata.sorted_tables:
        migrated = {c["name"] for c in insp.get_columns(table.name)}
        assert migrated == {c.name for c in table.columns}, table.name


def test_downgrade_and_upgrade_again(tmp_path):
    from alembic import command

    engine = open_store(f"sqlite:///{tmp_path / 'd.sqlite3'}")
    cfg = alembic_config(engine)
    command.downgrade(cfg, "forecast_log@-1")
    assert "forecast_log" not in inspect(engine).get_table_names()
    command.upgrade(cfg, "heads")
    assert "forecast_log" in inspect(engine).get_table_names()


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=20))
def test_parse_outcome_spec_fuzz(spec):
    try:
        name, p = parse_outcome_spec(spec)
    except InputError as e:
        assert e.problems[0].path == "--outcome"
    else:
        assert name and 0.0 <= p <= 1.0


def test_bad_store_url_exits_2(tmp_path, capsys):
    assert run(["log", "list", "--store", "not a url"]) == 2
    assert run(["log", "list", "--store", f"sqlite:///{tmp_path}/no/such/dir/x.db"]) == 2
    err = capsys.readouterr().err
    assert "cannot open the store" in err and "Traceback" not in err


def test_reading_a_mistyped_store_does_not_create_it(tmp_path, capsys, monkeypatch):
    typo = tmp_path / "qimma.sqlite"  # the store is qimma.sqlite3
    for args in (["list"], ["score"], ["resolve", "1", "-o", "A"]):
        assert run(["log", *args, "--store", f"sqlite:///{typo}"]) == 2
        err = capsys.readouterr().err
        assert f"{typo}: there is no store in this file — fix: check the path" in err
        assert not typo.exists()
    monkeypatch.setenv("QIMMA_STORE", f"sqlite:///{typo}")
    assert run(["log", "list", "--lang", "ar"]) == 2
    assert "لا يوجد مخزن في هذا الملف" in capsys.readouterr().err
    assert run(["log", "add", "-m", "x", "-o", "a=0.5", "-o", "b=0.5"]) == 0  # add creates it
    assert run(["log", "list"]) == 0
