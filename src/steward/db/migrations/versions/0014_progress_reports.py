"""progress reports (#11): reporting periods, agency reports

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import steward.db.base

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

UTC = steward.db.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "reporting_period",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("measured_at", UTC, nullable=False),
        sa.Column("opened_at", UTC, nullable=False),
        sa.Column("opened_by", sa.String(length=320), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reporting_period")),
        sa.UniqueConstraint("name", name=op.f("uq_reporting_period_name")),
    )
    op.create_table(
        "progress_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("measured_at", UTC, nullable=False),
        sa.Column("narratives", sa.JSON(), nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.Column("updated_by", sa.String(length=320), nullable=False),
        sa.Column("submitted_at", UTC, nullable=True),
        sa.Column("submitted_by", sa.String(length=320), nullable=True),
        sa.Column("reviewed_at", UTC, nullable=True),
        sa.Column("reviewed_by", sa.String(length=320), nullable=True),
        sa.Column("review_comment", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["agency.id"],
            name=op.f("fk_progress_report_agency_id_agency"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["reporting_period.id"],
            name=op.f("fk_progress_report_period_id_reporting_period"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_progress_report")),
        sa.UniqueConstraint("period_id", "agency_id", name=op.f("uq_progress_report_period_id")),
    )
    op.create_index(op.f("ix_progress_report_agency_id"), "progress_report", ["agency_id"])
    op.create_index(op.f("ix_progress_report_period_id"), "progress_report", ["period_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_progress_report_period_id"), table_name="progress_report")
    op.drop_index(op.f("ix_progress_report_agency_id"), table_name="progress_report")
    op.drop_table("progress_report")
    op.drop_table("reporting_period")
