"""Forecast runs: start one, watch its progress (HTMX polling), see and download the results."""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from qimma.app import Analyses, EditionOptions, RunRequest, check, parse_models, run
from qimma.errors import InputError
from qimma.models.registry import model_names, parse_model_list, static_models
from qimma.scenario.editions import ordered_editions
from qimma.scenario.model import Scenario, nothing_to_run
from qimma.web import results
from qimma.web.i18n import words
from qimma.web.pages import render, repo_of, request_lang, stored_scenario
from qimma.web.repo import Run
from qimma.web.worker import run_request

EDITION_DRAWS = 200


def _run(request: Request, pk: int) -> Run:
    run = repo_of(request).get_run(pk)
    if run is None:
        lang = request_lang(request)
        raise HTTPException(404, "run not found" if lang == "en" else "عملية التشغيل غير موجودة")
    return run


def _run_scenario(request: Request, run: Run) -> Scenario | None:
    """The scenario the run started on (older runs: the scenario as it is now)."""
    snapshot = repo_of(request).run_snapshot(run)
    if snapshot is not None:
        return snapshot
    st = repo_of(request).get_scenario(run.scenario_pk, include_deleted=True)
    return st.scenario if st else None


def _run_context(request: Request, run: Run) -> dict[str, object]:
    lang = request_lang(request)
    res = run.result or {}
    return {
        "run": run,
        "scn": _run_scenario(request, run),  # parsed once per run (cached)
        "charts": (res.get("charts") or {}).get(lang, []),
        "png_charts": results.png_chart_ids(res) if run.result else [],
        "percent": round(100 * (run.progress or 0.0)),
    }


def _run_params(form: Any, lang: str, default_draws: int) -> dict[str, Any]:
    """Models, draws and seed from a run form; unknown models and bad numbers are a clear 400."""
    models = [m for m in form.getlist("models") if isinstance(m, str)] or model_names()
    parse_model_list(",".join(models))
    try:
        draws = int(str(form.get("draws") or default_draws))
        seed = int(str(form.get("seed") or 0))
    except ValueError:
        raise InputError.single(
            "draws and seed must be whole numbers",
            "يجب أن يكون عدد السحوبات والبذرة أعدادًا صحيحة",
        ) from None
    params = {"models": models, "draws": draws, "seed": seed, "lang": lang}
    check(run_request(params))  # the application layer's limits; paths are the form's fields
    return params


router = APIRouter()


@router.get("/scenarios/{pk}/editions", response_class=HTMLResponse)
def editions_page(request: Request, pk: int) -> HTMLResponse:
    """Two dated editions side by side: static models and few draws keep it about a second."""
    st = stored_scenario(request, pk)
    scn = st.scenario
    eds = ordered_editions(scn)
    d = None
    if len(eds) >= 2:
        ask = RunRequest(
            models=parse_models(list(map(str, static_models()))),
            draws=0,
            analyses=Analyses(montecarlo=False, editions=EditionOptions(draws=EDITION_DRAWS)),
        )
        d = run(scn, ask).drift
    return render(request, "editions.html.j2", {"pk": pk, "scn": scn, "editions": eds, "drift": d})


def _start(
    request: Request, pk: int, scenario: Scenario, params: dict[str, Any]
) -> RedirectResponse:
    """Queue a run; a scenario with nothing to run is refused before (400, with the fix)."""
    problems = nothing_to_run(scenario)
    if problems:
        raise InputError(problems)
    run_pk = repo_of(request).add_run(pk, params, scenario)
    request.app.state.worker.submit(run_pk, scenario, params)
    return RedirectResponse(f"/runs/{run_pk}", status_code=303)


@router.post("/scenarios/{pk}/runs")
async def start_run(request: Request, pk: int) -> RedirectResponse:
    lang = request_lang(request)
    st = stored_scenario(request, pk)
    params = _run_params(await request.form(), lang, default_draws=1)
    return _start(request, pk, st.scenario, params)


