"""The embedded store: SQLite by default, PostgreSQL when a URL points there.

Schema changes are Alembic migrations under `migrations/versions/`. Each feature (forecast log,
corpus, web app) has its own branch of migrations off the empty base revision `0001_base`, so they
can evolve independently; :func:`upgrade` applies all heads.
"""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event

ENV_URL = "QIMMA_STORE"


def default_url() -> str:
    """$QIMMA_STORE, else a SQLite file in the user's data folder."""
    url = os.environ.get(ENV_URL)
    if url:
        return url
    base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "qimma"
    base.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{base / 'qimma.sqlite3'}"


def make_engine(url: str | None = None) -> Engine:
    url = url or default_url()
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

    return engine


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    # configparser interpolates '%': a URL such as ?host=%2Frun%2Fpostgresql must be escaped
    url = engine.url.render_as_string(hide_password=False).replace("%", "%%")
    cfg.set_main_option("sqlalchemy.url", url)
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine) -> None:
    """Bring the store's schema to the newest version of every feature."""
    command.upgrade(alembic_config(engine), "heads")


def open_store(url: str | None = None) -> Engine:
    """An engine on an up-to-date store."""
    engine = make_engine(url)
    upgrade(engine)
    return engine
