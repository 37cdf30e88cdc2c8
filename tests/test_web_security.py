"""Security of the web app: CSRF on every form, hostile labels on every page, path traversal,
sign-in beyond loopback (argon2 hashes, cookie flags)."""

from __future__ import annotations

import io
import re
import time
from typing import Any

import sqlalchemy as sa
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from qimma.cli.main import run as cli_run
from qimma.store.db import open_store
from qimma.web.security import verify_password
from tests.web_server import app_routes, local_client
from tests.web_server import csrf_token as token

# HTML and script in both languages; a '</td>' to break table cells; quotes to leave attributes
HOSTILE_EN = '<script>alert("x")</script><img src=x onerror=alert(1)>" onmouseover="alert(2)</td>'
HOSTILE_AR = '<script>alert("س")</script>«سلام»<img src=x onerror=alert(3)></td>'
RAW_MARKERS = ("<script>alert", "<img src=x", '" onmouseover="alert')


def assert_escaped(html: str, where: str) -> None:
    for marker in RAW_MARKERS:
        assert marker not in html, f"{marker!r} unescaped in {where}"


def post_routes(app: Any) -> list[str]:
    return sorted(
        r.path
        for r in app_routes(app)
        if isinstance(r, APIRoute) and "POST" in (r.methods or set())
    )


def get_routes(app: Any) -> list[str]:
    return sorted(
        r.path for r in app_routes(app) if isinstance(r, APIRoute) and "GET" in (r.methods or set())
    )


def fill(path: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: values[m.group(1)], path)


# --- CSRF ------------------------------------------------------------------------------------


def test_every_post_route_refuses_a_request_without_the_csrf_token(client):
    routes = post_routes(client.app)
    assert {"/scenarios/new", "/scenarios/import", "/login", "/logout"} <= set(routes)
    values = {"pk": "1", "actor": "RUS", "issue": "TERR", "fmt": "zip", "pid": "x", "eid": "x"}
    for path in routes:
        url = fill(path, values)
        assert client.post(url, data={"x": "1"}).status_code == 403, url
        assert client.post(url, data={"csrf_token": "forged"}).status_code == 403, url
        r = client.post(url, headers={"X-CSRF-Token": "forged"}, data={"x": "1"})
        assert r.status_code == 403, url
    # and the refusal is the token's doing: with it, no route answers 403 (sign-out, which
    # ends the session and its token, goes last)
    tok = token(client)
    for path in sorted(routes, key=lambda p: p == "/logout"):
        url = fill(path, values)
        r = client.post(url, data={"csrf_token": tok}, follow_redirects=False)
        assert r.status_code != 403, url


def test_csrf_refusal_is_bilingual(client):
    r = client.post("/scenarios/1/duplicate?lang=ar")
    assert r.status_code == 403 and "قمة" in r.text


# --- hostile labels on every page -------------------------------------------------------------


def _hostile_scenario(c: TestClient) -> int:
    tok = token(c)
    r = c.post(
        "/scenarios/new",
        data={
            "csrf_token": tok, "id": "evil", "title_en": HOSTILE_EN, "title_ar": HOSTILE_AR,
            "actor_id": "A", "actor_en": HOSTILE_EN, "actor_ar": HOSTILE_AR,
            "issue_id": "I", "issue_en": HOSTILE_EN, "issue_ar": HOSTILE_AR,
        },
        follow_redirects=False,
    )  # fmt: skip
    assert r.status_code == 303
    pk = int(r.headers["location"].rsplit("/", 1)[1])
    h = {"X-CSRF-Token": tok}
    r = c.post(
        f"/scenarios/{pk}/actors",
        data={"id": "B", "name_en": HOSTILE_EN, "name_ar": HOSTILE_AR},
        headers=h,
    )
    assert r.status_code in (200, 303)
    r = c.post(
        f"/scenarios/{pk}/issues",
        data={
            "id": "J", "name_en": HOSTILE_EN, "name_ar": HOSTILE_AR, "status_quo": "50",
            "anchor_low": HOSTILE_AR, "anchor_high": HOSTILE_EN,
        },
        headers=h,
    )  # fmt: skip
    assert r.status_code in (200, 303)
    stances = (("A", "I", "20"), ("B", "I", "80"), ("A", "J", "30"), ("B", "J", "70"))
    for actor, issue, pos in stances:
        r = c.post(
            f"/scenarios/{pk}/stance/{actor}/{issue}",
            data={"position": pos, "salience": "60", "capability": "50", "basis": "assumption"},
            headers=h,
        )
        assert r.status_code == 200, r.text
    return pk


