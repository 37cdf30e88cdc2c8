"""The web app and its store on a real PostgreSQL server (started by tests/postgres.py)."""

from __future__ import annotations

import re
import time

import pytest
import sqlalchemy as sa
from alembic import command

from qimma.store.db import alembic_config, open_store
from qimma.web.app import create_app
from qimma.web.repo import Repo
from qimma.web.security import hash_password
from tests.postgres import postgres_server, postgres_url
from tests.web_server import csrf_token as token
from tests.web_server import local_client

__all__ = ["postgres_server", "postgres_url"]  # fixtures


def test_every_migration_applies_and_the_web_branch_downgrades(postgres_url):
    engine = open_store(postgres_url)
    assert engine.dialect.name == "postgresql"
    tables = set(sa.inspect(engine).get_table_names())
    assert {"web_scenarios", "web_runs", "web_users", "alembic_version"} <= tables
    cols = {c["name"] for c in sa.inspect(engine).get_columns("web_runs")}
    assert {"progress", "progress_note", "scenario_json"} <= cols
    cfg = alembic_config(engine)
    command.downgrade(cfg, "0004_web")
    cols = {c["name"] for c in sa.inspect(engine).get_columns("web_runs")}
    assert "progress" not in cols
    command.upgrade(cfg, "heads")
    cols = {c["name"] for c in sa.inspect(engine).get_columns("web_runs")}
    assert "progress" in cols


def test_downgrade_keeps_scenarios_readable_as_yaml(postgres_url):
    engine = open_store(postgres_url)
    repo = Repo(engine)
    from qimma.web.pages import default_scenario as _default_scenario

    repo.add_scenario(_default_scenario())
    command.downgrade(alembic_config(engine), "0004_web")
    with engine.connect() as c:
        text = c.execute(sa.text("SELECT yaml FROM web_scenarios")).scalar_one()
    assert "id: us-russia-ukraine-2025" in text[:500]
    command.upgrade(alembic_config(engine), "heads")
    assert Repo(engine).get_scenario(1).scenario.id == "us-russia-ukraine-2025"  # type: ignore[union-attr]


def test_web_flows_on_postgres(postgres_url):
    with local_client(create_app(postgres_url)) as c:
        assert "us-russia-ukraine-2025" in c.get("/scenarios").text
        tok = token(c)
        r = c.post(
            "/scenarios/1/stance/RUS/TERR",
            data={"position": "77", "salience": "60", "capability": "80", "basis": "inferred"},
            headers={"X-CSRF-Token": tok},
        )
        assert r.status_code == 200 and "<bdi>77</bdi>" in r.text
        r = c.post(
            "/scenarios/new",
            data={
                "csrf_token": tok, "id": "pg", "title_en": "On PostgreSQL",
                "title_ar": "على بوستغريس",
                "actor_id": "A", "actor_en": "Alpha", "issue_id": "X", "issue_en": "Line",
            },
            follow_redirects=False,
        )  # fmt: skip
        assert r.status_code == 303
        pk = int(r.headers["location"].rsplit("/", 1)[1])
        r = c.post(f"/scenarios/{pk}/delete", data={"csrf_token": tok}, follow_redirects=True)
        assert 'id="undo"' in r.text and f'data-pk="{pk}"' not in r.text
        r = c.post(f"/scenarios/{pk}/undo", data={"csrf_token": tok}, follow_redirects=True)
        assert r.status_code == 200 and "On PostgreSQL" in r.text

        r = c.post(
            "/scenarios/1/runs",
            data={"csrf_token": tok, "models": ["compromise", "median"], "seed": "1"},
            follow_redirects=False,
        )
        assert r.status_code == 303
        run_url = r.headers["location"]
        for _ in range(240):
            html = c.get(run_url + "/status").text
            if 'data-status="done"' in html:
                break
            assert 'data-status="failed"' not in html, html
            time.sleep(0.25)
        else:
            raise AssertionError("run did not finish")
        data = c.get(run_url + "/forecast.json").json()
        assert {f["model"] for f in data["forecasts"]} == {"compromise", "median", "ensemble"}
        run = c.app.state.repo.get_run(int(run_url.rsplit("/", 1)[1]))  # type: ignore[attr-defined]
        assert run.progress == 1.0 and run.scenario() is not None


def test_login_and_interrupted_runs_on_postgres(postgres_url):
    repo = Repo(open_store(postgres_url))
    repo.add_user("alice", hash_password("correct horse"))
    with local_client(create_app(postgres_url, require_login=True)) as c:
        assert c.get("/scenarios", follow_redirects=False).status_code == 303
        tok = token(c, "/login")
        r = c.post(
            "/login",
            data={"csrf_token": tok, "username": "alice", "password": "correct horse"},
            follow_redirects=False,
        )
        assert r.status_code == 303 and c.get("/scenarios").status_code == 200
        pk = repo.add_run(1, {"models": ["compromise"]})
        repo.set_run_status(pk, "running")
    with local_client(create_app(postgres_url)) as c:
        run = c.app.state.repo.get_run(pk)  # type: ignore[attr-defined]
        assert run.status == "failed" and "interrupted" in run.error


@pytest.mark.parametrize("scheme", ["postgres://", "postgresql://"])
def test_store_urls_of_both_spellings(postgres_url, scheme):
    url = scheme + postgres_url.split("://", 1)[1]
    engine = open_store(url)
    assert engine.dialect.name == "postgresql" and engine.dialect.driver == "psycopg"


def test_evidence_pages_on_postgres(postgres_url):
    pytest.importorskip(
        "qimma.evidence.search", reason="the evidence engine is not in this version"
    )
    with local_client(create_app(postgres_url)) as c:
        html = c.get("/evidence", params={"q": "العقوبات على روسيا"}).text
        hits = re.findall(r'href="/evidence/passages/([\w.-]+)"', html)
        assert hits
        assert 'class="marked"' in c.get(f"/evidence/passages/{hits[0]}").text
        r = c.post(
            "/evidence/documents",
            data={"csrf_token": token(c, "/evidence"), "title": "Geneva notes"},
            files={"file": ("notes.txt", b"The wheat corridor deal was extended.\n", "text/plain")},
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text[:300]
        assert "Geneva notes" in c.get("/evidence", params={"q": "wheat corridor"}).text


def test_forecast_log_on_postgres(postgres_url):
    import datetime as dt

    from qimma.backtest.forecast_log import add_forecast, resolve_forecast, score_log

    engine = open_store(postgres_url)
    fid = add_forecast(
        engine,
        scenario_hash="abc",
        model="compromise",
        forecast_date=dt.date(2025, 8, 1),
        named_outcomes={"deal": 0.7, "no_deal": 0.3},
    )
    resolve_forecast(engine, fid, "deal", dt.date(2025, 9, 1))
    row = next(r for r in score_log(engine) if r.model == "compromise")
    # Brier score of 0.7 / 0.3 when "deal" happened, by hand: (1 - 0.7)^2 + (0 - 0.3)^2 = 0.18
    assert row.n_outcomes == 1 and abs(row.brier - 0.18) < 1e-9
