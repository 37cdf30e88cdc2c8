"""The bilingual report: structure of the HTML, the PDF's text layer and fonts, rendered pages."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from collections import defaultdict
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pdfplumber
import pytest
from markupsafe import escape

from qimma.app import Analyses, EditionOptions, ModelSpec, RunRequest, SensitivityOptions
from qimma.app import run as run_app
from qimma.backtest.deu3 import load_deu3
from qimma.backtest.harness import run_backtest
from qimma.backtest.split import get_split
from qimma.backtest.summary import backtest_summary
from qimma.cli.main import run
from qimma.report import charts
from qimma.report.render import ReportFiles, text_direction, write_report
from qimma.scenario.formats import load_default_scenario
from tests._anchor_words import in_middle_half, minerals_words

# Arabic presentation forms: what a pre-shaped (reshaper) or broken text layer would contain.
PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")
ARABIC_LETTER = re.compile("[\u0600-\u06ff]")
LATIN = re.compile("[A-Za-z]")
ARABIC_FONTS = ("Naskh", "Amiri", "Arabic", "Kufi")
BACKTEST_MODELS = ["compromise", "median"]


def _shared_dir(tmp_path_factory) -> Path:
    """One folder for the whole session, shared by the xdist workers (so each report is
    rendered once, not once per worker)."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    return base / "report-shared"


def _render_once(tmp_path_factory) -> Path:
    root = _shared_dir(tmp_path_factory)
    root.mkdir(parents=True, exist_ok=True)
    done = root / "done.json"
    try:
        os.close(os.open(root / "lock", os.O_CREAT | os.O_EXCL))
    except FileExistsError:  # another worker renders: wait for it
        deadline = time.monotonic() + 900
        while not done.exists():
            assert time.monotonic() < deadline, "the other worker did not finish the report"
            time.sleep(0.5)
        return root
    # the models that bring their own sections (eum: quadrant; smp: trajectories) and two static
    # small Monte Carlo: the report's plumbing, not the statistics, is under test here
    request = RunRequest(
        models=tuple(ModelSpec(m) for m in ("compromise", "median", "eum", "smp")),
        draws=40,
        seed=3,
        analyses=Analyses(
            sensitivity=SensitivityOptions(n=2, signpost_draws=40),
            editions=EditionOptions(draws=40),
        ),
    )
    inp = run_app(load_default_scenario(), request)
    fc = inp.forecast
    inp.backtest = backtest_summary(BACKTEST_MODELS, use_cache=False)
    charts_by_lang = {}
    for lang in ("en", "ar"):
        files = write_report(inp, root / lang, lang, single_file=False)
        charts_by_lang[lang] = [str(p) for p in files.charts]
    meta = {
        "models": list(fc.results),
        "dynamic": [m for m, r in fc.results.items() if r.positions is not None],
        "charts": charts_by_lang,
    }
    tmp = root / "done.tmp"
    tmp.write_text(json.dumps(meta), encoding="utf-8")
    tmp.replace(done)
    return root


@pytest.fixture(scope="module", params=["en", "ar"])
def rendered(request, tmp_path_factory):
    lang = request.param
    root = _render_once(tmp_path_factory)
    meta = json.loads((root / "done.json").read_text(encoding="utf-8"))
    out = root / lang
    pdf = out / f"report-{lang}.pdf"
    files = ReportFiles(out / f"report-{lang}.html", pdf, [Path(p) for p in meta["charts"][lang]])
    return lang, SimpleNamespace(scenario=load_default_scenario(), meta=meta), files, out


def test_html_structure(rendered):
    lang, fc, files, _out = rendered
    html = files.html.read_text(encoding="utf-8")
    assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in html
    for issue in fc.scenario.issues:
        assert f'id="issue-{issue.id}"' in html
        assert str(escape(issue.name.get(lang))) in html
    for section in ("summary", "outcomes", "issues", "charts", "evidence", "method", "backtest"):
        assert f'id="{section}"' in html


