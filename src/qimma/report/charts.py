"""Static charts (PNG) for the HTML and PDF reports, drawn with matplotlib.

Matplotlib >= 3.11 shapes Arabic and lays it out right to left itself, so labels are passed as
they are (no reshaping). Fonts come from Debian's fonts-noto-core and fonts-hosny-amiri; the
family list falls back glyph by glyph, so Latin digits in an English label keep the Latin font.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from qimma.forecast import ENSEMBLE, Forecast
from qimma.models.base import ModelResult
from qimma.report.i18n import t
from qimma.scenario.arrays import FloatArray
from qimma.scenario.model import Scenario

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


def _save_with_legend_below(fig: Figure, handles: list[Any], path: Path, ncol: int) -> Path:
    """The legend under the whole figure (x label included), never on top of an axis, then save."""
    fig.legend(
        handles=handles,
        loc="upper center",
        ncol=ncol,
        fontsize=7,
        frameon=False,
        bbox_to_anchor=(0.5, 0.0),
    )
    return _save(fig, path)


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
                    ax.text(
                        i, a, f"{sal[a, i]:.0f}", ha="center", va="center", fontsize=7, color=color
                    )
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
            [i.status_quo for i in scn.issues],
            y,
            marker="|",
            s=300,
            color="grey",
            label=t("status_quo", lang),
        )
        for k, name in enumerate(cols):
            label = t("ensemble", lang) if name == ENSEMBLE else name
            marker = "D" if name == ENSEMBLE else "o"
            ax.scatter(
                fc.outcome(name),
                y,
                s=36,
                marker=marker,
                color=PALETTE[k % len(PALETTE)],
                label=label,
                zorder=3,
            )
        ax.set_yticks(y, [i.name.get(lang) for i in scn.issues])
        ax.set_xlim(0, 100)
        ax.invert_yaxis()
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=4, frameon=False)
        ax.set_title(t("model_spread_chart", lang))
        return _save(fig, path)


def _rtl(ax: Axes, lang: str) -> None:
    """Arabic charts read from the right: category labels go on the right-hand side."""
    if lang == "ar":
        ax.yaxis.tick_right()
        ax.yaxis.set_label_position("right")
        ax.spines["right"].set_visible(True)
        ax.spines["left"].set_visible(False)


def _grid(n: int, ncols: int = 3) -> tuple[int, int]:
    return (n + ncols - 1) // ncols, min(n, ncols)


def position_trajectories_chart(
    scenario: Scenario, result: ModelResult, lang: str, path: Path, draw: int = 0
) -> Path:
    """Every actor's position by round (thin lines) and the model's outcome (thick black line),
    one panel per issue, for a dynamic model whose ModelResult has `positions` and `rounds`."""
    assert result.positions is not None and result.rounds is not None
    n_iss = len(scenario.issues)
    n_act = len(scenario.actors)
    rows, cols = _grid(n_iss)
    n = result.rounds.shape[1] if result.n_rounds is None else int(result.n_rounds[draw]) + 1
    rounds = np.arange(n)
    with _style(lang):
        fig, axes = plt.subplots(
            rows, cols, figsize=(7.5, 2.0 * rows + 1.0), sharex=True, squeeze=False
        )
        for k, issue in enumerate(scenario.issues):
            ax = axes[k // cols][k % cols]
            for a in range(n_act):
                present = bool(_present(scenario, a, k))
                if not present:
                    continue
                ax.plot(
                    rounds,
                    result.positions[draw, :n, a, k],
                    color=PALETTE[a % len(PALETTE)],
                    linewidth=0.9,
                    alpha=0.8,
                    linestyle=LINESTYLES[a // len(PALETTE) % 3],
                )
            ax.plot(rounds, result.rounds[draw, :n, k], color="black", linewidth=2.0)
            ax.set_ylim(issue.scale.min, issue.scale.max)
            ax.set_title(issue.id, fontsize=8)
            ax.tick_params(labelsize=7)
        for k in range(n_iss, rows * cols):
            axes[k // cols][k % cols].axis("off")
        handles = [
            Line2D(
                [0],
                [0],
                color=PALETTE[a % len(PALETTE)],
                linestyle=LINESTYLES[a // len(PALETTE) % 3],
                label=actor.name.get(lang),
            )
            for a, actor in enumerate(scenario.actors)
        ]
        handles.append(Line2D([0], [0], color="black", linewidth=2.0, label=t("forecast", lang)))
        fig.supxlabel(t("round", lang), fontsize=8)
        fig.suptitle(f"{t('trajectories', lang)} — {result.model}")
        fig.tight_layout()
        return _save_with_legend_below(fig, handles, path, ncol=2)


LINESTYLES: list[Any] = ["-", "--", ":"]


def _present(scenario: Scenario, actor: int, issue: int) -> bool:
    a_id, i_id = scenario.actors[actor].id, scenario.issues[issue].id
    return any(s.actor == a_id and s.issue == i_id for s in scenario.stances)


def distributions_chart(scenario: Scenario, stats: list[Any], lang: str, path: Path) -> Path:
    """Monte Carlo outcome distribution of each issue: histogram of all models' draws pooled,
    the 80% interval shaded, the median and the status quo marked.

    `stats`: one object per issue in scenario order with `hist_edges`, `hist_counts`, `q10`,
    `q90`, `median` (qimma.analysis.montecarlo.IssueStats of the "pooled" model)."""
    n_iss = len(scenario.issues)
    rows, cols = _grid(n_iss)
    with _style(lang):
        fig, axes = plt.subplots(rows, cols, figsize=(7.5, 1.9 * rows + 0.8), squeeze=False)
        for k, (issue, st) in enumerate(zip(scenario.issues, stats, strict=True)):
            ax = axes[k // cols][k % cols]
            edges = np.asarray(st.hist_edges)
            counts = np.asarray(st.hist_counts, dtype=float)
            share = counts / counts.sum() if counts.sum() > 0 else counts
            ax.axvspan(st.q10, st.q90, color=PALETTE[0], alpha=0.12, linewidth=0)
            ax.bar(
                edges[:-1],
                share,
                width=np.diff(edges),
                align="edge",
                color=PALETTE[0],
                alpha=0.75,
                edgecolor="white",
                linewidth=0.4,
            )
            ax.axvline(st.median, color=PALETTE[1], linewidth=1.4)
            ax.axvline(issue.status_quo, color="grey", linestyle=":", linewidth=1.2)
            ax.set_xlim(issue.scale.min, issue.scale.max)
            ax.set_title(issue.id, fontsize=8)
            ax.tick_params(labelsize=7)
            ax.set_yticks([])
        for k in range(n_iss, rows * cols):
            axes[k // cols][k % cols].axis("off")
        handles: list[Any] = [
            Patch(color=PALETTE[0], alpha=0.75, label=t("draw_share", lang)),
            Patch(color=PALETTE[0], alpha=0.12, label=t("interval80", lang)),
            Line2D([0], [0], color=PALETTE[1], label=t("median", lang)),
            Line2D([0], [0], color="grey", linestyle=":", label=t("status_quo", lang)),
        ]
        fig.suptitle(t("distributions", lang))
        fig.tight_layout()
        return _save_with_legend_below(fig, handles, path, ncol=4)


def outcome_probabilities_chart(
    scenario: Scenario, probs: list[Any], lang: str, path: Path
) -> Path:
    """Probability of each named outcome with its 90% interval, grouped by track; the band of
    the seeds' own estimate, where they give one, as a grey bar behind.

    `probs`: qimma.analysis.outcomes.OutcomeProbability objects (`outcome`, `probability`,
    `low`, `high`)."""
    n = len(probs)
    pct = "٪" if lang == "ar" else "%"
    with _style(lang):
        fig, ax = plt.subplots(figsize=(7.5, 0.34 * n + 1.3))
        y = np.arange(n)
        tracks = list(dict.fromkeys(p.outcome.track for p in probs))
        for k, p in enumerate(probs):
            te = p.outcome.textual_estimate
            if te is not None and te.low_pct is not None and te.high_pct is not None:
                ax.barh(
                    k,
                    (te.high_pct - te.low_pct),
                    left=te.low_pct,
                    height=0.8,
                    color="#d9d9d9",
                    zorder=1,
                )
            color = PALETTE[tracks.index(p.outcome.track) % len(PALETTE)]
            ax.barh(k, 100 * p.probability, height=0.45, color=color, zorder=2)
            ax.errorbar(
                100 * p.probability,
                k,
                xerr=[[100 * (p.probability - p.low)], [100 * (p.high - p.probability)]],
                color="black",
                capsize=2,
                linewidth=0.8,
                zorder=3,
            )
            ax.text(
                min(100 * p.high + 1.5, 93),
                k,
                f"{100 * p.probability:.0f}{pct}",
                va="center",
                fontsize=7,
                zorder=4,
            )
        ax.set_yticks(y, [p.outcome.name.get(lang) for p in probs], fontsize=7.5)
        ax.set_xlim(0, 100)
        ax.invert_yaxis()
        ax.set_xlabel(t("probability_pct", lang))
        _rtl(ax, lang)
        ax.set_title(t("outcomes", lang))
        fig.tight_layout()
        handles: list[Any] = [Patch(color="#d9d9d9", label=t("seed_band", lang))]
        handles += [Line2D([0], [0], color="black", label=t("interval90", lang))]
        return _save_with_legend_below(fig, handles, path, ncol=2)


def tornado_chart(
    labels: list[str],
    values: list[float],
    errors: list[float] | None,
    title: str,
    xlabel: str,
    lang: str,
    path: Path,
) -> Path:
    """Horizontal bars, largest at the top: sensitivity indices of the most influential
    inputs (Morris mu* or Sobol ST), with their confidence half-widths as error bars."""
    order = np.argsort(values)[::-1]
    vals = np.asarray(values, dtype=float)[order]
    labs = [labels[k] for k in order]
    err = None if errors is None else np.asarray(errors, dtype=float)[order]
    with _style(lang):
        fig, ax = plt.subplots(figsize=(7.5, 0.32 * len(labs) + 1.2))
        y = np.arange(len(labs))
        ax.barh(
            y,
            vals,
            xerr=err,
            color=PALETTE[3],
            ecolor="black",
            capsize=2,
            height=0.6,
            error_kw={"linewidth": 0.7},
        )
        ax.set_yticks(y, labs, fontsize=7.5)
        ax.invert_yaxis()
        ax.set_xlim(left=0)
        ax.set_xlabel(xlabel)
        _rtl(ax, lang)
        ax.set_title(title, fontsize=9)
        return _save(fig, path)


QUADRANT_COLORS = {
    "conflict": "#f4c7c3",
    "compromise": "#fce8b2",
    "capitulation": "#b7e1cd",
    "stalemate": "#e0e0e0",
}


def quadrant_chart(scenario: Scenario, eu: FloatArray, actor: int, lang: str, path: Path) -> Path:
    """Expected-utility perception quadrant of one actor i (Bueno de Mesquita; Scholz et al.
    2011, fig. 6), one panel per issue: each other actor j at x = E^i(U_ij), i's expected utility
    of challenging j, and y = E^j(U_ji), j's of challenging i. Regions: both positive, conflict;
    one positive and larger than the other's loss, compromise; otherwise capitulation; both
    negative, stalemate.

    `eu`: (A, A, I) round-1 expected utilities, eum's `details["round1_eu"][draw]`."""
    n_iss = len(scenario.issues)
    rows, cols = _grid(n_iss)
    with _style(lang):
        fig, axes = plt.subplots(rows, cols, figsize=(7.5, 2.3 * rows + 1.0), squeeze=False)
        for k, issue in enumerate(scenario.issues):
            ax = axes[k // cols][k % cols]
            others = [
                j for j in range(len(scenario.actors)) if j != actor and _present(scenario, j, k)
            ]
            if not _present(scenario, actor, k) or not others:
                ax.set_title(issue.id, fontsize=8)
                ax.text(0.5, 0.5, "—", ha="center", va="center", transform=ax.transAxes)
                ax.set_xticks([])
                ax.set_yticks([])
                continue
            x = eu[actor, others, k]
            yv = eu[others, actor, k]
            lim = max(float(np.max(np.abs(np.concatenate([x, yv])))), 1e-9) * 1.15
            _quadrant_regions(ax, lim)
            for j, xv, yy in zip(others, x, yv, strict=True):
                ax.scatter(
                    xv,
                    yy,
                    s=22,
                    color=PALETTE[j % len(PALETTE)],
                    marker=MARKERS[j // len(PALETTE) % len(MARKERS)],
                    edgecolor="black",
                    linewidth=0.4,
                    zorder=3,
                )
            ax.set_xlim(-lim, lim)
            ax.set_ylim(-lim, lim)
            ax.axhline(0, color="black", linewidth=0.6)
            ax.axvline(0, color="black", linewidth=0.6)
            ax.set_title(issue.id, fontsize=8)
            ax.tick_params(labelsize=6)
        for k in range(n_iss, rows * cols):
            axes[k // cols][k % cols].axis("off")
        handles: list[Any] = [
            Patch(color=c, label=t(f"q_{name}", lang)) for name, c in QUADRANT_COLORS.items()
        ]
        handles += [
            Line2D(
                [0],
                [0],
                marker=MARKERS[j // len(PALETTE) % len(MARKERS)],
                linestyle="",
                color=PALETTE[j % len(PALETTE)],
                markeredgecolor="black",
                label=a.name.get(lang),
            )
            for j, a in enumerate(scenario.actors)
            if j != actor
        ]
        fig.supxlabel(t("eu_i", lang), fontsize=8)
        fig.supylabel(t("eu_j", lang), fontsize=8)
        fig.suptitle(f"{t('quadrant', lang)} — {scenario.actors[actor].name.get(lang)}")
        fig.tight_layout()
        return _save_with_legend_below(fig, handles, path, ncol=2)


MARKERS = ["o", "s", "^"]


def _quadrant_regions(ax: Axes, lim: float) -> None:
    """Shade the classes of Scholz et al. fig. 6 in the square [-lim, lim]²: with a = x, b = y:
    a, b > 0 conflict; a > 0 > b: compromise if a > -b else capitulation (j gives in); and the
    mirror image for a < 0 < b; a, b < 0 stalemate."""
    c = QUADRANT_COLORS
    ax.fill([0, lim, lim, 0], [0, 0, lim, lim], color=c["conflict"], zorder=0)
    # a > 0 > b: compromise above the line b = -a, capitulation below it
    ax.fill([0, lim, lim], [0, 0, -lim], color=c["compromise"], zorder=0)
    ax.fill([0, lim, 0], [0, -lim, -lim], color=c["capitulation"], zorder=0)
    # a < 0 < b: compromise right of b = -a (b > -a), capitulation left of it
    ax.fill([0, 0, -lim], [0, lim, lim], color=c["compromise"], zorder=0)
    ax.fill([0, -lim, -lim], [0, lim, 0], color=c["capitulation"], zorder=0)
    ax.fill([0, -lim, -lim, 0], [0, 0, -lim, -lim], color=c["stalemate"], zorder=0)
