"""Error pages: HTML in the user's language, for every 4xx and 5xx the app answers.

JSON only for a caller that asks for it (an `Accept` header that prefers application/json and
does not name HTML). An HTMX request gets the same page; HTMX shows no 4xx body by default."""

from __future__ import annotations

import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from qimma.errors import Lang, QimmaError
from qimma.web.i18n import words
from qimma.web.pages import render, request_lang

log = logging.getLogger("qimma.web")

STATUS_WORDS = {404: "not_found", 405: "bad_method", 422: "bad_address", 500: "server_error"}


def wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def error_response(request: Request, problems: list[str], status: int) -> Response:
    if wants_json(request):
        return JSONResponse({"status": status, "problems": problems}, status_code=status)
    return render(request, "error.html.j2", {"problems": problems, "status": status}, status)


async def qimma_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, QimmaError)
    lang: Lang = "ar" if request_lang(request) == "ar" else "en"
    status = int(getattr(exc, "http_status", 400))
    return error_response(request, [p.render(lang) for p in exc.problems], status)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    w = words(request_lang(request))
    # our own messages are in the user's language; Starlette's defaults ("Not Found") are not
    default = HTTPStatus(exc.status_code).phrase
    if exc.detail and exc.detail != default:
        detail = str(exc.detail)
    else:
        detail = w[STATUS_WORDS.get(exc.status_code, "request_refused")]
    response = error_response(request, [detail], exc.status_code)
    for name, value in (exc.headers or {}).items():
        response.headers[name] = value
    return response


async def validation_error(request: Request, exc: Exception) -> Response:
    """A malformed address (/runs/abc): 422, said as such, not FastAPI's JSON (whose field names,
    such as `pk`, mean nothing to a reader)."""
    assert isinstance(exc, RequestValidationError)
    return error_response(request, [words(request_lang(request))["bad_address"]], 422)


async def server_error(request: Request, exc: Exception) -> Response:
    log.exception("error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(request, [words(request_lang(request))["server_error"]], 500)


def install(app: FastAPI) -> None:
    app.add_exception_handler(QimmaError, qimma_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(Exception, server_error)