def test_bottom_line_says_minerals_between_two_anchors(rendered):
    """The summary's forecast in words (qimma.scenario.anchors): MINERALS between its anchors
    25 and 50, not the nearer one alone (words written out by hand in tests/_anchor_words.py)."""
    lang, fc, files, _out = rendered
    html = files.html.read_text(encoding="utf-8")
    name = escape(fc.scenario.issue("MINERALS").name.get(lang))
    line = rf"<li><strong>{re.escape(name)}</strong>: (.*?) \(<bdi[^>]*>&#x2066;([\d.]+)"
    li = re.search(line, html)
    assert li, "no MINERALS line in the bottom line"
    assert li[1] == escape(minerals_words()[lang])
    assert in_middle_half(float(li[2]))


def test_editions_events_and_assumed_shares_are_in_the_report(rendered):
    lang, fc, files, _out = rendered
    html = files.html.read_text(encoding="utf-8")
    assert 'id="editions"' in html and 'id="events"' in html
    spring = fc.scenario.editions[0].name.get(lang)
    assert str(escape(spring)) in html
    assert ("Assumed" if lang == "en" else "مفترض") in html
    # the August MINERALS values rest entirely on assumptions: 100% on its row
    row = html.split('id="issue-MINERALS"')[1].split("</tr>")[0]
    assert "100" in row.rsplit("<td", 1)[1]


def test_html_is_offline(rendered):
    """No network reference at all: scripts, styles, fonts and images are local files."""
    _, _, files, out = rendered
    html = files.html.read_text(encoding="utf-8")
    assert (out / "plotly.min.js").stat().st_size > 1_000_000
    for attr in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not re.match(r"(https?:)?//", attr), attr
    assert "@import" not in html and "url(http" not in html
    assert "fonts.googleapis" not in html and "cdn." not in html


def test_backtest_numbers_come_from_the_backtest(rendered):
    """The Method section shows what qimma.backtest computes, not numbers typed in."""
    _lang, _, files, _ = rendered
    data = load_deu3()
    bt = run_backtest(data, get_split(data), BACKTEST_MODELS)
    html = files.html.read_text(encoding="utf-8")
    for row in bt.scores["test"]:
        if row.status == "ok":
            e = row.metrics["mae"]
            assert f"{e.value:.1f} [{e.lo:.1f}, {e.hi:.1f}]" in html, row.name


def test_sections_without_their_engine_say_so(rendered):
    lang, fc, files, _ = rendered
    html = files.html.read_text(encoding="utf-8")
    na = "Not available yet" if lang == "en" else "غير متاح بعد"
    assert 'id="outcome-table"' in html and 'id="chart-distributions"' in html
    has_rounds = bool(fc.meta["dynamic"])
    rounds = html.split('id="rounds"')[1].split("<h3")[0]
    assert (na in rounds) != has_rounds
    quadrant = html.split('id="quadrant"')[1].split("<h3")[0]
    assert (na in quadrant) != ("eum" in fc.meta["models"])


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
        # stored as reversed or isolated letters; word-initial hamza-alef was once lost
        for word in ("الخلاصة", "الوضع", "القضية", "ألاسكا", "أخرى", "أكرم", "الأراضي"):
            assert word in text, word
        assert "أأنشئ" not in text
    else:
        assert "Summary" in text and "Forecast by issue" in text
        # brackets drawn first in Arabic text were once stored mirrored: ")59.5; …("
        assert re.search(r"\(\d+\.\d; 80% interval \d+–\d+\)", text)
        assert not re.search(r"\)\d+\.\d; 80% interval", text)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_every_arabic_word_of_the_report_is_in_its_pdf_text(rendered):
    """Each Arabic word of the HTML is found in the PDF's text layer, in logical order: the
    words written without vowel marks as they are, the words written with them (شُغّل، إيجابًا)
    without the marks, which the PDF leaves out (pdftotext read a word break after a mark)."""
    lang, _, files, _ = rendered
    if lang != "ar":
        pytest.skip("Arabic report only")
    html = re.sub(
        r"<script.*?</script>|<style.*?</style>", " ", files.html.read_text("utf-8"), flags=re.S
    )
    marks = re.compile("[\u064b-\u0652]")
    tokens = set(re.findall("[\u0621-\u0652\u0670]{2,}", re.sub(r"<[^>]+>", " ", html)))
    assert any(marks.search(t) for t in tokens)  # the report does write some marked words
    text = subprocess.run(["pdftotext", str(files.pdf), "-"], capture_output=True, text=True).stdout
    assert not marks.search(text)
    missing = sorted(
        {marks.sub("", t) for t in tokens} - set(re.findall(r"[\u0621-\u0670]+", text))
    )
    assert missing == []


