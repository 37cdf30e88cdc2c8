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

    # a negotiation needs a second actor before it can run (qimma.scenario.degenerate)
    add = page.locator("#add-actor")
    add.locator("input[name=id]").fill("B")
    add.locator("input[name=name_en]").fill("Bravo")
    add.locator("button").click()
    page.locator("#cell-B-X").click()
    other = page.locator("#cell-B-X")
    other.locator("input[name=position]").fill("80")
    other.locator("input[name=salience]").fill("50")
    other.locator("input[name=capability]").fill("10")
    other.locator("button[type=submit]").click()
    page.locator("#cell-B-X:not(.editing)").wait_for()

    # run a forecast and see the results (the weighted median stays at A's 40: weight 6 > 5)
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
    charts = page.locator("#chart-positions-TERR")
    charts.scroll_into_view_if_needed()
    shot(page, "run-ar-charts")
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


def _focused_id(page) -> str:  # type: ignore[no-untyped-def]
    return str(page.evaluate("document.activeElement && document.activeElement.id"))


def _press_for(page, key: str, method: str, path: str) -> None:  # type: ignore[no-untyped-def]
    """Press `key` and wait for the HTMX request it sends (`method` to a URL holding `path`) to
    be answered and swapped in: on a loaded machine the answer can take seconds."""
    with page.expect_response(
        lambda r: r.request.method == method and path in r.url, timeout=120_000
    ) as answer:
        page.keyboard.press(key)
    assert answer.value.ok
    page.locator(".htmx-request, .htmx-settling").first.wait_for(state="detached")


def _wait_focus(page, condition: str) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function(f"document.activeElement && {condition}", timeout=120_000)


def test_stance_grid_is_edited_from_the_keyboard(page, base_url):
    page.goto(base_url + "/scenarios/1?lang=en")
    page.wait_for_function("window.htmx !== undefined")
    cells = page.locator("#stance-grid tbody tr").nth(1).locator("td.cell")
    first, second = cells.nth(0).get_attribute("id"), cells.nth(1).get_attribute("id")
    below = page.locator("#stance-grid tbody tr").nth(2).locator("td.cell").nth(1)
    cells.nth(0).focus()
    page.keyboard.press("ArrowRight")
    assert _focused_id(page) == second
    page.keyboard.press("ArrowDown")
    target = below.get_attribute("id")
    assert _focused_id(page) == target
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowLeft")
    assert _focused_id(page) == first
    stance = str(below.get_attribute("hx-get"))  # /scenarios/1/stance/ACTOR/ISSUE: the form

    # Enter opens the cell's form with the focus in it; typing and Enter saves it
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowRight")
    _press_for(page, "Enter", "GET", stance)
    _wait_focus(page, "document.activeElement.name === 'position'")
    # a new position inside the stance's range (a value outside it is refused)
    new = page.locator(f"#{target} input[name=position_low]").input_value() or "37"
    page.keyboard.press("Control+A")
    page.keyboard.type(new)
    _press_for(page, "Enter", "POST", stance)
    page.locator(f"#{target}:not(.editing)").wait_for()
    assert page.locator(f"#{target}").inner_text().startswith(new)
    _wait_focus(page, f"document.activeElement.id === '{target}'")

    # Escape cancels an edit and gives the focus back to the cell
    _press_for(page, "Enter", "GET", stance)
    _wait_focus(page, "document.activeElement.name === 'position'")  # typing goes to the form
    page.keyboard.type("9")
    _press_for(page, "Escape", "GET", stance.replace("/stance/", "/cell/"))
    page.locator(f"#{target}:not(.editing)").wait_for()
    assert page.locator(f"#{target}").inner_text().startswith(new)
    _wait_focus(page, f"document.activeElement.id === '{target}'")
    page.reload()
    assert page.locator(f"#{target}").inner_text().startswith(new)  # saved in the store

    # right to left: the left arrow goes to the next column
    page.goto(base_url + "/scenarios/1?lang=ar")
    page.locator(f"#{first}").focus()
    page.keyboard.press("ArrowLeft")
    assert _focused_id(page) == second


