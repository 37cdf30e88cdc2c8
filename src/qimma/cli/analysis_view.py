"""Tables and files for the analysis commands (Monte Carlo forecast, what-if, sensitivity)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from qimma.analysis import icd203
from qimma.analysis.judgements import driver_text
from qimma.analysis.montecarlo import POOLED, MonteCarloResult
from qimma.analysis.sensitivity import SensitivityResult
from qimma.analysis.signpost_events import EventEffect
from qimma.analysis.signposts import PivotalActor, Signpost
from qimma.analysis.whatif import WhatIfResult
from qimma.cli.common import err_console
from qimma.errors import InputError
from qimma.scenario.model import Scenario

SPARK = "▁▂▃▄▅▆▇█"

H = {
    "en": {
        "issue": "Issue",
        "mean": "Mean",
        "median": "Median",
        "i50": "50% int.",
        "i80": "80% int.",
        "hist": "Distribution",
        "track": "Track",
        "outcome": "Named outcome",
        "p": "Probability (90% interval)",
        "conf": "Confidence",
        "seeds": "The seeds' own estimate",
        "vs": "qimma vs seeds",
        "shift": "Shift (90% range)",
        "base": "Baseline",
        "lever": "With lever",
        "delta": "Change (90% interval)",
        "mover": "Decisive move",
        "output": "Output",
        "top": "Most influential inputs",
        "actor": "Actor removed",
        "signpost": "Signposts: indicators to watch",
        "pivotal": "Pivotal actors: outcome shift when the actor leaves the table",
        "outcomes_title": "Named outcomes",
        "issues_title": "Issue outcomes over {n} draws × {m} models (seed {s}, {d})",
        "by_model": "Mean outcome by model",
        "name": "Issue",
    },
    "ar": {
        "issue": "القضية",
        "mean": "المتوسط",
        "median": "الوسيط",
        "i50": "مجال 50%",
        "i80": "مجال 80%",
        "hist": "التوزيع",
        "track": "المسار",
        "outcome": "المآل",
        "p": "الاحتمال (مجال 90%)",
        "conf": "درجة الثقة",
        "seeds": "تقدير النصين الأصليين",
        "vs": "قمة مقابل النصين",
        "shift": "التحوّل (مجال 90%)",
        "base": "خط الأساس",
        "lever": "مع الرافعة",
        "delta": "التغيّر (مجال 90%)",
        "mover": "الحركة الحاسمة",
        "output": "المُخرَج",
        "top": "أكثر المدخلات تأثيرًا",
        "actor": "الفاعل المُزال",
        "signpost": "مؤشرات للمراقبة",
        "pivotal": "الفاعلون المحوريون: تحوّل المآل عند غياب الفاعل",
        "outcomes_title": "المآلات المسمّاة",
        "issues_title": "نتائج القضايا عبر {n} سحبة × {m} نماذج (البذرة {s}، {d})",
        "by_model": "متوسط النتيجة حسب النموذج",
        "name": "القضية",
    },
}

VS = {
    "en": {"agrees": "agrees", "higher": "qimma higher", "lower": "qimma lower"},
    "ar": {"agrees": "متفق", "higher": "قمة أعلى", "lower": "قمة أدنى"},
}


ASSUMED = {"en": "assumed:", "ar": "مفترض:"}
BASIS_MARK = {"en": {"assumption": " (assumption)", "inferred": " (inferred)"},
              "ar": {"assumption": " (افتراض)", "inferred": " (مستنتج)"}}  # fmt: skip


def basis_mark(basis: str, lang: str) -> str:
    """A marker after an input that rests on an assumption or an inference ('' if explicit)."""
    return BASIS_MARK[lang].get(basis or "assumption", "")


TRACK_AR = {"war": "الحرب", "relations": "العلاقات", "main": "المسار الرئيسي"}


def track_name(track: str, lang: str) -> str:
    return TRACK_AR.get(track, track) if lang == "ar" else track


def sparkline(counts: list[int]) -> str:
    top = max(counts) or 1
    return "".join(
        SPARK[min(len(SPARK) - 1, int(c / top * (len(SPARK) - 1) + 0.5))] for c in counts
    )


def pct(p: float) -> str:
    if p <= 0 or p >= 0.01:
        return f"{100 * p:.0f}%"
    return "<0.1%" if p < 0.001 else f"{100 * p:.1f}%"


def issues_tables(res: MonteCarloResult, lang: str) -> list[Table]:
    """Pooled statistics by issue id (fits 80 columns), then each model's mean with the issue's
    name."""
    h = H[lang]
    t = Table(
        title=h["issues_title"].format(
            n=f"{res.draws:,}", m=len(res.models), s=res.seed, d=res.dist.value
        )
    )
    t.add_column(h["issue"], no_wrap=True)
    for col in ("mean", "median", "i50", "i80"):
        t.add_column(h[col], justify="right", no_wrap=True)
    t.add_column(h["hist"], no_wrap=True)
    stats = res.issue_stats()
    rows = {(s.issue, s.model): s for s in stats}
    for issue in res.scenario.issues:
        p = rows[(issue.id, POOLED)]
        t.add_row(
            issue.id,
            f"{p.mean:.1f}",
            f"{p.median:.1f}",
            f"{p.q25:.0f}–{p.q75:.0f}",
            f"{p.q10:.0f}–{p.q90:.0f}",
            sparkline(p.hist_counts),
        )
    t2 = Table(title=h["by_model"])
    t2.add_column(h["issue"], no_wrap=True)
    for m in res.models:
        t2.add_column(m, justify="right", no_wrap=True, min_width=len(m))
    t2.add_column(h["name"])
    for issue in res.scenario.issues:
        t2.add_row(
            issue.id,
            *[f"{rows[(issue.id, m)].mean:.1f}" for m in res.models],
            issue.name.get(lang),
        )
    return [t, t2]


def outcomes_tables(res: MonteCarloResult, lang: str) -> list[Table]:
    """One table per track: probability, ICD-203 wording in both languages, confidence, and
    the seeds' own estimative statement quoted beside it."""
    h = H[lang]
    probs = res.outcome_probabilities()
    tables = []
    for track in dict.fromkeys(p.outcome.track for p in probs):
        t = Table(title=f"{h['outcomes_title']}: {track_name(track, lang)}", show_lines=True)
        t.add_column(h["outcome"], overflow="fold", ratio=3)
        t.add_column(h["p"], overflow="fold", ratio=2)
        t.add_column("ICD-203", overflow="fold", ratio=2)
        t.add_column(h["conf"], overflow="fold", ratio=1)
        t.add_column(h["seeds"], overflow="fold", ratio=4)
        for op in probs:
            if op.outcome.track != track:
                continue
            te = op.outcome.textual_estimate
            agree = op.seed_agreement()
            seeds = "—"
            if te:
                seeds = f"“{te.wording}”" + (f" ({VS[lang][agree]})" if agree else "")
                if agree in ("higher", "lower") and op.drivers:
                    seeds += "\n" + "; ".join(driver_text(d, lang) for d in op.drivers)
            t.add_row(
                op.outcome.name.get(lang),
                f"{pct(op.probability)} ({pct(op.low)}–{pct(op.high)})",
                f"{op.wording('en')}\n{op.wording('ar')}",
                f"{op.confidence.label(lang)}\n{ASSUMED[lang]} "
                f"{pct(op.confidence.shares['assumption'])}",
                seeds,
            )
        tables.append(t)
    return tables


