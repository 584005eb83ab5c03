"""Tables of progress reporting: the CDO's reporting periods and each agency's report in one.

A period and each report keep a snapshot of the measured figures (`figures`, the JSON of
`schemas.Figures`), taken when the period is opened and again when the report is refreshed, so a
submitted or accepted report keeps the numbers its agency signed off on.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from steward.catalog.models import Agency
from steward.db.base import Base, UTCDateTime, utcnow


class ReportingPeriod(Base):
    """A period the CDO asks agencies to report on (name, dates, due date), with the state-wide
    figures measured when it was opened or last refreshed."""

    __tablename__ = "reporting_period"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    measured_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    opened_by: Mapped[str] = mapped_column(String(320))

    reports: Mapped[list[ProgressReport]] = relationship(
        back_populates="period", order_by="ProgressReport.id", cascade="all, delete-orphan"
    )


class ProgressReport(Base):
    """An agency's report for a period: draft -> submitted -> returned -> submitted -> accepted.

    `narratives` is `{goal id: text}`; `review_comment` is the CDO's reason for returning it.
    """

    __tablename__ = "progress_report"
    __table_args__ = (UniqueConstraint("period_id", "agency_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_id: Mapped[int] = mapped_column(
        ForeignKey("reporting_period.id", ondelete="CASCADE"), index=True
    )
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    measured_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    narratives: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(320))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_by: Mapped[str | None] = mapped_column(String(320))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reviewed_by: Mapped[str | None] = mapped_column(String(320))
    review_comment: Mapped[str | None] = mapped_column(Text)

    period: Mapped[ReportingPeriod] = relationship(back_populates="reports", lazy="joined")
    agency: Mapped[Agency] = relationship(lazy="joined")
