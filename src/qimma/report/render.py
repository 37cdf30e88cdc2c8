"""Write the bilingual report: self-contained HTML (interactive charts) and PDF (static charts)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from jinja2 import Environment, PackageLoader, select_autoescape

from qimma import __version__
from qimma.errors import InputError
from qimma.forecast import ENSEMBLE, Forecast
from qimma.models.registry import get_model
from qimma.report import charts, interactive
from qimma.report.i18n import WORDS, t


@dataclass
class ReportFiles:
    html: Path
    pdf: Path | None
    charts: list[Path] = field(default_factory=list)


def _fmt(x: float) -> str:
    return f"{x:.1f}"


def _issue_rows(fc: Forecast, lang: str) -> list[dict[str, Any]]:
    cols = fc.model_columns()
    main = ENSEMBLE if ENSEMBLE in cols else cols[0]
    rows = []
    for i, issue in enumerate(fc.scenario.issues):
        values = [float(fc.outcome(m)[i]) for m in fc.results]
        x = float(fc.outcome(main)[i])
        rows.append(
            {
                "id": issue.id,
                "name": issue.name.get(lang),
                "status_quo": f"{issue.status_quo:g}",
                "cells": [_fmt(float(fc.outcome(m)[i])) for m in cols],
                "spread": _fmt(max(values) - min(values)) if values else "—",
                "main_value": _fmt(x),
                "nearest": issue.scale.nearest_anchor(x).label.get(lang),
            }
        )
    return rows


def _key_evidence(fc: Forecast, lang: str) -> list[dict[str, Any]]:
    """For each issue, the stance with the largest capability × salience that cites evidence."""
    scn = fc.scenario
    ev = scn.evidence_by_id()
    sources = {s.id: s for s in scn.sources}
    out = []
    for issue in scn.issues:
        cands = [s for s in scn.stances if s.issue == issue.id and any(e in ev for e in s.evidence)]
        if not cands:
            continue
        st = max(cands, key=lambda s: s.capability.value * s.salience.value)
        e = next(ev[e] for e in st.evidence if e in ev)
        src = sources.get(e.source)
        out.append(
            {
                "actor": scn.actor(st.actor).name.get(lang),
                "issue": issue.name.get(lang),
                "position": f"{st.position.value:g}",
                "basis": t(st.basis, lang),
                "id": e.id,
                "quote": e.quote,
                "quote_lang": src.language if src else "ar",
                "translation": e.translation,
                "source": src.title.get(lang) if src else e.source,
                "date": src.date if src else "",
            }
        )
    return out


def _assumptions(fc: Forecast, lang: str) -> list[dict[str, str]]:
    scn = fc.scenario
    return [
        {
            "actor": scn.actor(s.actor).name.get(lang),
            "issue": scn.issue(s.issue).name.get(lang),
            "position": f"{s.position.value:g} ({s.position.lo:g}–{s.position.hi:g})",
            "salience": f"{s.salience.value:g}",
            "capability": f"{s.capability.value:g}",
        }
        for s in scn.stances
        if s.basis == "assumption"
    ]


def _charts(fc: Forecast, lang: str, out_dir: Path) -> list[dict[str, Any]]:
    chart_dir = out_dir / "charts"
    chart_dir.mkdir(parents=True, exist_ok=True)
    items: list[dict[str, Any]] = []

    def add(cid: str, path: Path, caption: str, div: str | None = None) -> None:
        items.append(
            {
                "id": cid,
                "path": path,
                "src": f"charts/{path.name}",
                "caption": caption,
                "interactive": div,
            }
        )

    p = charts.model_spread_chart(fc, lang, chart_dir / f"models-{lang}.png")
    add("models", p, t("model_spread_chart", lang))
    p = charts.salience_heatmap(fc, lang, chart_dir / f"salience-{lang}.png")
    add("salience", p, t("salience_heatmap", lang))
    for i, issue in enumerate(fc.scenario.issues):
        p = charts.positions_chart(fc, i, lang, chart_dir / f"positions-{issue.id}-{lang}.png")
        caption = f"{t('positions_chart', lang)} — {issue.name.get(lang)}"
        add(f"positions-{issue.id}", p, caption, interactive.positions_div(fc, i, lang))
    for name, res in fc.results.items():
        if res.rounds is not None and res.rounds.shape[1] > 1:
            p = charts.trajectories_chart(fc, res, lang, chart_dir / f"rounds-{name}-{lang}.png")
            add(f"rounds-{name}", p, f"{t('trajectories', lang)} — {name}")
    return items


def _check_out_dir(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError.single(
            "--out must be a folder, and this is a file",
            "يجب أن يكون --out مجلدًا، وهذا ملف",
            file=str(out_dir),
            fix_en="give the name of a folder (it is created if missing)",
            fix_ar="حدد اسم مجلد (يُنشأ إن لم يكن موجودًا)",
        )


def write_report(fc: Forecast, out_dir: Path, lang: str, *, pdf: bool = True) -> ReportFiles:
    """Render the report for one language into out_dir (created if needed)."""
    _check_out_dir(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    env = Environment(
        loader=PackageLoader("qimma.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
    )
    template = env.get_template("report.html.j2")
    chart_items = _charts(fc, lang, out_dir)
    interactive.write_plotly_js(out_dir)
    scn = fc.scenario
    cols = fc.model_columns()
    ctx: dict[str, Any] = {
        "lang": lang,
        "w": {k: v[lang] for k, v in WORDS.items()},
        "title": scn.title.get(lang),
        "scenario": scn,
        "version": __version__,
        "font_stack": (
            '"Noto Naskh Arabic", "Amiri", "Noto Sans Arabic", serif'
            if lang == "ar"
            else '"Noto Sans", "DejaVu Sans", sans-serif'
        ),
        "sources": [
            {
                "title": s.title.get(lang),
                "author": s.author,
                "venue": s.venue,
                "date": s.date,
                "language": s.language,
            }
            for s in scn.sources
        ],
        "issue_rows": _issue_rows(fc, lang),
        "model_headers": [
            t("ensemble", lang) if m == ENSEMBLE else get_model(m).title(lang) for m in cols
        ],
        "models_used": [f"{get_model(m).title(lang)} ({m})" for m in fc.results],
        "charts": chart_items,
        "evidence": _key_evidence(fc, lang),
        "assumptions": _assumptions(fc, lang),
        "plotly_js": interactive.PLOTLY_JS,
        "outcome_summary": None,
        "outcomes_html": None,
        "distributions_html": None,
        "sensitivity_html": None,
        "backtest_html": None,
    }
    html_path = out_dir / f"report-{lang}.html"
    html_path.write_text(template.render(**ctx, for_pdf=False), encoding="utf-8")
    pdf_path = None
    if pdf:
        from weasyprint import HTML  # imported lazily: slow to import, only needed for PDF

        pdf_path = out_dir / f"report-{lang}.pdf"
        HTML(string=template.render(**ctx, for_pdf=True), base_url=str(out_dir)).write_pdf(pdf_path)
    return ReportFiles(html_path, pdf_path, [c["path"] for c in chart_items])


def spread(values: np.ndarray) -> float:
    return float(np.max(values) - np.min(values))
