"""Monte Carlo runs, named outcomes and what-if levers in the web app (qimma.analysis).

Skipped when this version of qimma has no analysis engine; then the pages say so (tested in
test_web_app)."""

from __future__ import annotations

import re
import time

import pytest
from fastapi.testclient import TestClient

from qimma.web.app import create_app
from tests.web_server import csrf_token as token
from tests.web_server import local_client

pytest.importorskip("qimma.analysis.whatif", reason="the analysis engine is not in this version")


@pytest.fixture
def client(tmp_path):
    with local_client(create_app(f"sqlite:///{tmp_path / 'web.sqlite3'}")) as c:
        yield c


def finished(c: TestClient, location: str) -> str:
    for _ in range(480):
        html = c.get(location + "/status").text
        if 'data-status="done"' in html:
            return html
        assert 'data-status="failed"' not in html, html
        time.sleep(0.25)
    raise AssertionError("run did not finish")


def test_monte_carlo_run_shows_distributions_and_named_outcomes(client):
    assert 'name="draws" value="200"' in client.get("/scenarios/1").text
    r = client.post(
        "/scenarios/1/runs",
        data={"csrf_token": token(client), "models": ["compromise", "median"], "draws": "400",
              "seed": "7"},
        follow_redirects=False,
    )  # fmt: skip
    html = finished(client, r.headers["location"])
    assert 'id="mc-issues"' in html and 'id="mc-TERR"' in html
    data = client.get(r.headers["location"] + "/forecast.json").json()
    mc = data["montecarlo"]
    assert mc["draws"] == 400 and mc["seed"] == 7
    # every named outcome of the scenario, with its probability shown as a percentage
    ids = [o["id"] for o in mc["outcomes"]]
    assert ids and all(f'id="outcome-{i}"' in html for i in ids)
    first = mc["outcomes"][0]
    row = html[html.index(f'id="outcome-{first["id"]}"') :].split("</tr>")[0]
    assert f"{100 * first['probability']:.0f}%" in row
    # a track's outcomes are exclusive and cover every draw: their probabilities add up to 1
    tracks: dict[str, float] = {}
    for o in mc["outcomes"]:
        tracks[o["track"]] = tracks.get(o["track"], 0.0) + o["probability"]
    assert all(abs(p - 1.0) < 1e-9 for p in tracks.values()), tracks
    arabic = client.get(r.headers["location"] + "?lang=ar").text
    assert first["icd203"]["ar"] in arabic and first["name"]["ar"] in arabic
    # the worker reported the draws' progress chunk by chunk
    run = client.app.state.repo.get_run(int(r.headers["location"].rsplit("/", 1)[1]))  # type: ignore[attr-defined]
    assert run.progress == 1.0


def test_whatif_shows_baseline_and_levers_side_by_side(client):
    page = client.get("/scenarios/1/whatif").text
    assert 'id="whatif-form"' in page and 'value="sanctions_tighten"' in page
    r = client.post(
        "/scenarios/1/whatif",
        data={"csrf_token": token(client), "levers": ["sanctions_tighten"],
              "models": ["compromise", "median"], "draws": "300", "seed": "3"},
        follow_redirects=False,
    )  # fmt: skip
    assert r.status_code == 303
    html = finished(client, r.headers["location"])
    assert 'id="whatif-issues"' in html and 'id="whatif-outcomes"' in html
    wi = client.get(r.headers["location"] + "/forecast.json").json()["whatif"]
    assert wi["levers"] == ["sanctions_tighten"]
    sanc = next(s for s in wi["issues"] if s["issue"] == "SANC")
    row = html[html.index('id="shift-SANC"') :].split("</tr>")[0]
    assert f"{sanc['baseline_mean']:.1f}" in row and f"{sanc['lever_mean']:.1f}" in row
    # the lever sets the sanctions status quo to 10 and raises Russia's salience: SANC moves
    assert abs(sanc["shift"]) > 0 and 'class="moved"' in row
    # issues the lever does not touch, directly or through the models, do not move
    assert 'id="shift-DEMIL"' in html
    # the seeds' judgements beside qimma's numbers, before and with the lever (issue #12)
    assert 'id="whatif-judgements"' in html and wi["judgements"]
    for j in wi["judgements"]:
        jrow = html[html.index(f'id="wi-judgement-{j["id"]}"') :].split("</tr>")[0]
        if j["probability_with_lever"] is not None:
            assert f"{100 * j['probability_with_lever']:.0f}%" in jrow
    assert "sanctions_tighten" in client.get("/scenarios/1/whatif").text  # listed as earlier
    assert client.get(r.headers["location"] + "/report.pdf").status_code == 404


def test_whatif_needs_a_known_lever(client):
    tok = token(client)
    r = client.post("/scenarios/1/whatif", data={"csrf_token": tok, "draws": "10"})
    assert r.status_code == 400 and "lever" in r.text
    r = client.post("/scenarios/1/whatif", data={"csrf_token": tok, "levers": ["nope"]})
    assert r.status_code == 400 and "nope" in r.text and "sanctions_tighten" in r.text


def test_editions_page_in_both_languages(client):
    assert 'id="editions-link"' in client.get("/scenarios/1").text
    html = client.get("/scenarios/1/editions").text
    assert "Spring 2025 (doc1)" in html and 'id="drift-outcome-temporary_ceasefire"' in html
    row = html.split('id="drift-outcome-temporary_ceasefire"')[1].split("</tr>")[0]
    # what moved it, with its basis: spring → August changes Russia's SEQ stance and outside option
    assert "Russia / Kremlin (Putin)" in row and "(explicit)" in row
    ar = client.get("/scenarios/1/editions?lang=ar").text
    assert "ربيع 2025" in ar and "حرّكه (الأساس)" in ar and "مستنتج" in ar


def test_editions_page_says_the_changed_stances_in_words(client):
    """No "s80 c70": each changed stance is its position, salience and capability in words, and
    why it changed is the scenario's English text, marked as English in the Arabic page."""
    for lang, words in (
        ("en", ("Position", "Salience", "Capability")),
        ("ar", ("الموقف", "الأهمية", "القدرة", "(بالإنجليزية)")),
    ):
        html = client.get(f"/scenarios/1/editions?lang={lang}").text
        table = html.split('id="edition-changes"')[1].split("</table>")[0]
        assert not re.search(r"\bs\d+ c\d+\b", table), table[:500]
        for w in words:
            assert w in table, (lang, w)
    assert '<bdi lang="en" dir="ltr">Spring:' in table  # the why, in English, set apart


def test_run_results_show_the_assumed_share(client):
    r = client.post(
        "/scenarios/1/runs",
        data={"csrf_token": token(client), "models": ["compromise"], "draws": "50", "seed": "1"},
        follow_redirects=False,
    )
    html = finished(client, r.headers["location"])
    row = html.split('id="result-MINERALS"')[1].split("</tr>")[0]
    assert "100%" in row  # the August minerals values rest on facts outside the seeds
    assert "assumed" in html.split('id="mc-outcomes"')[1].lower()