def deal_tables(res: MonteCarloResult, lang: str) -> list[Table]:
    """How outcomes were read (deal test or terms only, model error), the deal probability per
    track with each veto player's rejections, and the seeds' judgements beside qimma's numbers."""
    ds = res.deal_summary()
    title = f"{ds['basis_text'][lang]} {ds['model_error']['text'][lang]}"
    t = Table(title=title, show_lines=True)
    for col in J_COLS[lang][:3]:
        t.add_column(col, overflow="fold")
    for tr in ds["tracks"]:
        t.add_row(
            tr["name"]["ar" if lang == "ar" else "en"] or tr["track"],
            pct(tr["deal_probability"]),
            ", ".join(f"{a} {pct(v)}" for a, v in tr["rejects"].items()),
        )
    tj = Table(title=J_COLS[lang][3], show_lines=True)
    for col in J_COLS[lang][4:]:
        tj.add_column(col, overflow="fold")
    for jr in res.judgements():
        j = jr.judgement
        band = "—" if j.low_pct is None else f"{j.low_pct:g}–{j.high_pct:g}%"
        if jr.probability is None:
            ours = j.note or "—"
        else:
            ours = f"{pct(jr.probability)} ({icd203.wording(jr.probability, lang)})"
        agree = jr.agreement()
        tj.add_row(
            f"{j.id}: {j.statement.get(lang)}",
            f"{j.wording} {band}",
            ours,
            VS[lang][agree] if agree else "—",
        )
    return [t, tj] if ds["tracks"] else [t, tj][1:] if res.scenario.judgements else [t]


