"""Static charts (PNG) for the HTML and PDF reports, drawn with matplotlib.

Matplotlib >= 3.11 shapes Arabic and lays it out right to left itself, so labels are passed as
they are (no reshaping). Fonts come from Debian's fonts-noto-core and fonts-hosny-amiri; the
family list falls back glyph by glyph, so Latin digits in an English label keep the Latin font.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from qimma.forecast import ENSEMBLE, Forecast
from qimma.models.base import ModelResult
from qimma.report.i18n import t

FONTS = {
    "en": ["Noto Sans", "DejaVu Sans", "Noto Sans Arabic"],
    "ar": ["Noto Sans Arabic", "Noto Sans", "DejaVu Sans"],
}
PALETTE = ["#1b6ca8", "#d1495b", "#edae49", "#00798c", "#66a182", "#8d5a97", "#30638e", "#6c757d"]


@contextmanager
def _style(lang: str) -> Iterator[None]:
    with plt.rc_context(
        {
            "font.family": FONTS[lang],
            "font.size": 9,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "svg.fonttype": "none",
        }
    ):
        yield


def _save(fig: Figure, path: Path) -> Path:
    fig.savefig(path, dpi=150, bbox_inches="tight")
    plt.close(fig)
    return path


def positions_chart(fc: Forecast, issue_index: int, lang: str, path: Path) -> Path:
    """Actors on the issue's scale; bubble area ∝ capability × salience; forecasts as lines."""
    scn, arr = fc.scenario, fc.arrays
    issue = scn.issues[issue_index]
    present = arr.present[:, issue_index]
    x = arr.positions[0, :, issue_index][present]
    w = arr.weights()[0, :, issue_index][present]
    names = [scn.actors[a].name.get(lang) for a in np.flatnonzero(present)]
    with _style(lang):
        fig, ax = plt.subplots(figsize=(7.0, 0.35 * max(len(names), 3) + 1.2))
        y = np.arange(len(names))
        size = 40 + 900 * (w / w.max() if w.max() > 0 else w)
        ax.scatter(x, y, s=size, alpha=0.55, color=PALETTE[0], edgecolor="black", linewidth=0.5)
        ax.set_yticks(y, names)
        ax.set_xlim(issue.scale.min, issue.scale.max)
        ax.axvline(issue.status_quo, color="grey", linestyle=":", linewidth=1.2)
        ax.text(
            issue.status_quo, len(names) - 0.4, t("status_quo", lang), color="grey", ha="center"
        )
        for k, name in enumerate(fc.model_columns()):
            xv = float(fc.outcome(name)[issue_index])
            style = "-" if name == ENSEMBLE else "--"
            ax.axvline(xv, color=PALETTE[(k + 1) % len(PALETTE)], linestyle=style, linewidth=1.1)
            label = t("ensemble", lang) if name == ENSEMBLE else name
            ax.text(xv, -0.9 - 0.45 * k, label, color=PALETTE[(k + 1) % len(PALETTE)], ha="center")
        ax.set_ylim(-1.2 - 0.45 * len(fc.model_columns()), len(names))
        ax.set_xlabel(f"{t('scale', lang)} {issue.scale.min:g}–{issue.scale.max:g}")
        ax.set_title(issue.name.get(lang))
        return _save(fig, path)


def salience_heatmap(fc: Forecast, lang: str, path: Path) -> Path:
    scn, arr = fc.scenario, fc.arrays
    sal = np.where(arr.present, arr.saliences[0] * 100, np.nan)
    with _style(lang):
        fig, ax = plt.subplots(figsize=(7.5, 0.4 * len(scn.actors) + 1.8))
        im = ax.imshow(sal, cmap="YlOrRd", vmin=0, vmax=100, aspect="auto")
        ax.set_yticks(range(len(scn.actors)), [a.name.get(lang) for a in scn.actors])
        ax.set_xticks(range(len(scn.issues)), [i.id for i in scn.issues], rotation=45, ha="right")
        for a in range(sal.shape[0]):
            for i in range(sal.shape[1]):
                if not np.isnan(sal[a, i]):
                    color = "white" if sal[a, i] > 60 else "black"  # legible on dark cells
                    ax.text(i, a, f"{sal[a, i]:.0f}", ha="center", va="center", fontsize=7,
                            color=color)  # fmt: skip
        fig.colorbar(im, ax=ax, label=t("salience", lang))
        ax.set_title(t("salience_heatmap", lang))
        return _save(fig, path)


def model_spread_chart(fc: Forecast, lang: str, path: Path) -> Path:
    """One row per issue: each model's forecast as a dot, the status quo as a grey bar."""
    scn = fc.scenario
    cols = fc.model_columns()
    with _style(lang):
        fig, ax = plt.subplots(figsize=(7.5, 0.45 * len(scn.issues) + 1.5))
        y = np.arange(len(scn.issues))
        ax.scatter(
            [i.status_quo for i in scn.issues], y, marker="|", s=300, color="grey",
            label=t("status_quo", lang),
        )  # fmt: skip
        for k, name in enumerate(cols):
            label = t("ensemble", lang) if name == ENSEMBLE else name
            marker = "D" if name == ENSEMBLE else "o"
            ax.scatter(
                fc.outcome(name), y, s=36, marker=marker, color=PALETTE[k % len(PALETTE)],
                label=label, zorder=3,
            )  # fmt: skip
        ax.set_yticks(y, [i.name.get(lang) for i in scn.issues])
        ax.set_xlim(0, 100)
        ax.invert_yaxis()
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=4, frameon=False)
        ax.set_title(t("model_spread_chart", lang))
        return _save(fig, path)


def trajectories_chart(fc: Forecast, result: ModelResult, lang: str, path: Path) -> Path:
    """Outcome of every issue by round for one dynamic model."""
    scn = fc.scenario
    assert result.rounds is not None
    with _style(lang):
        fig, ax = plt.subplots(figsize=(7.0, 3.6))
        for i, issue in enumerate(scn.issues):
            traj = result.trajectory(0, i)
            ax.plot(range(len(traj)), traj, marker=".", color=PALETTE[i % len(PALETTE)],
                    label=issue.id)  # fmt: skip
        ax.set_xlabel(t("round", lang))
        ax.set_ylim(0, 100)
        ax.legend(ncol=5, fontsize=7, frameon=False)
        ax.set_title(f"{t('trajectories', lang)} — {result.model}")
        return _save(fig, path)
