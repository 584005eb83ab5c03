"""Standards tables: stewards' decisions on values, and which fields are normalized on ingest."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from steward.db.base import Base, UTCDateTime, utcnow


class StandardDecision(Base):
    """What one agency's value means under one element, as a steward decided it.

    `value_key` is the value in upper case with spaces collapsed, so "So. Windsr" and
    "SO. WINDSR" share one decision. `status` is `matched` (with the `normalized` value and
    `code`), `out_of_state` or `invalid`. Decisions are reused by every later normalization of
    the agency's data (API, conformance reports, ingest).
    """

    __tablename__ = "standard_decision"
    __table_args__ = (UniqueConstraint("agency_id", "element", "value_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="CASCADE"), index=True)
    element: Mapped[str] = mapped_column(String(64))
    value_key: Mapped[str] = mapped_column(String(500))
    value: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(16))
    normalized: Mapped[str | None] = mapped_column(String(500))
    code: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class StandardNormalization(Base):
    """A steward's opt-in: normalize this field under this element on every ingest."""

    __tablename__ = "standard_normalization"
    __table_args__ = (UniqueConstraint("dataset_id", "field_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[str] = mapped_column(
        ForeignKey("dataset.id", ondelete="CASCADE"), index=True
    )
    field_name: Mapped[str] = mapped_column(String(255))
    element: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
