"""plans (#11): Open Data Access Plans and their entries, governance maturity
self-assessments, data ethics assessments and their risks

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import steward.db.base

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "access_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=9), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("created_at", steward.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.Column("updated_at", steward.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=320), nullable=False),
        sa.Column("published_at", steward.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("published_by", sa.String(length=320), nullable=True),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["agency.id"],
            name=op.f("fk_access_plan_agency_id_agency"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_plan")),
        sa.UniqueConstraint("agency_id", "period", name=op.f("uq_access_plan_agency_id")),
    )
    op.create_index(op.f("ix_access_plan_agency_id"), "access_plan", ["agency_id"], unique=False)
    op.create_table(
        "maturity_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("ratings", sa.JSON(), nullable=False),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("started_from", sa.Integer(), nullable=True),
        sa.Column("created_at", steward.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.Column("updated_at", steward.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=320), nullable=False),
        sa.Column("completed_at", steward.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("completed_by", sa.String(length=320), nullable=True),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["agency.id"],
            name=op.f("fk_maturity_assessment_agency_id_agency"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_maturity_assessment")),
        sa.UniqueConstraint("agency_id", "number", name=op.f("uq_maturity_assessment_agency_id")),
    )
    op.create_index(
        op.f("ix_maturity_assessment_agency_id"), "maturity_assessment", ["agency_id"], unique=False
    )
    op.create_table(
        "access_plan_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("dataset_id", sa.String(length=9), nullable=True),
        sa.Column("asset_key", sa.String(length=32), nullable=True),
        sa.Column("priority", sa.String(length=8), nullable=False),
        sa.Column("target_date", sa.Date(), nullable=True),
        sa.Column("committed_date", sa.Date(), nullable=True),
        sa.Column("update_frequency", sa.String(length=64), nullable=True),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("created_at", steward.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.Column("updated_at", steward.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=320), nullable=False),
        sa.ForeignKeyConstraint(
            ["dataset_id"],
            ["dataset.id"],
            name=op.f("fk_access_plan_entry_dataset_id_dataset"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["access_plan.id"],
            name=op.f("fk_access_plan_entry_plan_id_access_plan"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_plan_entry")),
    )
    op.create_index(
        op.f("ix_access_plan_entry_asset_key"), "access_plan_entry", ["asset_key"], unique=False
    )
    op.create_index(
        op.f("ix_access_plan_entry_dataset_id"), "access_plan_entry", ["dataset_id"], unique=False
    )
    op.create_index(
        op.f("ix_access_plan_entry_plan_id"), "access_plan_entry", ["plan_id"], unique=False
    )
    op.create_table(
        "ethics_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("dataset_id", sa.String(length=9), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("created_at", steward.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.Column("updated_at", steward.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=320), nullable=False),
        sa.Column("completed_at", steward.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("completed_by", sa.String(length=320), nullable=True),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["agency.id"],
            name=op.f("fk_ethics_assessment_agency_id_agency"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["dataset_id"],
            ["dataset.id"],
            name=op.f("fk_ethics_assessment_dataset_id_dataset"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ethics_assessment")),
    )
    op.create_index(
        op.f("ix_ethics_assessment_agency_id"), "ethics_assessment", ["agency_id"], unique=False
    )
    op.create_index(
        op.f("ix_ethics_assessment_dataset_id"), "ethics_assessment", ["dataset_id"], unique=False
    )
    op.create_table(
        "ethics_risk",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("principle", sa.String(length=32), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=True),
        sa.Column("mitigation", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("opened_at", steward.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=320), nullable=False),
        sa.Column("closed_at", steward.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(length=320), nullable=True),
        sa.Column("closing_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["ethics_assessment.id"],
            name=op.f("fk_ethics_risk_assessment_id_ethics_assessment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ethics_risk")),
        sa.UniqueConstraint(
            "assessment_id", "principle", name=op.f("uq_ethics_risk_assessment_id")
        ),
    )
    op.create_index(
        op.f("ix_ethics_risk_assessment_id"), "ethics_risk", ["assessment_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_ethics_risk_assessment_id"), table_name="ethics_risk")
    op.drop_table("ethics_risk")
    op.drop_index(op.f("ix_ethics_assessment_dataset_id"), table_name="ethics_assessment")
    op.drop_index(op.f("ix_ethics_assessment_agency_id"), table_name="ethics_assessment")
    op.drop_table("ethics_assessment")
    op.drop_index(op.f("ix_access_plan_entry_plan_id"), table_name="access_plan_entry")
    op.drop_index(op.f("ix_access_plan_entry_dataset_id"), table_name="access_plan_entry")
    op.drop_index(op.f("ix_access_plan_entry_asset_key"), table_name="access_plan_entry")
    op.drop_table("access_plan_entry")
    op.drop_index(op.f("ix_maturity_assessment_agency_id"), table_name="maturity_assessment")
    op.drop_table("maturity_assessment")
    op.drop_index(op.f("ix_access_plan_agency_id"), table_name="access_plan")
    op.drop_table("access_plan")