def _finished_run(c: TestClient, pk: int) -> int:
    r = c.post(f"/scenarios/{pk}/runs", data={"csrf_token": token(c)}, follow_redirects=False)
    assert r.status_code == 303
    run_pk = int(r.headers["location"].rsplit("/", 1)[1])
    for _ in range(240):
        html = c.get(f"/runs/{run_pk}/status").text
        if 'data-status="done"' in html:
            return run_pk
        assert 'data-status="failed"' not in html, html
        time.sleep(0.25)
    raise AssertionError("run did not finish")


def test_hostile_labels_are_escaped_on_every_page(client):
    pk = _hostile_scenario(client)
    run_pk = _finished_run(client, pk)
    values = {
        "pk": str(pk), "actor": "A", "issue": "J", "cid": "models", "fmt": "zip",
        "pid": "doc1.p001.s01", "eid": "G001",
    }  # fmt: skip
    checked = 0
    for path in get_routes(client.app):
        if re.search(r"\.(json|pdf|zip|png|js)$|\{fmt\}|\{cid\}", path):
            continue  # downloads, not pages
        url = fill(path, {**values, "pk": str(run_pk) if path.startswith("/runs/") else str(pk)})
        for lang in ("en", "ar"):
            r = client.get(url, params={"lang": lang, "q": HOSTILE_AR})
            if not r.headers.get("content-type", "").startswith("text/html"):
                continue
            assert_escaped(r.text, f"{url}?lang={lang}")
            checked += 1
    assert checked >= 16
    # the labels are there, as text, in the editor's actor and issue tables and on the results
    for lang in ("en", "ar"):
        editor = client.get(f"/scenarios/{pk}?lang={lang}").text
        assert editor.count("&lt;script&gt;alert(") >= 6
        actors = editor[editor.index('id="actors"') : editor.index('id="add-actor"')]
        assert "&lt;img src=x" in actors
        issues = editor[editor.index('id="issues"') : editor.index('id="add-issue"')]
        assert "&lt;img src=x" in issues
        results = client.get(f"/runs/{run_pk}?lang={lang}").text
        assert "&lt;script&gt;alert(" in results and 'id="result-J"' in results


def test_hostile_input_echoed_in_forms_is_escaped(client):
    tok = token(client)
    r = client.post(
        "/scenarios/1/stance/RUS/TERR",
        data={"position": HOSTILE_EN, "salience": HOSTILE_AR, "capability": "5"},
        headers={"X-CSRF-Token": tok},
    )
    assert r.status_code == 422
    assert_escaped(r.text, "stance form")
    r = client.post(
        "/scenarios/new",
        data={"csrf_token": tok, "id": HOSTILE_EN, "title_en": HOSTILE_AR, "actor_id": "A"},
    )
    assert r.status_code == 400
    assert_escaped(r.text, "new scenario form")
    r = client.post(
        "/scenarios/import",
        data={"csrf_token": tok},
        files={"file": (HOSTILE_AR + ".exe", b"x", "application/octet-stream")},
    )
    assert r.status_code == 400
    assert_escaped(r.text, "import error")


# --- path traversal ---------------------------------------------------------------------------


def test_import_ignores_the_client_path(client, tmp_path):
    tok = token(client)
    yaml_text = client.get("/scenarios/1/export").content
    target = tmp_path / "escaped.yaml"
    for name in (f"../../../..{target}", str(target), "..\\..\\escaped.yaml", "%2e%2e/x.yaml"):
        r = client.post(
            "/scenarios/import",
            data={"csrf_token": tok},
            files={"file": (name, yaml_text, "application/x-yaml")},
            follow_redirects=False,
        )
        assert r.status_code == 303, (name, r.text[:300])
        assert not target.exists()
    assert not (tmp_path.parent / "escaped.yaml").exists()


