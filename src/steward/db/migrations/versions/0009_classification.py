"""classification (#7): dataset assessments and field decisions

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import steward.db.base

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

UTC = steward.db.base.UTCDateTime(timezone=True)


def _dataset_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["dataset_id"],
        ["dataset.id"],
        name=op.f(f"fk_{table}_dataset_id_dataset"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "classification_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataset_id", sa.String(length=9), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("confidentiality", sa.String(length=8), nullable=False),
        sa.Column("integrity", sa.String(length=8), nullable=False),
        sa.Column("availability", sa.String(length=8), nullable=False),
        sa.Column("schema", sa.JSON(), nullable=False),
        sa.Column("version_number", sa.Integer(), nullable=True),
        sa.Column("assessed_by", sa.String(length=200), nullable=False),
        sa.Column("assessed_at", UTC, nullable=False),
        sa.Column("needs_review", sa.Boolean(), nullable=False),
        sa.Column("review_reason", sa.Text(), nullable=False),
        sa.Column("flagged_at", UTC, nullable=True),
        _dataset_fk("classification_assessment"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_classification_assessment")),
    )
    op.create_index(
        op.f("ix_classification_assessment_dataset_id"),
        "classification_assessment",
        ["dataset_id"],
    )
    op.create_table(
        "classification_field",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataset_id", sa.String(length=9), nullable=False),
        sa.Column("field_name", sa.String(length=255), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("proposed_level", sa.String(length=16), nullable=True),
        sa.Column("proposed_reason", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        sa.Column("decided_at", UTC, nullable=False),
        _dataset_fk("classification_field"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_classification_field")),
    )
    op.create_index(
        op.f("ix_classification_field_dataset_id"), "classification_field", ["dataset_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_classification_field_dataset_id"), table_name="classification_field")
    op.drop_table("classification_field")
    op.drop_index(
        op.f("ix_classification_assessment_dataset_id"), table_name="classification_assessment"
    )
    op.drop_table("classification_assessment")
