"""Scenario pages: list, create, import, export, duplicate, delete/undo, and the editor."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from qimma.errors import InputError, Problem
from qimma.models.registry import model_names
from qimma.scenario.formats import load_scenario
from qimma.scenario.model import Scenario, nothing_to_run
from qimma.scenario.yaml_format import scenario_to_yaml
from qimma.web.forms import field_of, number, validate
from qimma.web.pages import render, repo_of, request_lang, stored_scenario
from qimma.web.uploads import SCENARIO_FILE, read_upload, temporary_copy


def _form_dict(form: Any) -> dict[str, str]:
    return {k: v for k, v in form.items() if isinstance(v, str)}


def _problem_list(probs: list[Problem], lang: str) -> list[str]:
    return [p.render("ar" if lang == "ar" else "en") for p in probs]


def _grid(scn: Scenario) -> dict[tuple[str, str], Any]:
    return {(s.actor, s.issue): s for s in scn.stances}


router = APIRouter()


@router.get("/", include_in_schema=False)
def home() -> RedirectResponse:
    return RedirectResponse("/scenarios", status_code=303)


@router.get("/scenarios", response_class=HTMLResponse)
def list_scenarios(request: Request, deleted: int | None = None) -> HTMLResponse:
    rows = [r for r in repo_of(request).list_scenarios() if r["deleted_at"] is None]
    return render(request, "scenarios.html.j2", {"rows": rows, "deleted": deleted})


@router.post("/scenarios/new")
async def new_scenario(request: Request) -> Response:
    lang = request_lang(request)
    f = _form_dict(await request.form())
    data = {
        "id": f.get("id", "").strip(),
        "title": {"en": f.get("title_en", ""), "ar": f.get("title_ar", "")},
        "actors": [
            {
                "id": f.get("actor_id", "").strip(),
                "name": {"en": f.get("actor_en", ""), "ar": f.get("actor_ar", "")},
            }
        ],
        "issues": [
            {
                "id": f.get("issue_id", "").strip(),
                "name": {"en": f.get("issue_en", ""), "ar": f.get("issue_ar", "")},
                "status_quo": 50,
                "scale": {
                    "anchors": [
                        {"value": 0, "label": {"en": "0", "ar": "0"}},
                        {"value": 100, "label": {"en": "100", "ar": "100"}},
                    ]
                },
            }
        ],
    }
    scn, probs = validate(data, lang)
    if scn is None:
        rows = [r for r in repo_of(request).list_scenarios() if r["deleted_at"] is None]
        return render(
            request,
            "scenarios.html.j2",
            {"rows": rows, "new_errors": _problem_list(probs, lang), "form": f},
            status_code=400,
        )
    pk = repo_of(request).add_scenario(scn)
    return RedirectResponse(f"/scenarios/{pk}", status_code=303)


@router.post("/scenarios/import")
async def import_scenario(request: Request) -> Response:
    upload = await read_upload((await request.form()).get("file"), SCENARIO_FILE)
    with temporary_copy(upload) as path:
        scn = load_scenario(path, runnable=False)  # runs are checked when started
    pk = repo_of(request).add_scenario(scn)
    return RedirectResponse(f"/scenarios/{pk}", status_code=303)


@router.get("/scenarios/{pk}/export")
def export_scenario(request: Request, pk: int) -> Response:
    st = stored_scenario(request, pk)
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", st.scenario.id) or "scenario"
    return Response(
        scenario_to_yaml(st.scenario),
        media_type="application/x-yaml; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{safe}.yaml"'},
    )


@router.post("/scenarios/{pk}/duplicate")
def duplicate(request: Request, pk: int) -> RedirectResponse:
    st = stored_scenario(request, pk)
    copy = st.scenario.model_copy(update={"id": (st.scenario.id + "-copy")[:64]})
    new_pk = repo_of(request).add_scenario(copy)
    return RedirectResponse(f"/scenarios/{new_pk}", status_code=303)


@router.post("/scenarios/{pk}/delete")
def delete(request: Request, pk: int) -> RedirectResponse:
    stored_scenario(request, pk)
    repo_of(request).soft_delete(pk)
    return RedirectResponse(f"/scenarios?deleted={pk}", status_code=303)


@router.post("/scenarios/{pk}/undo")
def undo(request: Request, pk: int) -> RedirectResponse:
    if not repo_of(request).undo_delete(pk):
        lang = request_lang(request)
        raise HTTPException(410, "too late to undo" if lang == "en" else "فات أوان التراجع")
    return RedirectResponse(f"/scenarios/{pk}", status_code=303)


@router.get("/scenarios/{pk}", response_class=HTMLResponse)
def editor(request: Request, pk: int) -> HTMLResponse:
    st = stored_scenario(request, pk)
    runs = repo_of(request).runs_for(pk, limit=10)
    return render(
        request,
        "editor.html.j2",
        {
            "pk": pk,
            "scn": st.scenario,
            "grid": _grid(st.scenario),
            "runs": runs,
            "model_names": model_names(),
            "evidence": st.scenario.evidence_by_id(),
            "cannot_run": _problem_list(nothing_to_run(st.scenario), request_lang(request)),
        },
    )


@router.get("/scenarios/{pk}/stance/{actor}/{issue}", response_class=HTMLResponse)
def stance_form(request: Request, pk: int, actor: str, issue: str) -> HTMLResponse:
    st = stored_scenario(request, pk)
    s = st.scenario.stance(actor, issue)
    values: dict[str, str] = {"basis": "assumption"}
    if s is not None:
        for fld in ("position", "salience", "capability"):
            e = getattr(s, fld)
            values[fld] = f"{e.value:g}"
            values[f"{fld}_low"] = "" if e.low is None else f"{e.low:g}"
            values[f"{fld}_high"] = "" if e.high is None else f"{e.high:g}"
        values["basis"] = s.basis
    return render(
        request,
        "_stance_form.html.j2",
        {"pk": pk, "actor": actor, "issue": issue, "v": values, "errors": {}},
    )


@router.get("/scenarios/{pk}/evidence/{actor}/{issue}", response_class=HTMLResponse)
def stance_quotes(request: Request, pk: int, actor: str, issue: str) -> HTMLResponse:
    """The quoted passages behind one stance (loaded when its entry is opened)."""
    scn = stored_scenario(request, pk).scenario
    s = scn.stance(actor, issue)
    return render(
        request,
        "_quotes.html.j2",
        {
            "eids": s.evidence if s else [],
            "evidence": scn.evidence_by_id(),
            "quote_lang": {src.id: src.language for src in scn.sources},
            "pk": pk,
        },
    )


@router.get("/scenarios/{pk}/cell/{actor}/{issue}", response_class=HTMLResponse)
def stance_cell(request: Request, pk: int, actor: str, issue: str) -> HTMLResponse:
    st = stored_scenario(request, pk)
    return render(
        request,
        "_stance_cell.html.j2",
        {"pk": pk, "actor": actor, "issue": issue, "s": st.scenario.stance(actor, issue)},
    )


@router.post("/scenarios/{pk}/stance/{actor}/{issue}", response_class=HTMLResponse)
async def save_stance(request: Request, pk: int, actor: str, issue: str) -> HTMLResponse:
    lang = request_lang(request)
    st = stored_scenario(request, pk)
    f = _form_dict(await request.form())
    errors: dict[str, str] = {}
    data = st.scenario.model_dump(mode="json", exclude_none=True)
    data["stances"] = [s for s in data["stances"] if (s["actor"], s["issue"]) != (actor, issue)]
    old = st.scenario.stance(actor, issue)
    if f.get("remove") != "1":
        stance: dict[str, Any] = {
            "actor": actor,
            "issue": issue,
            "basis": f.get("basis", "assumption"),
        }
        if old is not None:
            stance["evidence"] = old.evidence
            stance["justification"] = old.justification
        for fld in ("position", "salience", "capability"):
            value = number(f, fld, lang, errors)
            low = number(f, f"{fld}_low", lang, errors)
            high = number(f, f"{fld}_high", lang, errors)
            if value is None and fld not in errors:
                errors[fld] = "required" if lang == "en" else "مطلوب"
            est: dict[str, float] = {"value": value if value is not None else 0.0}
            if low is not None:
                est["low"] = low
            if high is not None:
                est["high"] = high
            stance[fld] = est
        data["stances"].append(stance)
    if not errors:
        scn, probs = validate(data, lang)
        for p in probs:
            # the message in the user's language (never the validator's own text)
            shown = p.message_ar if lang == "ar" else p.message_en
            errors.setdefault(field_of(p.path or ""), shown)
        if scn is not None and not errors:
            repo_of(request).save_scenario(pk, scn)
            return render(
                request,
                "_stance_cell.html.j2",
                {"pk": pk, "actor": actor, "issue": issue, "s": scn.stance(actor, issue)},
            )
    return render(
        request,
        "_stance_form.html.j2",
        {"pk": pk, "actor": actor, "issue": issue, "v": f, "errors": errors},
        status_code=422,
    )


@router.post("/scenarios/{pk}/actors")
async def add_actor(request: Request, pk: int) -> Response:
    lang = request_lang(request)
    st = stored_scenario(request, pk)
    f = _form_dict(await request.form())
    data = st.scenario.model_dump(mode="json", exclude_none=True)
    data["actors"].append(
        {
            "id": f.get("id", "").strip(),
            "name": {"en": f.get("name_en", ""), "ar": f.get("name_ar", "")},
        }
    )
    return _save_or_errors(request, pk, data, lang)


@router.post("/scenarios/{pk}/issues")
async def add_issue(request: Request, pk: int) -> Response:
    lang = request_lang(request)
    st = stored_scenario(request, pk)
    f = _form_dict(await request.form())
    errors: dict[str, str] = {}
    sq = number(f, "status_quo", lang, errors)
    data = st.scenario.model_dump(mode="json", exclude_none=True)
    data["issues"].append(
        {
            "id": f.get("id", "").strip(),
            "name": {"en": f.get("name_en", ""), "ar": f.get("name_ar", "")},
            "status_quo": 50.0 if sq is None else sq,
            "scale": {
                "anchors": [
                    {
                        "value": 0,
                        "label": {
                            "en": f.get("anchor_low", "") or "0",
                            "ar": f.get("anchor_low", "") or "0",
                        },
                    },
                    {
                        "value": 100,
                        "label": {
                            "en": f.get("anchor_high", "") or "100",
                            "ar": f.get("anchor_high", "") or "100",
                        },
                    },
                ]
            },
        }
    )
    if errors:
        raise InputError([Problem(v, v, path=k) for k, v in errors.items()])
    return _save_or_errors(request, pk, data, lang)


def _save_or_errors(request: Request, pk: int, data: dict[str, Any], lang: str) -> Response:
    scn, probs = validate(data, lang)
    if scn is None:
        raise InputError(probs)
    repo_of(request).save_scenario(pk, scn)
    return RedirectResponse(f"/scenarios/{pk}", status_code=303)
