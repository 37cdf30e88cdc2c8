"""The qimma web app: FastAPI + Jinja2 + HTMX, server-rendered, one process.

Pages: scenarios (list, create, import, export, duplicate, delete with undo), the scenario editor
(actors, issues, the stance grid edited in place), runs (background worker, HTMX polling,
results, downloads), what-if, evidence and backtest — one router per module. Language is chosen
per request (`?lang=ar`, remembered in a cookie); Arabic pages are right to left.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from qimma.store.db import open_store
from qimma.web import errors, routes_evidence, routes_misc, routes_runs, routes_scenarios
from qimma.web.middleware import CSRFGuard, HostGuard, LangCookie, LoginRequired, SecurityHeaders
from qimma.web.pages import default_scenario, templates
from qimma.web.repo import Repo
from qimma.web.security import LoginThrottle, allowed_hosts
from qimma.web.worker import RunWorker


def create_app(
    store_url: str | None = None,
    *,
    require_login: bool = False,
    secure_cookies: bool = False,
    secret_key: str | None = None,
    worker_processes: int = 1,
    hosts: Iterable[str] | None = None,
    stop_workers: bool = False,
) -> FastAPI:
    """Build the app on a store. `require_login` is forced on when serving beyond loopback.

    `hosts`: the names the app answers to (Host and Origin headers); default: loopback names.
    `stop_workers`: the app owns the worker processes and ends them when it stops (the server)."""
    engine = open_store(store_url)
    repo = Repo(engine)
    repo.fail_interrupted_runs()
    repo.purge_expired()
    if repo.count_scenarios() == 0:
        repo.add_scenario(default_scenario())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.worker = RunWorker(repo, worker_processes, stop_workers=stop_workers)
        yield
        app.state.worker.shutdown()

    app = FastAPI(title="qimma", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.repo = repo
    app.state.tpl = templates()
    app.state.require_login = require_login
    app.state.login_throttle = LoginThrottle()

    # Order matters: the last added runs first. Host check before anything; the session wraps
    # CSRF and sign-in.
    app.add_middleware(CSRFGuard)
    if require_login:
        app.add_middleware(LoginRequired)
    app.add_middleware(LangCookie)
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret_key or secrets.token_urlsafe(32),
        https_only=secure_cookies,
        same_site="lax",
        session_cookie="qimma_session",
    )
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HostGuard, allowed=allowed_hosts() if hosts is None else hosts)
    app.mount("/static", StaticFiles(directory=str(static_dir())), name="static")
    for module in (routes_scenarios, routes_runs, routes_evidence, routes_misc):
        app.include_router(module.router)
    errors.install(app)
    return app


def static_dir() -> Path:
    return Path(str(resources.files("qimma.web").joinpath("static")))
