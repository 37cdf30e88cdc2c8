"""Write the bilingual report: self-contained HTML (interactive charts) and PDF (static charts)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from qimma import __version__, i18n
from qimma.errors import InputError
from qimma.forecast import ENSEMBLE, Forecast
from qimma.models import eum_core
from qimma.models.registry import get_model
from qimma.report import charts, interactive, pdf_text
from qimma.report.i18n import t, words
from qimma.report.inputs import ReportInputs, most_capable_actor
from qimma.scenario.model import Scenario


@dataclass
class ReportFiles:
    html: Path
    pdf: Path | None
    charts: list[Path] = field(default_factory=list)


def _fmt(x: float) -> str:
    return f"{x:.1f}"


def _issue_rows(fc: Forecast, lang: str, mc: Any = None) -> list[dict[str, Any]]:
    cols = fc.model_columns()
    main = ENSEMBLE if ENSEMBLE in cols else cols[0]
    pooled = {} if mc is None else {s.issue: s for s in mc.issue_stats(include_models=False)}
    rows = []
    for i, issue in enumerate(fc.scenario.issues):
        st = pooled.get(issue.id)
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
                "interval": None if st is None else f"{st.q10:.0f}–{st.q90:.0f}",
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


def _charts(
    fc: Forecast, lang: str, out_dir: Path, inp: ReportInputs, actor: int | None
) -> dict[str, list[dict[str, Any]]]:
    """Every chart of the report as PNG (for the PDF and as fallback), grouped by section."""
    chart_dir = out_dir / "charts"
    chart_dir.mkdir(parents=True, exist_ok=True)
    scn = fc.scenario
    groups: dict[str, list[dict[str, Any]]] = {
        "main": [],
        "outcomes": [],
        "distributions": [],
        "sensitivity": [],
        "quadrant": [],
        "rounds": [],
    }

    def add(group: str, cid: str, path: Path, caption: str, div: str | None = None) -> None:
        groups[group].append(
            {
                "id": cid,
                "path": path,
                "src": f"charts/{path.name}",
                "caption": caption,
                "interactive": div,
            }
        )

    p = charts.model_spread_chart(fc, lang, chart_dir / f"models-{lang}.png")
    add("main", "models", p, t("model_spread_chart", lang))
    p = charts.salience_heatmap(fc, lang, chart_dir / f"salience-{lang}.png")
    add("main", "salience", p, t("salience_heatmap", lang))
    for i, issue in enumerate(scn.issues):
        p = charts.positions_chart(fc, i, lang, chart_dir / f"positions-{issue.id}-{lang}.png")
        caption = f"{t('positions_chart', lang)} — {issue.name.get(lang)}"
        add("main", f"positions-{issue.id}", p, caption, interactive.positions_div(fc, i, lang))
    for name, res in fc.results.items():
        if res.positions is not None and res.rounds is not None and res.rounds.shape[1] > 1:
            p = charts.position_trajectories_chart(
                scn, res, lang, chart_dir / f"rounds-{name}-{lang}.png"
            )
            add("rounds", f"rounds-{name}", p, f"{t('trajectories', lang)} — {name}")
    if inp.monte_carlo is not None:
        pooled = [s for s in inp.monte_carlo.issue_stats(include_models=False)]
        p = charts.distributions_chart(scn, pooled, lang, chart_dir / f"distributions-{lang}.png")
        add("distributions", "distributions", p, t("distributions", lang))
    if inp.probabilities:
        p = charts.outcome_probabilities_chart(
            scn, inp.probabilities, lang, chart_dir / f"outcomes-{lang}.png"
        )
        add("outcomes", "outcomes", p, t("outcomes", lang))
    lead = _leader(inp)
    if inp.sensitivity is not None and lead is not None:
        ranked = inp.sensitivity.ranking(f"outcome:{lead.outcome.id}", top=10)
        ranked = [(x, v) for x, v in ranked if v > 0]
        if ranked:
            title = t("tornado", lang).format(outcome=lead.outcome.name.get(lang))
            p = charts.tornado_chart(
                [_input_label(scn, x, lang) for x, _ in ranked],
                [v for _, v in ranked],
                None,
                title,
                t("tornado_x", lang),
                lang,
                chart_dir / f"tornado-{lang}.png",
            )
            add("sensitivity", "tornado", p, title)
    eum = fc.results.get("eum")
    if actor is not None and eum is not None and "round1_eu" in eum.details:
        p = charts.quadrant_chart(
            scn,
            np.asarray(eum.details["round1_eu"])[0],
            actor,
            lang,
            chart_dir / f"quadrant-{lang}.png",
        )
        add(
            "quadrant", "quadrant", p, f"{t('quadrant', lang)} — {scn.actors[actor].name.get(lang)}"
        )
    return groups


FIELD_WORD = {"position": "position", "salience": "salience", "capability": "capability"}


def _input_label(scn: Scenario, x: Any, lang: str) -> str:
    """'Russia · TERR · position' for an uncertain input of the sensitivity analysis."""
    actor = scn.actor(x.actor).name.get(lang)
    return f"{actor} · {x.issue} · {t(FIELD_WORD.get(x.field, 'position'), lang)}"


def _leader(inp: ReportInputs) -> Any:
    """The most probable named outcome that has conditions (a residual "other" outcome says
    only that none of the named ones happens), or None without a Monte Carlo."""
    named = [p for p in inp.probabilities or [] if p.outcome.conditions]
    return max(named, key=lambda p: p.probability) if named else None


def _pct(x: float) -> str:
    return f"{100 * x:.0f}"


def _outcome_rows(inp: ReportInputs, lang: str) -> list[dict[str, Any]]:
    rows = []
    for p in inp.probabilities or []:
        te = p.outcome.textual_estimate
        agree = p.seed_agreement()
        rows.append(
            {
                "track": p.outcome.track,
                "name": p.outcome.name.get(lang),
                "p": _pct(p.probability),
                "lo": _pct(p.low),
                "hi": _pct(p.high),
                "wording": p.wording(lang),
                "confidence": p.confidence.label(lang),
                "seeds": te.wording if te is not None else None,
                "seed_band": (
                    f"{te.low_pct:g}–{te.high_pct:g}"
                    if te is not None and te.low_pct is not None and te.high_pct is not None
                    else None
                ),
                "agreement": t(f"vs_{agree}", lang) if agree else t("no_band", lang),
                "residual": not p.outcome.conditions,
            }
        )
    return rows


def _bottom_line(inp: ReportInputs, lang: str) -> list[Markup]:
    """One sentence per track: its most probable named outcome, most probable track first."""
    best: dict[str, Any] = {}
    for p in inp.probabilities or []:
        if p.outcome.conditions and (
            p.outcome.track not in best or p.probability > best[p.outcome.track].probability
        ):
            best[p.outcome.track] = p
    out = []
    for p in sorted(best.values(), key=lambda p: -p.probability):
        name = p.outcome.name.get(lang)
        out.append(
            Markup(escape(t("bottom_line_outcome", lang))).format(
                name=name[0].upper() + name[1:] if lang == "en" else name,
                wording=p.wording(lang),
                p=_num(_pct(p.probability)),
                lo=_num(_pct(p.low)),
                hi=_num(_pct(p.high)),
                conf=p.confidence.label(lang),
            )
        )
    return out


def _num(x: str) -> Markup:
    """A number or numeric range kept left to right and on one line inside Arabic text."""
    return Markup('<bdi class="nb" dir="ltr">&#x2066;{}&#x2069;</bdi>').format(x)


def _signposts(fc: Forecast, inp: ReportInputs, lang: str) -> list[str] | None:
    if inp.signposts is None:
        return None
    pct = t("pct", lang)
    return [
        f"{s.text(fc.scenario, lang)} ({t('plausibility', lang)} {_pct(s.plausibility)}{pct})"
        for s in inp.signposts
    ]


def _backtest_tables(inp: ReportInputs, lang: str) -> dict[str, Any] | None:
    bt = inp.backtest
    if bt is None:
        return None
    metrics = ("mae", "rmse", "medae", "within10")
    tables = []
    for subset in ("test", "all"):
        rows = []
        for r in bt["scores"].get(subset, []):
            if r["status"] != "ok":
                continue
            name = t("ensemble", lang) if r["model"] == ENSEMBLE else r["model"]
            cells = []
            for m in metrics:
                e = r["metrics"].get(m) or {}
                v, lo, hi = e.get("value"), e.get("lo"), e.get("hi")
                cells.append("—" if v is None else f"{v:.1f} [{lo:.1f}, {hi:.1f}]")
            rows.append({"name": name, "n": r["n"], "cells": cells, "kind": r["kind"]})
        tables.append({"title": t(f"bt_{subset}", lang), "rows": rows})
    return {
        "intro": t("bt_intro", lang).format(n=bt["issues_scored"], test=bt["test_issues"]),
        "source": bt["source"],
        "headers": [t(m, lang) for m in metrics],
        "tables": tables,
    }


def _quadrant_counts(fc: Forecast, actor: int | None, lang: str) -> list[dict[str, Any]] | None:
    """Per class, how many of the chosen actor's dyads (other actor × issue) fall in it, from
    eum's own round-1 classification (details["round1_class"] and its legend)."""
    eum = fc.results.get("eum")
    if actor is None or eum is None or "round1_class" not in eum.details:
        return None
    cls = np.asarray(eum.details["round1_class"])[0, actor]  # (A, I): dyad (actor, j) on issue
    legend: dict[int, str] = eum.details.get("class_legend", {})
    rows = []
    for code in CLASS_KEYS:
        n = int((cls == code).sum())
        if n:
            rows.append({"code": int(code), "text": legend.get(code, ""), "n": n})
    return rows


