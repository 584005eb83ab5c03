"""Classification tables: assessments of datasets and decisions about fields.

Both are append-only histories (the latest row is current); the only thing ever changed in place
is an assessment's review flag, set when a new version changes the schema it was made against.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from steward.db.base import Base, UTCDateTime, utcnow


class Assessment(Base):
    """One answered questionnaire for a dataset: the level, FIPS 199 impacts and rationale."""

    __tablename__ = "classification_assessment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset_id: Mapped[str] = mapped_column(
        String(9), ForeignKey("dataset.id", ondelete="CASCADE"), index=True
    )
    level: Mapped[str] = mapped_column(String(16))
    answers: Mapped[dict[str, str]] = mapped_column(JSON)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    rationale: Mapped[str] = mapped_column(Text)
    confidentiality: Mapped[str] = mapped_column(String(8))
    integrity: Mapped[str] = mapped_column(String(8))
    availability: Mapped[str] = mapped_column(String(8))
    # The columns (name and type) of the version the assessment was made against.
    schema: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    version_number: Mapped[int | None] = mapped_column(Integer)
    assessed_by: Mapped[str] = mapped_column(String(200))
    assessed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    review_reason: Mapped[str] = mapped_column(Text, default="")
    flagged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class FieldDecision(Base):
    """A steward confirming or overriding the classification of one field."""

    __tablename__ = "classification_field"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset_id: Mapped[str] = mapped_column(
        String(9), ForeignKey("dataset.id", ondelete="CASCADE"), index=True
    )
    field_name: Mapped[str] = mapped_column(String(255))
    level: Mapped[str] = mapped_column(String(16))
    answers: Mapped[dict[str, str] | None] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text, default="")
    proposed_level: Mapped[str | None] = mapped_column(String(16))
    proposed_reason: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
