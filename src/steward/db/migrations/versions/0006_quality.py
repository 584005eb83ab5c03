"""data quality: rules, settings, per-version reports and rule results, feedback reports

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import steward.db.base

revision = "0006"
down_revision = "0005"
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
        "quality_setting",
        sa.Column("dataset_id", sa.String(length=9), nullable=False),
        sa.Column("key_fields", sa.JSON(), nullable=False),
        sa.Column("date_field", sa.String(length=255), nullable=True),
        sa.Column("updated_at", UTC, nullable=False),
        _dataset_fk("quality_setting"),
        sa.PrimaryKeyConstraint("dataset_id", name=op.f("pk_quality_setting")),
    )
    op.create_table(
        "quality_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataset_id", sa.String(length=9), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("severity", sa.String(length=8), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        _dataset_fk("quality_rule"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quality_rule")),
    )
    op.create_index(op.f("ix_quality_rule_dataset_id"), "quality_rule", ["dataset_id"])
    op.create_table(
        "quality_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("dataset_id", sa.String(length=9), nullable=False),
        sa.Column("profile", sa.JSON(), nullable=False),
        sa.Column("comparison", sa.JSON(), nullable=True),
        sa.Column("parts", sa.JSON(), nullable=False),
        sa.Column("blocked", sa.Boolean(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        _dataset_fk("quality_report"),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["dataset_version.id"],
            name=op.f("fk_quality_report_version_id_dataset_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quality_report")),
        sa.UniqueConstraint("version_id", name=op.f("uq_quality_report_version_id")),
    )
    op.create_index(op.f("ix_quality_report_dataset_id"), "quality_report", ["dataset_id"])
    op.create_table(
        "quality_rule_result",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.Integer(), nullable=True),
        sa.Column("rule", sa.JSON(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("failing_count", sa.Integer(), nullable=False),
        sa.Column("checked_count", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("samples", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["quality_report.id"],
            name=op.f("fk_quality_rule_result_report_id_quality_report"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["rule_id"],
            ["quality_rule.id"],
            name=op.f("fk_quality_rule_result_rule_id_quality_rule"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quality_rule_result")),
    )
    op.create_index(op.f("ix_quality_rule_result_report_id"), "quality_rule_result", ["report_id"])
    op.create_index(op.f("ix_quality_rule_result_rule_id"), "quality_rule_result", ["rule_id"])
    _create_feedback()


def _create_feedback() -> None:
    op.create_table(
        "feedback_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("dataset_id", sa.String(length=9), nullable=False),
        sa.Column("version_number", sa.Integer(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("field_name", sa.String(length=255), nullable=True),
        sa.Column("row_reference", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("fixed_in_version", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("first_response_at", UTC, nullable=True),
        sa.Column("resolved_at", UTC, nullable=True),
        _dataset_fk("feedback_report"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_report")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_feedback_report_token_hash")),
    )
    op.create_index(op.f("ix_feedback_report_dataset_id"), "feedback_report", ["dataset_id"])
    op.create_index(op.f("ix_feedback_report_status"), "feedback_report", ["status"])
    op.create_table(
        "feedback_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.Column("at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["feedback_report.id"],
            name=op.f("fk_feedback_event_report_id_feedback_report"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_event")),
    )
    op.create_index(op.f("ix_feedback_event_report_id"), "feedback_event", ["report_id"])


def downgrade() -> None:
    op.drop_table("feedback_event")
    op.drop_table("feedback_report")
    op.drop_table("quality_rule_result")
    op.drop_table("quality_report")
    op.drop_table("quality_rule")
    op.drop_table("quality_setting")
