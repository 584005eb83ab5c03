"""What the sharing API, pages and CLI exchange: Create / Update / Public shapes."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from steward.sharing.checklists import AUTHORITIES

KINDS = {
    "mou": "Memorandum of understanding",
    "moa": "Memorandum of agreement",
    "dsa": "Data sharing agreement",
    "dua": "Data use agreement / license",
    "baa": "Business associate agreement",
}
DATA_LEVELS = {
    "identified": "Identified",
    "limited": "Limited data set",
    "deidentified": "De-identified",
}
STATUSES = ("draft", "legal_review", "signed", "active", "expired", "terminated")
STATUS_LABELS = {
    "draft": "Draft",
    "legal_review": "Legal review",
    "signed": "Signed",
    "active": "Active",
    "expired": "Expired",
    "terminated": "Terminated",
}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
FIELD_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,254}$")
Kind = Literal["mou", "moa", "dsa", "dua", "baa"]
Level = Literal["identified", "limited", "deidentified"]
Long = Field(default="", max_length=8000)


class Signatory(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    title: str = Field(default="", max_length=200)
    organization: str = Field(default="", max_length=300)
    signed_on: date | None = None


class SharedDatasetIn(BaseModel):
    dataset_id: str = Field(min_length=9, max_length=9)
    fields: list[str] = Field(min_length=1, max_length=500)
    row_filter: str | None = Field(default=None, max_length=4000)
    identifier_fields: list[str] = Field(default_factory=list, max_length=20)

    @field_validator("fields", "identifier_fields")
    @classmethod
    def _names(cls, value: list[str]) -> list[str]:
        """Field names; an identifier may name its kind for the consent check (`born=dob`)."""
        names = [name.strip().lower() for name in value if name.strip()]
        bad = [name for name in names if not FIELD_NAME.match(name.partition("=")[0])]
        if bad:
            raise ValueError(f"not a field name: {bad[0][:60]!r}")
        return list(dict.fromkeys(names))

    @field_validator("row_filter")
    @classmethod
    def _filter(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None


class AgreementFields(BaseModel):
    """The editable attributes, shared by create and update."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(default=None, min_length=3, max_length=300)
    kind: Kind | None = None
    recipient_agency: str | None = Field(default=None, max_length=64)
    recipient_organization: str | None = Field(default=None, max_length=300)
    purposes: list[str] | None = Field(default=None, max_length=20)
    prohibited_uses: str | None = Field(default=None, max_length=8000)
    legal_authorities: list[str] | None = Field(default=None, max_length=len(AUTHORITIES))
    state_statute: str | None = Field(default=None, max_length=8000)
    data_level: Level | None = None
    program: str | None = Field(default=None, max_length=200)
    consent_purpose: str | None = Field(default=None, max_length=200)
    suppression_rule: str | None = Field(default=None, max_length=8000)
    transfer_security: str | None = Field(default=None, max_length=8000)
    redisclosure: str | None = Field(default=None, max_length=8000)
    retention: str | None = Field(default=None, max_length=8000)
    destruction_method: str | None = Field(default=None, max_length=8000)
    destruction_due: date | None = None
    destruction_certificate: str | None = Field(default=None, max_length=8000)
    effective_date: date | None = None
    end_date: date | None = None
    renewal_reminder_days: int | None = Field(default=None, ge=0, le=3650)
    signatories: list[Signatory] | None = Field(default=None, max_length=20)
    datasets: list[SharedDatasetIn] | None = Field(default=None, max_length=50)
    authorized_users: list[str] | None = Field(default=None, max_length=200)

    @field_validator("purposes")
    @classmethod
    def _purposes(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        if any(len(p) > 1000 for p in value):
            raise ValueError("a purpose is at most 1,000 characters")
        return [p.strip() for p in value if p.strip()]

    @field_validator("legal_authorities")
    @classmethod
    def _authorities(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        unknown = [a for a in value if a not in AUTHORITIES]
        if unknown:
            raise ValueError(
                f"unknown legal authority {unknown[0][:60]!r}: use {', '.join(AUTHORITIES)}"
            )
        return list(dict.fromkeys(value))

    @field_validator("authorized_users")
    @classmethod
    def _emails(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        emails = [e.strip().lower() for e in value if e.strip()]
        bad = [e for e in emails if len(e) > 320 or not EMAIL.match(e)]
        if bad:
            raise ValueError(f"not an email address: {bad[0][:80]!r}")
        return list(dict.fromkeys(emails))

    @model_validator(mode="after")
    def _term(self) -> AgreementFields:
        if self.effective_date and self.end_date and self.end_date < self.effective_date:
            raise ValueError("the end date is before the effective date")
        return self


class AgreementCreate(AgreementFields):
    title: str = Field(min_length=3, max_length=300)
    kind: Kind = "dsa"
    provider: str = Field(max_length=64, description="Provider agency slug")

    @model_validator(mode="after")
    def _recipient(self) -> AgreementCreate:
        if bool(self.recipient_agency) == bool(self.recipient_organization):
            raise ValueError("name the recipient: an agency or an external organization (one)")
        return self


class AgreementUpdate(AgreementFields):
    """Only the attributes given are changed."""


class StatusChange(BaseModel):
    status: Literal["draft", "legal_review", "signed", "active", "expired", "terminated"]
    note: str = Field(default="", max_length=4000)


class SharedDatasetPublic(BaseModel):
    dataset_id: str
    title: str
    fields: list[str]
    row_filter: str | None
    identifier_fields: list[str]


class EventPublic(BaseModel):
    at: datetime
    by: str
    action: str
    from_status: str | None
    to_status: str | None
    note: str


class DocumentPublic(BaseModel):
    id: int
    filename: str
    content_type: str
    byte_size: int
    sha256: str
    description: str
    uploaded_at: datetime
    uploaded_by: str


class CheckItemPublic(BaseModel):
    authority: str
    element: str
    text: str
    met: bool


class UsePublic(BaseModel):
    id: int
    grant_id: int
    purpose: str
    opened_at: datetime
    expires_at: datetime
    reads: int


class GrantPublic(BaseModel):
    id: int
    agreement_id: int
    agreement_title: str
    provider_name: str
    user_email: str
    user_name: str
    state: str  # active | suspended | revoked | inactive
    reason: str  # why it is not active ("" when active)
    end_date: date | None
    suspended_at: datetime | None
    suspend_reason: str | None
    revoked_at: datetime | None = None
    datasets: list[SharedDatasetPublic]
    open_use: UsePublic | None


class AgreementSummary(BaseModel):
    id: int
    title: str
    kind: str
    kind_label: str
    provider: str
    provider_name: str
    recipient_name: str
    status: str
    effective_date: date | None
    end_date: date | None
    renewal_due: bool
    days_left: int | None
    dataset_ids: list[str]


class AgreementPublic(AgreementSummary):
    stored_status: str
    recipient_agency: str | None
    recipient_organization: str | None
    purposes: list[str]
    prohibited_uses: str
    legal_authorities: list[str]
    state_statute: str
    data_level: str
    program: str
    consent_purpose: str
    suppression_rule: str
    transfer_security: str
    redisclosure: str
    retention: str
    destruction_method: str
    destruction_due: date | None
    destruction_certificate: str
    renewal_reminder_days: int
    signatories: list[Signatory]
    datasets: list[SharedDatasetPublic]
    grants: list[GrantPublic]
    history: list[EventPublic]
    documents: list[DocumentPublic]
    checklist: list[CheckItemPublic]
    next_statuses: list[str]


class CatalogEntry(BaseModel):
    """An active agreement as the public catalog shows it: no named people."""

    id: int
    title: str
    kind_label: str
    provider_name: str
    recipient_name: str
    purposes: list[str]
    legal_authorities: list[str]
    data_level: str
    effective_date: date | None
    end_date: date | None
    datasets: list[SharedDatasetPublic]


class UseCreate(BaseModel):
    purpose: str = Field(min_length=5, max_length=2000)


class ExtractCreate(BaseModel):
    dataset_id: str = Field(min_length=9, max_length=9)
    purpose: str = Field(min_length=5, max_length=2000)


class ExtractPublic(BaseModel):
    id: int
    agreement_id: int
    dataset_id: str
    purpose: str
    fields: list[str]
    row_count: int
    excluded_opted_out: int
    created_at: datetime
    created_by: str


class ImportResult(BaseModel):
    created: int
    ids: list[int]


class SuspendRequest(BaseModel):
    reason: str = Field(default="", max_length=2000)


def plain(values: dict[str, Any]) -> dict[str, Any]:
    """Drop unset values of a form before validation."""
    return {k: v for k, v in values.items() if v not in (None, "", [])}
