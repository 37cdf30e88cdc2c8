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
    longest = max(len(r) for r in rows)
    fig.update_layout(
        title={"text": issue.name.get(lang), "x": 0.98 if ar else 0.02,
               "xanchor": "right" if ar else "left"},
        xaxis={"range": [issue.scale.min, issue.scale.max]},
        # categories top to bottom in the order given; labels on the reading side
        yaxis={"categoryorder": "array", "categoryarray": rows[::-1], "automargin": True,
               "side": "right" if ar else "left",
               "ticks": "outside", "ticklen": 6, "tickcolor": "rgba(0,0,0,0)"},
        height=120 + 26 * len(rows),
        # room for the longest label: Plotly's automargin under-measures Arabic tick labels
        margin={"l": 10 if ar else min(380, 12 + 6.5 * longest),
                "r": min(380, 12 + 6.5 * longest) if ar else 20, "t": 50, "b": 30},
        font={"family": "Noto Sans Arabic, Noto Sans, sans-serif" if ar else "Noto Sans"},
        showlegend=False,
    )  # fmt: skip
    html: str = fig.to_html(full_html=False, include_plotlyjs=False, config={"responsive": True})
    return html


PLOTLY_MARKER = {"o": "circle", "s": "square", "^": "triangle-up", "v": "triangle-down",
                 "P": "cross", "X": "x", "D": "diamond"}  # fmt: skip


def _row(label: str, x: float, color: str, symbol: str) -> go.Scatter:
    """One labelled row holding a single forecast."""
    return go.Scatter(
        x=[x],
        y=[label],
        mode="markers",
        marker={"size": 11, "color": color, "symbol": symbol, "line": {"color": color, "width": 2}},
        hovertemplate="%{y}: %{x:.1f}<extra></extra>",
    )
