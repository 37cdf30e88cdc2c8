"""Tables and files for the analysis commands (Monte Carlo forecast, what-if, sensitivity)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from rich.table import Table

from qimma import i18n
from qimma.analysis import icd203
from qimma.analysis.deal import PointDeal
from qimma.analysis.judgements import JudgementResult, driver_text
from qimma.analysis.montecarlo import POOLED
from qimma.analysis.outcomes import quoted_words, seeds_words
from qimma.analysis.sensitivity import SensitivityResult
from qimma.analysis.signpost_events import EventEffect
from qimma.analysis.signposts import PivotalActor, Signpost
from qimma.analysis.whatif import WhatIfResult
from qimma.app import RunResult
from qimma.errors import InputError
from qimma.scenario.model import Scenario

SPARK = "▁▂▃▄▅▆▇█"


def basis_mark(basis: str, lang: str) -> str:
    """A marker after an input that rests on an assumption or an inference ('' if explicit)."""
    basis = basis or "assumption"
    return f" ({i18n.t(f'common.{basis}', lang)})" if basis in ("assumption", "inferred") else ""


def words(lang: str) -> dict[str, str]:
    """The CLI's words (the `cli` section of the shared word table)."""
    return i18n.words("cli", lang)


def track_name(track: str, lang: str) -> str:
    return i18n.table(lang)["track"].get(track, track)


def sparkline(counts: list[int]) -> str:
    top = max(counts) or 1
    return "".join(
        SPARK[min(len(SPARK) - 1, int(c / top * (len(SPARK) - 1) + 0.5))] for c in counts
    )


def pct(p: float) -> str:
    if p <= 0 or p >= 0.01:
        return f"{icd203.percent_text(p)}%"
    return "<0.1%" if p < 0.001 else f"{100 * p:.1f}%"


def issues_tables(res: RunResult, lang: str) -> list[Table]:
    """Pooled statistics by issue id (fits 80 columns), then each model's mean with the issue's
    name."""
    h = words(lang)
    t = Table(
        title=h["issues_title"].format(
            n=f"{res.draws:,}",
            m=len(res.models),
            s=res.seed,
            d=i18n.t(f"dist.{res.request.distribution.value}", lang),
        )
    )
    t.add_column(h["issue"], no_wrap=True)
    for col in ("mean", "median", "i50", "i80"):
        t.add_column(h[col], justify="right", no_wrap=True)
    t.add_column(h["hist"], no_wrap=True)
    stats = res.issue_stats or []
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


def outcomes_tables(res: RunResult, lang: str) -> list[Table]:
    """One table per track: probability, ICD-203 wording in both languages, confidence, and
    the seeds' own estimative statement quoted beside it."""
    h = words(lang)
    probs = res.probabilities or []
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
                seeds = seeds_words(te, lang) + (
                    f" ({i18n.t(f'common.vs_{agree}', lang)})" if agree else ""
                )
                if agree in ("higher", "lower") and op.drivers:
                    seeds += "\n" + i18n.t("report.semicolon", lang).join(
                        driver_text(d, lang, actor_names(res.scenario, lang)) for d in op.drivers
                    )
            t.add_row(
                op.outcome.name.get(lang),
                f"{pct(op.probability)} ({pct(op.low)}–{pct(op.high)})",
                op.wording(lang),
                f"{op.confidence.label(lang)}\n{h['assumed_mark']} "
                f"{pct(op.confidence.shares['assumption'])}",
                seeds,
            )
        tables.append(t)
    return tables


def _deal_frame(ds: dict[str, Any], lang: str) -> Table:
    """The deal table's title (how outcomes were read: deal test or terms only, model error) and
    columns."""
    h = words(lang)
    t = Table(title=f"{ds['basis_text'][lang]} {ds['model_error']['text'][lang]}", show_lines=True)
    for col in ("track", "deal", "veto_rejects"):
        t.add_column(h[col], overflow="fold")
    return t


def deal_table(ds: dict[str, Any] | None, sc: Scenario, lang: str) -> Table | None:
    """The deal probability per track with each veto player's rejections (Monte Carlo), under
    the frame's title; None without tracks."""
    if ds is None or not ds["tracks"]:
        return None
    t = _deal_frame(ds, lang)
    names = actor_names(sc, lang)
    comma = "، " if lang == "ar" else ", "
    for tr in ds["tracks"]:
        t.add_row(
            tr["name"]["ar" if lang == "ar" else "en"] or tr["track"],
            pct(tr["deal_probability"]),
            comma.join(f"{names.get(a, a)} {pct(v)}" for a, v in tr["rejects"].items()),
        )
    return t


