"""dataset search index: SQLite FTS5, or PostgreSQL tsvector with a GIN index

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import select
from sqlalchemy.orm import Session

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TABLE dataset_fts ("
            " dataset_id VARCHAR(9) PRIMARY KEY REFERENCES dataset(id) ON DELETE CASCADE,"
            " document TSVECTOR NOT NULL)"
        )
        op.execute("CREATE INDEX ix_dataset_fts_document ON dataset_fts USING GIN (document)")
    else:
        op.execute(
            "CREATE VIRTUAL TABLE dataset_fts USING fts5("
            "dataset_id UNINDEXED, title, keywords, body, tokenize='porter unicode61')"
        )
    _backfill()


def _backfill() -> None:
    """Index the datasets that existed before the index did."""
    from steward.catalog.models import Dataset
    from steward.catalog.search import reindex

    connection = op.get_bind()
    with Session(bind=connection) as session:
        reindex(connection, session.scalars(select(Dataset)).all())


def downgrade() -> None:
    op.execute("DROP TABLE dataset_fts")