@router.get("/scenarios/{pk}/whatif", response_class=HTMLResponse)
def whatif_page(request: Request, pk: int) -> HTMLResponse:
    st = stored_scenario(request, pk)
    recent = repo_of(request).runs_for(pk, limit=50)
    earlier = [r for r in recent if r["params"].get("kind") == "whatif"]
    return render(
        request,
        "whatif.html.j2",
        {
            "pk": pk,
            "scn": st.scenario,
            "model_names": model_names(),
            "earlier": earlier[:10],
        },
    )


@router.post("/scenarios/{pk}/whatif")
async def start_whatif(request: Request, pk: int) -> RedirectResponse:
    lang = request_lang(request)
    st = stored_scenario(request, pk)
    form = await request.form()
    levers = [v for v in form.getlist("levers") if isinstance(v, str)]
    if not levers:
        raise InputError.single(words("en")["pick_lever"], words("ar")["pick_lever"])
    from qimma.analysis.levers import find_levers

    find_levers(st.scenario, levers)  # unknown ids -> a clear 400
    params = _run_params(form, lang, default_draws=500)
    params.update(kind="whatif", levers=levers)
    return _start(request, pk, st.scenario, params)


@router.post("/runs/{pk}/rerun")
def rerun(request: Request, pk: int) -> RedirectResponse:
    """A failed (e.g. interrupted) run again: same parameters, the scenario it started on."""
    run = _run(request, pk)
    scn = _run_scenario(request, run)
    if run.status != "failed" or scn is None:
        raise HTTPException(409, words(request_lang(request))["rerun_only_failed"])
    return _start(request, run.scenario_pk, scn, dict(run.params))


@router.get("/runs/{pk}", response_class=HTMLResponse)
def run_page(request: Request, pk: int) -> HTMLResponse:
    run = _run(request, pk)
    return render(request, "run.html.j2", _run_context(request, run))


@router.get("/runs/{pk}/status", response_class=HTMLResponse)
def run_status(request: Request, pk: int) -> HTMLResponse:
    run = _run(request, pk)
    return render(request, "_run_status.html.j2", _run_context(request, run))


@router.get("/runs/{pk}/charts/{cid}.png")
def run_chart(request: Request, pk: int, cid: str) -> Response:
    run = _run(request, pk)
    scn = _run_scenario(request, run)
    if run.result is None or scn is None:
        raise HTTPException(409, "the run has no result yet")
    try:
        png = results.png_chart(pk, scn, run.result, cid, request_lang(request))
    except KeyError:
        raise HTTPException(404) from None
    return Response(png, media_type="image/png", headers={"Cache-Control": "max-age=3600"})


@router.get("/runs/{pk}/forecast.json")
def run_json(request: Request, pk: int) -> Response:
    run = _run(request, pk)
    if run.result is None:
        raise HTTPException(409, "the run has no result yet")
    return Response(
        json.dumps(run.result, ensure_ascii=False, indent=2),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="run-{pk}.json"'},
    )


@router.get("/runs/{pk}/report.{fmt}")
def run_report(request: Request, pk: int, fmt: str) -> Response:
    from qimma.report.render import write_report  # heavy; only for downloads

    if fmt not in ("pdf", "zip"):
        raise HTTPException(404)
    run = _run(request, pk)
    scn = _run_scenario(request, run)
    if scn is None or run.result is None or run.status != "done":
        raise HTTPException(409, "the run has no result yet")
    if run.result.get("kind") == "whatif" or not run.result.get("forecasts"):
        raise HTTPException(404)  # a what-if: no forecast report
    lang = request_lang(request)
    result = results.run_result_of(scn, run.result)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        files = write_report(result, out, lang, pdf=fmt == "pdf")
        if fmt == "pdf":
            assert files.pdf is not None
            body = files.pdf.read_bytes()
            return Response(
                body,
                media_type="application/pdf",
                headers={"Content-Disposition": f'attachment; filename="report-{pk}-{lang}.pdf"'},
            )
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for f in out.rglob("*"):
                if f.is_file():
                    z.write(f, f.relative_to(out).as_posix())
        return Response(
            buf.getvalue(),
            media_type="application/zip",
            headers={"Content-Disposition": f'attachment; filename="report-{pk}-{lang}.zip"'},
        )