def test_language_switch_keeps_the_search_and_error_pages_stay_pages(page, base_url):
    page.goto(base_url + "/evidence?lang=en&q=sanctions+on+Moscow")
    page.locator("#lang-switch").click()
    page.wait_for_url("**lang=ar**")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("#evidence-search input[name=q]").input_value() == "sanctions on Moscow"

    page.goto(base_url + "/runs/99999?lang=en")
    assert "Not found" not in page.content() or page.locator("#error-title").is_visible()
    page.locator("#lang-switch").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("#error-title").is_visible()  # a page, not raw JSON
    assert "{" not in page.locator("body").inner_text()[:20]

    # an error answering a form: the switch leads back to the form's page, translated
    page.goto(base_url + "/scenarios?lang=en")
    form = page.locator("#new-scenario")
    form.locator("input[name=id]").fill("1bad")
    form.locator("input[name=actor_id]").fill("A")
    form.locator("input[name=issue_id]").fill("X")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    page.locator("#lang-switch").click()
    page.wait_for_url("**/scenarios?lang=ar")
    assert page.locator("#new-scenario").is_visible()
    assert page.locator("html").get_attribute("dir") == "rtl"


def test_bidi_override_in_a_label_is_shown_in_logical_order(page, base_url):
    label = "مصر\u202egnp.exe"
    page.goto(base_url + "/scenarios?lang=ar")
    form = page.locator("#new-scenario")
    form.locator("input[name=id]").fill("egypt")
    form.locator("input[name=title_ar]").fill(label)
    form.locator("input[name=actor_id]").fill("EGY")
    form.locator("input[name=actor_ar]").fill(label)
    form.locator("input[name=issue_id]").fill("X")
    form.locator("input[name=issue_ar]").fill("الحدود")
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/scenarios/*")
    header = page.locator("#stance-grid tbody th").first
    assert header.inner_text() == "مصرgnp.exe"
    assert page.locator("h1 bdi").first.inner_text() == "مصرgnp.exe"
    assert "\u202e" not in page.locator("body").inner_text()
    # what the reader sees: the Latin run "gnp.exe" reads left to right, "exe" at its end
    boxes = page.evaluate(
        """() => {
        const th = document.querySelector('#stance-grid tbody th bdi');
        const text = th.firstChild, i = text.data.indexOf('gnp'), r = document.createRange();
        r.setStart(text, i); r.setEnd(text, i + 1); const g = r.getBoundingClientRect().x;
        r.setStart(text, i + 4); r.setEnd(text, i + 5); const e = r.getBoundingClientRect().x;
        return [g, e];
    }"""
    )
    assert boxes[0] < boxes[1]
    shot(page, "bidi-ar")


def test_pages_run_under_the_csp_and_the_download_shows_progress(page, base_url):
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(base_url + "/scenarios/1?lang=en")
    for box in page.locator("#run-form input[name=models]").all():
        if box.get_attribute("value") != "compromise":
            box.uncheck()
    draws = page.locator("#run-form input[name=draws]")
    if draws.get_attribute("type") != "hidden":
        draws.fill("1")
    page.locator("#run-button").click()
    page.wait_for_url("**/runs/*")
    page.locator('#run-status[data-status="done"]').wait_for(timeout=60_000)
    # the chart scripts came in by HTMX's swap: they ran, with the page's nonce
    page.locator("#chart-positions-TERR .main-svg").first.wait_for()
    page.reload()
    page.locator("#chart-positions-TERR .main-svg").first.wait_for()
    assert violations == []

    with page.expect_download(timeout=120_000) as download:
        page.locator("#download-html").click()
        status = page.locator("#download-status")
        status.wait_for(state="visible", timeout=2_000)  # at once, before the report is ready
        assert "Preparing the report" in status.inner_text()
    assert download.value.suggested_filename.endswith(".zip")
    page.wait_for_function(
        "document.getElementById('download-status').textContent.includes('downloaded')"
    )
    assert violations == []


def test_delete_asks_first(page, base_url):
    """The confirmation is in qimma.js (the CSP forbids inline handlers): dismissed, nothing is
    deleted."""
    page.goto(base_url + "/scenarios?lang=en")
    rows = page.locator("tr[data-pk]").count()
    asked: list[str] = []

    def dismiss(dialog):  # type: ignore[no-untyped-def]
        asked.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.locator("tr[data-pk] button.danger").first.click()
    page.wait_for_timeout(300)
    assert asked and "undo" in asked[0]
    page.reload()
    assert page.locator("tr[data-pk]").count() == rows