def _lines(pdf_path: Path) -> list[list[dict]]:
    lines: dict[tuple[int, int], list[dict]] = defaultdict(list)
    with pdfplumber.open(pdf_path) as pdf:
        for n, page in enumerate(pdf.pages):
            for ch in page.chars:
                lines[(n, round(ch["top"]))].append(ch)
    return list(lines.values())


def test_pdf_fonts_latin_never_in_an_arabic_font(rendered):
    """Latin letters always, and the digits of English passages, are set in Noto Sans; Arabic in
    Noto Naskh Arabic (pdffonts lists both, embedded)."""
    _lang, _, files, _ = rendered
    fonts = subprocess.run(["pdffonts", str(files.pdf)], capture_output=True, text=True).stdout
    assert "Noto-Sans" in fonts and "Noto-Naskh-Arabic" in fonts
    for line in _lines(files.pdf):
        text = "".join(c["text"] for c in line)
        english = LATIN.search(text) and not ARABIC_LETTER.search(text)
        for c in line:
            is_latin = LATIN.match(c["text"]) is not None
            is_english_digit = english and c["text"].isdigit()
            if is_latin or is_english_digit:
                assert not any(f in c["fontname"] for f in ARABIC_FONTS), (text, c["fontname"])
            if ARABIC_LETTER.match(c["text"]):
                assert "Naskh" in c["fontname"], (text, c["fontname"])


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_pdf_first_pages_render_to_png(rendered, tmp_path):
    _, _, files, _ = rendered
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "3", str(files.pdf), str(tmp_path / "p")],
        check=True,
    )
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) == 3 and all(p.stat().st_size > 3_000 for p in pages)


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


# --- chart functions on hand-made inputs (they do not need the engines) -----------------------


def _png_ok(path: Path) -> bool:
    data = path.read_bytes()
    return data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5_000


def test_analysis_charts_on_hand_made_inputs(tmp_path):
    """The chart functions the web app may reuse, on plain inputs (Arabic, the harder case);
    the quadrant is drawn from eum's own numbers in the rendered report."""
    lang = "ar"
    scn = load_default_scenario()
    edges = list(np.linspace(0, 100, 21))
    stats = [
        SimpleNamespace(hist_edges=edges, hist_counts=[k % 7 for k in range(20)], q10=20.0,
                        q90=70.0, median=45.0)
        for _ in scn.issues
    ]  # fmt: skip
    assert _png_ok(charts.distributions_chart(scn, stats, lang, tmp_path / "d.png"))
    probs = [
        SimpleNamespace(outcome=oc, probability=0.3, low=0.2, high=0.45) for oc in scn.outcomes
    ]
    assert _png_ok(charts.outcome_probabilities_chart(scn, probs, lang, tmp_path / "o.png"))
    path = charts.tornado_chart(
        ["a", "b", "c"], [0.3, 0.1, 0.2], [0.05, 0.02, 0.01], "t", "x", lang, tmp_path / "t.png"
    )
    assert _png_ok(path)


