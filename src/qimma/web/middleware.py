"""The app's request guards, as plain ASGI middleware (no per-request task or body copy):

- :class:`HostGuard`: the Host header must be one of the allowed names, and a browser's Origin on
  a state-changing request too (DNS rebinding, cross-site posts);
- :class:`SecurityHeaders`: Content-Security-Policy with a per-request script nonce, framing
  forbidden, no MIME sniffing, referrers kept on the site;
- :class:`LangCookie`: `?lang=` is remembered in a cookie;
- :class:`LoginRequired`: beyond loopback, every page but sign-in needs a signed-in user;
- :class:`CSRFGuard`: every state-changing request carries the session's token.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterable

from starlette.datastructures import Headers, MutableHeaders, QueryParams
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from qimma.web import security
from qimma.web.i18n import words
from qimma.web.pages import LANG_COOKIE, LANGS, request_lang
from qimma.web.uploads import DOCUMENT, SCENARIO_FILE

UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
# any form body: the largest upload plus the form's other fields
MAX_BODY_BYTES = max(SCENARIO_FILE.max_bytes, DOCUMENT.max_bytes) + 1024 * 1024


def _refuse(scope: Scope, key: str, status: int, **fields: str) -> PlainTextResponse:
    """A refusal in the user's language (plain text: no page of the app is involved)."""
    text = words(request_lang(Request(scope)))[key]
    return PlainTextResponse(text.format(**fields) if fields else text, status_code=status)


class HostGuard:
    def __init__(self, app: ASGIApp, allowed: Iterable[str]) -> None:
        self.app = app
        self.allowed = frozenset(allowed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            headers = Headers(scope=scope)
            if security.host_name(headers.get("host", "")) not in self.allowed:
                fix = "qimma serve --allow-host NAME"
                await _refuse(scope, "bad_host", 400, command=fix)(scope, receive, send)
                return
            origin = headers.get("origin")
            if scope.get("method") in UNSAFE_METHODS and origin and not self._same(origin):
                await _refuse(scope, "bad_origin", 403)(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _same(self, origin: str) -> bool:
        _, _, rest = origin.partition("://")
        return bool(rest) and security.host_name(rest) in self.allowed


def content_security_policy(nonce: str) -> str:
    # styles: Plotly and HTMX set inline styles; scripts: our files and nonced chart scripts only
    return (
        "default-src 'self'; "
        f"script-src 'self' 'nonce-{nonce}'; "
        "style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(16)
        scope.setdefault("state", {})["csp_nonce"] = nonce

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                h = MutableHeaders(scope=message)
                h.setdefault("Content-Security-Policy", content_security_policy(nonce))
                h.setdefault("X-Frame-Options", "DENY")
                h.setdefault("X-Content-Type-Options", "nosniff")
                h.setdefault("Referrer-Policy", "same-origin")
                h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
            await send(message)

        await self.app(scope, receive, send_with_headers)


class LangCookie:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        lang = (
            QueryParams(scope.get("query_string", b"")).get("lang")
            if scope["type"] == "http"
            else None
        )
        if lang not in LANGS:
            await self.app(scope, receive, send)
            return

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                cookie = f"{LANG_COOKIE}={lang}; Max-Age={365 * 86400}; Path=/; SameSite=lax"
                MutableHeaders(scope=message).append("set-cookie", cookie)
            await send(message)

        await self.app(scope, receive, send_with_cookie)


class LoginRequired:
    OPEN = ("/login", "/static/", "/assets/", "/healthz", "/favicon.ico")

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        open_path = scope["type"] != "http" or scope["path"].startswith(self.OPEN)
        if not open_path and not scope.get("session", {}).get("user"):
            await RedirectResponse("/login", status_code=303)(scope, receive, send)
            return
        await self.app(scope, receive, send)


class CSRFGuard:
    """The token comes from the HTMX header or the form field `csrf_token`.

    The body is buffered (bounded) to read the form, then replayed to the app."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in UNSAFE_METHODS:
            await self.app(scope, receive, send)
            return
        submitted = Headers(scope=scope).get(security.CSRF_HEADER)
        if not submitted:
            body = await _read_body(receive)
            if body is None:
                await _refuse(scope, "too_large", 413)(scope, receive, send)
                return
            receive = _replay(body)
            form = await Request(scope, _replay(body)).form()
            value = form.get(security.CSRF_FIELD)
            submitted = value if isinstance(value, str) else None
        expected = scope.get("session", {}).get("csrf")
        if not (expected and submitted and hmac.compare_digest(str(expected), submitted)):
            await _refuse(scope, "csrf_refused", 403)(scope, receive, send)
            return
        await self.app(scope, receive, send)


async def _read_body(receive: Receive) -> bytes | None:
    """The whole body, or None when it is larger than MAX_BODY_BYTES."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive
