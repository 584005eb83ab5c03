"""Daily usage counts per dataset."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from steward.db.base import Base


class DatasetUsage(Base):
    __tablename__ = "dataset_usage"

    dataset_id: Mapped[str] = mapped_column(
        String(9), ForeignKey("dataset.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    views: Mapped[int] = mapped_column(Integer, default=0)
    downloads: Mapped[int] = mapped_column(Integer, default=0)
    api_calls: Mapped[int] = mapped_column(Integer, default=0)
