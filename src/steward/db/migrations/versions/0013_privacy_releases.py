"""privacy releases (#9): the released tables and extracts of each release

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "privacy_release_table",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("columns", sa.JSON(), nullable=False),
        sa.Column("rows", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["release_id"],
            ["privacy_release.id"],
            name=op.f("fk_privacy_release_table_release_id_privacy_release"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_release_table")),
        sa.UniqueConstraint(
            "release_id", "position", name=op.f("uq_privacy_release_table_release_id")
        ),
    )
    op.create_index(
        op.f("ix_privacy_release_table_release_id"), "privacy_release_table", ["release_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_privacy_release_table_release_id"), table_name="privacy_release_table")
    op.drop_table("privacy_release_table")
