"""Sign-in, the vendored Plotly.js, and the pages whose engines land separately."""

from __future__ import annotations

import threading
from concurrent.futures import Future
from functools import cache
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from qimma.web import security
from qimma.web.pages import render, repo_of
from qimma.web.worker import compute_backtest

_backtest_lock = threading.Lock()


@cache
def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    js: str = get_plotlyjs()
    return js


router = APIRouter()


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> RedirectResponse:
    return RedirectResponse("/static/favicon.svg", status_code=301)


@router.get("/assets/plotly.min.js")
def plotly_js() -> Response:
    return Response(
        _plotly_js(),
        media_type="application/javascript",
        headers={"Cache-Control": "max-age=86400"},
    )


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> HTMLResponse:
    return render(request, "login.html.j2", {})


@router.post("/login")
async def login(request: Request) -> Response:
    form = await request.form()
    user = str(form.get("username") or "")
    password = str(form.get("password") or "")
    throttle: security.LoginThrottle = request.app.state.login_throttle
    keys = (f"user:{user.lower()}", f"addr:{request.client.host if request.client else ''}")
    wait = throttle.retry_after(keys)
    if wait:
        minutes = str(max(1, round(wait / 60)))
        return render(
            request, "login.html.j2", {"locked": minutes}, status_code=429,
            headers={"Retry-After": str(wait)},
        )  # fmt: skip
    stored = repo_of(request).password_hash(user)
    if stored is None or not security.verify_password(stored, password):
        throttle.failed(keys)
        return render(request, "login.html.j2", {"bad": True}, status_code=401)
    throttle.succeeded(keys)
    request.session.clear()
    request.session["user"] = user
    return RedirectResponse("/scenarios", status_code=303)


@router.post("/logout")
def logout(request: Request) -> RedirectResponse:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/backtest", response_class=HTMLResponse)
def backtest(request: Request) -> HTMLResponse:
    return render(request, "backtest.html.j2", {"bt": _backtest_state(request)})


@router.get("/backtest/status", response_class=HTMLResponse)
def backtest_status(request: Request) -> HTMLResponse:
    return render(request, "_backtest.html.j2", {"bt": _backtest_state(request)})


_backtest: dict[str, Any] = {}  # the process's backtest: the data and models never change


def _backtest_state(request: Request) -> dict[str, Any]:
    """The DEU III backtest: computed once per server process in the worker pool, on demand."""
    with _backtest_lock:
        state: dict[str, Any] | None = _backtest.get("state")
        if state is None or (state["status"] == "failed" and request.url.path == "/backtest"):
            state = {"status": "running", "result": None, "error": None}
            _backtest["state"] = state
            fut = request.app.state.worker.submit_task(compute_backtest)

            def _done(f: Future[Any], state: dict[str, Any] = state) -> None:
                try:
                    state["result"] = f.result()
                    state["status"] = "done"
                except Exception as e:
                    state["error"] = f"{type(e).__name__}: {e}"
                    state["status"] = "failed"

            fut.add_done_callback(_done)
        return state
