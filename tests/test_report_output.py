"""Where the report goes: one self-contained HTML file by default, and an output folder whose
earlier report is never replaced without --force nor mixed with the new one."""

from __future__ import annotations

import re
import shutil

import pytest

from qimma.app import Analyses, ModelSpec, RunRequest
from qimma.app import run as run_app
from qimma.cli.main import run
from qimma.outdir import OutputFolderError, clear_outputs, prepare_output_folder
from qimma.report.render import write_report
from qimma.scenario.formats import load_default_scenario

# the cheapest report the command writes: no Monte Carlo, no sensitivity, no backtest, no PDF
CHEAP = ["--no-pdf", "--draws", "0", "--sensitivity", "0", "--no-backtest", "--model", "compromise"]
CHROMIUM = shutil.which("chromium")


@pytest.fixture(scope="module")
def single_file(tmp_path_factory):
    """A report written alone into an empty folder, then moved on its own to another one (as a
    mailed attachment would be)."""
    request = RunRequest(
        models=(ModelSpec("compromise"), ModelSpec("median")),
        draws=0,
        analyses=Analyses(montecarlo=False),
    )
    result = run_app(load_default_scenario(), request)
    fc = result.forecast
    out = tmp_path_factory.mktemp("written")
    files = write_report(result, out, "en", pdf=False)
    assert sorted(p.name for p in out.iterdir()) == ["report-en.html"]
    mailed = tmp_path_factory.mktemp("mailed") / "attachment.html"
    shutil.move(files.html, mailed)
    return fc, mailed


def test_single_file_report_references_no_other_file(single_file):
    fc, html_path = single_file
    html = html_path.read_text(encoding="utf-8")
    assert "<script src=" not in html and 'src="charts/' not in html
    imgs = re.findall(r'<img src="([^"]+)"', html)
    assert imgs and all(src.startswith("data:image/png;base64,") for src in imgs)
    # every issue's positions chart is interactive, so Plotly.js itself must be inside
    assert html.count('class="interactive"') == len(fc.scenario.issues)
    assert len(html) > 3_000_000


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
def test_single_file_report_works_alone_and_offline(single_file):
    """Opened alone in a browser that may fetch nothing: every image decodes and Plotly draws
    every interactive chart."""
    from playwright.sync_api import sync_playwright

    fc, html_path = single_file
    fetched: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page()

            def block(route):
                fetched.append(route.request.url)
                route.abort()

            page.route(re.compile(r"^(?!file:|data:).*"), block)
            page.goto(html_path.as_uri())
            page.wait_for_load_state("load")
            assert page.evaluate("typeof Plotly") == "object"
            drawn = page.evaluate("document.querySelectorAll('.js-plotly-plot .main-svg').length")
            assert drawn >= len(fc.scenario.issues)
            broken = page.evaluate(
                "[...document.images].filter(i => !i.complete || i.naturalWidth === 0).length"
            )
            images = page.evaluate("document.images.length")
            assert images >= 2 and broken == 0
        finally:
            browser.close()
    assert fetched == []


def test_report_out_is_never_replaced_or_mixed(tmp_path, capsys):
    out = tmp_path / "r"
    assert run(["report", "--out", str(out), "--with-files", *CHEAP]) == 0
    assert (out / "charts").is_dir() and (out / "plotly.min.js").is_file()
    first = (out / "report-en.html").read_bytes()
    (out / "notes.txt").write_text("the analyst's own file", encoding="utf-8")
    capsys.readouterr()

    # another language into the same folder would mix two reports: refused before any work
    assert run(["report", "--out", str(out), "--lang", "ar", *CHEAP]) == 2
    err = capsys.readouterr().err
    assert "report-en.html، charts، plotly.min.js" in err and "--force" in err  # in Arabic
    assert not (out / "report-ar.html").exists()
    assert (out / "report-en.html").read_bytes() == first

    # --force: the earlier report goes as a whole; files that are not the report's stay
    assert run(["report", "--out", str(out), "--lang", "ar", "--force", *CHEAP]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt", "report-ar.html"]


def test_bad_options_after_force_lose_nothing(tmp_path, capsys):
    out = tmp_path / "r"
    out.mkdir()
    (out / "report-en.html").write_text("earlier", encoding="utf-8")
    assert run(["report", "--out", str(out), "--force", "--actor", "NOBODY", *CHEAP]) == 2
    assert (out / "report-en.html").read_text(encoding="utf-8") == "earlier"


def test_output_folder_rule_in_the_library_names_no_flag(tmp_path):
    (tmp_path / "a.json").write_text("{}", encoding="utf-8")
    (tmp_path / "charts").mkdir()
    (tmp_path / "charts" / "x.png").write_bytes(b"png")
    with pytest.raises(OutputFolderError) as e:
        prepare_output_folder(tmp_path, ["a.json", "b.json", "charts"])
    text = e.value.render("en") + e.value.render("ar")
    assert "already holds a.json, charts" in text and "--" not in text
    prepare_output_folder(tmp_path, ["a.json", "charts"], replace=True)  # checks, removes nothing
    assert (tmp_path / "a.json").exists() and (tmp_path / "charts" / "x.png").exists()
    clear_outputs(tmp_path, ["a.json", "b.json", "charts"])
    assert list(tmp_path.iterdir()) == []
    f = tmp_path / "file"
    f.write_text("x", encoding="utf-8")
    with pytest.raises(OutputFolderError, match="must be a folder"):
        prepare_output_folder(f, [])
    with pytest.raises(OutputFolderError, match="cannot create the folder"):
        prepare_output_folder(f / "sub", [])
