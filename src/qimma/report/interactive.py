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
    scn, arr = fc.scenario, fc.arrays
    issue = scn.issues[issue_index]
    present = arr.present[:, issue_index]
    idx = np.flatnonzero(present)
    x = arr.positions[0, idx, issue_index]
    w = arr.weights()[0, idx, issue_index]
    names = [scn.actors[a].name.get(lang) for a in idx]
    size = 8 + 40 * (np.sqrt(w / w.max()) if w.max() > 0 else w)
    fig = go.Figure(
        go.Scatter(
            x=x,
            y=names,
            mode="markers",
            marker={"size": size, "opacity": 0.6},
            hovertemplate="%{y}: %{x:.0f}<extra></extra>",
            name=t("position", lang),
        )
    )
    fig.add_vline(x=issue.status_quo, line_dash="dot", line_color="grey")
    for k, name in enumerate(fc.model_columns()):
        label = t("ensemble", lang) if name == ENSEMBLE else name
        fig.add_vline(
            x=float(fc.outcome(name)[issue_index]),
            line_dash="solid" if name == ENSEMBLE else "dash",
            annotation_text=label,
            annotation_position="top right",
            # stacked in the top margin: forecasts close together would overwrite each other
            annotation_yshift=14 * k,
            annotation_font_size=10,
        )
    fig.update_layout(
        title={
            "text": issue.name.get(lang),
            "x": 0.98 if lang == "ar" else 0.02,
            "xanchor": "right" if lang == "ar" else "left",
        },
        xaxis={"range": [issue.scale.min, issue.scale.max]},
        yaxis={"automargin": True},
        height=140 + 28 * len(names) + 14 * len(fc.model_columns()),
        # room for the longest name: Plotly's automargin under-measures Arabic tick labels
        margin={
            "l": min(380, 12 + 6.5 * max(len(n) for n in names)) if names else 10,
            "r": 10,
            "t": 50 + 14 * len(fc.model_columns()),
            "b": 30,
        },
        font={"family": "Noto Sans Arabic, Noto Sans, sans-serif" if lang == "ar" else "Noto Sans"},
        showlegend=False,
    )
    html: str = fig.to_html(full_html=False, include_plotlyjs=False, config={"responsive": True})
    return html
