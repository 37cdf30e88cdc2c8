"""The static charts as an analyst would print them: issue names (never ids) in the chart's
language, distinct colours for actors, legends of at least 9 pt, and no two labels on top of
each other. Each chart is drawn from the default scenario (the static models' forecast; the
dynamic model's rounds, the Monte Carlo statistics and the expected utilities are made-up
arrays of the right shape, since only the drawing is under test)."""

from __future__ import annotations

import itertools
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_rgb
from matplotlib.legend import Legend
from matplotlib.text import Text

from qimma.forecast import run_forecast
from qimma.models.base import ModelResult
from qimma.report import chart_style, charts, interactive
from qimma.scenario.formats import load_default_scenario

SCN = load_default_scenario()


@pytest.fixture(scope="module")
def fc():
    return run_forecast(SCN, models=["compromise", "median", "nash"])


def _draw_all(fc, lang: str, folder: Path, ext: str) -> dict[str, Path]:
    """Every static chart of the report, drawn into `folder` as `ext` files."""
    rng = np.random.default_rng(1)
    n_a, n_i = len(SCN.actors), len(SCN.issues)
    rounds = ModelResult(
        model="eum",
        outcome=rng.uniform(0, 100, (1, n_i)),
        rounds=rng.uniform(0, 100, (1, 6, n_i)),
        positions=rng.uniform(0, 100, (1, 6, n_a, n_i)),
    )
    edges = list(np.linspace(0, 100, 21))
    stats = [
        SimpleNamespace(hist_edges=edges, hist_counts=list(rng.integers(0, 9, 20)), q10=20.0,
                        q90=70.0, median=45.0)
        for _ in SCN.issues
    ]  # fmt: skip
    probs = [SimpleNamespace(outcome=o, probability=0.3, low=0.2, high=0.45) for o in SCN.outcomes]
    kinds = ("models", "salience", "positions", "rounds", "dist", "outcomes", "quadrant", "tornado")
    p = {k: folder / f"{k}-{lang}.{ext}" for k in kinds}
    charts.model_spread_chart(fc, lang, p["models"])
    charts.salience_heatmap(fc, lang, p["salience"])
    charts.positions_chart(fc, 0, lang, p["positions"])
    charts.position_trajectories_chart(SCN, rounds, lang, p["rounds"])
    charts.distributions_chart(SCN, stats, lang, p["dist"])
    charts.outcome_probabilities_chart(SCN, probs, lang, p["outcomes"])
    charts.quadrant_chart(SCN, rng.normal(0, 0.4, (n_a, n_a, n_i)), 0, lang, p["quadrant"])
    labels = [f"{SCN.actors[k].name.get(lang)} · {SCN.issues[k].name.get(lang)}" for k in range(5)]
    charts.tornado_chart(labels, [5, 4, 3, 2, 1], None, "t", "x", lang, p["tornado"])
    return p


def _svg_text(path: Path) -> str:
    root = ET.parse(path).getroot()
    return " ".join(
        " ".join(el.itertext()) for el in root.iter() if el.tag.endswith("}text")
    ).replace("\n", " ")


class _Keep:
    """Stands in for plt.close: keeps the figures the charts close, to measure their text."""

    def __init__(self) -> None:
        self.figs: list = []

    def __call__(self, fig=None) -> None:
        self.figs.append(fig)


@pytest.fixture(scope="module", params=["ar", "en"])
def drawn(request, fc, tmp_path_factory):
    """Every chart in one language as SVG (text kept as text), and its figures."""
    keep, close = _Keep(), plt.close
    plt.close = keep
    try:
        paths = _draw_all(fc, request.param, tmp_path_factory.mktemp("charts"), "svg")
    finally:
        plt.close = close
    yield request.param, paths, keep.figs
    for fig in keep.figs:
        plt.close(fig)


