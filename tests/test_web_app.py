"""The web app through HTTP (no browser): flows, validation, security, persistence."""

from __future__ import annotations

import re
import time

import pytest
from fastapi.testclient import TestClient

from qimma.web.app import create_app
from qimma.web.repo import Repo
from qimma.web.security import hash_password
from tests.web_server import csrf_token as token
from tests.web_server import local_client

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> «سلام» </td>'


def wait_for_run(c: TestClient, location: str) -> str:
    # up to 3 minutes: the run's worker is niced, and on a loaded 2-core machine a one-draw run
    # has taken more than the 30 s this allowed before (a deadline, not a speed assertion)
    for _ in range(720):
        html = c.get(location + "/status").text
        status = re.search(r'data-status="(\w+)"', html)
        assert status
        if status.group(1) in ("done", "failed"):
            return html
        time.sleep(0.25)
    raise AssertionError("run did not finish")


def test_default_scenario_is_loaded(client):
    html = client.get("/scenarios").text
    assert "us-russia-ukraine-2025" in html


def test_post_without_csrf_token_is_refused(client):
    r = client.post("/scenarios/1/duplicate")
    assert r.status_code == 403
    assert len(client.get("/scenarios").text.split("data-pk=")) == 2  # nothing was created


def test_stance_validation_messages_next_to_fields(client):
    tok = token(client)
    r = client.post(
        "/scenarios/1/stance/RUS/TERR",
        data={"position": "abc", "salience": "50", "capability": "5"},
        headers={"X-CSRF-Token": tok},
    )
    assert r.status_code == 422
    assert 'data-field="position">write a number such as 42<' in r.text
    r = client.post(
        "/scenarios/1/stance/RUS/TERR",
        data={"position": "80", "salience": "140", "capability": "5"},
        headers={"X-CSRF-Token": tok},
    )
    assert r.status_code == 422
    assert 'data-field="salience">salience value 140 is outside 0-100<' in r.text


def test_stance_edit_is_saved(client):
    tok = token(client)
    r = client.post(
        "/scenarios/1/stance/RUS/TERR",
        data={"position": "77", "salience": "60", "capability": "80", "basis": "inferred"},
        headers={"X-CSRF-Token": tok},
    )
    assert r.status_code == 200 and "<bdi>77</bdi>" in r.text
    assert client.get("/scenarios/1/export").text.count("value: 77") >= 1


def test_hostile_labels_are_escaped(client):
    tok = token(client)
    r = client.post(
        "/scenarios/new",
        data={
            "csrf_token": tok, "id": "evil", "title_en": HOSTILE, "title_ar": HOSTILE,
            "actor_id": "A", "actor_en": HOSTILE, "actor_ar": HOSTILE,
            "issue_id": "I", "issue_en": HOSTILE, "issue_ar": HOSTILE,
        },
        follow_redirects=True,
    )  # fmt: skip
    assert r.status_code == 200
    for page in (r.text, client.get("/scenarios").text, client.get("/scenarios?lang=ar").text):
        assert "<script>alert" not in page
        assert "<img src=x" not in page
        assert "&lt;script&gt;" in page