def test_quadrant_regions_follow_scholz_classes(tmp_path):
    """Pixel colour at hand-picked points (a = x, b = y) against the classes of Scholz et al.
    fig. 6: a, b > 0 conflict; a > 0 > b compromise when a > -b, else capitulation; mirrored
    for b > 0 > a; both negative stalemate."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_rgb

    fig, ax = plt.subplots(figsize=(4, 4))
    charts._quadrant_regions(ax, 1.0)
    ax.set_xlim(-1, 1)
    ax.set_ylim(-1, 1)
    ax.axis("off")
    fig.canvas.draw()
    img = np.asarray(fig.canvas.buffer_rgba())[..., :3] / 255.0
    cases = {
        (0.5, 0.4): "conflict",
        (0.6, -0.2): "compromise",  # a = 0.6 > -b = 0.2
        (0.2, -0.6): "capitulation",  # -b = 0.6 >= a = 0.2
        (-0.2, 0.6): "compromise",  # b = 0.6 > -a = 0.2
        (-0.6, 0.2): "capitulation",
        (-0.5, -0.5): "stalemate",
    }
    for (x, y), cls in cases.items():
        px, py = ax.transData.transform((x, y))
        row = img.shape[0] - int(py) - 1
        got = img[row, int(px)]
        assert np.allclose(got, to_rgb(charts.QUADRANT_COLORS[cls]), atol=0.02), (x, y, cls)
    plt.close(fig)


def test_report_cli_refuses_a_file_as_out(tmp_path, capsys):
    f = tmp_path / "taken.txt"
    f.write_text("keep me", encoding="utf-8")
    assert run(["report", "--out", str(f), "--no-pdf"]) == 2
    assert "--out must be a folder" in capsys.readouterr().err
    assert f.read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--actor", "NOBODY"], "unknown actor 'NOBODY'"),
        (["--draws", "-5"], "--draws -5 is out of range"),
        (["--sensitivity", "-1"], "--sensitivity must be 0 or more"),
    ],
)
def test_report_cli_bad_options(tmp_path, capsys, args, message):
    out = tmp_path / "r"
    assert run(["report", "--out", str(out), "--no-pdf", *args]) == 2
    assert message in capsys.readouterr().err
    assert not (out / "report-en.html").exists()


def test_report_cli_writes_both_languages_from_one_computation(tmp_path, monkeypatch):
    """--both renders Arabic and English from the same inputs (computed once)."""
    import qimma.cli.runs as runs_mod
    import qimma.report.render as render_mod

    calls: list[tuple[str, int]] = []
    gathered: list[object] = []
    real_run = runs_mod.run

    def fake_write(result, out, lang, *, pdf, actor, single_file):
        calls.append((lang, id(result)))
        return ReportFiles(out / f"report-{lang}.html", None, [])

    def spy_run(scenario, request, progress=None, before=None):
        gathered.append({"seed": request.seed, "draws": request.draws})
        return real_run(scenario, request, progress, before)

    monkeypatch.setattr(render_mod, "write_report", fake_write)
    monkeypatch.setattr(runs_mod, "run", spy_run)
    args = ["report", "--out", str(tmp_path / "r"), "--both", "--no-pdf", "--no-backtest"]
    assert run([*args, "--draws", "0", "--model", "compromise,median", "--seed", "7"]) == 0
    assert [lang for lang, _ in calls] == ["ar", "en"]
    assert len(gathered) == 1 and calls[0][1] == calls[1][1]
    assert gathered[0]["seed"] == 7 and gathered[0]["draws"] == 0


@pytest.mark.parametrize(
    "text, expected",
    [("محمد غولر (Mehmet Güler)", "rtl"), ("Rouya Turkiyyah (رؤية تركية)", "ltr"),
     ("2025 «قمة»", "rtl"), ("2025-08-16", "ltr")],
)  # fmt: skip
def test_text_direction_is_the_first_strong_letter(text, expected):
    assert text_direction(text) == expected
