"""Evidence corpus: documents, passages (sentences), their embeddings, and full-text search.

SQLite gets an FTS5 table over the search-normalised passage text (BM25 ranking); PostgreSQL gets
a GIN index on the same text as a 'simple' tsvector (BM25 is then computed in Python).

Revision ID: 0003_corpus
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_corpus"
down_revision = "0001_base"
branch_labels = ("corpus",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "corpus_documents",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("title", sa.Text, nullable=False, server_default=""),
        sa.Column("author", sa.Text, nullable=False, server_default=""),
        sa.Column("venue", sa.Text, nullable=False, server_default=""),
        sa.Column("date", sa.String(64), nullable=False, server_default=""),
        sa.Column("language", sa.String(8), nullable=False, server_default="ar"),
        sa.Column("origin", sa.Text, nullable=False, server_default=""),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("is_default", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("added_at", sa.DateTime, nullable=False, server_default=sa.func.now()),
    )
    op.create_table(
        "corpus_passages",
        sa.Column("id", sa.String(96), primary_key=True),
        sa.Column(
            "document_id",
            sa.String(64),
            sa.ForeignKey("corpus_documents.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("paragraph", sa.Integer, nullable=False),
        sa.Column("sentence", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("norm", sa.Text, nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("embedding", sa.LargeBinary, nullable=True),
    )
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE corpus_fts USING fts5("
            "norm, passage_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 0')"
        )
    elif bind.dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX ix_corpus_passages_norm_fts ON corpus_passages "
            "USING GIN (to_tsvector('simple', norm))"
        )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS corpus_fts")
    op.drop_table("corpus_passages")
    op.drop_table("corpus_documents")
