"""Static charts (PNG) for the HTML and PDF reports, drawn with matplotlib.

Fonts, colours, legends and label wrapping are in qimma.report.chart_style. Every category is
named in the chart's language (issue and actor names, never ids); labels that could collide are
row labels, wrapped, or in a legend of at least 9 pt under the figure.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from qimma.forecast import ENSEMBLE, Forecast
from qimma.models.base import ModelResult
from qimma.report.chart_style import (
    ACCENT,
    BAR,
    LINES,
    MARKERS,
    actor_styles,
    grid,
    model_style,
    rtl,
    save,
    save_with_legend_below,
    style,
    wrap,
)
from qimma.report.i18n import t
from qimma.scenario.arrays import FloatArray
from qimma.scenario.model import Scenario

PANEL_TITLE = 36  # characters per line of an issue name over a panel of a three-column grid


def positions_chart(fc: Forecast, issue_index: int, lang: str, path: Path) -> Path:
    """Actors on the issue's scale (bubble area ∝ capability × salience), then one row for the
    status quo and one per model with its forecast (the ensemble last): every label is a row
    label, so forecasts close together never write over each other."""
    scn, arr = fc.scenario, fc.arrays
    issue = scn.issues[issue_index]
    present = arr.present[:, issue_index]
    x = arr.positions[0, :, issue_index][present]
    w = arr.weights()[0, :, issue_index][present]
    labels = [scn.actors[a].name.get(lang) for a in np.flatnonzero(present)]
    cols = fc.model_columns()
    n_act = len(labels)
    with style(lang):
        fig, ax = plt.subplots(figsize=(7.0, 0.3 * (n_act + len(cols) + 2) + 1.0))
        size = 40 + 700 * (w / w.max() if w.max() > 0 else w)
        ax.scatter(
            x, np.arange(n_act), s=size, alpha=0.55, color=BAR, edgecolor="black", linewidth=0.5
        )
        ticks = [*range(n_act), n_act + 1]
        labels.append(t("status_quo", lang))
        ax.axvline(issue.status_quo, color="grey", linestyle=":", linewidth=1.2)
        ax.scatter([issue.status_quo], [n_act + 1], marker="|", s=200, color="grey")
        for k, name in enumerate(cols):
            color, marker = model_style(name, k)
            xv, yv = float(fc.outcome(name)[issue_index]), n_act + 2 + k
            ens = name == ENSEMBLE
            ax.plot([xv, xv], [-0.5, yv], color=color, linestyle="-" if ens else "--",
                    linewidth=1.2 if ens else 0.8, alpha=0.9 if ens else 0.6)  # fmt: skip
            ax.scatter([xv], [yv], marker=marker, s=45, color=color, zorder=3)
            ticks.append(yv)
            labels.append(t("ensemble", lang) if ens else name)
        ax.axhline(n_act + 0.5, color="#bbbbbb", linewidth=0.6)  # actors above, forecasts below
        ax.set_yticks(ticks, labels)
        ax.set_ylim(ticks[-1] + 0.7, -0.7)
        ax.set_xlim(issue.scale.min, issue.scale.max)
        ax.set_xlabel(f"{t('scale', lang)} {issue.scale.min:g}–{issue.scale.max:g}")
        ax.set_title(wrap(issue.name.get(lang), 70), linespacing=LINES[lang])
        rtl(ax, lang)
        return save(fig, path)


def salience_heatmap(fc: Forecast, lang: str, path: Path) -> Path:
    """Issues (rows) × actors holding stances (columns), the salience in each cell."""
    scn, arr = fc.scenario, fc.arrays
    holders = actor_styles(scn)
    keep = [a for a, act in enumerate(scn.actors) if act.id in holders] or list(
        range(len(scn.actors))
    )
    sal = np.where(arr.present, arr.saliences[0] * 100, np.nan)[keep].T
    with style(lang):
        fig, ax = plt.subplots(figsize=(7.5, 0.42 * len(scn.issues) + 2.6))
        im = ax.imshow(sal, cmap="YlOrRd", vmin=0, vmax=100, aspect="auto")
        names = [wrap(i.name.get(lang), 42) for i in scn.issues]
        ax.set_yticks(range(len(scn.issues)), names, linespacing=LINES[lang])
        ax.set_xticks(
            range(len(keep)),
            [scn.actors[a].name.get(lang) for a in keep],
            rotation=45,
            ha="right",
            rotation_mode="anchor",
        )
        for i in range(sal.shape[0]):
            for a in range(sal.shape[1]):
                if not np.isnan(sal[i, a]):
                    color = "white" if sal[i, a] > 60 else "black"  # legible on dark cells
                    ax.text(a, i, f"{sal[i, a]:.0f}", ha="center", va="center", fontsize=7.5,
                            color=color)  # fmt: skip
        if lang == "ar":
            ax.invert_xaxis()  # the first actor on the right, next to the issue names
        rtl(ax, lang)
        side = "left" if lang == "ar" else "right"
        fig.colorbar(im, ax=ax, label=t("salience", lang), location=side, shrink=0.8)
        ax.set_title(t("salience_heatmap", lang))
        return save(fig, path)


def model_spread_chart(fc: Forecast, lang: str, path: Path) -> Path:
    """One row per issue: each model's forecast as a dot, the status quo as a grey bar."""
    scn = fc.scenario
    cols = fc.model_columns()
    with style(lang):
        fig, ax = plt.subplots(figsize=(7.5, 0.5 * len(scn.issues) + 1.2))
        y = np.arange(len(scn.issues))
        handles: list[Any] = [
            ax.scatter([i.status_quo for i in scn.issues], y, marker="|", s=300, color="grey",
                       label=t("status_quo", lang))
        ]  # fmt: skip
        for k, name in enumerate(cols):
            color, marker = model_style(name, k)
            label = t("ensemble", lang) if name == ENSEMBLE else name
            handles.append(
                ax.scatter(fc.outcome(name), y, s=40, marker=marker, color=color, label=label,
                           zorder=3, alpha=0.9)
            )  # fmt: skip
        ax.set_yticks(y, [wrap(i.name.get(lang), 45) for i in scn.issues], linespacing=LINES[lang])
        ax.set_xlim(0, 100)
        ax.set_ylim(len(scn.issues) - 0.5, -0.5)
        ax.grid(axis="y", color="#eeeeee", linewidth=0.6)
        rtl(ax, lang)
        ax.set_title(t("model_spread_chart", lang))
        fig.tight_layout()
        return save_with_legend_below(fig, handles, path, 4, lang)


