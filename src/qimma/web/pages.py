"""What every route needs to answer a request: its language, the store, and rendering a page.

Routers and middleware import this module; it imports none of them (no cycle inside web/)."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from qimma import i18n
from qimma.analysis import icd203
from qimma.scenario.bidi import strip_bidi_controls
from qimma.scenario.editions import change_words
from qimma.scenario.formats import load_default_scenario
from qimma.scenario.model import Scenario
from qimma.web import security
from qimma.web.i18n import words
from qimma.web.repo import Repo, StoredScenario

LANGS = ("en", "ar")
LANG_COOKIE = "qimma_lang"


def request_lang(request: Request) -> str:
    lang = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE) or "en"
    return lang if lang in LANGS else "en"


@cache
def default_scenario() -> Scenario:
    """Parsed once per process (the YAML takes seconds); never mutated, only copied."""
    return load_default_scenario()


def _finalize(value: Any) -> Any:
    """Every `{{ … }}` of every template: bidi overrides and isolates cannot reorder a page."""
    if isinstance(value, Markup):
        return Markup(strip_bidi_controls(str(value)))
    if isinstance(value, str):
        return strip_bidi_controls(value)
    return value


def _nonced(html: str, nonce: str) -> Markup:
    """Trusted markup with inline scripts (Plotly's charts), allowed by this page's CSP nonce."""
    return Markup(re.sub(r"<script\b", f'<script nonce="{nonce}"', str(html)))


def templates() -> Jinja2Templates:
    path = resources.files("qimma.web").joinpath("templates")
    tpl = Jinja2Templates(directory=str(path))
    tpl.env.autoescape = True
    tpl.env.auto_reload = False  # templates are package data: no stat() per include
    tpl.env.finalize = _finalize
    tpl.env.filters["nonced"] = _nonced
    tpl.env.globals["words_of"] = i18n.words  # another section of the word table
    tpl.env.filters["english_only"] = i18n.english_only  # a scenario text held in English only
    tpl.env.filters["pct"] = icd203.percent_text  # one decimal at an ICD-203 band's edge
    tpl.env.globals["arrow"] = i18n.arrow  # "from → to" in the reading direction
    tpl.env.globals["change_words"] = change_words
    return tpl


def came_from(request: Request) -> str:
    """The page of this site the request came from (its Referer, path and query), else home."""
    ref = urlsplit(request.headers.get("referer", ""))
    if ref.netloc and ref.netloc != request.headers.get("host"):
        return "/scenarios"
    return (ref.path or "/scenarios") + (f"?{ref.query}" if ref.query else "")


def switch_href(request: Request, lang: str) -> str:
    """This page in the other language, keeping its query (a search stays a search).

    A page answering a form (a POST, e.g. its errors) cannot be reopened by a link: the switch
    then leads to the page that sent the form."""
    if request.method == "GET":
        path, query = request.url.path, request.query_params.multi_items()
    else:
        split = urlsplit(came_from(request))
        path, query = split.path, parse_qsl(split.query)
    pairs = [(k, v) for k, v in query if k != "lang"]
    pairs.append(("lang", "en" if lang == "ar" else "ar"))
    return path + "?" + urlencode(pairs)


def render(
    request: Request,
    name: str,
    ctx: dict[str, Any] | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """Render a template with the language, its direction, words and the CSRF token."""
    lang = request_lang(request)
    base = {
        "lang": lang,
        "dir": "rtl" if lang == "ar" else "ltr",
        "w": words(lang),
        "csrf": security.csrf_token(request) if "session" in request.scope else "",
        "user": request.scope.get("session", {}).get("user"),
        "path": request.url.path,
        "switch_href": switch_href(request, lang),
        "back_href": came_from(request),
        "nonce": getattr(request.state, "csp_nonce", ""),
    }
    base.update(ctx or {})
    tpl: Jinja2Templates = request.app.state.tpl
    return tpl.TemplateResponse(request, name, base, status_code=status_code, headers=headers)


def repo_of(request: Request) -> Repo:
    r: Repo = request.app.state.repo
    return r


def stored_scenario(request: Request, pk: int) -> StoredScenario:
    """The scenario `pk` of the store, or a 404 in the user's language."""
    st = repo_of(request).get_scenario(pk)
    if st is None:
        raise HTTPException(404, words(request_lang(request))["scenario_not_found"])
    return st