J_COLS = {
    "en": ["Track", "Deal (all veto players accept)", "Veto player rejects",
           "The seeds' judgements", "Judgement", "The seeds' words (ICD-203 band)", "qimma",
           "qimma vs seeds"],
    "ar": ["المسار", "الاتفاق (يقبل كل لاعبي الفيتو)", "رفض لاعب الفيتو", "أحكام النصين الأصليين",
           "الحكم", "كلمات النصين (نطاق ICD-203)", "قمة", "قمة مقابل النصين"],
}  # fmt: skip


def whatif_tables(res: WhatIfResult, lang: str) -> list[Table]:
    h = H[lang]
    sc = res.scenario
    t1 = Table(title=" + ".join(res.levers))
    for col in ("issue", "base", "lever", "shift"):
        t1.add_column(h[col], justify="left" if col == "issue" else "right")
    for m in res.baseline.models:
        t1.add_column(m, justify="right")
    for s in res.issue_shifts:
        t1.add_row(
            sc.issue(s.issue).name.get(lang),
            f"{s.baseline:.1f}",
            f"{s.lever:.1f}",
            f"{s.shift:+.1f} ({s.range_90[0]:+.1f} … {s.range_90[1]:+.1f})",
            *[f"{s.by_model[m]:+.1f}" for m in res.baseline.models],
        )
    t2 = Table(title=H[lang]["outcomes_title"], show_lines=True)
    for col in ("outcome", "base", "lever", "delta"):
        t2.add_column(h[col], overflow="fold")
    t2.add_column("ICD-203", overflow="fold")
    t2.add_column(h["mover"], overflow="fold")
    names = {oc.id: oc for oc in sc.outcomes}
    for c in res.outcome_changes:
        oc = names[c.outcome]
        mover = res.decisive_mover(c.outcome)
        share = res.attribution[mover]["outcomes"][c.outcome] if mover else 0.0
        t2.add_row(
            f"{oc.name.get(lang)} ({track_name(oc.track, lang)})",
            pct(c.baseline),
            pct(c.lever),
            f"{100 * c.delta:+.0f} pts "
            f"({100 * c.interval_90[0]:+.0f} … {100 * c.interval_90[1]:+.0f})",
            f"{icd203.wording(c.baseline, 'en')} → {icd203.wording(c.lever, 'en')}\n"
            f"{icd203.wording(c.baseline, 'ar')} ← {icd203.wording(c.lever, 'ar')}",
            "—"
            if mover is None or abs(c.delta) < 0.005
            else f"{_mover_name(sc, mover, lang)} ({100 * share:+.0f} pts)",
        )
    return [t1, t2]


def _mover_name(sc: Scenario, mover: str, lang: str) -> str:
    if mover == "status_quo":
        return "the status quo" if lang == "en" else "الوضع الراهن"
    if mover == "*":
        return "all actors" if lang == "en" else "جميع الفاعلين"
    return sc.actor(mover).name.get(lang)


def sensitivity_table(res: SensitivityResult, sc: Scenario, lang: str, top: int) -> Table:
    h = H[lang]
    idx = res.main_index()
    t = Table(title=f"{res.method} ({idx}), N={res.n}, {res.evaluations:,} evaluations")
    t.add_column(h["output"], overflow="fold")
    t.add_column(h["top"], overflow="fold")
    for out_id in res.indices:
        kind, oid = out_id.split(":", 1)
        name = (
            sc.issue(oid).name.get(lang)
            if kind == "issue"
            else next(o.name.get(lang) for o in sc.outcomes if o.id == oid)
        )
        if out_id in res.constant:
            t.add_row(name, "(constant)" if lang == "en" else "(ثابت)")
            continue
        parts = [
            f"{x.id} {v:.2f}{basis_mark(x.basis, lang)}"
            for x, v in res.ranking(out_id, top)
            if v > 0.005
        ]
        t.add_row(name, ", ".join(parts) or "—")
    return t


