"""privacy (#9): versioned suppression policies and releases

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import steward.db.base

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

UTC = steward.db.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "privacy_policy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("data_type", sa.String(length=100), nullable=False),
        sa.Column("is_model", sa.Boolean(), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agency.id"], name=op.f("fk_privacy_policy_agency_id_agency")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_policy")),
        sa.UniqueConstraint("name", "version", name=op.f("uq_privacy_policy_name")),
    )
    op.create_index(op.f("ix_privacy_policy_agency_id"), "privacy_policy", ["agency_id"])
    op.create_index(op.f("ix_privacy_policy_name"), "privacy_policy", ["name"])
    op.create_table(
        "privacy_release",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("source_dataset_id", sa.String(length=9), nullable=False),
        sa.Column("source_version", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("policy_name", sa.String(length=64), nullable=False),
        sa.Column("policy_version", sa.Integer(), nullable=False),
        sa.Column("policy_rules", sa.JSON(), nullable=False),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("audit", sa.JSON(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("approved_by", sa.String(length=320), nullable=True),
        sa.Column("approved_at", UTC, nullable=True),
        sa.Column("published_dataset_id", sa.String(length=9), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agency.id"], name=op.f("fk_privacy_release_agency_id_agency")
        ),
        sa.ForeignKeyConstraint(
            ["published_dataset_id"],
            ["dataset.id"],
            name=op.f("fk_privacy_release_published_dataset_id_dataset"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["source_dataset_id"],
            ["dataset.id"],
            name=op.f("fk_privacy_release_source_dataset_id_dataset"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_release")),
    )
    op.create_index(op.f("ix_privacy_release_agency_id"), "privacy_release", ["agency_id"])
    op.create_index(
        op.f("ix_privacy_release_published_dataset_id"), "privacy_release", ["published_dataset_id"]
    )
    op.create_index(
        op.f("ix_privacy_release_source_dataset_id"), "privacy_release", ["source_dataset_id"]
    )


def downgrade() -> None:
    op.drop_table("privacy_release")
    op.drop_table("privacy_policy")
