"""sharing (#10): agreements, their datasets and fields, grants, history, documents, use
sessions and extracts

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import steward.db.base

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sharing_agreement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("provider_agency_id", sa.Integer(), nullable=False),
        sa.Column("recipient_agency_id", sa.Integer(), nullable=True),
        sa.Column("recipient_organization", sa.String(length=300), nullable=True),
        sa.Column("purposes", sa.JSON(), nullable=False),
        sa.Column("prohibited_uses", sa.Text(), nullable=False),
        sa.Column("legal_authorities", sa.JSON(), nullable=False),
        sa.Column("state_statute", sa.Text(), nullable=False),
        sa.Column("data_level", sa.String(length=16), nullable=False),
        sa.Column("program", sa.String(length=200), nullable=False),
        sa.Column("consent_purpose", sa.String(length=200), nullable=False),
        sa.Column("suppression_rule", sa.Text(), nullable=False),
        sa.Column("transfer_security", sa.Text(), nullable=False),
        sa.Column("redisclosure", sa.Text(), nullable=False),
        sa.Column("retention", sa.Text(), nullable=False),
        sa.Column("destruction_method", sa.Text(), nullable=False),
        sa.Column("destruction_due", sa.Date(), nullable=True),
        sa.Column("destruction_certificate", sa.Text(), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("renewal_reminder_days", sa.Integer(), nullable=False),
        sa.Column("signatories", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", steward.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.Column("updated_at", steward.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=320), nullable=False),
        sa.ForeignKeyConstraint(
            ["provider_agency_id"],
            ["agency.id"],
            name=op.f("fk_sharing_agreement_provider_agency_id_agency"),
        ),
        sa.ForeignKeyConstraint(
            ["recipient_agency_id"],
            ["agency.id"],
            name=op.f("fk_sharing_agreement_recipient_agency_id_agency"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sharing_agreement")),
    )
    op.create_index(
        op.f("ix_sharing_agreement_provider_agency_id"),
        "sharing_agreement",
        ["provider_agency_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_sharing_agreement_recipient_agency_id"),
        "sharing_agreement",
        ["recipient_agency_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_sharing_agreement_status"), "sharing_agreement", ["status"], unique=False
    )
    op.create_table(
        "sharing_dataset",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("dataset_id", sa.String(length=9), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("row_filter", sa.Text(), nullable=True),
        sa.Column("identifier_fields", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["sharing_agreement.id"],
            name=op.f("fk_sharing_dataset_agreement_id_sharing_agreement"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["dataset_id"], ["dataset.id"], name=op.f("fk_sharing_dataset_dataset_id_dataset")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sharing_dataset")),
        sa.UniqueConstraint(
            "agreement_id", "dataset_id", name=op.f("uq_sharing_dataset_agreement_id")
        ),
    )
    op.create_index(
        op.f("ix_sharing_dataset_agreement_id"), "sharing_dataset", ["agreement_id"], unique=False
    )
    op.create_index(
        op.f("ix_sharing_dataset_dataset_id"), "sharing_dataset", ["dataset_id"], unique=False
    )
    op.create_table(
        "sharing_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("stored_name", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("byte_size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("uploaded_at", steward.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("uploaded_by", sa.String(length=320), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["sharing_agreement.id"],
            name=op.f("fk_sharing_document_agreement_id_sharing_agreement"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sharing_document")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_sharing_document_stored_name")),
    )
    op.create_index(
        op.f("ix_sharing_document_agreement_id"), "sharing_document", ["agreement_id"], unique=False
    )
    op.create_table(
        "sharing_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("at", steward.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(length=320), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=True),
        sa.Column("to_status", sa.String(length=16), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["sharing_agreement.id"],
            name=op.f("fk_sharing_event_agreement_id_sharing_agreement"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sharing_event")),
    )
    op.create_index(
        op.f("ix_sharing_event_agreement_id"), "sharing_event", ["agreement_id"], unique=False
    )
    op.create_table(
        "sharing_grant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", steward.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("suspended_at", steward.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("suspended_by", sa.String(length=320), nullable=True),
        sa.Column("suspend_reason", sa.Text(), nullable=True),
        sa.Column("revoked_at", steward.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.String(length=320), nullable=True),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["sharing_agreement.id"],
            name=op.f("fk_sharing_grant_agreement_id_sharing_agreement"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_sharing_grant_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sharing_grant")),
        sa.UniqueConstraint("agreement_id", "user_id", name=op.f("uq_sharing_grant_agreement_id")),
    )
    op.create_index(
        op.f("ix_sharing_grant_agreement_id"), "sharing_grant", ["agreement_id"], unique=False
    )
    op.create_index(op.f("ix_sharing_grant_user_id"), "sharing_grant", ["user_id"], unique=False)
    op.create_table(
        "sharing_extract",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("grant_id", sa.Integer(), nullable=False),
        sa.Column("dataset_id", sa.String(length=9), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("excluded_opted_out", sa.Integer(), nullable=False),
        sa.Column("stored_name", sa.String(length=64), nullable=False),
        sa.Column("created_at", steward.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["sharing_agreement.id"],
            name=op.f("fk_sharing_extract_agreement_id_sharing_agreement"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["dataset_id"], ["dataset.id"], name=op.f("fk_sharing_extract_dataset_id_dataset")
        ),
        sa.ForeignKeyConstraint(
            ["grant_id"],
            ["sharing_grant.id"],
            name=op.f("fk_sharing_extract_grant_id_sharing_grant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sharing_extract")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_sharing_extract_stored_name")),
    )
    op.create_index(
        op.f("ix_sharing_extract_agreement_id"), "sharing_extract", ["agreement_id"], unique=False
    )
    op.create_index(
        op.f("ix_sharing_extract_dataset_id"), "sharing_extract", ["dataset_id"], unique=False
    )
    op.create_index(
        op.f("ix_sharing_extract_grant_id"), "sharing_extract", ["grant_id"], unique=False
    )
    op.create_table(
        "sharing_use",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("grant_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("opened_at", steward.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", steward.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reads", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["grant_id"],
            ["sharing_grant.id"],
            name=op.f("fk_sharing_use_grant_id_sharing_grant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sharing_use")),
    )
    op.create_index(op.f("ix_sharing_use_grant_id"), "sharing_use", ["grant_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_sharing_use_grant_id"), table_name="sharing_use")
    op.drop_table("sharing_use")
    op.drop_index(op.f("ix_sharing_extract_grant_id"), table_name="sharing_extract")
    op.drop_index(op.f("ix_sharing_extract_dataset_id"), table_name="sharing_extract")
    op.drop_index(op.f("ix_sharing_extract_agreement_id"), table_name="sharing_extract")
    op.drop_table("sharing_extract")
    op.drop_index(op.f("ix_sharing_grant_user_id"), table_name="sharing_grant")
    op.drop_index(op.f("ix_sharing_grant_agreement_id"), table_name="sharing_grant")
    op.drop_table("sharing_grant")
    op.drop_index(op.f("ix_sharing_event_agreement_id"), table_name="sharing_event")
    op.drop_table("sharing_event")
    op.drop_index(op.f("ix_sharing_document_agreement_id"), table_name="sharing_document")
    op.drop_table("sharing_document")
    op.drop_index(op.f("ix_sharing_dataset_dataset_id"), table_name="sharing_dataset")
    op.drop_index(op.f("ix_sharing_dataset_agreement_id"), table_name="sharing_dataset")
    op.drop_table("sharing_dataset")
    op.drop_index(op.f("ix_sharing_agreement_status"), table_name="sharing_agreement")
    op.drop_index(op.f("ix_sharing_agreement_recipient_agency_id"), table_name="sharing_agreement")
    op.drop_index(op.f("ix_sharing_agreement_provider_agency_id"), table_name="sharing_agreement")
    op.drop_table("sharing_agreement")
