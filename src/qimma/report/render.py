"""Write the bilingual report: self-contained HTML (interactive charts) and PDF (static charts).

By default the HTML is one file that works mailed alone and offline: Plotly.js is inlined and the
chart images are data URIs. With `single_file=False` the charts are PNG files in `charts/` and
Plotly.js is `plotly.min.js` beside the HTML (for re-using the images).
"""

from __future__ import annotations

import base64
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from qimma import __version__, i18n
from qimma.analysis import icd203
from qimma.analysis.outcomes import quoted_words
from qimma.app.result import RunResult
from qimma.errors import InputError
from qimma.forecast import ENSEMBLE, Forecast
from qimma.models import eum_core
from qimma.models.registry import get_model
from qimma.outdir import prepare_output_folder
from qimma.report import charts, interactive, pdf_text
from qimma.report.i18n import t, words
from qimma.scenario.anchors import read_on_scale
from qimma.scenario.basis import basis_shares
from qimma.scenario.model import Scenario

# Everything a report writes into its folder, in any language or mode: a new report replaces all of
# them (never a mix of old and new).
REPORT_OUTPUTS = (
    *(f"report-{lg}.{ext}" for lg in ("ar", "en") for ext in ("html", "pdf")),
    "charts",
    interactive.PLOTLY_JS,
)


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
    pooled = {} if mc is None else {s.issue: s for s in mc.pooled_stats()}
    shares = basis_shares(fc.scenario)
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
                "on_scale": read_on_scale(issue.scale, x).text(lang),
                "interval": None if st is None else f"{st.q10:.0f}–{st.q90:.0f}",
                "assumed": _pct(shares[issue.id]["assumption"]),
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


def _data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _charts(
    fc: Forecast,
    lang: str,
    chart_dir: Path,
    inp: RunResult,
    actor: int | None,
    inline: bool = False,
) -> dict[str, list[dict[str, Any]]]:
    """Every chart of the report as PNG (for the PDF and as fallback), grouped by section; with
    `inline`, each image's `src` is a data URI (the files may be removed after)."""
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
                "src": _data_uri(path) if inline else f"charts/{path.name}",
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
    if inp.issue_stats is not None:
        pooled = inp.pooled_stats()
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


def _input_label(scn: Scenario, x: Any, lang: str) -> str:
    """'Russia · Territory · position' for an uncertain input of the sensitivity analysis."""
    return str(x.label(scn, lang))


def _drivers(inp: RunResult, lang: str) -> dict[str, Any] | None:
    """The sensitivity section's table: the top five inputs of each named outcome, their index
    and basis (the sensitivity result's own ranking)."""
    sens = inp.sensitivity
    if sens is None or not inp.scenario.outcomes:
        return None
    scn, idx = inp.scenario, sens.main_index()
    names = {o.id: o.name.get(lang) for o in scn.outcomes}
    rows = [
        {
            "outcome": names[d.outcome] if d.rank == 1 else "",
            "rank": d.rank,
            "input": d.input.label(scn, lang),
            "index": f"{d.index:.3f} ± {d.conf:.3f}",
            "basis": t(d.input.basis or "assumption", lang),
            "kind": d.input.basis or "assumption",
        }
        for ds in sens.drivers(5).values()
        for d in ds
    ]
    cli = i18n.words("cli", lang)
    title = t("drivers_title", lang).format(
        n=5, method=cli.get(f"method_{sens.method}", sens.method), idx=cli.get(f"idx_{idx}", idx)
    )
    return {"title": title, "rows": rows}


def _leader(inp: RunResult) -> Any:
    """The most probable named outcome that has conditions (a residual "other" outcome says
    only that none of the named ones happens), or None without a Monte Carlo."""
    named = [p for p in inp.probabilities or [] if p.outcome.conditions]
    return max(named, key=lambda p: p.probability) if named else None


def _pct(x: float) -> str:
    return icd203.percent_text(x)


def _outcome_rows(inp: RunResult, lang: str) -> list[dict[str, Any]]:
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
                "assumed": _pct(p.confidence.shares["assumption"]),
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


def _deal_note(inp: RunResult, lang: str) -> str | None:
    """How the named outcomes were read: the deal test or the terms alone; model error or not."""
    ds = inp.deal
    if ds is None:
        return None
    tracks = t("semicolon", lang).join(
        f"{tr['name'][lang] or tr['name']['en']}: {_pct(tr['deal_probability'])}%"
        for tr in ds["tracks"]
    )
    deal = ("الاتفاق: " if lang == "ar" else "deal: ") + tracks if tracks else ""
    return " ".join(x for x in (ds["basis_text"][lang], ds["model_error"]["text"][lang], deal) if x)


def _deal_rows(inp: RunResult, lang: str) -> list[dict[str, Any]]:
    """Whether a deal happens, per track, before any terms: the Monte Carlo's chance of a deal
    (when the run has one) and the point test with each veto player's margin."""
    chance = {tr["track"]: tr["deal_probability"] for tr in (inp.deal or {}).get("tracks", [])}
    rows = []
    for d in inp.point_deal():
        rows.append(
            {
                "name": d.name.get(lang) or d.name.get("en") or d.track,
                "p": _pct(chance[d.track]) if d.track in chance else None,
                "verdict": d.verdict(lang),
                "vetoes": [v.text(lang) for v in d.vetoes],
            }
        )
    return rows


