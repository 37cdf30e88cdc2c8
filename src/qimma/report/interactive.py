"""Interactive Plotly charts for the HTML report.

Plotly.js is inlined in the report or written next to it, so the HTML works offline (no CDN).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from qimma.forecast import ENSEMBLE, Forecast
from qimma.report.chart_style import BAR, model_style
from qimma.report.i18n import t

PLOTLY_JS = "plotly.min.js"


def plotly_js() -> str:
    """Plotly.js itself, safe to place inside a <script> element."""
    js: str = get_plotlyjs()
    return re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE)


def write_plotly_js(out_dir: Path) -> Path:
    path = out_dir / PLOTLY_JS
    path.write_text(get_plotlyjs(), encoding="utf-8")
    return path


def positions_div(fc: Forecast, issue_index: int, lang: str) -> str:
    """`positions_figure` as an HTML fragment (Plotly.js loaded by the page)."""
    fig = positions_figure(fc, issue_index, lang)
    html: str = fig.to_html(full_html=False, include_plotlyjs=False, config={"responsive": True})
    # Plotly places text by its own left-to-right measure: inside a right-to-left page each label
    # would be shifted by its own width. The chart is laid out left to right; each Arabic text
    # keeps its order by the right-to-left marks around it (`_rtl`).
    return f'<div dir="ltr">{html}</div>' if lang == "ar" else html


def positions_figure(fc: Forecast, issue_index: int, lang: str) -> go.Figure:
    """Actors on the issue's scale (marker size ∝ capability × salience), then one row for the
    status quo and one per model with its forecast: names are row labels (on the right in
    Arabic), never annotations that could collide with each other or with the title."""
    scn, arr = fc.scenario, fc.arrays
    issue = scn.issues[issue_index]
    idx = np.flatnonzero(arr.present[:, issue_index])
    x = arr.positions[0, idx, issue_index]
    w = arr.weights()[0, idx, issue_index]
    names = [scn.actors[a].name.get(lang) for a in idx]
    size = 8 + 40 * (np.sqrt(w / w.max()) if w.max() > 0 else w)
    fig = go.Figure(
        go.Scatter(
            x=x,
            y=names,
            mode="markers",
            marker={"size": size, "opacity": 0.6, "color": BAR},
            hovertemplate="%{y}: %{x:.0f}<extra></extra>",
        )
    )
    rows = [*names, t("status_quo", lang)]
    fig.add_trace(_row(rows[-1], issue.status_quo, "grey", "line-ns-open"))
    fig.add_vline(x=issue.status_quo, line_dash="dot", line_color="grey")
    for k, name in enumerate(fc.model_columns()):
        color, marker = model_style(name, k)
        label = t("ensemble", lang) if name == ENSEMBLE else name
        xv = float(fc.outcome(name)[issue_index])
        rows.append(label)
        fig.add_trace(_row(label, xv, color, PLOTLY_MARKER.get(marker, "circle")))
        fig.add_vline(x=xv, line_dash="solid" if name == ENSEMBLE else "dash", line_color=color,
                      line_width=1.5 if name == ENSEMBLE else 1, opacity=0.7)  # fmt: skip
    ar = lang == "ar"
    # room for the longest label: Plotly's automargin under-measures Arabic tick labels
    room = min(380, 12 + 6.5 * max(len(r) for r in rows))
    fig.update_layout(
        title={"text": _rtl(issue.name.get(lang)) if ar else issue.name.get(lang),
               "x": 0.98 if ar else 0.02, "xanchor": "right" if ar else "left"},
        xaxis={"range": [issue.scale.min, issue.scale.max]},
        # categories top to bottom in the order given; labels on the reading side
        yaxis={"categoryorder": "array", "categoryarray": rows[::-1], "automargin": not ar,
               "side": "right" if ar else "left", "showticklabels": not ar,
               "ticks": "outside", "ticklen": 6, "tickcolor": "rgba(0,0,0,0)"},
        height=120 + 26 * len(rows),
        margin={"l": 10 if ar else room, "r": room if ar else 20, "t": 50, "b": 30},
        font={"family": "Noto Sans Arabic, Noto Sans, sans-serif" if ar else "Noto Sans"},
        showlegend=False,
        annotations=_right_aligned_rows(rows, room) if ar else [],
    )  # fmt: skip
    return fig


PLOTLY_MARKER = {"o": "circle", "s": "square", "^": "triangle-up", "v": "triangle-down",
                 "P": "cross", "X": "x", "D": "diamond"}  # fmt: skip


def _right_aligned_rows(rows: list[str], room: float) -> list[dict[str, object]]:
    """Arabic row labels, right-aligned at the figure's right edge: Plotly sets tick labels
    left-aligned against a right-hand axis (the start of each Arabic name ragged), so the names
    are drawn as text tied to their rows, in the right margin (`room` pixels wide) and ending
    10 px from the edge. Each stays on its own row: no two can meet. (No `align`: with it
    Plotly.js 2 draws right-to-left text outside its own box.)"""
    return [
        {"text": _rtl(r), "xref": "paper", "x": 1, "xanchor": "right", "xshift": room - 10,
         "yref": "y", "y": r, "showarrow": False}
        for r in rows
    ]  # fmt: skip


def _rtl(text: str) -> str:
    """Arabic text in a left-to-right chart: right-to-left marks at both ends keep a closing
    bracket at the end of a name («(ضامنان محتملان)») on its side."""
    return f"\u200f{text}\u200f"


def _row(label: str, x: float, color: str, symbol: str) -> go.Scatter:
    """One labelled row holding a single forecast."""
    return go.Scatter(
        x=[x],
        y=[label],
        mode="markers",
        marker={"size": 11, "color": color, "symbol": symbol, "line": {"color": color, "width": 2}},
        hovertemplate="%{y}: %{x:.1f}<extra></extra>",
    )