def actor_names(sc: Scenario, lang: str) -> dict[str, str]:
    """Each actor's short name in the language (English when it has none), by id: the part
    before " / " ("Russia" of "Russia / Kremlin (Putin)"), so that narrow table cells stay whole."""
    return {a.id: (a.name.get(lang) or a.id).split(" / ")[0] for a in sc.actors}


def point_deal_table(
    deals: list[PointDeal], lang: str, with_hint: bool = True
) -> list[Table | str]:
    """Whether a deal happens at the point values, before any terms: per track the verdict on the
    ensemble's terms, each veto player's margin (naming the inputs it rests on), and which models'
    terms pass; then the legend. Empty when the scenario declares no tracks."""
    if not deals:
        return []
    h = words(lang)
    t = Table(title=h["deal_point_title"], show_lines=True, expand=True)
    for col, ratio in (("track", 2), ("deal_point", 2), ("veto_check", 6), ("models_pass", 2)):
        t.add_column(h[col], overflow="fold", ratio=ratio)
    for d in deals:
        passing = [m for m, ok in d.by_model.items() if ok]
        failing = [m for m, ok in d.by_model.items() if not ok]
        models = i18n.t("common.models_pass_n", lang, k=len(passing), n=len(d.by_model))
        if failing:
            models += " (" + i18n.t("common.models_fail", lang, names=", ".join(failing)) + ")"
        t.add_row(
            d.name.get(lang) or d.name.get("en") or d.track,
            d.verdict(lang),
            "\n".join(v.text(lang) for v in d.vetoes),
            models,
        )
    return [t, h["deal_point_legend"] + (" " + h["deal_point_hint"] if with_hint else "")]


def judgements_table(judgements: list[JudgementResult] | None, lang: str) -> Table:
    """The seeds' judgements beside qimma's numbers."""
    h = words(lang)
    tj = Table(title=h["judgements_title"], show_lines=True)
    for col in ("judgement", "seeds_band", "qimma", "qimma_vs_seeds"):
        tj.add_column(h[col], overflow="fold")
    for jr in judgements or []:
        j = jr.judgement
        band = "—" if j.low_pct is None else f"{j.low_pct:g}–{j.high_pct:g}%"
        if jr.probability is None:  # the note is the scenario's own words, written in English
            said = i18n.english_only(j.note, lang)
            ours = said if lang == "en" or not said else f"{h['no_probability']}\n{said}"
        else:
            ours = f"{pct(jr.probability)} ({icd203.wording(jr.probability, lang)})"
        agree = jr.agreement()
        tj.add_row(
            f"{j.id}: {j.statement.get(lang)}",
            f"{quoted_words(j.wording, lang)} {band}",
            ours,
            i18n.t(f"common.vs_{agree}", lang) if agree else "—",
        )
    return tj


def deal_parts(
    ds: dict[str, Any] | None, judgements: list[JudgementResult] | None, sc: Scenario, lang: str
) -> tuple[Table | None, Table | None]:
    """The deal table (the bare frame, saying how outcomes were read, for a scenario with
    neither tracks nor judgements) and the judgements table (when the scenario has judgements or
    tracks). A view prints the first before the terms and the second after them."""
    if ds is None:
        return None, None
    lead = deal_table(ds, sc, lang)
    tj = judgements_table(judgements, lang) if ds["tracks"] or sc.judgements else None
    if lead is None and tj is None:
        lead = _deal_frame(ds, lang)
    return lead, tj


def deal_tables(
    ds: dict[str, Any] | None, judgements: list[JudgementResult] | None, sc: Scenario, lang: str
) -> list[Table]:
    """`deal_parts` one after the other: what whatif and sensitivity print after their tables."""
    return [t for t in deal_parts(ds, judgements, sc, lang) if t is not None]


