"""Shared test helpers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def store(tmp_path):
    """A fresh SQLite store for one web-app test."""
    return f"sqlite:///{tmp_path / 'web.sqlite3'}"


@pytest.fixture
def client(store):
    """The web app on that store, spoken to by a loopback name (the Host check refuses others)."""
    from qimma.web.app import create_app
    from tests.web_server import local_client

    with local_client(create_app(store)) as c:
        yield c


# CI runs the property tests on a fixed set of examples, so that a run is reproducible; local
# runs keep exploring new examples (and store failures in .hypothesis/ for replay).
from hypothesis import settings  # noqa: E402

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