def test_run_forecast_and_download_json(client):
    tok = token(client)
    r = client.post(
        "/scenarios/1/runs",
        data={"csrf_token": tok, "models": ["compromise", "median"], "draws": "1", "seed": "3"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    html = wait_for_run(client, r.headers["location"])
    assert 'data-status="done"' in html and 'id="result-TERR"' in html
    # whether a deal happens at all comes before the terms
    assert 'id="deal-point-war"' in html
    assert html.index('id="deal-point"') < html.index('id="results"')
    data = client.get(r.headers["location"] + "/forecast.json").json()
    assert {f["model"] for f in data["forecasts"]} == {"compromise", "median", "ensemble"}
    assert {d["track"] for d in data["deal_test"]} == {"war", "relations"}


def test_bad_run_parameters_are_400(client):
    tok = token(client)
    r = client.post("/scenarios/1/runs", data={"csrf_token": tok, "draws": "many"})
    assert r.status_code == 400 and "whole numbers" in r.text
    r = client.post("/scenarios/1/runs", data={"csrf_token": tok, "models": ["nope"]})
    assert r.status_code == 400 and "unknown model" in r.text


def test_import_rejects_wrong_type_and_oversize(client):
    tok = token(client)
    r = client.post(
        "/scenarios/import",
        data={"csrf_token": tok},
        files={"file": ("../../etc/passwd.exe", b"hello", "application/octet-stream")},
    )
    assert r.status_code == 400 and "passwd.exe" in r.text and "../" not in r.text
    big = b"a: " + b"x" * (2 * 1024 * 1024 + 10)
    r = client.post(
        "/scenarios/import",
        data={"csrf_token": tok},
        files={"file": ("big.yaml", big, "application/x-yaml")},
    )
    assert r.status_code == 413


def test_import_a_broken_yaml_names_the_uploaded_file(client):
    tok = token(client)
    r = client.post(
        "/scenarios/import",
        data={"csrf_token": tok},
        files={"file": ("mine.yaml", b"id: x\ntitle: [unclosed\n", "application/x-yaml")},
    )
    assert r.status_code == 400 and "mine.yaml" in r.text and "upload" not in r.text


def test_export_import_round_trip(client):
    tok = token(client)
    yaml_text = client.get("/scenarios/1/export").content
    r = client.post(
        "/scenarios/import",
        data={"csrf_token": tok},
        files={"file": ("copy.yaml", yaml_text, "application/x-yaml")},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert client.get(r.headers["location"] + "/export").content == yaml_text


def test_delete_and_undo(client):
    tok = token(client)
    r = client.post("/scenarios/1/delete", data={"csrf_token": tok}, follow_redirects=True)
    assert 'id="undo"' in r.text and 'data-pk="1"' not in r.text
    r = client.post("/scenarios/1/undo", data={"csrf_token": tok}, follow_redirects=True)
    assert r.status_code == 200
    assert 'data-pk="1"' in client.get("/scenarios").text


def test_restart_marks_interrupted_runs_failed(store):
    with local_client(create_app(store)) as c:
        repo: Repo = c.app.state.repo  # type: ignore[attr-defined]
        pk = repo.add_run(1, {"models": ["compromise"]})
        repo.set_run_status(pk, "running")  # as if the server died mid-run
    with local_client(create_app(store)) as c:
        run = c.app.state.repo.get_run(pk)  # type: ignore[attr-defined]
        assert run.status == "failed" and "interrupted" in run.error and run.result is None


def test_an_interrupted_run_is_run_again_to_the_end(store):
    from qimma.scenario.formats import load_default_scenario

    with local_client(create_app(store)) as c:
        repo: Repo = c.app.state.repo  # type: ignore[attr-defined]
        params = {"models": ["compromise"], "draws": 1, "seed": 3, "lang": "en"}
        pk = repo.add_run(1, params, load_default_scenario())
        repo.set_run_status(pk, "running")  # as if the server died mid-run
    with local_client(create_app(store)) as c:
        html = c.get(f"/runs/{pk}").text
        assert 'id="rerun"' in html and "interrupted" in html
        tok = token(c, f"/runs/{pk}")
        r = c.post(f"/runs/{pk}/rerun", data={"csrf_token": tok}, follow_redirects=False)
        assert r.status_code == 303
        done = wait_for_run(c, r.headers["location"])
        assert 'data-status="done"' in done and 'id="results"' in done
        again = c.app.state.repo.get_run(int(r.headers["location"].rsplit("/", 1)[1]))  # type: ignore[attr-defined]
        assert again.params == params and again.pk != pk
        # a run that did not fail is not run again
        assert c.post(f"/runs/{again.pk}/rerun", data={"csrf_token": tok}).status_code == 409


def test_login_required_when_exposed(store):
    Repo_ = create_app(store).state.repo
    Repo_.add_user("alice", hash_password("correct horse"))
    with local_client(create_app(store, require_login=True)) as c:
        r = c.get("/scenarios", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/login"
        tok = token(c, "/login")
        r = c.post("/login", data={"csrf_token": tok, "username": "alice", "password": "wrong"})
        assert r.status_code == 401
        r = c.post(
            "/login",
            data={"csrf_token": tok, "username": "alice", "password": "correct horse"},
            follow_redirects=False,
        )
        assert r.status_code == 303
        assert c.get("/scenarios").status_code == 200


def test_arabic_pages_are_rtl(client):
    html = client.get("/scenarios?lang=ar").text
    assert '<html lang="ar" dir="rtl">' in html
    # the choice is remembered by a cookie
    assert '<html lang="ar" dir="rtl">' in client.get("/scenarios/1").text
    assert '<html lang="en" dir="ltr">' in client.get("/scenarios/1?lang=en").text


def test_unknown_scenario_is_404(client):
    assert client.get("/scenarios/999").status_code == 404


def test_web_migration_downgrades_on_sqlite_without_losing_runs(store):
    import sqlalchemy as sa
    from alembic import command

    from qimma.store.db import alembic_config

    with local_client(create_app(store)) as c:
        repo: Repo = c.app.state.repo  # type: ignore[attr-defined]
        run_pk = repo.add_run(1, {"models": ["median"]})
    engine = repo.engine
    command.downgrade(alembic_config(engine), "0004_web")
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM web_runs")).scalar_one() == 1
        yaml_text = conn.execute(sa.text("SELECT yaml FROM web_scenarios")).scalar_one()
    assert "id: us-russia-ukraine-2025" in yaml_text[:500]
    command.upgrade(alembic_config(engine), "heads")
    assert repo.get_run(run_pk) is not None


@pytest.mark.parametrize(
    ("name", "actor"),
    [
        ("ExampleActors_LF.csv", "Netherlands"),  # the classic CSV table
        ("dummyData_3Dim.csv", "SActor-00"),  # KTAB CSV
        ("smpExample_fixed_AliceDim0_52.8.xml", "Alice"),  # KTAB XML
        ("sample_data.txt", "Willems"),  # Decide
    ],
)
def test_import_every_supported_format(client, name, actor):
    from tests.conftest import FIXTURES

    data = (FIXTURES / "inputs" / name).read_bytes()
    r = client.post(
        "/scenarios/import",
        data={"csrf_token": token(client)},
        files={"file": (name, data, "application/octet-stream")},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text[:500]
    html = client.get(r.headers["location"]).text
    assert 'id="stance-grid"' in html and actor in html


def test_run_page_shows_progress_then_the_report_charts(client):
    tok = token(client)
    r = client.post(
        "/scenarios/1/runs",
        data={"csrf_token": tok, "models": ["compromise", "median"]},
        follow_redirects=False,
    )
    html = wait_for_run(client, r.headers["location"])
    assert "run-progress" not in html
    run_pk = int(r.headers["location"].rsplit("/", 1)[1])
    run = client.app.state.repo.get_run(run_pk)  # type: ignore[attr-defined]
    # the worker process wrote its progress to the store, step by step, up to the charts
    assert run.progress == 1.0 and run.progress_note == "charts"
    # the report's interactive chart of every issue, and its static charts
    for issue in ("TERR", "NEUTRAL"):
        assert f'id="chart-positions-{issue}"' in html
    assert 'id="chart-models"' in html and 'id="chart-salience"' in html
    png = client.get(f"/runs/{run_pk}/charts/models.png?lang=ar")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert client.get(f"/runs/{run_pk}/charts/nope.png").status_code == 404
    arabic = client.get(r.headers["location"] + "?lang=ar").text
    assert "مواقف الفاعلين" in arabic  # the report's Arabic chart captions


def test_run_keeps_the_scenario_it_started_on(client):
    tok = token(client)
    r = client.post(
        "/scenarios/1/runs", data={"csrf_token": tok, "models": ["median"]}, follow_redirects=False
    )
    wait_for_run(client, r.headers["location"])

    def page() -> str:  # the page without its per-request script nonce
        return re.sub(r"[nN]once\W+[\w-]+", "", client.get(r.headers["location"]).text)

    before = page()
    client.post(
        "/scenarios/1/stance/RUS/TERR",
        data={"position": "3", "salience": "99", "capability": "100", "basis": "inferred"},
        headers={"X-CSRF-Token": tok},
    )
    assert page() == before


def test_backtest_page_shows_the_deu3_table(client):
    html = client.get("/backtest").text
    assert 'id="backtest"' in html
    for _ in range(240):
        html = client.get("/backtest/status").text
        if 'data-status="done"' in html:
            break
        assert 'data-status="failed"' not in html, html
        time.sleep(0.25)
    else:
        raise AssertionError("backtest did not finish")
    for subset in ("all", "test"):
        assert f'id="scores-{subset}"' in html
    for row in ("compromise", "median", "ensemble", "reference_point", "commission"):
        assert f'data-model="{row}"' in html
    assert "scored: 353" in html  # a property of the data: 364 issues, 11 with empty `out`
    arabic = client.get("/backtest?lang=ar").text
    assert '<html lang="ar" dir="rtl">' in arabic and "متوسط الخطأ المطلق" in arabic


def test_progress_of_a_running_run_is_shown(client):
    repo: Repo = client.app.state.repo  # type: ignore[attr-defined]
    pk = repo.add_run(1, {"models": ["median"], "draws": 1, "seed": 0})
    repo.set_run_status(pk, "running")
    repo.set_progress(pk, 0.4, "median")
    for lang in ("en", "ar"):
        html = client.get(f"/runs/{pk}/status?lang={lang}").text
        assert 'data-status="running"' in html and 'hx-trigger="every 1s"' in html
        assert '<progress id="run-progress" max="100" value="40">' in html
        assert "<bdi>median</bdi>" in html
    repo.finish_run(pk, error="boom")
    repo.set_progress(pk, 0.9, "late")  # a late message from the worker changes nothing
    html = client.get(f"/runs/{pk}/status").text
    assert 'data-status="failed"' in html and "run-progress" not in html


def test_run_of_a_dynamic_model_draws_its_rounds_chart(client):
    tok = token(client)
    r = client.post(
        "/scenarios/1/runs",
        data={"csrf_token": tok, "models": ["eum"]},
        follow_redirects=False,
    )
    html = wait_for_run(client, r.headers["location"])
    assert 'data-status="done"' in html
    run_pk = int(r.headers["location"].rsplit("/", 1)[1])
    png = client.get(f"/runs/{run_pk}/charts/rounds-eum.png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