STRONG_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
STRONG_LTR = re.compile("[A-Za-z\u00c0-\u024f]")


def text_direction(text: str) -> str:
    """'rtl' or 'ltr' from the first strong letter (HTML's dir="auto", which WeasyPrint lacks)."""
    for ch in text:
        if STRONG_RTL.match(ch):
            return "rtl"
        if STRONG_LTR.match(ch):
            return "ltr"
    return "ltr"


def check_out_dir(out_dir: Path) -> None:
    """Raise a bilingual InputError when out_dir exists and is not a folder."""
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError.single(
            "--out must be a folder, and this is a file",
            "يجب أن يكون --out مجلدًا، وهذا ملف",
            file=str(out_dir),
            fix_en="give the name of a folder (it is created if missing)",
            fix_ar="حدد اسم مجلد (يُنشأ إن لم يكن موجودًا)",
        )


def write_report(
    fc: Forecast,
    out_dir: Path,
    lang: str,
    *,
    pdf: bool = True,
    inputs: ReportInputs | None = None,
    actor: str | None = None,
) -> ReportFiles:
    """Render the report for one language into out_dir (created if needed).

    `inputs` holds the Monte Carlo, sensitivity and backtest results (from
    `qimma.report.inputs.gather`, shared by both languages); without it those sections say they
    are not available. `actor` is the actor id of the perception quadrant (default: the most
    capable actor)."""
    check_out_dir(out_dir)
    inp = inputs if inputs is not None else ReportInputs()
    actor_ix = _actor_index(fc, actor)
    out_dir.mkdir(parents=True, exist_ok=True)
    env = Environment(
        loader=PackageLoader("qimma.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
    )
    env.filters["textdir"] = text_direction
    template = env.get_template("report.html.j2")
    groups = _charts(fc, lang, out_dir, inp, actor_ix)
    interactive.write_plotly_js(out_dir)
    scn = fc.scenario
    cols = fc.model_columns()
    mc = inp.monte_carlo
    ctx: dict[str, Any] = {
        "lang": lang,
        "w": words(lang),
        "title": scn.title.get(lang),
        "scenario": scn,
        "version": __version__,
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
        "issue_rows": _issue_rows(fc, lang, mc),
        "has_interval": mc is not None,
        "model_codes": cols,
        "model_headers": [
            t("ensemble", lang) if m == ENSEMBLE else get_model(m).title(lang) for m in cols
        ],
        "models_used": [{"title": get_model(m).title(lang), "name": m} for m in fc.results],
        "charts": groups["main"],
        "groups": groups,
        "evidence": _key_evidence(fc, lang),
        "assumptions": _assumptions(fc, lang),
        "plotly_js": interactive.PLOTLY_JS,
        "bottom_line": _bottom_line(inp, lang),
        "outcome_rows": _outcome_rows(inp, lang) if inp.probabilities is not None else None,
        "mc_note": None
        if mc is None
        else t("mc_note", lang).format(draws=f"{inp.draws:,}", seed=inp.seed),
        "signposts": _signposts(fc, inp, lang),
        "backtest": _backtest_tables(inp, lang),
        "quadrant_actor": None if actor_ix is None else scn.actors[actor_ix].name.get(lang),
        "quadrant_counts": _quadrant_counts(fc, actor_ix, lang),
        "quadrant_words": {code: _class_word(code, lang) for code in CLASS_KEYS},
    }
    html_path = out_dir / f"report-{lang}.html"
    html_path.write_text(template.render(**ctx, for_pdf=False), encoding="utf-8")
    pdf_path = None
    if pdf:
        from weasyprint import HTML  # imported lazily: slow to import, only needed for PDF

        pdf_text.fix_text_layer()

        pdf_path = out_dir / f"report-{lang}.pdf"
        HTML(string=template.render(**ctx, for_pdf=True), base_url=str(out_dir)).write_pdf(pdf_path)
    paths = [c["path"] for g in groups.values() for c in g]
    return ReportFiles(html_path, pdf_path, paths)


# eum's perception classes (eum_core.CLASS_*) by their key in the word table's `eum_class` section
CLASS_KEYS = {
    eum_core.CLASS_CONFLICT_I_WINS: "conflict_i",
    eum_core.CLASS_CONFLICT_J_WINS: "conflict_j",
    eum_core.CLASS_COMPROMISE_I: "compromise_i",
    eum_core.CLASS_CAPITULATE_J: "capitulate_j",
    eum_core.CLASS_COMPROMISE_J: "compromise_j",
    eum_core.CLASS_CAPITULATE_I: "capitulate_i",
    eum_core.CLASS_STALEMATE: "stalemate",
}


def _class_word(code: int, lang: str) -> str:
    """eum's class (i = the chosen actor, j = the other) in the report's words."""
    return i18n.t(f"eum_class.{CLASS_KEYS[code]}", lang)


def check_actor(scenario: Scenario, actor: str | None) -> None:
    """Raise a bilingual InputError when `actor` is not an actor id of the scenario."""
    if actor is not None:
        _actor_id_index(scenario, actor)


def _actor_index(fc: Forecast, actor: str | None) -> int | None:
    if actor is None:
        return most_capable_actor(fc)
    return _actor_id_index(fc.scenario, actor)


def _actor_id_index(scenario: Scenario, actor: str) -> int:
    ids = [a.id for a in scenario.actors]
    if actor not in ids:
        raise InputError.single(
            f"unknown actor '{actor}'",
            f"فاعل غير معروف '{actor}'",
            path="--actor",
            fix_en="use one of: " + ", ".join(ids),
            fix_ar="استخدم أحد: " + ", ".join(ids),
        )
    return ids.index(actor)


def spread(values: np.ndarray) -> float:
    return float(np.max(values) - np.min(values))
