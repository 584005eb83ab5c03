"""Plan and assessment tables: Open Data Access Plans and their entries, governance maturity
self-assessments, data ethics assessments and the risks they open."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from steward.catalog.models import Agency, Dataset
from steward.db.base import Base, UTCDateTime, utcnow


class AccessPlan(Base):
    """An agency's Open Data Access Plan for a two-year period: draft, then published."""

    __tablename__ = "access_plan"
    __table_args__ = (UniqueConstraint("agency_id", "period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(String(9))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    summary: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(320))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(320))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_by: Mapped[str | None] = mapped_column(String(320))

    agency: Mapped[Agency] = relationship(lazy="joined")
    entries: Mapped[list[PlanEntry]] = relationship(
        back_populates="plan", order_by="PlanEntry.id", cascade="all, delete-orphan"
    )


class PlanEntry(Base):
    """A dataset already published, or data planned for release by a target date.

    `dataset_id` links the catalog; `asset_key` links the high-value data inventory by the key an
    asset keeps across years (the newest entry with that key is the one shown). Adherence is
    never stored: it is computed from the dataset's publication. `committed_date` is the target
    when the plan was published (or the entry added to a published plan): a target moved later
    is shown, but adherence is judged by the commitment.
    """

    __tablename__ = "access_plan_entry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("access_plan.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    dataset_id: Mapped[str | None] = mapped_column(
        ForeignKey("dataset.id", ondelete="SET NULL"), index=True
    )
    asset_key: Mapped[str | None] = mapped_column(String(32), index=True)
    priority: Mapped[str] = mapped_column(String(8), default="medium")
    target_date: Mapped[date | None] = mapped_column(Date)
    committed_date: Mapped[date | None] = mapped_column(Date)
    update_frequency: Mapped[str | None] = mapped_column(String(64))
    rationale: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(320))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(320))

    plan: Mapped[AccessPlan] = relationship(back_populates="entries")
    dataset: Mapped[Dataset | None] = relationship(lazy="joined")


class MaturityAssessment(Base):
    """An agency's governance maturity self-assessment, numbered 1, 2, ... per agency.

    `ratings` is `{element: {dimension: level}}` (see `maturity.py`), `notes` `{element: text}`.
    """

    __tablename__ = "maturity_assessment"
    __table_args__ = (UniqueConstraint("agency_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    ratings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    notes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    summary: Mapped[str] = mapped_column(Text, default="")
    started_from: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(320))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(320))
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_by: Mapped[str | None] = mapped_column(String(320))

    agency: Mapped[Agency] = relationship(lazy="joined")


class EthicsAssessment(Base):
    """A data ethics assessment of a dataset or a project. `scores` is
    `{principle: {"score": 0-5 or None, "notes": text}}` (see `ethics.py`)."""

    __tablename__ = "ethics_assessment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="CASCADE"), index=True)
    dataset_id: Mapped[str | None] = mapped_column(
        ForeignKey("dataset.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="draft")
    scores: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(320))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(320))
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_by: Mapped[str | None] = mapped_column(String(320))

    agency: Mapped[Agency] = relationship(lazy="joined")
    risks: Mapped[list[EthicsRisk]] = relationship(
        back_populates="assessment", order_by="EthicsRisk.id", cascade="all, delete-orphan"
    )


class EthicsRisk(Base):
    """A risk opened by a principle scored 2 or less: an owner, a mitigation, open or closed."""

    __tablename__ = "ethics_risk"
    __table_args__ = (UniqueConstraint("assessment_id", "principle"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("ethics_assessment.id", ondelete="CASCADE"), index=True
    )
    principle: Mapped[str] = mapped_column(String(32))
    score: Mapped[int] = mapped_column(Integer)
    owner: Mapped[str | None] = mapped_column(String(200))
    mitigation: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open")
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(320))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by: Mapped[str | None] = mapped_column(String(320))
    closing_note: Mapped[str | None] = mapped_column(Text)

    assessment: Mapped[EthicsAssessment] = relationship(back_populates="risks", lazy="joined")