def test_charts_name_issues_in_their_language_never_by_id(drawn):
    lang, paths, _ = drawn
    ids = {i.id for i in SCN.issues}
    for kind in ("models", "salience", "rounds", "dist", "quadrant"):
        text = " ".join(_svg_text(paths[kind]).split())
        assert not ids & set(re.findall(r"[A-Z]{3,}", text)), kind
        for issue in SCN.issues:
            assert " ".join(issue.name.get(lang).split()) in text, (kind, issue.id)
    positions = " ".join(_svg_text(paths["positions"]).split())
    assert SCN.issues[0].name.get(lang) in positions and SCN.issues[0].id not in positions
    if lang == "ar":  # the Arabic charts carry Arabic words, not the English names
        assert SCN.issues[0].name.en not in _svg_text(paths["models"])


def _lab(hex_colour: str) -> np.ndarray:
    """CIE L*a*b* (D65) of an sRGB colour."""
    rgb = np.array(to_rgb(hex_colour))
    lin = np.where(rgb > 0.04045, ((rgb + 0.055) / 1.055) ** 2.4, rgb / 12.92)
    m = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = m @ lin / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def test_actor_colours_are_distinct():
    cols = chart_style.ACTOR_COLORS
    assert len(set(cols)) >= 10
    closest = min(np.linalg.norm(_lab(a) - _lab(b)) for a, b in itertools.combinations(cols, 2))
    assert closest > 20  # ΔE*76; the former palette's blues were about 10 apart
    looks = chart_style.actor_styles(SCN)
    holders = {s.actor for s in SCN.stances}
    assert set(looks) == holders and len(set(looks.values())) == len(looks)
    assert len({c for c, _ in looks.values()}) == min(len(looks), len(cols))
    models = [c for c, _ in chart_style.MODEL_STYLE.values()]
    assert len(set(models)) == len(models)


def _drawn_texts(fig) -> list[Text]:
    """The texts a reader sees: visible, not empty, tick labels only inside the view."""
    ticks, shown = set(), []
    for ax in fig.axes:
        for axis, lim in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
            lo, hi = sorted(lim)
            for tick in axis.get_major_ticks():
                for label in (tick.label1, tick.label2):
                    ticks.add(id(label))
                    if tick.get_visible() and lo - 1e-9 <= tick.get_loc() <= hi + 1e-9:
                        shown.append(label)
    seen, out = set(), []
    for t in [*shown, *(t for t in fig.findobj(Text) if id(t) not in ticks)]:
        if id(t) not in seen and t.get_visible() and t.get_text().strip():
            seen.add(id(t))
            out.append(t)
    return out


def _overlaps(fig) -> list[tuple[str, str]]:
    """Pairs of texts whose boxes overlap by more than a pixel. Texts turned by the same angle
    about their anchor are compared in a frame turned with them (their upright boxes), so
    slanted labels side by side are not taken for a collision; others by their drawn boxes."""
    fig.canvas.draw()  # lay out again as drawn (saving with a tight box shifts it for a while)
    r = fig.canvas.get_renderer()
    boxes = []
    for t in _drawn_texts(fig):
        angle = t.get_rotation() if t.get_rotation_mode() == "anchor" else 0.0
        if angle % 360:
            anchor = t.get_transform().transform(t.get_position())
            t.set_rotation(0)
            upright = t.get_window_extent(r)
            t.set_rotation(angle)
            c, s_ = np.cos(np.radians(-angle)), np.sin(np.radians(-angle))
            turned = np.array([[c, -s_], [s_, c]]) @ anchor
            box = upright.translated(*(turned - anchor))
        else:
            box = t.get_window_extent(r)
        boxes.append((t.get_text(), angle % 360, box.padded(-1.0)))
    return [
        (a, b)
        for (a, ra, ba), (b, rb, bb) in itertools.combinations(boxes, 2)
        if ba.overlaps(bb) and (ra == rb or not (ra or rb))
    ]


def test_no_label_overlaps_another_and_legends_are_9pt(drawn):
    lang, _, figs = drawn
    assert len(figs) == 8
    for fig in figs:
        for legend in fig.findobj(Legend):
            assert all(t.get_fontsize() >= 9 for t in legend.get_texts())
        assert _overlaps(fig) == [], (lang, fig.axes[0].get_title())