def _panels(scenario: Scenario, lang: str, height: float, **kw: Any) -> tuple[Any, list[Axes]]:
    """One panel per issue in a three-column grid, read from the right in Arabic; the unused
    cells of the last row are switched off."""
    n_iss = len(scenario.issues)
    rows, cols = grid(n_iss)
    fig, axes = plt.subplots(rows, cols, figsize=(7.5, height * rows + 1.0), squeeze=False, **kw)
    cells = [(k // cols, cols - 1 - k % cols if lang == "ar" else k % cols) for k in range(n_iss)]
    for r in range(rows):
        for c in range(cols):
            if (r, c) not in cells:
                axes[r][c].axis("off")
    return fig, [axes[r][c] for r, c in cells]


def _panel_title(ax: Axes, scenario: Scenario, k: int, lang: str) -> None:
    ax.set_title(
        wrap(scenario.issues[k].name.get(lang), PANEL_TITLE), fontsize=8.5, linespacing=LINES[lang]
    )
    ax.tick_params(labelsize=7.5)


def position_trajectories_chart(
    scenario: Scenario, result: ModelResult, lang: str, path: Path, draw: int = 0
) -> Path:
    """Every actor's position by round (thin lines) and the model's outcome (thick black line),
    one panel per issue, for a dynamic model whose ModelResult has `positions` and `rounds`."""
    assert result.positions is not None and result.rounds is not None
    n = result.rounds.shape[1] if result.n_rounds is None else int(result.n_rounds[draw]) + 1
    rounds = np.arange(n)
    looks = actor_styles(scenario)
    index = {a.id: j for j, a in enumerate(scenario.actors)}
    with style(lang):
        fig, axes = _panels(scenario, lang, 2.2, sharex=True)
        for k, (ax, issue) in enumerate(zip(axes, scenario.issues, strict=True)):
            for a_id, (color, line) in looks.items():
                a = index[a_id]
                if _present(scenario, a, k):
                    ax.plot(rounds, result.positions[draw, :n, a, k], color=color, linewidth=1.0,
                            alpha=0.85, linestyle=line)  # fmt: skip
            ax.plot(rounds, result.rounds[draw, :n, k], color="black", linewidth=2.0)
            ax.set_ylim(issue.scale.min, issue.scale.max)
            _panel_title(ax, scenario, k, lang)
        handles = [
            Line2D([0], [0], color=color, linestyle=line, linewidth=1.5,
                   label=scenario.actor(a_id).name.get(lang))
            for a_id, (color, line) in looks.items()
        ]  # fmt: skip
        handles.append(Line2D([0], [0], color="black", linewidth=2.0, label=t("forecast", lang)))
        fig.supxlabel(t("round", lang), fontsize=9)
        fig.suptitle(f"{t('trajectories', lang)} — {result.model}")
        fig.tight_layout()
        return save_with_legend_below(fig, handles, path, 2, lang)


def _present(scenario: Scenario, actor: int, issue: int) -> bool:
    a_id, i_id = scenario.actors[actor].id, scenario.issues[issue].id
    return any(s.actor == a_id and s.issue == i_id for s in scenario.stances)


def distributions_chart(scenario: Scenario, stats: list[Any], lang: str, path: Path) -> Path:
    """Monte Carlo outcome distribution of each issue: histogram of all models' draws pooled,
    the 80% interval shaded, the median and the status quo marked.

    `stats`: one object per issue in scenario order with `hist_edges`, `hist_counts`, `q10`,
    `q90`, `median` (qimma.analysis.montecarlo.IssueStats of the "pooled" model)."""
    with style(lang):
        fig, axes = _panels(scenario, lang, 2.0)
        for k, (ax, issue, st) in enumerate(zip(axes, scenario.issues, stats, strict=True)):
            edges = np.asarray(st.hist_edges)
            counts = np.asarray(st.hist_counts, dtype=float)
            share = counts / counts.sum() if counts.sum() > 0 else counts
            ax.axvspan(st.q10, st.q90, color=BAR, alpha=0.12, linewidth=0)
            ax.bar(edges[:-1], share, width=np.diff(edges), align="edge", color=BAR, alpha=0.75,
                   edgecolor="white", linewidth=0.4)  # fmt: skip
            ax.axvline(st.median, color=ACCENT, linewidth=1.4)
            ax.axvline(issue.status_quo, color="grey", linestyle=":", linewidth=1.2)
            ax.set_xlim(issue.scale.min, issue.scale.max)
            _panel_title(ax, scenario, k, lang)
            ax.set_yticks([])
        handles: list[Any] = [
            Patch(color=BAR, alpha=0.75, label=t("draw_share", lang)),
            Patch(color=BAR, alpha=0.12, label=t("interval80", lang)),
            Line2D([0], [0], color=ACCENT, label=t("median", lang)),
            Line2D([0], [0], color="grey", linestyle=":", label=t("status_quo", lang)),
        ]
        fig.suptitle(t("distributions", lang))
        fig.tight_layout()
        return save_with_legend_below(fig, handles, path, 4, lang)


def outcome_probabilities_chart(
    scenario: Scenario, probs: list[Any], lang: str, path: Path
) -> Path:
    """Probability of each named outcome with its 90% interval, grouped by track; the band of
    the seeds' own estimate, where they give one, as a grey bar behind.

    `probs`: qimma.analysis.outcomes.OutcomeProbability objects (`outcome`, `probability`,
    `low`, `high`)."""
    n = len(probs)
    pct = "٪" if lang == "ar" else "%"
    tracks = list(dict.fromkeys(p.outcome.track for p in probs))
    with style(lang):
        fig, ax = plt.subplots(figsize=(7.5, 0.36 * n + 1.3))
        for k, p in enumerate(probs):
            te = p.outcome.textual_estimate
            if te is not None and te.low_pct is not None and te.high_pct is not None:
                ax.barh(k, (te.high_pct - te.low_pct), left=te.low_pct, height=0.8,
                        color="#d9d9d9", zorder=1)  # fmt: skip
            color = model_style("", tracks.index(p.outcome.track))[0]
            ax.barh(k, 100 * p.probability, height=0.45, color=color, zorder=2)
            ax.errorbar(100 * p.probability, k,
                        xerr=[[100 * (p.probability - p.low)], [100 * (p.high - p.probability)]],
                        color="black", capsize=2, linewidth=0.8, zorder=3)  # fmt: skip
            ax.text(min(100 * p.high + 1.5, 92), k, f"{100 * p.probability:.0f}{pct}",
                    va="center", fontsize=8, zorder=4)  # fmt: skip
        ax.set_yticks(
            range(n), [wrap(p.outcome.name.get(lang), 50) for p in probs], linespacing=LINES[lang]
        )
        ax.set_xlim(0, 100)
        ax.set_ylim(n - 0.5, -0.6)
        ax.set_xlabel(t("probability_pct", lang))
        rtl(ax, lang)
        ax.set_title(t("outcomes", lang))
        fig.tight_layout()
        handles: list[Any] = [Patch(color="#d9d9d9", label=t("seed_band", lang))]
        handles += [Line2D([0], [0], color="black", label=t("interval90", lang))]
        return save_with_legend_below(fig, handles, path, 2, lang)


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
    labs = [wrap(labels[k], 60) for k in order]
    err = None if errors is None else np.asarray(errors, dtype=float)[order]
    lines = sum(lab.count("\n") + 1 for lab in labs)
    with style(lang):
        fig, ax = plt.subplots(figsize=(7.5, 0.22 * lines + 0.12 * len(labs) + 1.2))
        y = np.arange(len(labs))
        ax.barh(y, vals, xerr=err, color=BAR, ecolor="black", capsize=2, height=0.6,
                error_kw={"linewidth": 0.7})  # fmt: skip
        ax.set_yticks(y, labs, fontsize=8.5, linespacing=LINES[lang])
        ax.invert_yaxis()
        ax.set_xlim(left=0)
        ax.set_xlabel(xlabel)
        rtl(ax, lang)
        ax.set_title(wrap(title, 80), fontsize=9, linespacing=LINES[lang])
        return save(fig, path)


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
    looks = actor_styles(scenario)
    shown = [(j, a) for j, a in enumerate(scenario.actors) if j != actor and a.id in looks]
    shape = {a.id: MARKERS[k % len(MARKERS)] for k, a in enumerate(looks_actors(scenario))}
    with style(lang):
        fig, axes = _panels(scenario, lang, 2.4)
        for k, ax in enumerate(axes):
            _panel_title(ax, scenario, k, lang)
            others = [j for j, _ in shown if _present(scenario, j, k)]
            if not _present(scenario, actor, k) or not others:
                ax.text(0.5, 0.5, "—", ha="center", va="center", transform=ax.transAxes)
                ax.set_xticks([])
                ax.set_yticks([])
                continue
            x, yv = eu[actor, others, k], eu[others, actor, k]
            lim = max(float(np.max(np.abs(np.concatenate([x, yv])))), 1e-9) * 1.15
            _quadrant_regions(ax, lim)
            for j, xv, yy in zip(others, x, yv, strict=True):
                a_id = scenario.actors[j].id
                ax.scatter(xv, yy, s=26, color=looks[a_id][0], marker=shape[a_id],
                           edgecolor="black", linewidth=0.4, zorder=3)  # fmt: skip
            ax.set_xlim(-lim, lim)
            ax.set_ylim(-lim, lim)
            ax.axhline(0, color="black", linewidth=0.6)
            ax.axvline(0, color="black", linewidth=0.6)
            ax.tick_params(labelsize=7)
        handles: list[Any] = [
            Patch(color=c, label=t(f"q_{name}", lang)) for name, c in QUADRANT_COLORS.items()
        ]
        handles += [
            Line2D([0], [0], marker=shape[a.id], linestyle="", color=looks[a.id][0],
                   markeredgecolor="black", label=a.name.get(lang))
            for _, a in shown
        ]  # fmt: skip
        fig.supxlabel(t("eu_i", lang), fontsize=9)
        fig.supylabel(t("eu_j", lang), fontsize=9)
        fig.suptitle(f"{t('quadrant', lang)} — {scenario.actors[actor].name.get(lang)}")
        fig.tight_layout()
        return save_with_legend_below(fig, handles, path, 2, lang)


def looks_actors(scenario: Scenario) -> list[Any]:
    """The actors that hold a stance, in scenario order (the order their colours follow)."""
    looks = actor_styles(scenario)
    return [a for a in scenario.actors if a.id in looks]


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
