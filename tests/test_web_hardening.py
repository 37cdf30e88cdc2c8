"""Web hardening through HTTP: Host/Origin allow-list, security headers, sign-in lockout, error
pages as HTML in the user's language, bidi controls removed from labels, a scenario with nothing
to run refused before the run."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from qimma.scenario.model import Scenario
from qimma.web.app import create_app
from qimma.web.security import LoginThrottle, allowed_hosts, hash_password
from tests.web_server import csrf_token as token
from tests.web_server import local_client

RLO_LABEL = "مصر\u202egnp.exe"  # displays as "مصرexe.png" when the override is kept
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


# --- Host and Origin ---------------------------------------------------------------------------
def test_a_foreign_host_is_refused_before_any_page(store):
    """DNS rebinding: a page of evil.example resolving to 127.0.0.1 sends its own name."""
    with TestClient(create_app(store), base_url="http://evil.example:8000") as c:
        r = c.get("/scenarios")
        assert r.status_code == 400 and "csrf_token" not in r.text
        assert "--allow-host" in r.text
        assert c.post("/scenarios/1/duplicate").status_code == 400
        assert "سيناريو" not in c.get("/scenarios?lang=ar").text  # no page was rendered
        assert "الخادم" in c.get("/scenarios?lang=ar").text  # the refusal is in Arabic


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "[::1]:8000", "LOCALHOST"])
def test_loopback_names_are_allowed(client, host):
    assert client.get("/scenarios", headers={"host": host}).status_code == 200


def test_configured_names_are_allowed(store):
    hosts = allowed_hosts("0.0.0.0", ("qimma.example.org",))
    assert "0.0.0.0" not in hosts and {"qimma.example.org", "localhost"} <= hosts
    assert "10.1.2.3" in allowed_hosts("10.1.2.3")
    app = create_app(store, hosts=hosts)
    with TestClient(app, base_url="https://qimma.example.org") as c:
        assert c.get("/scenarios").status_code == 200
    with TestClient(app, base_url="https://other.example.org") as c:
        assert c.get("/scenarios").status_code == 400


def test_a_post_from_another_origin_is_refused_even_with_the_token(client):
    tok = token(client)
    before = client.get("/scenarios").text.count("data-pk=")
    r = client.post(
        "/scenarios/1/duplicate",
        data={"csrf_token": tok},
        headers={"origin": "http://evil.example"},
        follow_redirects=False,
    )
    assert r.status_code == 403
    assert client.get("/scenarios").text.count("data-pk=") == before
    same = client.post(
        "/scenarios/1/duplicate",
        data={"csrf_token": tok},
        headers={"origin": "http://127.0.0.1:8000"},
        follow_redirects=False,
    )
    assert same.status_code == 303


# --- headers -----------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/scenarios", "/scenarios/1", "/nowhere", "/static/qimma.css"])
def test_security_headers_on_every_response(client, path):
    r = client.get(path)
    csp = r.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    script_src = re.search(r"script-src ([^;]+)", csp)
    assert script_src and "'unsafe-inline'" not in script_src.group(1)
    assert "'unsafe-eval'" not in csp
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "same-origin"


def test_pages_have_no_inline_script_or_handler_without_the_nonce(client):
    r = client.get("/scenarios")
    nonce = re.search(r"'nonce-([^']+)'", r.headers["content-security-policy"])
    assert nonce
    for tag in re.findall(r"<script\b[^>]*>", r.text):
        assert "src=" in tag or f'nonce="{nonce.group(1)}"' in tag, tag
    assert not re.search(r"\son[a-z]+=", r.text) and "javascript:" not in r.text
    assert nonce.group(1) != re.search(
        r"'nonce-([^']+)'", client.get("/scenarios").headers["content-security-policy"]
    ).group(1)  # type: ignore[union-attr]


def test_favicon(client):
    r = client.get("/favicon.ico")
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    assert 'rel="icon"' in client.get("/scenarios").text


# --- sign-in lockout ---------------------------------------------------------------------------
def test_sign_in_is_locked_after_repeated_failures(store):
    create_app(store).state.repo.add_user("alice", hash_password("correct horse"))
    with local_client(create_app(store, require_login=True)) as c:
        tok = token(c, "/login")
        for _ in range(5):
            r = c.post("/login", data={"csrf_token": tok, "username": "alice", "password": "x"})
            assert r.status_code == 401
        right = {"csrf_token": tok, "username": "alice", "password": "correct horse"}
        r = c.post("/login", data=right, follow_redirects=False)
        assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
        assert 'id="locked"' in r.text
        assert "محاولات" in c.post("/login?lang=ar", data=right).text


def test_the_throttle_unlocks_after_the_lockout_and_forgets_success():
    th = LoginThrottle(limit=3, window=60, lockout=100)
    keys = ("user:a", "addr:1")
    for t in (0, 1, 2):
        assert th.retry_after(keys, now=t) == 0
        th.failed(keys, now=t)
    assert th.retry_after(keys, now=3) == 99
    assert th.retry_after(("user:b", "addr:1"), now=3) == 99  # the same address
    assert th.retry_after(("user:b", "addr:2"), now=3) == 0
    assert th.retry_after(keys, now=103) == 0
    th.failed(keys, now=104)
    th.succeeded(keys)
    th.failed(keys, now=105)
    th.failed(keys, now=106)
    assert th.retry_after(keys, now=107) == 0  # the success cleared the earlier failure


# --- error pages -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "status", "en", "ar"),
    [
        ("/nowhere", 404, "Not found", "غير موجود"),
        ("/scenarios/999", 404, "scenario not found", "السيناريو غير موجود"),
        ("/runs/abc", 422, "not valid", "غير صالح"),
        ("/logout", 405, "cannot be opened this way", "لا يمكن فتح"),
    ],
)
def test_error_pages_are_html_in_the_users_language(client, path, status, en, ar):
    for lang, word in (("en", en), ("ar", ar)):
        r = client.get(path, params={"lang": lang})
        assert r.status_code == status
        assert r.headers["content-type"].startswith("text/html")
        assert word in r.text and f'lang="{lang}"' in r.text
    api = client.get(path, headers={"accept": "application/json"})
    assert api.status_code == status and api.json()["problems"]


def test_a_server_error_is_an_html_page(store):
    app = create_app(store)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("internal detail")

    with local_client(app, raise_server_exceptions=False) as c:
        r = c.get("/boom?lang=ar")
        assert r.status_code == 500 and "حدث خطأ في الخادم" in r.text
        assert "internal detail" not in r.text and "Traceback" not in r.text


def test_language_switch_of_a_form_error_leads_to_the_form_page(client):
    """The switch on a page answering a POST goes to the page that sent the form, in the other
    language: never to the POST address (which would be a 405)."""
    tok = token(client)
    r = client.post(
        "/scenarios/new",
        data={"csrf_token": tok, "id": "1bad"},
        headers={"referer": "http://127.0.0.1/scenarios?lang=en"},
    )
    assert r.status_code == 400
    href = re.search(r'id="lang-switch" href="([^"]+)"', r.text)
    assert href and href.group(1) == "/scenarios?lang=ar"
    assert client.get(href.group(1)).status_code == 200


def test_language_switch_keeps_the_query(client):
    html = client.get("/evidence", params={"q": "العقوبات على روسيا", "lang": "en"}).text
    href = re.search(r'id="lang-switch" href="([^"]+)"', html)
    assert href
    from urllib.parse import parse_qs, urlsplit

    query = parse_qs(urlsplit(href.group(1).replace("&amp;", "&")).query)
    assert query == {"q": ["العقوبات على روسيا"], "lang": ["ar"]}


# --- bidi controls -----------------------------------------------------------------------------
def test_bidi_overrides_are_removed_from_scenario_labels():
    data = {
        "id": "s",
        "title": {"ar": RLO_LABEL},
        "actors": [{"id": "EGY", "name": {"ar": RLO_LABEL, "en": "\u2067Egypt\u2069"}}],
        "issues": [
            {
                "id": "X",
                "name": {"en": "a\u202dline"},
                "status_quo": 50,
                "scale": {
                    "anchors": [
                        {"value": 0, "label": {"en": "\u202bnone"}},
                        {"value": 100, "label": {"ar": "كل\u200fشيء"}},
                    ]
                },
            }
        ],
    }
    scn = Scenario.model_validate(data)
    assert scn.title.ar == scn.actors[0].name.ar == "مصرgnp.exe"
    assert scn.actors[0].name.en == "Egypt" and scn.issues[0].name.en == "aline"
    assert scn.issues[0].scale.anchors[0].label.en == "none"
    assert scn.issues[0].scale.anchors[1].label.ar == "كل\u200fشيء"  # RLM is kept


def test_no_page_shows_a_bidi_override(client):
    tok = token(client)
    r = client.post(
        "/scenarios/new",
        data={
            "csrf_token": tok, "id": "egy", "title_ar": RLO_LABEL, "title_en": "T\u202e",
            "actor_id": "EGY", "actor_ar": RLO_LABEL, "issue_id": "X", "issue_ar": RLO_LABEL,
        },
        follow_redirects=False,
    )  # fmt: skip
    assert r.status_code == 303
    for lang in ("en", "ar"):
        for path in (r.headers["location"], "/scenarios"):
            html = client.get(path, params={"lang": lang}).text
            assert not BIDI.search(html), path
            assert "مصرgnp.exe" in html or (lang, path) == ("en", "/scenarios")
    # text that does not come from a scenario (a search) is cleaned on the page too
    html = client.get("/evidence", params={"q": RLO_LABEL}).text
    assert not BIDI.search(html)


# --- nothing to run ----------------------------------------------------------------------------
def test_a_scenario_without_stances_is_refused_before_the_run(client):
    tok = token(client)
    r = client.post(
        "/scenarios/new",
        data={
            "csrf_token": tok,
            "id": "empty",
            "title_en": "E",
            "actor_id": "A",
            "actor_en": "A",
            "issue_id": "X",
            "issue_en": "X",
        },
        follow_redirects=False,
    )
    pk = r.headers["location"]
    assert 'id="cannot-run"' in client.get(pk).text
    runs_before = client.get(pk).text.count('href="/runs/')
    for lang, word in (("en", "nothing to forecast"), ("ar", "لا شيء يمكن توقعه")):
        r = client.post(f"{pk}/runs?lang={lang}", data={"csrf_token": tok, "draws": "200"})
        assert r.status_code == 400 and word in r.text
        assert "zero-size" not in r.text and "ValueError" not in r.text
    assert client.get(pk).text.count('href="/runs/') == runs_before  # no run was queued


def test_nothing_to_run_names_each_issue_without_a_stance():
    from qimma.scenario.formats import load_default_scenario
    from qimma.scenario.model import nothing_to_run

    scn = load_default_scenario()
    assert nothing_to_run(scn) == []
    first = scn.issues[0].id
    partial = scn.model_copy(update={"stances": [s for s in scn.stances if s.issue != first]})
    problems = nothing_to_run(partial)
    assert len(problems) == 1 and f"'{first}'" in problems[0].message_en
    assert f"'{first}'" in problems[0].message_ar and problems[0].fix_ar
    empty = scn.model_copy(update={"stances": []})
    assert [p.message_en for p in nothing_to_run(empty)] == [
        "the scenario has no stances: there is nothing to forecast"
    ]
