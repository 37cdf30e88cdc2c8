"""The web app in real headless Chromium (Debian's), driven by Playwright.

Never `playwright install`: the browser is Debian's `chromium`, installed by scripts/test.sh.
Set QIMMA_SCREENSHOTS=DIR to save screenshots of the main pages (used for docs/screenshots).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.web_server import serve

CHROMIUM = shutil.which("chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
]
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    store = tmp_path_factory.mktemp("store") / "web.sqlite3"
    with serve(f"sqlite:///{store}") as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


def shot(page, name: str) -> None:
    folder = os.environ.get("QIMMA_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=False)


def test_create_scenario_edit_invalid_stance_and_run(page, base_url):
    page.goto(base_url + "/scenarios?lang=en")
    shot(page, "scenarios-en")
    form = page.locator("#new-scenario")
    form.locator("input[name=id]").fill("talks")
    form.locator("input[name=title_en]").fill("Border talks")
    form.locator("input[name=title_ar]").fill("محادثات الحدود")
    form.locator("input[name=actor_id]").fill("A")
    form.locator("input[name=actor_en]").fill("Alpha")
    form.locator("input[name=issue_id]").fill("X")
    form.locator("input[name=issue_en]").fill("The line")
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/scenarios/*")
    assert page.locator("h1").inner_text().startswith("Border talks")

    # an invalid salience: the message appears next to the field, nothing is saved
    page.locator("#cell-A-X").click()
    cell = page.locator("#cell-A-X form")
    cell.locator("input[name=position]").fill("40")
    cell.locator("input[name=salience]").fill("140")
    cell.locator("input[name=capability]").fill("10")
    cell.locator("button[type=submit]").click()
    error = page.locator('#cell-A-X p.error[data-field="salience"]')
    error.wait_for()
    assert "outside 0-100" in error.inner_text()

    # corrected, it is saved and shown in the grid
    page.locator("#cell-A-X input[name=salience]").fill("60")
    page.locator("#cell-A-X button[type=submit]").click()
    page.locator("#cell-A-X:not(.editing)").wait_for()
    assert "40" in page.locator("#cell-A-X").inner_text()

    # run a forecast and see the results
    page.locator("#run-button").click()
    page.wait_for_url("**/runs/*")
    page.locator('#run-status[data-status="done"]').wait_for(timeout=60_000)
    assert page.locator("#result-X").is_visible()
    assert "40.0" in page.locator("#result-X").inner_text()
    # the report's interactive chart, drawn by the vendored Plotly.js
    page.locator("#chart-positions-X .main-svg").first.wait_for()


def test_default_scenario_editor_and_arabic(page, base_url):
    page.goto(base_url + "/scenarios/1?lang=en")
    assert page.locator("#stance-grid").is_visible()
    shot(page, "editor-en")
    # an evidence link opens the quoted passage
    entry = page.locator("#evidence-list details").first
    entry.locator("summary").click()
    quote = entry.locator("blockquote").first
    quote.wait_for()
    assert "«" in quote.inner_text()
    page.locator("#lang-switch").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    shot(page, "editor-ar")
    # the choice is kept on the next page
    page.goto(base_url + "/scenarios")
    assert page.locator("html").get_attribute("dir") == "rtl"
    shot(page, "scenarios-ar")


def test_run_results_in_arabic(page, base_url):
    page.goto(base_url + "/scenarios/1?lang=ar")
    draws = page.locator("#run-form input[name=draws]")
    if draws.get_attribute("type") != "hidden":  # with the analysis engine: a Monte Carlo
        draws.fill("300")
    for box in page.locator("#run-form input[name=models]").all():
        if box.get_attribute("value") not in ("compromise", "median"):
            box.uncheck()  # the slower models are exercised by their own tests
    page.locator("#run-button").click()
    page.wait_for_url("**/runs/*")
    page.locator('#run-status[data-status="done"]').wait_for(timeout=60_000)
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("#result-TERR").is_visible()
    page.locator("#chart-positions-TERR .main-svg").first.wait_for()
    page.locator("#chart-models img").evaluate("img => img.decode()")
    shot(page, "run-ar")
    page.locator("#lang-switch").click()
    page.wait_for_load_state()
    page.locator("#chart-positions-TERR .main-svg").first.wait_for()
    assert page.locator("html").get_attribute("dir") == "ltr"
    shot(page, "run-en")


def test_backtest_page_in_both_languages(page, base_url):
    page.goto(base_url + "/backtest?lang=en")
    page.locator('#backtest[data-status="done"]').wait_for(timeout=90_000)
    assert page.locator('#scores-all tr[data-model="compromise"]').is_visible()
    shot(page, "backtest-en")
    page.goto(base_url + "/backtest?lang=ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.locator('#backtest[data-status="done"]').wait_for(timeout=90_000)
    shot(page, "backtest-ar")


def test_hostile_label_is_shown_as_text(page, base_url):
    page.goto(base_url + "/scenarios?lang=en")
    form = page.locator("#new-scenario")
    hostile = "<img src=x onerror=\"document.title='pwned'\">"
    form.locator("input[name=id]").fill("hostile")
    form.locator("input[name=title_en]").fill(hostile)
    form.locator("input[name=actor_id]").fill("A")
    form.locator("input[name=actor_en]").fill(hostile)
    form.locator("input[name=issue_id]").fill("X")
    form.locator("input[name=issue_en]").fill(hostile)
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/scenarios/*")
    assert page.title() != "pwned"
    assert hostile in page.locator("h1").inner_text()


def test_whatif_side_by_side(page, base_url):
    pytest.importorskip(
        "qimma.analysis.whatif", reason="the analysis engine is not in this version"
    )
    page.goto(base_url + "/scenarios/1/whatif?lang=en")
    form = page.locator("#whatif-form")
    form.locator("input[value=sanctions_tighten]").check()
    form.locator("input[value=us_aid_cut]").check()
    for box in form.locator("input[name=models]").all():
        if box.get_attribute("value") not in ("compromise", "median"):
            box.uncheck()
    form.locator("input[name=draws]").fill("300")
    form.locator("#whatif-button").click()
    page.wait_for_url("**/runs/*")
    page.locator('#run-status[data-status="done"]').wait_for(timeout=90_000)
    assert page.locator("#shift-SANC").is_visible()
    assert page.locator("#whatif-outcomes").is_visible()
    shot(page, "whatif-en")
    page.locator("#lang-switch").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("#whatif-issues").is_visible()
    shot(page, "whatif-ar")


def test_search_evidence_and_open_a_passage(page, base_url):
    pytest.importorskip(
        "qimma.evidence.search", reason="the evidence engine is not in this version"
    )
    page.goto(base_url + "/evidence?lang=ar")
    page.locator("#evidence-search input[name=q]").fill("العقوبات على روسيا")
    page.locator("#evidence-search button").click()
    page.locator("#hits li").first.wait_for()
    assert page.locator("html").get_attribute("dir") == "rtl"
    shot(page, "evidence-ar")
    page.locator("#hits a.in-context").first.click()
    page.locator("#context .marked").wait_for()
    shot(page, "passage-ar")
    page.goto(base_url + "/evidence?lang=en&q=sanctions+on+Moscow")
    page.locator("#hits li").first.wait_for()
    shot(page, "evidence-en")
