"""Inventory tables: a cycle per year, a submission per agency and cycle, its assets, and the
change log that keeps every edit and status change (who, when, before and after)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from steward.catalog.models import Agency
from steward.db.base import Base, UTCDateTime, utcnow


class InventoryCycle(Base):
    """One year's call for inventories, opened by the CDO with a due date."""

    __tablename__ = "inventory_cycle"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    due_date: Mapped[date] = mapped_column(Date)
    opened_by: Mapped[str] = mapped_column(String(320))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    submissions: Mapped[list[InventorySubmission]] = relationship(
        back_populates="cycle", cascade="all, delete-orphan"
    )


class InventorySubmission(Base):
    """An agency's inventory for one cycle: draft -> submitted -> returned/accepted."""

    __tablename__ = "inventory_submission"
    __table_args__ = (UniqueConstraint("cycle_id", "agency_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("inventory_cycle.id", ondelete="CASCADE"))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    carried_forward_from: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_by: Mapped[str | None] = mapped_column(String(320))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reviewed_by: Mapped[str | None] = mapped_column(String(320))
    review_comment: Mapped[str | None] = mapped_column(Text)

    cycle: Mapped[InventoryCycle] = relationship(back_populates="submissions", lazy="joined")
    agency: Mapped[Agency] = relationship(lazy="joined")
    assets: Mapped[list[InventoryAsset]] = relationship(
        back_populates="submission", order_by="InventoryAsset.id", cascade="all, delete-orphan"
    )


class InventoryAsset(Base):
    """One data asset an agency lists: a catalogued dataset or data not (yet) in the catalog.

    `criteria` maps a criterion letter to `{"applies": bool, "justification": str}`. `key`
    names the asset across years: a carried-forward copy keeps it, and the spreadsheet import
    matches rows to assets by it.
    """

    __tablename__ = "inventory_asset"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("inventory_submission.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(32), index=True)
    dataset_id: Mapped[str | None] = mapped_column(
        ForeignKey("dataset.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    system_of_record: Mapped[str | None] = mapped_column(String(300))
    owner: Mapped[str | None] = mapped_column(String(200))
    steward: Mapped[str | None] = mapped_column(String(200))
    custodian: Mapped[str | None] = mapped_column(String(200))
    legal_authority: Mapped[str | None] = mapped_column(String(500))
    criteria: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    classification: Mapped[str] = mapped_column(String(32))
    contains_pii: Mapped[bool] = mapped_column(Boolean, default=False)
    contains_phi: Mapped[bool] = mapped_column(Boolean, default=False)
    contains_fti: Mapped[bool] = mapped_column(Boolean, default=False)
    contains_education_records: Mapped[bool] = mapped_column(Boolean, default=False)
    access_level: Mapped[str] = mapped_column(String(32))
    access_reason: Mapped[str | None] = mapped_column(Text)
    open_data_status: Mapped[str] = mapped_column(String(32))
    planned_date: Mapped[date | None] = mapped_column(Date)
    not_publishable_reason: Mapped[str | None] = mapped_column(Text)
    update_frequency: Mapped[str | None] = mapped_column(String(64))
    geographic_unit: Mapped[str | None] = mapped_column(String(100))
    temporal_coverage: Mapped[str | None] = mapped_column(String(100))
    carried_forward_from: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(320))

    submission: Mapped[InventorySubmission] = relationship(back_populates="assets")


class InventoryChange(Base):
    """One entry of a submission's history: an asset added, changed or removed (with the asset
    before and after, as JSON) or a status change (with the reviewer's comment). Never edited.

    `asset_id` is not a foreign key: the entry outlives a removed asset.
    """

    __tablename__ = "inventory_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("inventory_submission.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(32))
    asset_id: Mapped[int | None] = mapped_column(Integer)
    asset_name: Mapped[str | None] = mapped_column(String(300))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    comment: Mapped[str | None] = mapped_column(Text)
