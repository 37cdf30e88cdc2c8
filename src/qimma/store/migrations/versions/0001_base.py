"""The empty base revision every feature's migrations branch from.

Revision ID: 0001_base
"""

revision = "0001_base"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
