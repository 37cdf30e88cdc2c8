"""Evidence pages: corpus search, passages in context, document upload with limits (qimma.evidence).

Skipped when this version of qimma has no evidence engine; then the page says so (test_web_app)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from qimma.web.app import create_app
from tests.web_server import csrf_token, local_client

pytest.importorskip("qimma.evidence.search", reason="the evidence engine is not in this version")

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> «سلام»'


@pytest.fixture
def client(tmp_path):
    with local_client(create_app(f"sqlite:///{tmp_path / 'web.sqlite3'}")) as c:
        yield c


def token(c: TestClient) -> str:
    return csrf_token(c, "/evidence")


def upload(c: TestClient, name: str, data: bytes, **fields: str):  # type: ignore[no-untyped-def]
    return c.post(
        "/evidence/documents",
        data={"csrf_token": token(c), **fields},
        files={"file": (name, data, "application/octet-stream")},
        follow_redirects=False,
    )


def test_search_finds_arabic_passages_from_english_names(client):
    html = client.get("/evidence", params={"q": "sanctions on Moscow"}).text
    hits = re.findall(r'href="/evidence/passages/([\w.-]+)"', html)
    assert hits, "no hit"
    # the seeds are Arabic: the English actor name was expanded to its Arabic form
    assert "موسكو" in html or "روسيا" in html
    assert client.get("/evidence", params={"q": "العقوبات على روسيا"}).status_code == 200
    page = client.get(f"/evidence/passages/{hits[0]}?lang=ar").text
    assert f'id="{hits[0]}" class="marked"' in page and '<html lang="ar" dir="rtl">' in page
    assert client.get("/evidence/passages/nope").status_code == 404


def test_a_scenario_quote_opens_in_its_document(client):
    editor = client.get("/scenarios/1").text
    m = re.search(r'hx-get="(/scenarios/1/evidence/\w+/\w+)"', editor)
    assert m
    quotes = client.get(m.group(1)).text
    link = re.search(r'href="(/scenarios/1/quote/[\w.-]+)"', quotes)
    assert link, quotes[:500]
    r = client.get(link.group(1), follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/evidence/passages/")
    page = client.get(r.headers["location"]).text
    assert 'class="marked"' in page


def test_upload_a_text_document_then_find_it(client):
    text = "Negotiators met in Geneva.\n\nThe wheat corridor deal was extended by ninety days.\n"
    r = upload(client, "../../geneva notes.txt", text.encode(), title="Geneva notes")
    assert r.status_code == 303, r.text[:400]
    page = client.get(r.headers["location"]).text
    assert "Negotiators met in Geneva." in page and "Geneva notes" in page
    html = client.get("/evidence", params={"q": "wheat corridor"}).text
    assert "ninety days" in html and "Geneva notes" in html


def test_upload_limits_type_size_and_content(client):
    r = upload(client, "tool.exe", b"MZ\x90\x00")
    assert r.status_code == 400 and "tool.exe" in r.text
    r = upload(client, "paper.pdf", b"this is not a pdf")
    assert r.status_code == 400 and "paper.pdf" in r.text
    r = upload(client, "binary.txt", b"text\x00\x01\x02 more")
    assert r.status_code == 400
    r = upload(client, "empty.txt", b"   \n")
    assert r.status_code == 400
    r = upload(client, "big.txt", b"word " * (1024 * 1024 + 10))
    assert r.status_code == 413 and "5 MB" in r.text
    # above the body cap, refused before the form is read
    r = upload(client, "huge.txt", b"x" * (7 * 1024 * 1024))
    assert r.status_code == 413


def test_hostile_document_text_is_escaped(client):
    r = upload(client, "evil.html", f"<p>{HOSTILE}</p><p>{HOSTILE} second</p>".encode(),
               title=HOSTILE)  # fmt: skip
    assert r.status_code == 303, r.text[:400]
    for url in (r.headers["location"], "/evidence?q=سلام", "/evidence"):
        html = client.get(url).text
        assert "<script>alert" not in html and "<img src=x" not in html