def signpost_table(posts: list[Signpost], sc: Scenario, lang: str) -> Table:
    t = Table(title=H[lang]["signpost"], show_lines=True)
    t.add_column("English", overflow="fold")
    t.add_column("العربية", overflow="fold")
    t.add_column("P", justify="right")
    for s in posts:
        t.add_row(s.text(sc, "en"), s.text(sc, "ar"), pct(s.plausibility))
    return t


def event_table(effects: list[EventEffect], sc: Scenario, lang: str) -> Table:
    """Observable events to watch, what each would move, and the inputs it acts on."""
    title = "Events to watch" if lang == "en" else "أحداث للمراقبة"
    t = Table(title=title, show_lines=True)
    t.add_column("Event" if lang == "en" else "الحدث", overflow="fold", ratio=3)
    head = "Inputs (basis)" if lang == "en" else "المدخلات (الأساس)"
    t.add_column(head, overflow="fold", ratio=2)
    for e in effects:
        inputs = ", ".join(
            f"{x['actor'] or STATUS_QUO_WORD[lang]}:{x['issue']}{basis_mark(x['basis'], lang)}"
            if x["basis"] != ""
            else f"{STATUS_QUO_WORD[lang]}:{x['issue']}"
            for x in e.inputs
        )
        t.add_row(e.text(sc, lang), inputs)
    return t


STATUS_QUO_WORD = {"en": "status quo", "ar": "الوضع الراهن"}


def pivotal_table(piv: list[PivotalActor], sc: Scenario, lang: str) -> Table:
    t = Table(title=H[lang]["pivotal"])
    t.add_column(H[lang]["actor"])
    for iss in sc.issues:
        t.add_column(iss.id, justify="right")
    for p in piv:
        t.add_row(sc.actor(p.actor).name.get(lang), *[f"{p.shift[i.id]:+.1f}" for i in sc.issues])
    return t


def out_folder(out: Path) -> Path:
    if out.exists() and not out.is_dir():
        raise InputError.single(
            "--out must be a folder, and this is a file",
            "يجب أن يكون --out مجلدًا، وهذا ملف",
            file=str(out),
            fix_en="give the name of a folder",
            fix_ar="حدد اسم مجلد",
        )
    out.mkdir(parents=True, exist_ok=True)
    return out


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def write_montecarlo(res: MonteCarloResult, out: Path) -> dict[str, Any]:
    folder = out_folder(out)
    data = res.to_json()
    write_json(folder / "montecarlo.json", data)
    with (folder / "montecarlo_issues.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["issue", "model", "mean", "median", "q10", "q25", "q75", "q90"])
        for s in res.issue_stats():
            w.writerow(
                [
                    s.issue,
                    s.model,
                    *(f"{v:.6g}" for v in (s.mean, s.median, s.q10, s.q25, s.q75, s.q90)),
                ]
            )
    with (folder / "montecarlo_outcomes.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(
            [
                "outcome",
                "track",
                "probability",
                "low_90",
                "high_90",
                "icd203_en",
                "icd203_ar",
                "confidence",
                "seeds_estimate",
            ]
        )
        for o in data["outcomes"]:
            te = o["seeds_estimate"]
            w.writerow(
                [
                    o["id"],
                    o["track"],
                    f"{o['probability']:.6g}",
                    f"{o['interval_90'][0]:.6g}",
                    f"{o['interval_90'][1]:.6g}",
                    o["icd203"]["en"],
                    o["icd203"]["ar"],
                    o["confidence"]["level"],
                    te["wording"] if te else "",
                ]
            )
    return data


@contextmanager
def progress_bar(total: int, label: str, enabled: bool) -> Iterator[Any]:
    """A rich progress bar on stderr counting finished chunks; a no-op callback when off."""
    if not enabled:
        yield None
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as prog:
        task = prog.add_task(label, total=total)

        def advance(n: int) -> None:
            prog.advance(task, n)

        yield advance