def test_overlap_check_sees_a_collision():
    """The check above fails on two labels drawn at one place (it can fail)."""
    fig, ax = plt.subplots()
    ax.text(0.5, 0.5, "compromise")
    ax.text(0.52, 0.5, "median")
    ax.text(0.1, 0.1, "status quo", rotation=45, rotation_mode="anchor")
    ax.text(0.1, 0.12, "ensemble", rotation=45, rotation_mode="anchor")
    assert _overlaps(fig) == [("compromise", "median"), ("status quo", "ensemble")]
    plt.close(fig)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_interactive_positions_label_rows_not_annotations(fc, lang):
    html = interactive.positions_div(fc, 0, lang)
    for name in ("compromise", "median", "nash"):
        assert f'"y":["{name}"]' in html
    assert ('"side":"right"' in html) == (lang == "ar")
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m[1], 16)), html.replace("\\/", "/"))
    assert SCN.issues[0].name.get(lang) in text  # the title: the issue's name
    if lang == "en":
        assert '"annotations"' not in html  # model names are row labels, not floating text


def test_interactive_arabic_row_labels_are_right_aligned_on_their_rows(fc):
    """Plotly sets tick labels left-aligned against a right-hand axis, so the Arabic names are
    text tied each to its own row (never floating, never two on one row), all ending at one
    right edge; the chart is laid out left to right inside the right-to-left page."""
    fig = interactive.positions_figure(fc, 0, "ar")
    rows = list(fig.layout.yaxis.categoryarray)
    notes = fig.layout.annotations
    assert fig.layout.yaxis.showticklabels is False
    assert sorted(a.y for a in notes) == sorted(rows)
    assert {(a.xref, a.x, a.xanchor, a.xshift, a.yref) for a in notes} == {
        ("paper", 1, "right", notes[0].xshift, "y")
    }
    assert [a.text.strip("\u200f") for a in notes] == [a.y for a in notes]
    assert fig.layout.title.xanchor == "right"
    assert interactive.positions_div(fc, 0, "ar").startswith('<div dir="ltr">')


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed")
def test_interactive_arabic_row_labels_end_at_one_edge_in_chromium(fc, tmp_path):
    """Drawn in a right-to-left page by Chromium: every row label's right edge is the same and
    right of the plot; the title ends at the right too."""
    from playwright.sync_api import sync_playwright

    from tests.test_web_browser import ARGS

    page_html = (
        '<html lang="ar" dir="rtl"><head><meta charset="utf-8"><script>'
        f'{interactive.plotly_js()}</script></head><body style="width:900px">'
        f"{interactive.positions_div(fc, 0, 'ar')}</body></html>"
    )
    (tmp_path / "chart.html").write_text(page_html, encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=shutil.which("chromium"), headless=True, args=ARGS
        )
        page = browser.new_page(viewport={"width": 940, "height": 800})
        page.goto((tmp_path / "chart.html").as_uri())
        page.wait_for_selector("g.annotation text")
        boxes = page.evaluate(
            """() => [...document.querySelectorAll('g.annotation text, text.gtitle, rect.nsewdrag')]
                 .map(e => [e.getAttribute('class'), e.getBoundingClientRect().left,
                            e.getBoundingClientRect().right])"""
        )
        browser.close()
    labels = [b for b in boxes if b[0] == "annotation-text"]
    plot = next(b for b in boxes if "nsewdrag" in b[0])
    title = next(b for b in boxes if b[0] == "gtitle")
    assert len(labels) == len(interactive.positions_figure(fc, 0, "ar").layout.annotations)
    assert max(r for _, _, r in labels) - min(r for _, _, r in labels) < 1.5
    assert min(left for _, left, _ in labels) > plot[2]  # all right of the plot area
    assert abs(title[2] - max(r for _, _, r in labels)) < 30  # the title ends near the same edge
