"""Pydantic shapes of data requests: what a requester sends, the public view (no personal
details), the requester's own view, the agency's view, transitions, metrics and the outbox."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from steward.catalog.schemas import EMAIL

Status = Literal["received", "acknowledged", "in_progress", "fulfilled", "declined", "referred"]
STATUSES: tuple[Status, ...] = (
    "received",
    "acknowledged",
    "in_progress",
    "fulfilled",
    "declined",
    "referred",
)
OPEN: frozenset[str] = frozenset({"received", "acknowledged", "in_progress", "referred"})
CLOSED: frozenset[str] = frozenset({"fulfilled", "declined"})
RequesterKind = Literal[
    "individual", "business", "nonprofit", "academic", "media", "government", "agency_staff"
]
KIND_LABELS: dict[str, str] = {
    "individual": "a member of the public",
    "business": "a business",
    "nonprofit": "a nonprofit organization",
    "academic": "a researcher or student",
    "media": "the news media",
    "government": "another government",
    "agency_staff": "state agency staff",
}
STATUS_LABELS: dict[str, str] = {
    "received": "received",
    "acknowledged": "acknowledged",
    "in_progress": "in progress",
    "fulfilled": "fulfilled",
    "declined": "declined",
    "referred": "referred",
}
Action = Literal["acknowledge", "progress", "fulfil", "decline", "refer"]
ACTIONS: tuple[Action, ...] = ("acknowledge", "progress", "fulfil", "decline", "refer")


def _blank_to_none(value: object) -> object:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


class DataRequestCreate(BaseModel):
    """A request for data, from the public form, the API or the CLI (sizes capped)."""

    requester_name: str = Field(min_length=1, max_length=200)
    requester_email: str = Field(max_length=320)
    organization: str | None = Field(default=None, max_length=300)
    requester_kind: RequesterKind = "individual"
    title: str = Field(min_length=5, max_length=200, description="The data asked for; public.")
    description: str = Field(min_length=10, max_length=4000)
    purpose: str = Field(min_length=10, max_length=4000)
    period: str | None = Field(default=None, max_length=200)
    granularity: str | None = Field(default=None, max_length=200)
    data_format: str | None = Field(default=None, max_length=100)
    frequency: str | None = Field(default=None, max_length=100)
    agency: str | None = Field(default=None, max_length=64, description="Agency slug, if known.")
    dataset_id: str | None = Field(default=None, max_length=9)

    @field_validator(
        "organization",
        "period",
        "granularity",
        "data_format",
        "frequency",
        "agency",
        "dataset_id",
        mode="before",
    )
    @classmethod
    def _optional(cls, value: object) -> object:
        return _blank_to_none(value)

    @field_validator("requester_name", "title", "description", "purpose")
    @classmethod
    def _trimmed(cls, value: str) -> str:
        trimmed = value.strip()
        if not trimmed:
            raise ValueError("must not be blank")
        return trimmed

    @field_validator("requester_email")
    @classmethod
    def _email(cls, value: str) -> str:
        value = value.strip()
        if not EMAIL.match(value):
            raise ValueError("is not an email address")
        return value


class Clock(BaseModel):
    """Where a request stands against its two due dates (business days, local dates)."""

    received_on: date
    ack_due: date
    response_due: date
    acknowledged_on: date | None
    closed_on: date | None
    ack_overdue: bool
    response_overdue: bool
    overdue: bool
    business_days_open: int


class EventPublic(BaseModel):
    status: Status
    note: str
    at: datetime
    agency_name: str | None


class EventItem(EventPublic):
    actor: str


class DataRequestPublic(BaseModel):
    """What anyone may see: what data, which agency, where it stands, the outcome. Nothing
    about who asked beyond the kind of requester."""

    id: int
    title: str
    agency: str | None
    agency_name: str | None
    dataset_id: str | None
    dataset_title: str | None
    requester_kind: RequesterKind
    status: Status
    clock: Clock
    outcome_url: str | None
    decline_reason: str | None
    referred_from: str | None


class DataRequestPrivate(DataRequestPublic):
    """The requester's view through the private link: their request and its history."""

    description: str
    purpose: str
    period: str | None
    granularity: str | None
    data_format: str | None
    frequency: str | None
    created_at: datetime
    events: list[EventPublic]


class DataRequestItem(DataRequestPrivate):
    """The agency's view: who asked and how to reach them, and who did what."""

    requester_name: str
    requester_email: str
    organization: str | None
    filed_by: str | None
    events: list[EventItem]  # type: ignore[assignment]


class RequestFiled(BaseModel):
    """The answer to filing: the private token (shown once) and the request."""

    token: str
    follow_path: str
    request: DataRequestPrivate


class RequestTransition(BaseModel):
    """Move a request on: acknowledge, progress (in progress, or a note while in progress),
    fulfil (with a link or a catalog dataset), decline (with a reason), refer (to an agency)."""

    action: Action
    note: str = Field(default="", max_length=4000)
    link: str | None = Field(default=None, max_length=500)
    dataset_id: str | None = Field(default=None, max_length=9)
    reason: str | None = Field(default=None, max_length=4000)
    agency: str | None = Field(default=None, max_length=64)

    @field_validator("link", "dataset_id", "reason", "agency", mode="before")
    @classmethod
    def _optional(cls, value: object) -> object:
        return _blank_to_none(value)


class AgencyMetrics(BaseModel):
    """Timeliness of one agency's requests (medians and on-time shares in business days)."""

    agency: str | None
    agency_name: str
    received: int
    open: int
    overdue: int
    acknowledged: int
    responded: int
    median_days_to_acknowledge: float | None
    median_days_to_respond: float | None
    acknowledged_on_time: float | None
    responded_on_time: float | None


class RequestMetrics(BaseModel):
    as_of: date
    ack_days: int
    response_days: int
    agencies: list[AgencyMetrics]
    state: AgencyMetrics


class OutboxMessagePublic(BaseModel):
    id: int
    to_address: str
    subject: str
    body: str
    kind: str
    request_id: int | None
    agency: str | None
    created_at: datetime
    sent_at: datetime | None
    attempts: int
    last_error: str | None


class ReminderRun(BaseModel):
    """What `steward request remind` did."""

    as_of: date
    checked: int
    queued: int
    already_reminded: int
    sent: int
    failed: int


class DeliveryResult(BaseModel):
    sent: int
    failed: int
    kept: int  # waiting: no mail server is configured
