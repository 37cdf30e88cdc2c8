"""The web app's tables in the store: scenarios, runs and users (SQLAlchemy Core)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Engine

from qimma.scenario.model import Scenario
from qimma.scenario.yaml_format import scenario_from_yaml_text

metadata = sa.MetaData()
scenarios = sa.Table(
    "web_scenarios",
    metadata,
    sa.Column("pk", sa.Integer, primary_key=True),
    sa.Column("scenario_id", sa.String(64)),
    sa.Column("title_en", sa.Text),
    sa.Column("title_ar", sa.Text),
    sa.Column("yaml", sa.Text),  # only rows written before 0005_web_progress; "" since
    sa.Column("scenario_json", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True)),
    sa.Column("updated_at", sa.DateTime(timezone=True)),
    sa.Column("deleted_at", sa.DateTime(timezone=True)),
)
runs = sa.Table(
    "web_runs",
    metadata,
    sa.Column("pk", sa.Integer, primary_key=True),
    sa.Column("scenario_pk", sa.Integer),
    sa.Column("status", sa.String(16)),
    sa.Column("params_json", sa.Text),
    sa.Column("result_json", sa.Text),
    sa.Column("error", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True)),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
    sa.Column("scenario_json", sa.Text),  # the scenario as it was when the run started
    sa.Column("progress", sa.Float),  # 0..1 while running
    sa.Column("progress_note", sa.Text),
)
users = sa.Table(
    "web_users",
    metadata,
    sa.Column("pk", sa.Integer, primary_key=True),
    sa.Column("username", sa.String(64)),
    sa.Column("password_hash", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True)),
)

UNDO_WINDOW = timedelta(minutes=10)


def now() -> datetime:
    return datetime.now(UTC)


@dataclass
class StoredScenario:
    pk: int
    scenario: Scenario
    updated_at: datetime
    deleted_at: datetime | None


@dataclass
class Run:
    pk: int
    scenario_pk: int
    status: str  # queued | running | done | failed
    params: dict[str, Any]
    result: dict[str, Any] | None
    error: str | None
    progress: float | None = None
    progress_note: str | None = None
    scenario_json: str | None = None

    def scenario(self) -> Scenario | None:
        if self.scenario_json is None:
            return None
        return Scenario.model_validate_json(self.scenario_json)


class Repo:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # parsed scenarios by (pk, updated_at): parsing a large YAML on every request is slow
        self._parsed: dict[tuple[int, Any], Scenario] = {}
        self._snapshots: dict[int, Scenario] = {}  # run pk -> the scenario it started on
        self._finished: dict[int, Run] = {}  # done or failed runs never change again

    # --- scenarios ---------------------------------------------------------------------------
    def add_scenario(self, scenario: Scenario) -> int:
        t = now()
        with self.engine.begin() as c:
            res = c.execute(
                scenarios.insert().values(
                    scenario_id=scenario.id,
                    title_en=scenario.title.en,
                    title_ar=scenario.title.ar,
                    yaml="",
                    scenario_json=scenario.model_dump_json(),
                    created_at=t,
                    updated_at=t,
                )
            )
            pk = res.inserted_primary_key
            assert pk is not None
            return int(pk[0])

    def save_scenario(self, pk: int, scenario: Scenario) -> None:
        with self.engine.begin() as c:
            c.execute(
                scenarios.update()
                .where(scenarios.c.pk == pk)
                .values(
                    scenario_id=scenario.id,
                    title_en=scenario.title.en,
                    title_ar=scenario.title.ar,
                    yaml="",
                    scenario_json=scenario.model_dump_json(),
                    updated_at=now(),
                )
            )

    def get_scenario(self, pk: int, *, include_deleted: bool = False) -> StoredScenario | None:
        with self.engine.connect() as c:
            row = c.execute(sa.select(scenarios).where(scenarios.c.pk == pk)).first()
        if row is None or (row.deleted_at is not None and not include_deleted):
            return None
        key = (row.pk, row.updated_at)
        scn = self._parsed.get(key)
        if scn is None:
            if row.scenario_json:
                scn = Scenario.model_validate_json(row.scenario_json)
            else:  # written before 0005_web_progress
                scn = scenario_from_yaml_text(row.yaml, f"<stored scenario {pk}>")
            if len(self._parsed) > 64:
                self._parsed.clear()
            self._parsed[key] = scn
        return StoredScenario(row.pk, scn, row.updated_at, row.deleted_at)

    def list_scenarios(self) -> list[dict[str, Any]]:
        with self.engine.connect() as c:
            rows = c.execute(
                sa.select(
                    scenarios.c.pk,
                    scenarios.c.scenario_id,
                    scenarios.c.title_en,
                    scenarios.c.title_ar,
                    scenarios.c.updated_at,
                    scenarios.c.deleted_at,
                ).order_by(scenarios.c.pk)
            ).all()
        return [dict(r._mapping) for r in rows]

    def count_scenarios(self) -> int:
        with self.engine.connect() as c:
            return int(c.execute(sa.select(sa.func.count()).select_from(scenarios)).scalar_one())

    def soft_delete(self, pk: int) -> None:
        with self.engine.begin() as c:
            c.execute(scenarios.update().where(scenarios.c.pk == pk).values(deleted_at=now()))

    def undo_delete(self, pk: int) -> bool:
        """Restore a scenario deleted less than UNDO_WINDOW ago."""
        with self.engine.begin() as c:
            row = c.execute(sa.select(scenarios.c.deleted_at).where(scenarios.c.pk == pk)).first()
            if row is None or row.deleted_at is None:
                return False
            deleted = row.deleted_at
            if deleted.tzinfo is None:  # SQLite returns naive datetimes
                deleted = deleted.replace(tzinfo=UTC)
            if now() - deleted > UNDO_WINDOW:
                return False
            c.execute(scenarios.update().where(scenarios.c.pk == pk).values(deleted_at=None))
            return True

    def purge_expired(self) -> None:
        """Delete for good what left the undo window."""
        with self.engine.begin() as c:
            c.execute(
                scenarios.delete().where(
                    scenarios.c.deleted_at.is_not(None),
                    scenarios.c.deleted_at < now() - UNDO_WINDOW,
                )
            )

    # --- runs --------------------------------------------------------------------------------
    def add_run(
        self, scenario_pk: int, params: dict[str, Any], scenario: Scenario | None = None
    ) -> int:
        with self.engine.begin() as c:
            res = c.execute(
                runs.insert().values(
                    scenario_pk=scenario_pk,
                    status="queued",
                    params_json=json.dumps(params),
                    scenario_json=None if scenario is None else scenario.model_dump_json(),
                    progress=0.0,
                    created_at=now(),
                )
            )
            pk = res.inserted_primary_key
            assert pk is not None
            return int(pk[0])

    def set_run_status(self, pk: int, status: str) -> None:
        with self.engine.begin() as c:
            c.execute(runs.update().where(runs.c.pk == pk).values(status=status))

    def set_progress(self, pk: int, fraction: float, note: str | None = None) -> None:
        """Progress of a running run; ignored once the run has finished."""
        with self.engine.begin() as c:
            c.execute(
                runs.update()
                .where(runs.c.pk == pk, runs.c.status.in_(["queued", "running"]))
                .values(progress=max(0.0, min(1.0, fraction)), progress_note=note)
            )

    def finish_run(
        self, pk: int, *, result: dict[str, Any] | None = None, error: str | None = None
    ) -> None:
        """Write the outcome in one transaction: a run is never half-written."""
        with self.engine.begin() as c:
            c.execute(
                runs.update()
                .where(runs.c.pk == pk)
                .values(
                    status="done" if error is None else "failed",
                    result_json=None if result is None else json.dumps(result, ensure_ascii=False),
                    error=error,
                    finished_at=now(),
                    progress=1.0 if error is None else None,
                )
            )

    def get_run(self, pk: int) -> Run | None:
        cached = self._finished.get(pk)
        if cached is not None:
            return cached
        with self.engine.connect() as c:
            row = c.execute(sa.select(runs).where(runs.c.pk == pk)).first()
        if row is None:
            return None
        run = Run(
            row.pk,
            row.scenario_pk,
            row.status,
            json.loads(row.params_json),
            json.loads(row.result_json) if row.result_json else None,
            row.error,
            row.progress,
            row.progress_note,
            row.scenario_json,
        )
        if run.status in ("done", "failed"):
            if len(self._finished) > 64:
                self._finished.clear()
            self._finished[pk] = run
        return run

    def run_snapshot(self, run: Run) -> Scenario | None:
        """The scenario a run started on, parsed once (a run's snapshot never changes)."""
        scn = self._snapshots.get(run.pk)
        if scn is None:
            scn = run.scenario()
            if scn is not None:
                if len(self._snapshots) > 64:
                    self._snapshots.clear()
                self._snapshots[run.pk] = scn
        return scn

    def runs_for(self, scenario_pk: int, limit: int = 10) -> list[dict[str, Any]]:
        """The latest runs of a scenario: pk, status and times only (results are large)."""
        with self.engine.connect() as c:
            rows = c.execute(
                sa.select(
                    runs.c.pk,
                    runs.c.status,
                    runs.c.params_json,
                    runs.c.created_at,
                    runs.c.finished_at,
                )
                .where(runs.c.scenario_pk == scenario_pk)
                .order_by(runs.c.pk.desc())
                .limit(limit)
            ).all()
        out = []
        for r in rows:
            d = dict(r._mapping)
            d["params"] = json.loads(d.pop("params_json") or "{}")
            out.append(d)
        return out

    def fail_interrupted_runs(self) -> int:
        """At start-up: runs left queued or running by a stopped server are marked failed."""
        with self.engine.begin() as c:
            res = c.execute(
                runs.update()
                .where(runs.c.status.in_(["queued", "running"]))
                .values(
                    status="failed",
                    error="interrupted: the server stopped during this run; run it again",
                    finished_at=now(),
                )
            )
            return int(res.rowcount or 0)

    # --- users -------------------------------------------------------------------------------
    def add_user(self, username: str, password_hash: str) -> None:
        with self.engine.begin() as c:
            c.execute(
                users.insert().values(
                    username=username, password_hash=password_hash, created_at=now()
                )
            )

    def password_hash(self, username: str) -> str | None:
        with self.engine.connect() as c:
            row = c.execute(
                sa.select(users.c.password_hash).where(users.c.username == username)
            ).first()
        return None if row is None else str(row.password_hash)

    def count_users(self) -> int:
        with self.engine.connect() as c:
            return int(c.execute(sa.select(sa.func.count()).select_from(users)).scalar_one())
