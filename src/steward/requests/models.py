"""Data request tables: the requests, their history, and the outbox of messages about them.

A request belongs to the agency working it (none: the CDO routes it). Its clocks restart when it
is referred to another agency: `received_on` is the day the current agency got it, and the due
dates are counted in business days from there. The requester's private link is a random token
of which only the SHA-256 is kept.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from steward.db.base import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from steward.catalog.models import Agency, Dataset


class DataRequest(Base):
    __tablename__ = "data_request"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    agency_id: Mapped[int | None] = mapped_column(
        ForeignKey("agency.id", ondelete="SET NULL"), index=True
    )
    dataset_id: Mapped[str | None] = mapped_column(
        String(9), ForeignKey("dataset.id", ondelete="SET NULL")
    )
    # what is asked for: `title` is published on the public list, the rest stays private
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    purpose: Mapped[str] = mapped_column(Text)
    period: Mapped[str | None] = mapped_column(String(200))
    granularity: Mapped[str | None] = mapped_column(String(200))
    data_format: Mapped[str | None] = mapped_column(String(100))
    frequency: Mapped[str | None] = mapped_column(String(100))
    # who asks: never published
    requester_name: Mapped[str] = mapped_column(String(200))
    requester_email: Mapped[str] = mapped_column(String(320))
    organization: Mapped[str | None] = mapped_column(String(300))
    requester_kind: Mapped[str] = mapped_column(String(32))
    filed_by: Mapped[str | None] = mapped_column(String(320))  # a signed-in user's email
    # where it stands
    status: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    routed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    received_on: Mapped[date] = mapped_column(Date)
    ack_due: Mapped[date] = mapped_column(Date)
    response_due: Mapped[date] = mapped_column(Date)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome_url: Mapped[str | None] = mapped_column(String(500))
    decline_reason: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    agency: Mapped[Agency | None] = relationship()
    dataset: Mapped[Dataset | None] = relationship()
    events: Mapped[list[DataRequestEvent]] = relationship(
        back_populates="request", order_by="DataRequestEvent.id", cascade="all, delete-orphan"
    )


class DataRequestEvent(Base):
    """One step of a request's history: a status, a note, who did it, for which agency."""

    __tablename__ = "data_request_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("data_request.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(320))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    request: Mapped[DataRequest] = relationship(back_populates="events")
    agency: Mapped[Agency | None] = relationship()


class OutboxMessage(Base):
    """An email waiting to be sent, or kept here when no mail server is configured.

    `agency_id` says whose queue it concerns (none: the CDO's), so an ADO sees the messages of
    their agency's requests; `dedupe_key` makes a reminder at most one per request, person and
    day however often `steward request remind` runs.
    """

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    to_address: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32))
    agency_id: Mapped[int | None] = mapped_column(
        ForeignKey("agency.id", ondelete="SET NULL"), index=True
    )
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("data_request.id", ondelete="CASCADE"), index=True
    )
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