def test_export_cannot_reach_outside_the_store(client):
    for url in (
        "/scenarios/..%2F..%2Fetc%2Fpasswd/export",
        "/scenarios/1%2F..%2F..%2Fetc%2Fpasswd/export",
        "/scenarios/-1/export",
        "/static/..%2F..%2Fapp.py",
        "/static/../app.py",
        "/static/%2e%2e/%2e%2e/app.py",
    ):
        r = client.get(url)
        assert r.status_code in (404, 422), url
        assert "create_app" not in r.text and "root:" not in r.text
    r = client.get("/scenarios/1/export")
    disposition = r.headers["content-disposition"]
    assert re.fullmatch(r'attachment; filename="[A-Za-z0-9_.-]+\.yaml"', disposition)
    assert ".." not in disposition.split("filename=")[1].removesuffix('.yaml"')


# --- serving beyond loopback -------------------------------------------------------------------


def test_serve_on_all_interfaces_without_users_exits_2(store, capsys, monkeypatch):
    from qimma.cli.common import state

    monkeypatch.setitem(state, "lang", "en")  # another test may have left the CLI in Arabic
    started = []
    monkeypatch.setattr("uvicorn.run", lambda *a, **k: started.append(a))
    assert cli_run(["serve", "--host", "0.0.0.0", "--store", store]) == 2
    err = capsys.readouterr().err
    assert "requires sign-in" in err and "qimma user add" in err
    assert not started


def test_user_add_stores_an_argon2_hash(store, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert cli_run(["user", "add", "alice", "--store", store, "--password-stdin"]) == 2
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
    assert cli_run(["user", "add", "alice", "--store", store, "--password-stdin"]) == 0
    engine = open_store(store)
    with engine.connect() as c:
        rows = c.execute(sa.text("SELECT username, password_hash FROM web_users")).all()
    assert [r[0] for r in rows] == ["alice"]
    stored = rows[0][1]
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    assert verify_password(stored, "correct horse battery")
    assert not verify_password(stored, "correct horse battery!")
    monkeypatch.setattr("sys.stdin", io.StringIO("another password\n"))
    assert cli_run(["user", "add", "alice", "--store", store, "--password-stdin"]) == 2


def test_serve_exposed_requires_login_with_secure_cookies(store, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
    assert cli_run(["user", "add", "alice", "--store", store, "--password-stdin"]) == 0
    started: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **k: started.append((app, k)))
    args = ["--host", "0.0.0.0", "--allow-host", "qimma.example.org", "--port", "8123"]
    assert cli_run(["serve", *args, "--store", store]) == 0
    app, kwargs = started[0]
    assert kwargs["host"] == "0.0.0.0" and kwargs["port"] == 8123
    with TestClient(app, base_url="https://qimma.example.org") as c:
        r = c.get("/scenarios", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/login"
        for path in ("/scenarios/1", "/runs/1", "/evidence", "/backtest", "/scenarios/1/export"):
            assert c.get(path, follow_redirects=False).status_code == 303, path
        login = c.get("/login")
        cookie = login.headers["set-cookie"]
        assert cookie.startswith("qimma_session=")
        flags = {f.strip().lower() for f in cookie.split(";")[1:]}
        assert {"secure", "httponly", "samesite=lax"} <= flags
        tok = re.search(r'name="csrf_token" value="([^"]+)"', login.text)
        assert tok
        r = c.post(
            "/login",
            data={"csrf_token": tok.group(1), "username": "alice", "password": "nope nope"},
        )
        assert r.status_code == 401
        r = c.post(
            "/login",
            data={
                "csrf_token": tok.group(1),
                "username": "alice",
                "password": "correct horse battery",
            },
            follow_redirects=False,
        )
        assert r.status_code == 303
        assert c.get("/scenarios").status_code == 200


def test_loopback_serves_without_login_and_plain_cookies(store, monkeypatch):
    started: list[Any] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **k: started.append(app))
    assert cli_run(["serve", "--store", store]) == 0
    with local_client(started[0]) as c:
        r = c.get("/scenarios")
        assert r.status_code == 200
        flags = {f.strip().lower() for f in r.headers["set-cookie"].split(";")[1:]}
        assert "httponly" in flags and "samesite=lax" in flags and "secure" not in flags
