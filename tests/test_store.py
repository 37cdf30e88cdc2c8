"""The embedded store opens and migrates."""

from __future__ import annotations

from sqlalchemy import inspect

from qimma.store.db import open_store


def test_open_store_creates_alembic_version(tmp_path):
    engine = open_store(f"sqlite:///{tmp_path / 's.sqlite3'}")
    assert "alembic_version" in inspect(engine).get_table_names()
