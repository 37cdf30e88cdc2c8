"""The embedded store opens and migrates."""

from __future__ import annotations

from sqlalchemy import inspect

from qimma.store.db import open_store


def test_open_store_creates_alembic_version(tmp_path):
    engine = open_store(f"sqlite:///{tmp_path / 's.sqlite3'}")
    assert "alembic_version" in inspect(engine).get_table_names()


def test_url_with_percent_escapes_is_accepted(tmp_path):
    # a percent-encoded path (as in PostgreSQL socket URLs) must not break Alembic's config
    folder = tmp_path / "a b"
    folder.mkdir()
    engine = open_store(f"sqlite:///{folder}/s%20x.sqlite3")
    assert "alembic_version" in inspect(engine).get_table_names()
