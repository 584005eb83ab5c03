"""Quality tables: rules and settings per dataset, a report and rule results per version,
and feedback reports with their history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from steward.db.base import Base, UTCDateTime, utcnow


class QualitySetting(Base):
    """What a steward declared about a dataset as a whole: its key and its date field."""

    __tablename__ = "quality_setting"

    dataset_id: Mapped[str] = mapped_column(
        String(9), ForeignKey("dataset.id", ondelete="CASCADE"), primary_key=True
    )
    key_fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    date_field: Mapped[str | None] = mapped_column(String(255))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class QualityRule(Base):
    __tablename__ = "quality_rule"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset_id: Mapped[str] = mapped_column(
        String(9), ForeignKey("dataset.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    severity: Mapped[str] = mapped_column(String(8), default="warn")
    description: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class QualityReport(Base):
    """A version's profile, comparison with the version it followed, and stored score parts."""

    __tablename__ = "quality_report"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("dataset_version.id", ondelete="CASCADE"), unique=True
    )
    dataset_id: Mapped[str] = mapped_column(
        String(9), ForeignKey("dataset.id", ondelete="CASCADE"), index=True
    )
    profile: Mapped[dict[str, Any]] = mapped_column(JSON)
    comparison: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    parts: Mapped[dict[str, Any]] = mapped_column(JSON)
    blocked: Mapped[bool] = mapped_column(Boolean, default=False)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    results: Mapped[list[RuleResult]] = relationship(
        back_populates="report", order_by="RuleResult.id", cascade="all, delete-orphan"
    )


class RuleResult(Base):
    """One rule evaluated on one version; the rule as it was then is kept with the result."""

    __tablename__ = "quality_rule_result"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("quality_report.id", ondelete="CASCADE"), index=True
    )
    rule_id: Mapped[int | None] = mapped_column(
        ForeignKey("quality_rule.id", ondelete="SET NULL"), index=True
    )
    rule: Mapped[dict[str, Any]] = mapped_column(JSON)
    passed: Mapped[bool] = mapped_column(Boolean)
    failing_count: Mapped[int] = mapped_column(Integer)
    checked_count: Mapped[int] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(Text, default="")
    samples: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    report: Mapped[QualityReport] = relationship(back_populates="results")


class FeedbackReport(Base):
    """A problem a member of the public reported; followed by its reporter through a secret
    link whose SHA-256 is all that is stored."""

    __tablename__ = "feedback_report"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    dataset_id: Mapped[str] = mapped_column(
        String(9), ForeignKey("dataset.id", ondelete="CASCADE"), index=True
    )
    version_number: Mapped[int | None] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(Text)
    field_name: Mapped[str | None] = mapped_column(String(255))
    row_reference: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    status: Mapped[str] = mapped_column(String(16), default="new", index=True)
    fixed_in_version: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    events: Mapped[list[FeedbackEvent]] = relationship(
        back_populates="report", order_by="FeedbackEvent.id", cascade="all, delete-orphan"
    )


class FeedbackEvent(Base):
    __tablename__ = "feedback_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_report.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    by: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    report: Mapped[FeedbackReport] = relationship(back_populates="events")
