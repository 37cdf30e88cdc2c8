"""Run the web app on a free loopback port in a background thread (for browser tests)."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import uvicorn

from qimma.web.app import create_app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(store_url: str) -> Iterator[str]:
    port = free_port()
    config = uvicorn.Config(create_app(store_url), host="127.0.0.1", port=port, log_level="error")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.05)
    else:
        raise RuntimeError("the web app did not start")
    try:
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=10)


LOCAL = "http://127.0.0.1"


def local_client(app: Any, **kwargs: Any) -> Any:
    """A TestClient that speaks to the app by a loopback name (the Host check refuses others)."""
    from fastapi.testclient import TestClient

    return TestClient(app, base_url=LOCAL, **kwargs)


def app_routes(app: Any) -> list[Any]:
    """Every route the app registers, including those of its included routers (FastAPI keeps
    an included router as one entry of `app.routes`)."""
    out: list[Any] = []
    for r in app.routes:
        inner = getattr(r, "original_router", None)
        out.extend(app_routes(inner) if inner is not None else [r])
    return out


def csrf_token(client: Any, path: str = "/scenarios") -> str:
    """The CSRF token a page of the app hands out (every form and HTMX request must send it)."""
    m = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert m
    return m.group(1)
