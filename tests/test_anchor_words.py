"""A forecast in words against its issue's anchors (qimma.scenario.anchors): near one labelled
point or between two. The expected cases are computed by hand from the rule in docs/analysis.md
("A forecast in words"): between neighbouring anchors A < B, a value within (B − A)/4 of A is
near A, within (B − A)/4 of B near B, else between A and B; beyond the outermost anchors, near the
outermost one."""

from __future__ import annotations

import csv
import json

import pytest

from qimma.cli.main import run
from qimma.scenario.anchors import read_on_scale
from qimma.scenario.model import Anchor, Scale, Text
from tests._anchor_words import in_middle_half, minerals_words


def _scale(*values: float, lo: float = 0, hi: float = 100) -> Scale:
    anchors = [Anchor(value=v, label=Text(en=f"a{v:g}", ar=f"ن{v:g}")) for v in values]
    return Scale(min=lo, max=hi, anchors=anchors)


QUARTERS = _scale(0, 25, 50, 75, 100)  # the MINERALS scale's values
TERR = _scale(0, 25, 50, 60, 70, 85, 92, 100)  # the default scenario's TERR scale
NEUTRAL = _scale(0, 20, 40, 60, 80, 100)  # the default scenario's NEUTRAL scale


@pytest.mark.parametrize(
    ("scale", "x", "low", "high"),
    [
        # gap 25, a quarter is 6.25: 38.3 is 13.3 above 25 and 11.7 below 50
        (QUARTERS, 38.3, 25, 50),
        (QUARTERS, 27, 25, 25),  # 2 above 25
        (QUARTERS, 31.25, 25, 25),  # exactly a quarter above 25: still near
        (QUARTERS, 31.5, 25, 50),  # just past the quarter
        (QUARTERS, 43.75, 50, 50),  # exactly a quarter below 50
        (QUARTERS, 43.5, 25, 50),
        (QUARTERS, 50, 50, 50),  # on an anchor
        (QUARTERS, 0, 0, 0),
        (QUARTERS, 100, 100, 100),
        # TERR: gap 60–70 is 10, a quarter 2.5: 67.7 is 2.3 below 70; 67.2 is 2.8 below 70
        (TERR, 67.7, 70, 70),
        (TERR, 67.2, 60, 70),
        # the gap on the value's own side counts: below 50 (gap 25) 45 is near 50 (5 ≤ 6.25),
        # above 50 (gap 10) 55 is not (5 > 2.5)
        (TERR, 45, 50, 50),
        (TERR, 55, 50, 60),
        (TERR, 52, 50, 50),
        # NEUTRAL: gap 60–80 is 20, a quarter 5: 67.2 is 7.2 above 60 and 12.8 below 80
        (NEUTRAL, 67.2, 60, 80),
        (NEUTRAL, 64.9, 60, 60),
    ],
)
def test_near_one_anchor_or_between_two(scale, x, low, high):
    r = read_on_scale(scale, x)
    assert (r.low.value, r.high.value) == (low, high)
    assert r.kind == ("near" if low == high else "between")


def test_beyond_the_outermost_anchors_is_near_the_outermost():
    inner = _scale(10, 40, 90)  # anchors short of the scale's ends (a Scale alone allows it)
    assert read_on_scale(inner, 2).low.value == read_on_scale(inner, 2).high.value == 10
    assert read_on_scale(inner, 97).low.value == read_on_scale(inner, 97).high.value == 90


def test_anchors_in_any_order_and_repeated_values():
    # written 100, 0, 50, 50: read in order 0, 50, 100; gap 0–50 is 50, a quarter 12.5
    s = _scale(100, 0, 50, 50)
    assert read_on_scale(s, 38.3).kind == "near"  # 11.7 below 50
    assert (read_on_scale(s, 30).low.value, read_on_scale(s, 30).high.value) == (0, 50)
    assert read_on_scale(s, 50).kind == "near"
    assert (read_on_scale(s, 75).low.value, read_on_scale(s, 75).high.value) == (50, 100)


def test_words_in_english_and_arabic():
    s = Scale(
        anchors=[
            Anchor(value=0, label=Text(en="none", ar="لا شيء")),
            Anchor(value=12.5, label=Text(en="fund", ar="صندوق")),
            Anchor(value=100, label=Text(en="all", ar="الكل")),
        ]
    )
    between = read_on_scale(s, 50)
    assert between.text("en") == "between 12.5 «fund» and 100 «all»"
    assert between.text("ar") == "بين 12.5 «صندوق» و100 «الكل»"
    near = read_on_scale(s, 11)
    assert near.text("en") == "near 12.5 «fund»"
    assert near.text("ar") == "قرب 12.5 «صندوق»"
    assert between.to_json() == {
        "anchor_description": {
            "en": "between 12.5 «fund» and 100 «all»",
            "ar": "بين 12.5 «صندوق» و100 «الكل»",
        },
        "anchor_kind": "between",
        "anchor_low": 12.5,
        "anchor_high": 100,
    }


# --- every surface says MINERALS of the default scenario in these words -----------------------
# (the web page: tests/test_web_app.py; the report: tests/test_report.py)


def test_cli_says_minerals_between_two_anchors(capsys, monkeypatch, tmp_path):
    import qimma.cli.forecast_cmd as fc

    monkeypatch.setattr(fc.console, "width", 1000)  # one legend line per issue
    assert run(["forecast", "--out", str(tmp_path / "o")]) == 0
    data = json.loads((tmp_path / "o" / "forecast.json").read_text(encoding="utf-8"))
    row = next(
        r for r in data["forecasts"] if r["issue"] == "MINERALS" and r["model"] == "ensemble"
    )
    x = row["outcome"]
    assert in_middle_half(x)
    words = minerals_words()
    for lang in ("en", "ar"):
        assert run(["forecast", "--lang", lang]) == 0
        out = capsys.readouterr().out
        # the legend's line (the numbers table has a MINERALS line too)
        lines = out.splitlines()
        arrow = "←" if lang == "ar" else "→"  # points the way the language reads
        line = next(ln for ln in lines if ln.lstrip().startswith("MINERALS") and arrow in ln)
        assert f"{x:.1f} {arrow} {words[lang]}" in line
    # forecast.json: the old key (the nearest label, 50) stays; the words and anchors are new
    assert row["nearest_anchor"]["en"] == "US obtains 50% of Ukraine's rare earth elements"
    assert row["anchor_description"] == words
    assert (row["anchor_kind"], row["anchor_low"], row["anchor_high"]) == ("between", 25, 50)
    with (tmp_path / "o" / "forecast.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0])[:6] == [
        "scenario", "issue", "model", "outcome", "nearest_anchor_en", "nearest_anchor_ar",
    ]  # fmt: skip
    c = next(r for r in rows if r["issue"] == "MINERALS" and r["model"] == "ensemble")
    assert (c["anchor_kind"], c["anchor_low"], c["anchor_high"]) == ("between", "25", "50")
    assert (c["anchor_description_en"], c["anchor_description_ar"]) == (words["en"], words["ar"])
