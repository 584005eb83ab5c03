"""standards: stewards' value decisions per agency, and per-field normalization on ingest

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import steward.db.base

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "standard_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("element", sa.String(length=64), nullable=False),
        sa.Column("value_key", sa.String(length=500), nullable=False),
        sa.Column("value", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("normalized", sa.String(length=500), nullable=True),
        sa.Column("code", sa.String(length=100), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        sa.Column("decided_at", steward.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["agency.id"],
            name=op.f("fk_standard_decision_agency_id_agency"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_standard_decision")),
        sa.UniqueConstraint(
            "agency_id", "element", "value_key", name=op.f("uq_standard_decision_agency_id")
        ),
    )
    with op.batch_alter_table("standard_decision", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_standard_decision_agency_id"), ["agency_id"], unique=False
        )
    op.create_table(
        "standard_normalization",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataset_id", sa.String(length=9), nullable=False),
        sa.Column("field_name", sa.String(length=255), nullable=False),
        sa.Column("element", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", steward.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["dataset_id"],
            ["dataset.id"],
            name=op.f("fk_standard_normalization_dataset_id_dataset"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_standard_normalization")),
        sa.UniqueConstraint(
            "dataset_id", "field_name", name=op.f("uq_standard_normalization_dataset_id")
        ),
    )
    with op.batch_alter_table("standard_normalization", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_standard_normalization_dataset_id"), ["dataset_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("standard_normalization", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_standard_normalization_dataset_id"))
    op.drop_table("standard_normalization")
    with op.batch_alter_table("standard_decision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_standard_decision_agency_id"))
    op.drop_table("standard_decision")
