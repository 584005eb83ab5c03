"""inventory (#7): cycles, agency submissions, their assets and the change log

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import steward.db.base

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inventory_cycle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("opened_by", sa.String(length=320), nullable=False),
        sa.Column("opened_at", steward.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inventory_cycle")),
        sa.UniqueConstraint("year", name=op.f("uq_inventory_cycle_year")),
    )
    op.create_table(
        "inventory_submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("carried_forward_from", sa.Integer(), nullable=True),
        sa.Column("created_at", steward.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", steward.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("submitted_by", sa.String(length=320), nullable=True),
        sa.Column("reviewed_at", steward.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reviewed_by", sa.String(length=320), nullable=True),
        sa.Column("review_comment", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["agency.id"],
            name=op.f("fk_inventory_submission_agency_id_agency"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["inventory_cycle.id"],
            name=op.f("fk_inventory_submission_cycle_id_inventory_cycle"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inventory_submission")),
        sa.UniqueConstraint("cycle_id", "agency_id", name=op.f("uq_inventory_submission_cycle_id")),
    )
    with op.batch_alter_table("inventory_submission", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inventory_submission_agency_id"), ["agency_id"], unique=False
        )

    op.create_table(
        "inventory_asset",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("dataset_id", sa.String(length=9), nullable=True),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("system_of_record", sa.String(length=300), nullable=True),
        sa.Column("owner", sa.String(length=200), nullable=True),
        sa.Column("steward", sa.String(length=200), nullable=True),
        sa.Column("custodian", sa.String(length=200), nullable=True),
        sa.Column("legal_authority", sa.String(length=500), nullable=True),
        sa.Column("criteria", sa.JSON(), nullable=False),
        sa.Column("classification", sa.String(length=32), nullable=False),
        sa.Column("contains_pii", sa.Boolean(), nullable=False),
        sa.Column("contains_phi", sa.Boolean(), nullable=False),
        sa.Column("contains_fti", sa.Boolean(), nullable=False),
        sa.Column("contains_education_records", sa.Boolean(), nullable=False),
        sa.Column("access_level", sa.String(length=32), nullable=False),
        sa.Column("access_reason", sa.Text(), nullable=True),
        sa.Column("open_data_status", sa.String(length=32), nullable=False),
        sa.Column("planned_date", sa.Date(), nullable=True),
        sa.Column("not_publishable_reason", sa.Text(), nullable=True),
        sa.Column("update_frequency", sa.String(length=64), nullable=True),
        sa.Column("geographic_unit", sa.String(length=100), nullable=True),
        sa.Column("temporal_coverage", sa.String(length=100), nullable=True),
        sa.Column("carried_forward_from", sa.Integer(), nullable=True),
        sa.Column("created_at", steward.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", steward.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=320), nullable=False),
        sa.ForeignKeyConstraint(
            ["dataset_id"],
            ["dataset.id"],
            name=op.f("fk_inventory_asset_dataset_id_dataset"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["inventory_submission.id"],
            name=op.f("fk_inventory_asset_submission_id_inventory_submission"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inventory_asset")),
    )
    with op.batch_alter_table("inventory_asset", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inventory_asset_dataset_id"), ["dataset_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_inventory_asset_key"), ["key"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_inventory_asset_submission_id"), ["submission_id"], unique=False
        )

    op.create_table(
        "inventory_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("at", steward.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=320), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=True),
        sa.Column("asset_name", sa.String(length=300), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["inventory_submission.id"],
            name=op.f("fk_inventory_change_submission_id_inventory_submission"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inventory_change")),
    )
    with op.batch_alter_table("inventory_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inventory_change_submission_id"), ["submission_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("inventory_change")
    op.drop_table("inventory_asset")
    op.drop_table("inventory_submission")
    op.drop_table("inventory_cycle")
