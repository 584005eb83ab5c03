"""Usage tables: daily counts per dataset, their breakdown by format and API family, and the
use cases people report.

No table holds an address, a user agent or a visitor hash. `visitors_sketch` is a HyperLogLog
sketch of the day's keyed visitor hashes (only the largest run of leading zeros per bucket, not
the hashes): it exists only while its day can still receive counts, then only the estimate is
kept; the key the hashes were made with lived in memory and is gone by then.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from steward.db.base import Base, UTCDateTime, utcnow


class DatasetUsage(Base):
    __tablename__ = "dataset_usage"

    dataset_id: Mapped[str] = mapped_column(
        String(9), ForeignKey("dataset.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    views: Mapped[int] = mapped_column(Integer, default=0)
    downloads: Mapped[int] = mapped_column(Integer, default=0)
    api_calls: Mapped[int] = mapped_column(Integer, default=0)
    rows_served: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    unique_visitors_estimate: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    visitors_sketch: Mapped[bytes | None] = mapped_column(LargeBinary)


class DatasetUsageDetail(Base):
    """Downloads by format (`csv`, `xlsx`...) and API calls by family (`soda`, `ckan`, `native`)."""

    __tablename__ = "dataset_usage_detail"

    dataset_id: Mapped[str] = mapped_column(
        String(9), ForeignKey("dataset.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    detail: Mapped[str] = mapped_column(String(32), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class UseCase(Base):
    """How someone used a dataset. Shown once a steward of the dataset's agency approves it;
    the submitter's name and email are for the agency only."""

    __tablename__ = "dataset_use_case"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset_id: Mapped[str] = mapped_column(
        String(9), ForeignKey("dataset.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text)
    submitter_name: Mapped[str | None] = mapped_column(String(200))
    submitter_email: Mapped[str | None] = mapped_column(String(320))
    status: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reviewed_by: Mapped[str | None] = mapped_column(String(320))
    review_note: Mapped[str | None] = mapped_column(Text)
