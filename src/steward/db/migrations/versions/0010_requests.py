"""requests (#11): data requests, their history and the outbox; usage by format and API
family, rows served and estimated unique visitors; use cases

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import steward.db.base

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

UTC = steward.db.base.UTCDateTime(timezone=True)


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    referred = target.split(".")[0]
    return sa.ForeignKeyConstraint(
        [column], [target], name=op.f(f"fk_{table}_{column}_{referred}"), ondelete=ondelete
    )


def upgrade() -> None:
    _requests()
    _outbox()
    _usage()
    _use_cases()


def _requests() -> None:
    op.create_table(
        "data_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("dataset_id", sa.String(length=9), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("period", sa.String(length=200), nullable=True),
        sa.Column("granularity", sa.String(length=200), nullable=True),
        sa.Column("data_format", sa.String(length=100), nullable=True),
        sa.Column("frequency", sa.String(length=100), nullable=True),
        sa.Column("requester_name", sa.String(length=200), nullable=False),
        sa.Column("requester_email", sa.String(length=320), nullable=False),
        sa.Column("organization", sa.String(length=300), nullable=True),
        sa.Column("requester_kind", sa.String(length=32), nullable=False),
        sa.Column("filed_by", sa.String(length=320), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("routed_at", UTC, nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("ack_due", sa.Date(), nullable=False),
        sa.Column("response_due", sa.Date(), nullable=False),
        sa.Column("acknowledged_at", UTC, nullable=True),
        sa.Column("closed_at", UTC, nullable=True),
        sa.Column("outcome_url", sa.String(length=500), nullable=True),
        sa.Column("decline_reason", sa.Text(), nullable=True),
        sa.Column("updated_at", UTC, nullable=False),
        _fk("data_request", "agency_id", "agency.id", "SET NULL"),
        _fk("data_request", "dataset_id", "dataset.id", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_request")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_data_request_token_hash")),
    )
    op.create_index(op.f("ix_data_request_agency_id"), "data_request", ["agency_id"])
    op.create_index(op.f("ix_data_request_status"), "data_request", ["status"])
    op.create_table(
        "data_request_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=320), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("at", UTC, nullable=False),
        _fk("data_request_event", "request_id", "data_request.id", "CASCADE"),
        _fk("data_request_event", "agency_id", "agency.id", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_request_event")),
    )
    op.create_index(op.f("ix_data_request_event_request_id"), "data_request_event", ["request_id"])


def _outbox() -> None:
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("to_address", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("dedupe_key", sa.String(length=200), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("sent_at", UTC, nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        _fk("outbox_message", "agency_id", "agency.id", "SET NULL"),
        _fk("outbox_message", "request_id", "data_request.id", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_message")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_outbox_message_dedupe_key")),
    )
    op.create_index(op.f("ix_outbox_message_agency_id"), "outbox_message", ["agency_id"])
    op.create_index(op.f("ix_outbox_message_request_id"), "outbox_message", ["request_id"])


def _usage() -> None:
    with op.batch_alter_table("dataset_usage") as batch:
        batch.add_column(sa.Column("rows_served", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(
            sa.Column("unique_visitors_estimate", sa.Integer(), server_default="0", nullable=False)
        )
        batch.add_column(sa.Column("visitors_sketch", sa.LargeBinary(), nullable=True))
    op.create_table(
        "dataset_usage_detail",
        sa.Column("dataset_id", sa.String(length=9), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.String(length=32), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        _fk("dataset_usage_detail", "dataset_id", "dataset.id", "CASCADE"),
        sa.PrimaryKeyConstraint(
            "dataset_id", "day", "kind", "detail", name=op.f("pk_dataset_usage_detail")
        ),
    )


def _use_cases() -> None:
    op.create_table(
        "dataset_use_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataset_id", sa.String(length=9), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("submitter_name", sa.String(length=200), nullable=True),
        sa.Column("submitter_email", sa.String(length=320), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("reviewed_at", UTC, nullable=True),
        sa.Column("reviewed_by", sa.String(length=320), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=True),
        _fk("dataset_use_case", "dataset_id", "dataset.id", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dataset_use_case")),
    )
    op.create_index(op.f("ix_dataset_use_case_dataset_id"), "dataset_use_case", ["dataset_id"])
    op.create_index(op.f("ix_dataset_use_case_status"), "dataset_use_case", ["status"])


def downgrade() -> None:
    op.drop_table("dataset_use_case")
    op.drop_table("dataset_usage_detail")
    with op.batch_alter_table("dataset_usage") as batch:
        batch.drop_column("visitors_sketch")
        batch.drop_column("unique_visitors_estimate")
        batch.drop_column("rows_served")
    op.drop_table("outbox_message")
    op.drop_table("data_request_event")
    op.drop_table("data_request")
