"""harvest_link: where each harvested catalog entry came from

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import steward.db.base

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "harvest_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_key", sa.String(length=300), nullable=False),
        sa.Column("dataset_id", sa.String(length=9), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("managed", sa.Boolean(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("source_modified", sa.String(length=40), nullable=True),
        sa.Column("first_harvested_at", steward.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_harvested_at", steward.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["dataset_id"],
            ["dataset.id"],
            name=op.f("fk_harvest_link_dataset_id_dataset"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_harvest_link")),
        sa.UniqueConstraint("source_key", name=op.f("uq_harvest_link_source_key")),
    )
    with op.batch_alter_table("harvest_link", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_harvest_link_dataset_id"), ["dataset_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("harvest_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_harvest_link_dataset_id"))
    op.drop_table("harvest_link")