def whatif_tables(res: WhatIfResult, lang: str) -> list[Table]:
    h = words(lang)
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
    t2 = Table(title=h["outcomes_title"], show_lines=True)
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
            h["pts_interval"].format(
                d=f"{100 * c.delta:+.0f}",
                lo=f"{100 * c.interval_90[0]:+.0f}",
                hi=f"{100 * c.interval_90[1]:+.0f}",
            ),
            h["arrow"].format(a=icd203.wording(c.baseline, lang), b=icd203.wording(c.lever, lang)),
            "—"
            if mover is None or abs(c.delta) < 0.005
            else h["mover_pts"].format(name=_mover_name(sc, mover, lang), d=f"{100 * share:+.0f}"),
        )
    return [t1, t2]


def _mover_name(sc: Scenario, mover: str, lang: str) -> str:
    if mover == "status_quo":
        return words(lang)["the_status_quo"]
    if mover == "*":
        return words(lang)["all_actors"]
    return sc.actor(mover).name.get(lang)


def sensitivity_table(res: SensitivityResult, sc: Scenario, lang: str, top: int) -> Table:
    h = words(lang)
    idx = res.main_index()
    t = Table(
        title=h["sens_title"].format(
            method=h.get(f"method_{res.method}", res.method),
            idx=h.get(f"idx_{idx}", idx),
            n=res.n,
            evals=f"{res.evaluations:,}",
        )
    )
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
            t.add_row(name, h["constant"])
            continue
        parts = [
            f"{x.id} {v:.2f}{basis_mark(x.basis, lang)}"
            for x, v in res.ranking(out_id, top)
            if v > 0.005
        ]
        t.add_row(name, ", ".join(parts) or "—")
    return t


def drivers_table(res: SensitivityResult, sc: Scenario, lang: str, top: int) -> Table:
    """The top inputs of each named outcome, with the index and the input's basis."""
    h = words(lang)
    idx = res.main_index()
    t = Table(
        title=h["drivers_title"].format(
            n=top, method=h.get(f"method_{res.method}", res.method), idx=h.get(f"idx_{idx}", idx)
        ),
        show_lines=True,
    )
    t.add_column(h["outcomes"], overflow="fold")
    t.add_column("#", justify="right")
    t.add_column(h["driver_input"], overflow="fold")
    t.add_column(h["driver_index"], justify="right")
    t.add_column(h["basis"])
    names = {o.id: o.name.get(lang) for o in sc.outcomes}
    for oid, rows in res.drivers(top).items():
        if not rows:
            t.add_row(names[oid], "", h["constant"], "", "")
        for d in rows:
            t.add_row(
                names[oid] if d.rank == 1 else "",
                str(d.rank),
                d.input.label(sc, lang),
                f"{d.index:.3f} ± {d.conf:.3f}",
                i18n.t(f"common.{d.input.basis or 'assumption'}", lang),
            )
    return t


def signpost_table(posts: list[Signpost], sc: Scenario, lang: str) -> Table:
    h = words(lang)
    t = Table(title=h["signpost"], show_lines=True)
    t.add_column(h["signpost_col"], overflow="fold")
    t.add_column(h["plausibility"], justify="right")
    for s in posts:
        t.add_row(s.text(sc, lang), pct(s.plausibility))
    return t


def event_table(effects: list[EventEffect], sc: Scenario, lang: str) -> Table:
    """Observable events to watch, what each would move, and the inputs it acts on."""
    h = words(lang)
    t = Table(title=h["events"], show_lines=True)
    t.add_column(h["event"], overflow="fold", ratio=3)
    t.add_column(h["event_inputs"], overflow="fold", ratio=2)
    for e in effects:
        inputs = ", ".join(
            f"{x['actor'] or h['sq']}:{x['issue']}{basis_mark(x['basis'], lang)}"
            if x["basis"] != ""
            else f"{h['sq']}:{x['issue']}"
            for x in e.inputs
        )
        t.add_row(e.text(sc, lang), inputs)
    return t


def pivotal_table(piv: list[PivotalActor], sc: Scenario, lang: str) -> Table:
    t = Table(title=words(lang)["pivotal"])
    t.add_column(words(lang)["actor"])
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


def write_montecarlo(res: RunResult, out: Path) -> dict[str, Any]:
    folder = out_folder(out)
    data = res.montecarlo_json()
    assert data is not None
    write_json(folder / "montecarlo.json", data)
    with (folder / "montecarlo_issues.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["issue", "model", "mean", "median", "q10", "q25", "q75", "q90"])
        for s in res.issue_stats or []:
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
