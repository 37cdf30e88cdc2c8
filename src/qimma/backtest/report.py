"""Backtest results as text tables and CSV files (for the CLI and for re-analysis)."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

from rich import box
from rich.table import Table

from qimma import i18n
from qimma.backtest.calibration import HEADLINE, TOLERANCE
from qimma.backtest.harness import REFERENCE_MODEL, Backtest
from qimma.backtest.metrics import METRICS, Estimate


def labels(lang: str) -> dict[str, str]:
    """The backtest's words (the `backtest` section of the word table), the reference model
    filled in."""
    return {
        k: v.format(ref=REFERENCE_MODEL) if "{ref}" in v else v
        for k, v in i18n.words("backtest", lang).items()
    }


def clean_json(obj: object) -> object:
    """NaN is not JSON: null instead."""
    if isinstance(obj, float) and math.isnan(obj):
        return None
    if isinstance(obj, dict):
        return {k: clean_json(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [clean_json(v) for v in obj]
    return obj


def fmt(e: Estimate, signed: bool = False) -> str:
    if math.isnan(e.value):
        return "—"
    s = "+" if signed else ""
    return f"{e.value:{s}.1f} [{e.lo:{s}.1f}, {e.hi:{s}.1f}]"


def header_lines(bt: Backtest, lang: str = "en") -> list[str]:
    h = labels(lang)
    n_test = int(bt.test_mask().sum())
    scored = len(bt.issues)
    return [
        "DEU III (Arregui & Perarnaud 2021, doi:10.34810/data53, CC BY 4.0)",
        h["hdr_issues"].format(n=bt.data.n_issues, scored=scored, skipped=len(bt.data.skipped())),
        h["hdr_split"].format(
            cap=h[f"cap_{bt.capability}"],
            seed=bt.split.seed,
            split=h["preregistered" if bt.split.preregistered else "exploratory"],
            test=n_test,
            train=scored - n_test,
        ),
        h["hdr_boot"].format(n=bt.n_boot, seed=bt.boot_seed),
    ]


def _name_column(t: Table, header: str, names: list[str]) -> None:
    """Model names whole (never cut to 'reference_p…'); numbers fold in the other columns."""
    t.add_column(header, no_wrap=True, min_width=max([len(header), *map(len, names)]))


def _number_column(t: Table, header: str) -> None:
    """Wraps at spaces, folds a long number: at 80 columns a value is never cut short."""
    t.add_column(header, justify="right", overflow="fold")


def score_table(bt: Backtest, subset: str, lang: str) -> Table:
    h = labels(lang)
    t = Table(title=h[subset])
    _name_column(t, h["model"], [s.name for s in bt.scores[subset]])
    _number_column(t, h["n"])
    for m in METRICS:
        _number_column(t, h[m])
    for s in bt.scores[subset]:
        if s.status != "ok":
            why = h["na"] if s.status.startswith("not available") else s.status
            t.add_row(s.name, "0", why, "", "", "")
            continue
        t.add_row(s.name, str(s.n), *(fmt(s.metrics[m]) for m in METRICS))
    return t


def diff_table(bt: Backtest, subset: str, lang: str) -> Table:
    h = labels(lang)
    t = Table(title=f"{h[subset]}: {h['diff']}")
    _name_column(t, h["model"], [s.name for s in bt.scores[subset]])
    for m in METRICS:
        _number_column(t, h[m])
    for s in bt.scores[subset]:
        if s.status == "ok" and s.vs_reference is not None:
            t.add_row(s.name, *(fmt(s.vs_reference[m], signed=True) for m in METRICS))
    return t


def calibration_table(bt: Backtest, lang: str) -> Table:
    """One row per nominal level (then the mean widths at the headline levels), one column per
    model: seven models fit 80 columns, and no number is folded."""
    h = labels(lang)
    t = Table(title=h["calib"], box=box.SIMPLE_HEAD, pad_edge=False)
    names = list(bt.calibration)
    levels = [c.level for c in bt.calibration[names[0]]] if names else []
    headline = [k for k, level in enumerate(levels) if level in HEADLINE]
    row_labels = [f"{100 * lv:.0f}%{' *' if lv in HEADLINE else ''}" for lv in levels]
    row_labels += [f"{h['width']} {100 * levels[k]:.0f}%" for k in headline]
    words = [w for label in row_labels for w in label.split()]
    t.add_column("", overflow="fold", min_width=max([4, *map(len, words)]))
    for n in names:
        t.add_column(n, justify="right", no_wrap=True, min_width=len(n))
    for k in range(len(levels)):
        cells = []
        for n in names:
            c = bt.calibration[n][k]
            cells.append(f"{c.coverage:.1f}{'' if c.within_goal else '!'}")
        t.add_row(row_labels[k], *cells)
    for j, k in enumerate(headline):
        widths = [f"{bt.calibration[n][k].mean_width:.1f}" for n in names]
        t.add_row(row_labels[len(levels) + j], *widths)
    n_test = bt.calibration[names[0]][0].n_test if names else 0
    t.caption = h["calib_caption"].format(tol=TOLERANCE, n=n_test)
    return t


def write_out(bt: Backtest, out: Path) -> list[Path]:
    """backtest.json, predictions.csv, scores.csv and calibration.csv in the folder `out`."""
    # The command checked `out` (qimma.cli.common.prepare_out_dir) before the run.
    out.mkdir(parents=True, exist_ok=True)
    data = bt.to_json()
    paths = [out / n for n in ("backtest.json", "predictions.csv", "scores.csv", "calibration.csv")]
    text = json.dumps(clean_json(data), ensure_ascii=False, indent=2)
    paths[0].write_text(text, encoding="utf-8")
    with paths[1].open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["issue", "proposal", "set", "model", "prediction", "outcome", "error"])
        for r in data["predictions"]:
            w.writerow(
                [
                    r["issue"],
                    r["proposal"],
                    r["set"],
                    r["model"],
                    "" if r["prediction"] is None else f"{r['prediction']:.6g}",
                    f"{r['outcome']:.6g}",
                    "" if r["error"] is None else f"{r['error']:.6g}",
                ]
            )
    with paths[2].open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["subset", "model", "kind", "status", "n", "metric", "value", "lo", "hi", "diff",
                    "diff_lo", "diff_hi"])  # fmt: skip
        for subset, rows in bt.scores.items():
            for s in rows:
                for m in METRICS if s.status == "ok" else ():
                    e = s.metrics[m]
                    d = s.vs_reference[m] if s.vs_reference else None
                    extra = [d.value, d.lo, d.hi] if d else ["", "", ""]
                    w.writerow([subset, s.name, s.kind, s.status, s.n, m, e.value, e.lo, e.hi,
                                *extra])  # fmt: skip
                if s.status != "ok":
                    w.writerow([subset, s.name, s.kind, s.status, 0, "", "", "", "", "", "", ""])
    with paths[3].open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["model", "level", "coverage", "lo_offset", "hi_offset", "mean_width", "n_test"])
        for name, rows_c in bt.calibration.items():
            for c in rows_c:
                w.writerow(
                    [name, c.level, c.coverage, c.lo_offset, c.hi_offset, c.mean_width, c.n_test]
                )
    return paths
