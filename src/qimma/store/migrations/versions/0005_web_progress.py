"""Web app: scenarios stored as JSON, run snapshots and progress.

Revision ID: 0005_web_progress
Revises: 0004_web

Scenarios were stored as YAML text only; parsing a large YAML on every request is slow (seconds
for the default scenario), so the validated scenario is now kept as JSON (`scenario_json`), and
`yaml` is left empty for new rows (it stays readable for rows written before this revision).
A run keeps the scenario it was started on (`scenario_json`), so its results and report never
change when the scenario is edited afterwards, and its progress (`progress` in [0, 1] and a short
`progress_note`) while it runs.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_web_progress"
down_revision = "0004_web"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # add_column needs no table rebuild on SQLite (a rebuild of web_scenarios would cascade
    # deletes into web_runs), so the old `yaml` column keeps its NOT NULL and gets "" instead.
    op.add_column("web_scenarios", sa.Column("scenario_json", sa.Text, nullable=True))
    op.add_column("web_runs", sa.Column("scenario_json", sa.Text, nullable=True))
    op.add_column("web_runs", sa.Column("progress", sa.Float, nullable=True))
    op.add_column("web_runs", sa.Column("progress_note", sa.Text, nullable=True))


def downgrade() -> None:
    # plain DROP COLUMN (SQLite >= 3.35, PostgreSQL): no table rebuild, so no cascading delete
    op.drop_column("web_runs", "progress_note")
    op.drop_column("web_runs", "progress")
    op.drop_column("web_runs", "scenario_json")
    # before dropping the JSON, write the YAML the older code reads
    conn = op.get_bind()
    rows = conn.execute(
        sa.text("SELECT pk, scenario_json FROM web_scenarios WHERE scenario_json IS NOT NULL")
    ).all()
    if rows:
        from qimma.scenario.model import Scenario
        from qimma.scenario.yaml_format import scenario_to_yaml

        for pk, text in rows:
            yaml_text = scenario_to_yaml(Scenario.model_validate_json(text))
            conn.execute(
                sa.text("UPDATE web_scenarios SET yaml = :y WHERE pk = :pk"),
                {"y": yaml_text, "pk": pk},
            )
    op.drop_column("web_scenarios", "scenario_json")
