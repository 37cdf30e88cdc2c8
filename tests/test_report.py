"""The bilingual report: structure of the HTML, the PDF's text layer, and rendered pages."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from markupsafe import escape

from qimma.cli.main import run
from qimma.forecast import run_forecast
from qimma.report.render import write_report
from qimma.scenario.formats import load_default_scenario

# Arabic presentation forms: what a pre-shaped (reshaper) or broken text layer would contain.
PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")


@pytest.fixture(scope="module", params=["en", "ar"])
def rendered(request, tmp_path_factory):
    lang = request.param
    out = tmp_path_factory.mktemp(f"report-{lang}")
    fc = run_forecast(load_default_scenario())
    files = write_report(fc, out, lang)
    return lang, fc, files, out


def test_html_structure(rendered):
    lang, fc, files, out = rendered
    html = files.html.read_text(encoding="utf-8")
    assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in html
    for issue in fc.scenario.issues:
        assert f'id="issue-{issue.id}"' in html
        assert str(escape(issue.name.get(lang))) in html
    # offline: plotly.js is written next to the report, never fetched from a CDN
    assert (out / "plotly.min.js").stat().st_size > 1_000_000
    assert "cdn." not in html and "https://" not in html.split("<body>")[0]


def test_every_chart_file_is_a_non_empty_png(rendered):
    _, fc, files, _ = rendered
    assert len(files.charts) >= len(fc.scenario.issues) + 2
    for path in files.charts:
        data = path.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5_000, path


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_text_layer_is_logical_arabic(rendered):
    lang, _, files, _ = rendered
    assert files.pdf is not None and files.pdf.stat().st_size > 10_000
    text = subprocess.run(
        ["pdftotext", "-layout", str(files.pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert not PRESENTATION_FORMS.search(text)
    if lang == "ar":
        # words extracted in logical order prove the text was shaped by the PDF engine, not
        # stored as reversed or isolated letters
        for word in ("الخلاصة", "الوضع", "القضية"):
            assert word in text
    else:
        assert "Summary" in text and "Forecast by issue" in text


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_pdf_first_pages_render_to_png(rendered, tmp_path):
    _, _, files, _ = rendered
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "2", str(files.pdf), str(tmp_path / "p")],
        check=True,
    )
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) == 2 and all(p.stat().st_size > 3_000 for p in pages)


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium not installed")
def test_chromium_screenshot_of_html(rendered, tmp_path):
    _, _, files, _ = rendered
    shot = tmp_path / "shot.png"
    subprocess.run(
        [
            "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
            f"--screenshot={shot}", "--window-size=1100,1400", files.html.as_uri(),
        ],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


def test_report_cli_refuses_a_file_as_out(tmp_path, capsys):
    f = tmp_path / "taken.txt"
    f.write_text("keep me", encoding="utf-8")
    assert run(["report", "--out", str(f), "--no-pdf"]) == 2
    assert "--out must be a folder" in capsys.readouterr().err
    assert f.read_text(encoding="utf-8") == "keep me"


def test_report_cli_writes_html(tmp_path):
    assert run(["report", "--out", str(tmp_path / "r"), "--lang", "ar", "--no-pdf"]) == 0
    assert (Path(tmp_path / "r") / "report-ar.html").exists()
