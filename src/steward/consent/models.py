"""Tables of the consent registry: programs (whose agency manages their consent) and consent
records. A record names a person only by keyed hashes of normalized identifiers; raw names,
dates of birth and SSNs are never stored. Records are never changed: a new decision (or a
revocation) is a new record, so a person's records are their history."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from steward.catalog.models import Agency
from steward.db.base import Base, UTCDateTime, utcnow


class ConsentProgram(Base):
    """A program people consent to (or opt out of), run by one agency.

    `model` is `opt_out` (people are included unless they opted out) or `opt_in` (a person is
    included only with an opt-in in force, as 42 CFR Part 2 requires for disclosure).
    """

    __tablename__ = "consent_program"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    model: Mapped[str] = mapped_column(String(8), default="opt_out")
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    agency: Mapped[Agency] = relationship(lazy="joined")


class ConsentRecord(Base):
    """One decision of one person for one program and purpose, with the 42 CFR 2.31 elements."""

    __tablename__ = "consent_record"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("consent_program.id", ondelete="CASCADE"), index=True
    )
    name_dob_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    ssn_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    purpose: Mapped[str] = mapped_column(String(200))
    scope: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[str] = mapped_column(String(8))
    effective_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    expiry_event: Mapped[str] = mapped_column(String(300), default="")
    discloser: Mapped[str] = mapped_column(String(300), default="")
    recipient: Mapped[str] = mapped_column(String(300), default="")
    revocation_noted: Mapped[bool] = mapped_column(Boolean, default=False)
    signature_present: Mapped[bool] = mapped_column(Boolean, default=False)
    signed_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(320))

    program: Mapped[ConsentProgram] = relationship(lazy="joined")


class ConsentKeyCheck(Base):
    """The single row (id 1) holding an HMAC of a fixed text under the registry key: a store
    opened with a different key is refused instead of silently matching nobody."""

    __tablename__ = "consent_key_check"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    fingerprint: Mapped[str] = mapped_column(String(64))
