"""Web app tables: scenarios being edited, forecast runs, users.

Revision ID: 0004_web
Revises: 0001_base
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_web"
down_revision = "0001_base"
branch_labels = ("web",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_scenarios",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("scenario_id", sa.String(64), nullable=False),
        sa.Column("title_en", sa.Text, nullable=False, server_default=""),
        sa.Column("title_ar", sa.Text, nullable=False, server_default=""),
        sa.Column("yaml", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "web_runs",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "scenario_pk",
            sa.Integer,
            sa.ForeignKey("web_scenarios.pk", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("params_json", sa.Text, nullable=False),
        sa.Column("result_json", sa.Text, nullable=True),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "web_users",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("web_runs")
    op.drop_table("web_users")
    op.drop_table("web_scenarios")
