"""The qimma web app: FastAPI + Jinja2 + HTMX, server-rendered, one process.

Pages: scenarios (list, create, import, export, duplicate, delete with undo), the scenario editor
(actors, issues, the stance grid edited in place), runs (background worker, HTMX polling,
results, downloads), what-if, evidence and backtest. Language is chosen per request (`?lang=ar`,
remembered in a cookie); Arabic pages are right to left.
"""

from __future__ import annotations

import hmac
import secrets
from contextlib import asynccontextmanager
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.datastructures import Headers
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from qimma.errors import Lang, QimmaError
from qimma.scenario.formats import load_default_scenario
from qimma.scenario.model import Scenario
from qimma.store.db import open_store
from qimma.web import security
from qimma.web.i18n import words
from qimma.web.repo import Repo
from qimma.web.worker import RunWorker

LANGS = ("en", "ar")
LANG_COOKIE = "qimma_lang"


def request_lang(request: Request) -> str:
    lang = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE) or "en"
    return lang if lang in LANGS else "en"


class LangCookieMiddleware(BaseHTTPMiddleware):
    """Remember `?lang=` in a cookie so every later page keeps the language."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        lang = request.query_params.get("lang")
        if lang in LANGS:
            response.set_cookie(LANG_COOKIE, lang, samesite="lax", max_age=365 * 86400)
        return response


class LoginRequiredMiddleware(BaseHTTPMiddleware):
    OPEN = ("/login", "/static/", "/assets/", "/healthz")

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        if not request.url.path.startswith(self.OPEN) and not request.session.get("user"):
            return RedirectResponse("/login", status_code=303)
        return await call_next(request)


MAX_BODY_BYTES = 6 * 1024 * 1024  # above the 5 MB document limit plus form overhead


def _csrf_refusal(lang: str) -> PlainTextResponse:
    msg = (
        "This form has expired or did not come from qimma. Reload the page and try again."
        if lang == "en"
        else "انتهت صلاحية هذا النموذج أو لم يصدر عن قمة. أعد تحميل الصفحة وحاول مجددًا."
    )
    return PlainTextResponse(msg, status_code=403)


class CSRFMiddleware:
    """Every state-changing request carries the session's token (form field or HTMX header).

    A pure ASGI middleware: it buffers the body (bounded), reads the token from the form, and
    replays the body to the app, which a BaseHTTPMiddleware cannot do reliably."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH", "DELETE"):
            await self.app(scope, receive, send)
            return
        lang = request_lang(Request(scope))
        submitted = Headers(scope=scope).get(security.CSRF_HEADER)
        body = b""
        if not submitted:
            chunks: list[bytes] = []
            size = 0
            while True:
                message = await receive()
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    too_big = PlainTextResponse(
                        "the request is too large" if lang == "en" else "الطلب كبير جدًا",
                        status_code=413,
                    )
                    await too_big(scope, receive, send)
                    return
                chunks.append(chunk)
                if not message.get("more_body", False):
                    break
            body = b"".join(chunks)
            receive = _replay(body)
            form = await Request(scope, _replay(body)).form()
            value = form.get(security.CSRF_FIELD)
            submitted = value if isinstance(value, str) else None
        expected = scope.get("session", {}).get("csrf")
        if not (expected and submitted and hmac.compare_digest(str(expected), submitted)):
            await _csrf_refusal(lang)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive


@cache
def _default_scenario() -> Scenario:
    """Parsed once per process (the YAML takes seconds); never mutated, only copied."""
    return load_default_scenario()


def templates() -> Jinja2Templates:
    path = resources.files("qimma.web").joinpath("templates")
    tpl = Jinja2Templates(directory=str(path))
    tpl.env.autoescape = True
    tpl.env.auto_reload = False  # templates are package data: no stat() per include
    return tpl


def create_app(
    store_url: str | None = None,
    *,
    require_login: bool = False,
    secure_cookies: bool = False,
    secret_key: str | None = None,
    worker_processes: int = 1,
) -> FastAPI:
    """Build the app on a store. `require_login` is forced on when serving beyond loopback."""
    engine = open_store(store_url)
    repo = Repo(engine)
    repo.fail_interrupted_runs()
    repo.purge_expired()
    if repo.count_scenarios() == 0:
        repo.add_scenario(_default_scenario())
    tpl = templates()

    @asynccontextmanager
    async def lifespan(app: FastAPI):  # type: ignore[no-untyped-def]
        app.state.worker = RunWorker(repo, worker_processes)
        yield
        app.state.worker.shutdown()

    app = FastAPI(title="qimma", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.repo = repo
    app.state.tpl = tpl
    app.state.require_login = require_login

    # Order matters: the last added runs first. Session must wrap CSRF and login.
    app.add_middleware(CSRFMiddleware)
    if require_login:
        app.add_middleware(LoginRequiredMiddleware)
    app.add_middleware(LangCookieMiddleware)
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret_key or secrets.token_urlsafe(32),
        https_only=secure_cookies,
        same_site="lax",
        session_cookie="qimma_session",
    )
    static = resources.files("qimma.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    from qimma.web import routes_evidence, routes_misc, routes_runs, routes_scenarios

    routes_scenarios.register(app)
    routes_runs.register(app)
    routes_evidence.register(app)
    routes_misc.register(app)

    @app.exception_handler(QimmaError)
    async def _qimma_error(request: Request, exc: QimmaError) -> Response:
        lang: Lang = "ar" if request_lang(request) == "ar" else "en"
        problems = [p.render(lang) for p in exc.problems]
        return render(request, "error.html.j2", {"problems": problems}, status_code=400)

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException) -> Response:
        lang = request_lang(request)
        detail = exc.detail if isinstance(exc.detail, str) else words(lang)["not_found"]
        return render(request, "error.html.j2", {"problems": [detail]}, status_code=exc.status_code)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app


def render(
    request: Request, name: str, ctx: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    """Render a template with the language, its direction, words and the CSRF token."""
    lang = request_lang(request)
    base = {
        "lang": lang,
        "dir": "rtl" if lang == "ar" else "ltr",
        "w": words(lang),
        "csrf": security.csrf_token(request),
        "user": request.session.get("user"),
        "path": request.url.path,
    }
    base.update(ctx or {})
    tpl: Jinja2Templates = request.app.state.tpl
    return tpl.TemplateResponse(request, name, base, status_code=status_code)


def repo_of(request: Request) -> Repo:
    r: Repo = request.app.state.repo
    return r


def static_dir() -> Path:
    return Path(str(resources.files("qimma.web").joinpath("static")))
