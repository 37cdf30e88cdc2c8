"""What every static chart shares: fonts, colours, legends, wrapped labels and saving.

Colours: actors get a qualitative palette of twelve colours, the Okabe–Ito set (Okabe and Ito
2008, "Color Universal Design"; safe for the common colour-vision deficiencies) without its black
and yellow, then Tableau 10 colours (brown, olive, purple, cyan) and a navy; the closest two
differ by ΔE*76 ≈ 25 (tests/test_charts.py). From the seventh actor on, lines are dashed as well,
so the palette is never the only cue. Each model has one colour and one marker in every chart;
the ensemble is black.

Matplotlib >= 3.11 shapes Arabic and lays it out right to left itself (libraqm), so labels are
passed as they are (no reshaping). Fonts come from Debian's fonts-noto-core and fonts-hosny-amiri;
the family list falls back glyph by glyph, so Latin digits in an English label keep the Latin
font.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from qimma.forecast import ENSEMBLE
from qimma.scenario.model import Scenario

FONTS = {
    "en": ["Noto Sans", "DejaVu Sans", "Noto Sans Arabic"],
    "ar": ["Noto Sans Arabic", "Noto Sans", "DejaVu Sans"],
}
LEGEND_PT = 9
# line spacing of wrapped labels: the Arabic font's line box is about 1.5 times the Latin one's
LINES = {"en": 1.0, "ar": 0.8}
ACTOR_COLORS = [
    "#0072B2",  # Okabe–Ito blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#8C564B",  # Tableau brown
    "#BCBD22",  # Tableau olive
    "#9467BD",  # Tableau purple
    "#1F3A93",  # navy
    "#17BECF",  # Tableau cyan
    "#7F7F7F",  # grey
]
SOLID_ACTORS = 6  # actors after the sixth are also dashed or dotted
LINESTYLES: list[Any] = ["-", "--", ":"]
MARKERS = ["o", "s", "^"]
MODEL_STYLE = {  # colour, marker
    "compromise": ("#0072B2", "o"),
    "median": ("#D55E00", "s"),
    "nash": ("#009E73", "^"),
    "eum": ("#E69F00", "v"),
    "smp": ("#CC79A7", "P"),
    "exchange": ("#56B4E9", "X"),
    ENSEMBLE: ("#000000", "D"),
}
BAR = "#0072B2"  # single-series bars and bubbles
ACCENT = "#D55E00"  # a second series (the median line)


@contextmanager
def style(lang: str) -> Iterator[None]:
    with plt.rc_context(
        {
            "font.family": FONTS[lang],
            "font.size": 9,
            "legend.fontsize": LEGEND_PT,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "svg.fonttype": "none",
        }
    ):
        yield


def save(fig: Figure, path: Path) -> Path:
    fig.savefig(path, dpi=150, bbox_inches="tight")
    plt.close(fig)
    return path


def save_with_legend_below(
    fig: Figure, handles: list[Any], path: Path, ncol: int, lang: str = "en"
) -> Path:
    """The legend under the whole figure (x label included), never on top of an axis, then save;
    in Arabic each key stands to the right of its label."""
    fig.legend(
        handles=handles,
        markerfirst=lang != "ar",
        loc="upper center",
        ncol=ncol,
        fontsize=LEGEND_PT,
        frameon=False,
        bbox_to_anchor=(0.5, 0.0),
    )
    return save(fig, path)


def wrap(text: str, width: int) -> str:
    """A long label on several lines of at most `width` characters (words kept whole)."""
    return "\n".join(textwrap.wrap(text, width)) or text


def rtl(ax: Axes, lang: str) -> None:
    """Arabic charts read from the right: category labels go on the right-hand side."""
    if lang == "ar":
        ax.yaxis.tick_right()
        ax.yaxis.set_label_position("right")
        ax.spines["right"].set_visible(True)
        ax.spines["left"].set_visible(False)


def model_style(name: str, k: int) -> tuple[str, str]:
    """A model's colour and marker; a model not in the table takes the k-th actor colour."""
    return MODEL_STYLE.get(name, (ACTOR_COLORS[k % len(ACTOR_COLORS)], "o"))


def actor_styles(scenario: Scenario) -> dict[str, tuple[str, Any]]:
    """Colour and line style of each actor that holds a stance (actor id -> (colour, style)),
    numbered in scenario order: the same actor has the same look in every chart."""
    holding = {s.actor for s in scenario.stances}
    ids = [a.id for a in scenario.actors if a.id in holding]
    n = len(ACTOR_COLORS)
    return {
        a: (
            ACTOR_COLORS[k % n],
            LINESTYLES[0] if k < SOLID_ACTORS else LINESTYLES[1 + k % 2],
        )
        for k, a in enumerate(ids)
    }


def grid(n: int, ncols: int = 3) -> tuple[int, int]:
    return (n + ncols - 1) // ncols, min(n, ncols)
