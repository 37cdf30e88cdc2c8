"""Sign-in, password hashing and CSRF tokens."""

from __future__ import annotations

import hmac
import ipaddress
import math
import secrets
import threading
import time

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from starlette.requests import Request

_hasher = PasswordHasher()
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return str(token)


def csrf_ok(request: Request, submitted: str | None) -> bool:
    expected = request.session.get("csrf")
    return bool(expected and submitted and hmac.compare_digest(str(expected), submitted))


# --- Host names the app answers to -----------------------------------------------------------
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
_WILDCARDS = ("0.0.0.0", "::", "")


def allowed_hosts(bind: str = "127.0.0.1", extra: tuple[str, ...] = ()) -> frozenset[str]:
    """The names a request's Host (and a browser's Origin) may carry: the loopback names, the
    address the server binds to (unless a wildcard) and the names given with `extra`.

    A page of another site whose name resolves to 127.0.0.1 (DNS rebinding) sends its own name
    as Host, and is refused."""
    names = {*LOOPBACK_NAMES, *(n.strip().lower() for n in extra if n.strip())}
    if bind not in _WILDCARDS:
        names.add(bind.lower())
    return frozenset(n.strip("[]") for n in names)


def host_name(value: str) -> str:
    """'Example.org:8000' -> 'example.org'; '[::1]:8000' -> '::1'."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:].split("]", 1)[0]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


# --- Sign-in throttle ------------------------------------------------------------------------
class LoginThrottle:
    """After `limit` failed sign-ins for one user name, or from one client address, within
    `window` seconds, further attempts are refused for `lockout` seconds (checked before the
    password, so a locked account cannot be probed). Kept in the server's memory."""

    def __init__(self, limit: int = 5, window: float = 900.0, lockout: float = 900.0) -> None:
        self.limit, self.window, self.lockout = limit, window, lockout
        self._failures: dict[str, list[float]] = {}
        self._locked: dict[str, float] = {}
        self._lock = threading.Lock()

    def retry_after(self, keys: tuple[str, ...], now: float | None = None) -> int:
        """Seconds until these keys may try again; 0 when not locked."""
        t = time.monotonic() if now is None else now
        with self._lock:
            until = max((self._locked.get(k, 0.0) for k in keys), default=0.0)
        return max(0, math.ceil(until - t))

    def failed(self, keys: tuple[str, ...], now: float | None = None) -> None:
        t = time.monotonic() if now is None else now
        with self._lock:
            for k in keys:
                recent = [x for x in self._failures.get(k, []) if t - x < self.window]
                recent.append(t)
                self._failures[k] = recent
                if len(recent) >= self.limit:
                    self._locked[k] = t + self.lockout
                    self._failures[k] = []

    def succeeded(self, keys: tuple[str, ...]) -> None:
        with self._lock:
            for k in keys:
                self._failures.pop(k, None)
