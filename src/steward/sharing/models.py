"""Sharing tables: agreements with their datasets and fields, authorized users (grants), history,
documents, use sessions (a purpose stated before data is read) and person-level extracts.

An agreement's `status` is what people set (draft -> legal_review -> signed -> active ->
expired / terminated); "expired" is also derived from `end_date` whenever it is read, so access
stops the day after the end date without a scheduled job.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from steward.accounts.models import User
from steward.catalog.models import Agency, Dataset
from steward.db.base import Base, UTCDateTime, utcnow


class Agreement(Base):
    __tablename__ = "sharing_agreement"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(8))
    provider_agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    recipient_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"), index=True)
    recipient_organization: Mapped[str | None] = mapped_column(String(300))
    purposes: Mapped[list[str]] = mapped_column(JSON, default=list)
    prohibited_uses: Mapped[str] = mapped_column(Text, default="")
    legal_authorities: Mapped[list[str]] = mapped_column(JSON, default=list)
    state_statute: Mapped[str] = mapped_column(Text, default="")
    data_level: Mapped[str] = mapped_column(String(16), default="identified")
    program: Mapped[str] = mapped_column(String(200), default="")
    consent_purpose: Mapped[str] = mapped_column(String(200), default="")
    suppression_rule: Mapped[str] = mapped_column(Text, default="")
    transfer_security: Mapped[str] = mapped_column(Text, default="")
    redisclosure: Mapped[str] = mapped_column(Text, default="")
    retention: Mapped[str] = mapped_column(Text, default="")
    destruction_method: Mapped[str] = mapped_column(Text, default="")
    destruction_due: Mapped[date | None] = mapped_column(Date)
    destruction_certificate: Mapped[str] = mapped_column(Text, default="")
    effective_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    renewal_reminder_days: Mapped[int] = mapped_column(Integer, default=60)
    signatories: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(320))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(320))

    provider: Mapped[Agency] = relationship(foreign_keys=[provider_agency_id], lazy="joined")
    recipient: Mapped[Agency | None] = relationship(
        foreign_keys=[recipient_agency_id], lazy="joined"
    )
    datasets: Mapped[list[SharedDataset]] = relationship(
        back_populates="agreement", order_by="SharedDataset.id", cascade="all, delete-orphan"
    )
    grants: Mapped[list[AccessGrant]] = relationship(
        back_populates="agreement", order_by="AccessGrant.id", cascade="all, delete-orphan"
    )
    events: Mapped[list[AgreementEvent]] = relationship(
        back_populates="agreement", order_by="AgreementEvent.id", cascade="all, delete-orphan"
    )
    documents: Mapped[list[AgreementDocument]] = relationship(
        back_populates="agreement", order_by="AgreementDocument.id", cascade="all, delete-orphan"
    )


class SharedDataset(Base):
    """One dataset of an agreement: exactly these fields, optionally only the rows matching
    `row_filter` (a SoQL condition checked when saved and ANDed to every query)."""

    __tablename__ = "sharing_dataset"
    __table_args__ = (UniqueConstraint("agreement_id", "dataset_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("sharing_agreement.id", ondelete="CASCADE"), index=True
    )
    dataset_id: Mapped[str] = mapped_column(ForeignKey("dataset.id"), index=True)
    fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    row_filter: Mapped[str | None] = mapped_column(Text)
    identifier_fields: Mapped[list[str]] = mapped_column(JSON, default=list)

    agreement: Mapped[Agreement] = relationship(back_populates="datasets")
    dataset: Mapped[Dataset] = relationship(lazy="joined")


class AccessGrant(Base):
    """An authorized user of an agreement: query access while the agreement is in force, the
    grant is not suspended by the provider's data officer and not revoked."""

    __tablename__ = "sharing_grant"
    __table_args__ = (UniqueConstraint("agreement_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("sharing_agreement.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    suspended_by: Mapped[str | None] = mapped_column(String(320))
    suspend_reason: Mapped[str | None] = mapped_column(Text)
    # a user taken off the agreement: the grant is revoked, not deleted, so its use sessions
    # and extracts stay on record (named again, the same grant is restored)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_by: Mapped[str | None] = mapped_column(String(320))

    agreement: Mapped[Agreement] = relationship(back_populates="grants", lazy="joined")
    user: Mapped[User] = relationship(lazy="joined")


class AgreementEvent(Base):
    """One line of an agreement's history: created, edited, a status change (from -> to), a
    document, a grant suspended or resumed."""

    __tablename__ = "sharing_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("sharing_agreement.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    by: Mapped[str] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")

    agreement: Mapped[Agreement] = relationship(back_populates="events")


class AgreementDocument(Base):
    """An attached file (signed copy, amendment, certificate of destruction). Stored under the
    data directory by `stored_name`, which Steward generates; the uploaded name is shown only."""

    __tablename__ = "sharing_document"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("sharing_agreement.id", ondelete="CASCADE"), index=True
    )
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    byte_size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(String(300), default="")
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    uploaded_by: Mapped[str] = mapped_column(String(320))

    agreement: Mapped[Agreement] = relationship(back_populates="documents")


class UseSession(Base):
    """A purpose stated by a grantee before reading: every read until `expires_at` is recorded
    under it."""

    __tablename__ = "sharing_use"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grant_id: Mapped[int] = mapped_column(
        ForeignKey("sharing_grant.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[str] = mapped_column(Text)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reads: Mapped[int] = mapped_column(Integer, default=0)


class Extract(Base):
    """A person-level file released under an agreement, people who opted out left out."""

    __tablename__ = "sharing_extract"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("sharing_agreement.id", ondelete="CASCADE"), index=True
    )
    grant_id: Mapped[int] = mapped_column(
        ForeignKey("sharing_grant.id", ondelete="CASCADE"), index=True
    )
    dataset_id: Mapped[str] = mapped_column(ForeignKey("dataset.id"), index=True)
    purpose: Mapped[str] = mapped_column(Text)
    fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    row_count: Mapped[int] = mapped_column(Integer)
    excluded_opted_out: Mapped[int] = mapped_column(Integer)
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(320))