def _judgement_rows(inp: RunResult, lang: str) -> list[dict[str, Any]]:
    """The seeds' judgements (J1-J15, the equations) beside qimma's number."""
    rows = []
    for jr in inp.judgements or []:
        j, p, agree = jr.judgement, jr.probability, jr.agreement()
        rows.append(
            {
                "id": j.id,
                "statement": j.statement.get(lang),
                "wording": quoted_words(j.wording, lang),
                "band": None if j.low_pct is None else f"{j.low_pct:g}–{j.high_pct:g}",
                "p": None if p is None else _pct(p),
                "note": j.note,
                "agreement": t(agree, lang) if agree else t("no_band", lang),
            }
        )
    return rows


def _bottom_line(inp: RunResult, lang: str) -> list[Markup]:
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


def _signposts(fc: Forecast, inp: RunResult, lang: str) -> list[str] | None:
    if inp.signposts is None:
        return None
    pct = t("pct", lang)
    return [
        f"{s.text(fc.scenario, lang)} ({t('plausibility', lang)} {_pct(s.plausibility)}{pct})"
        for s in inp.signposts
    ]


def _drift(inp: RunResult, lang: str) -> dict[str, Any] | None:
    """The editions section: each outcome's probability in both editions and what moved it."""
    d = inp.drift
    if d is None:
        return None
    sc = d.after.scenario
    rows = []
    for oc in sc.outcomes:
        p0, p1 = d.before.probabilities[oc.id], d.after.probabilities[oc.id]
        movers = [
            Markup("{} {}{}").format(
                e.change.label(sc, lang),
                _num(f"{100 * e.outcomes[oc.id]:+.0f}"),
                f" ({t(e.change.basis, lang)})" if e.change.basis else "",
            )
            for e in d.drivers(oc.id, top=2)
            if abs(e.outcomes[oc.id]) >= 0.005
        ]
        rows.append(
            {
                "name": oc.name.get(lang),
                "p0": _pct(p0),
                "p1": _pct(p1),
                "delta": f"{100 * (p1 - p0):+.0f}",
                "movers": Markup(escape(t("semicolon", lang))).join(movers),
            }
        )
    a, b = d.before.edition.name.get(lang), d.after.edition.name.get(lang)
    intro = t("editions_intro", lang).format(
        a=a, b=b, models=", ".join(d.models), draws=d.draws, seed=d.seed
    )
    return {"a": a, "b": b, "intro": intro, "rows": rows}


def _backtest_tables(inp: RunResult, lang: str) -> dict[str, Any] | None:
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


def write_report(
    result: RunResult,
    out_dir: Path,
    lang: str,
    *,
    pdf: bool = True,
    actor: str | None = None,
    single_file: bool = True,
) -> ReportFiles:
    """Render the report for one language into out_dir (created if needed).

    `result` is one run of the application layer (qimma.app.run), shared by both languages: the
    report only renders it and never runs an analysis; a section the run did not include says
    so. `actor` is the actor id of the perception quadrant (default: the most capable actor).
    `single_file`: see the module's docstring; the caller checked the folder and cleared
    earlier reports (`qimma.outdir`, `REPORT_OUTPUTS`)."""
    inp, fc = result, result.forecast
    actor_ix = _actor_index(fc, actor)
    prepare_output_folder(out_dir, ())
    env = Environment(
        loader=PackageLoader("qimma.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
    )
    env.filters["textdir"] = text_direction
    env.filters["dated"] = i18n.dated  # a source's free-text date in the report's language
    env.filters["english_only"] = i18n.english_only  # a scenario text held in English only
    template = env.get_template("report.html.j2")
    if single_file:
        with tempfile.TemporaryDirectory(prefix="qimma-charts-") as tmp:
            groups = _charts(fc, lang, Path(tmp), inp, actor_ix, inline=True)
    else:
        groups = _charts(fc, lang, out_dir / "charts", inp, actor_ix)
        interactive.write_plotly_js(out_dir)
    scn = fc.scenario
    cols = fc.model_columns()
    mc = inp if inp.issue_stats is not None else None
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
        "plotly_inline": interactive.plotly_js() if single_file else None,
        "bottom_line": _bottom_line(inp, lang),
        "outcome_rows": _outcome_rows(inp, lang) if inp.probabilities is not None else None,
        "judgement_rows": _judgement_rows(inp, lang),
        "deal_note": _deal_note(inp, lang),
        "deal_rows": _deal_rows(inp, lang),
        "mc_note": None
        if mc is None
        else t("mc_note", lang).format(draws=f"{inp.draws:,}", seed=inp.seed),
        "signposts": _signposts(fc, inp, lang),
        "events": None if inp.events is None else [e.text(scn, lang) for e in inp.events],
        "drift": _drift(inp, lang),
        "drivers": _drivers(inp, lang),
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
        page = pdf_text.without_vowel_marks(template.render(**ctx, for_pdf=True))
        HTML(string=page, base_url=str(out_dir)).write_pdf(pdf_path)
    paths = [] if single_file else [c["path"] for g in groups.values() for c in g]
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


def most_capable_actor(fc: Forecast) -> int:
    """Index of the actor with the largest total capability over the issues it takes part in."""
    arr = fc.arrays
    total = np.where(arr.present, arr.capabilities[0], 0.0).sum(axis=1)
    return int(np.argmax(total))


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
