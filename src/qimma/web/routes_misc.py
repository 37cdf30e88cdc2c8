"""Sign-in, the vendored Plotly.js, and the pages whose engines land separately."""

from __future__ import annotations

from functools import cache

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from qimma.web import security
from qimma.web.app import render, repo_of, request_lang
from qimma.web.routes_scenarios import _stored


@cache
def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    js: str = get_plotlyjs()
    return js


def register(app: FastAPI) -> None:
    @app.get("/assets/plotly.min.js")
    def plotly_js() -> Response:
        return Response(
            _plotly_js(),
            media_type="application/javascript",
            headers={"Cache-Control": "max-age=86400"},
        )

    @app.get("/login", response_class=HTMLResponse)
    def login_form(request: Request) -> HTMLResponse:
        return render(request, "login.html.j2", {})

    @app.post("/login")
    async def login(request: Request) -> Response:
        form = await request.form()
        user = str(form.get("username") or "")
        password = str(form.get("password") or "")
        stored = repo_of(request).password_hash(user)
        if stored is None or not security.verify_password(stored, password):
            return render(request, "login.html.j2", {"bad": True}, status_code=401)
        request.session.clear()
        request.session["user"] = user
        return RedirectResponse("/scenarios", status_code=303)

    @app.post("/logout")
    def logout(request: Request) -> RedirectResponse:
        request.session.clear()
        return RedirectResponse("/login", status_code=303)

    @app.get("/scenarios/{pk}/whatif", response_class=HTMLResponse)
    def whatif(request: Request, pk: int) -> HTMLResponse:
        st = _stored(request, pk)
        return render(request, "whatif.html.j2", {"pk": pk, "scn": st.scenario, "result": None})

    @app.get("/evidence", response_class=HTMLResponse)
    def evidence(request: Request, q: str = "") -> HTMLResponse:
        return render(request, "evidence.html.j2", {"q": q, "hits": None})

    @app.get("/backtest", response_class=HTMLResponse)
    def backtest(request: Request) -> HTMLResponse:
        return render(
            request, "backtest.html.j2", {"table": None, "lang_code": request_lang(request)}
        )
