"""Where each harvested catalog entry came from, so a re-run finds it again."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from steward.db.base import Base, UTCDateTime, utcnow


class HarvestLink(Base):
    """One source record (`source_key`, e.g. `4x4:abcd-1234`) and the dataset it became.

    `managed` is true when the harvest created the dataset and may update it; a dataset that was
    already in the catalog under the same id is linked but never changed by a harvest.
    `fingerprint` is a hash of what the harvest last wrote: an unchanged source leaves the
    dataset, and any edits stewards made to it since, alone.
    """

    __tablename__ = "harvest_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_key: Mapped[str] = mapped_column(String(300), unique=True)
    dataset_id: Mapped[str] = mapped_column(
        ForeignKey("dataset.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str] = mapped_column(String(500))
    format: Mapped[str] = mapped_column(String(16))
    managed: Mapped[bool] = mapped_column(Boolean)
    fingerprint: Mapped[str] = mapped_column(String(64))
    source_modified: Mapped[str | None] = mapped_column(String(40))
    first_harvested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_harvested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
