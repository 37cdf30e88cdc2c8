"""The forecast log: forecasts with named-outcome probabilities or per-issue values, and their
resolutions (qimma.backtest.forecast_log).

Revision ID: 0002_forecast_log
Revises: 0001_base
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_forecast_log"
down_revision = "0001_base"
branch_labels = ("forecast_log",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "forecast_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("scenario_hash", sa.String(64), nullable=False),
        sa.Column("scenario_title", sa.UnicodeText, nullable=True),
        sa.Column("model", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),  # "outcomes" or "issue"
        sa.Column("issue", sa.Unicode(200), nullable=True),
        sa.Column("predicted_value", sa.Float, nullable=True),
        sa.Column("forecast_date", sa.Date, nullable=False),
        sa.Column("resolution_date", sa.Date, nullable=True),
        sa.Column("note", sa.UnicodeText, nullable=True),
        sa.Column("resolved_at", sa.Date, nullable=True),
        sa.Column("resolved_outcome", sa.UnicodeText, nullable=True),
        sa.Column("resolved_value", sa.Float, nullable=True),
    )
    op.create_index("ix_forecast_log_model", "forecast_log", ["model"])
    op.create_table(
        "forecast_log_outcome",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "forecast_id",
            sa.Integer,
            sa.ForeignKey("forecast_log.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("name", sa.UnicodeText, nullable=False),
        sa.Column("probability", sa.Float, nullable=False),
    )
    op.create_index("ix_forecast_log_outcome_forecast", "forecast_log_outcome", ["forecast_id"])


def downgrade() -> None:
    op.drop_index("ix_forecast_log_outcome_forecast", table_name="forecast_log_outcome")
    op.drop_table("forecast_log_outcome")
    op.drop_index("ix_forecast_log_model", table_name="forecast_log")
    op.drop_table("forecast_log")
