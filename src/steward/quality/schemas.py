"""Pydantic shapes of quality: profiles, rules and their results, scores, comparisons,
freshness, and feedback (tables never leave the services)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

Severity = Literal["warn", "block"]
RuleKind = Literal[
    "not_null",
    "unique",
    "allowed_values",
    "range",
    "regex",
    "reference",
    "row_count_change",
    "soql",
    "standard",
]
FreshnessStatus = Literal["on_schedule", "due", "overdue", "unscheduled", "no_data"]
FeedbackStatus = Literal["new", "acknowledged", "fixed", "wont_fix"]


class TopValue(BaseModel):
    value: Any
    count: int


class Pattern(BaseModel):
    pattern: str
    share: float


class HistogramBin(BaseModel):
    start: Any
    end: Any
    count: int


class FieldProfile(BaseModel):
    name: str
    type: str
    physical: str
    null_count: int
    null_share: float
    distinct_count: int | None
    distinct_exact: bool
    min: Any = None
    max: Any = None
    mean: Any = None
    stddev: float | None = Field(default=None, description="For timestamps, in days")
    quantiles: dict[str, Any] | None = None
    top_values: list[TopValue] = Field(default_factory=list)
    length_min: int | None = None
    length_max: int | None = None
    patterns: list[Pattern] = Field(default_factory=list)
    patterns_sampled: bool = False
    histogram: list[HistogramBin] = Field(default_factory=list)
    standard: dict[str, Any] | None = Field(
        default=None, description="Conformance to the standard element the dictionary declares"
    )


class Profile(BaseModel):
    dataset_id: str = ""
    version: int = 0
    row_count: int
    duplicate_rows: int
    key_fields: list[str] = Field(default_factory=list)
    duplicate_keys: int | None = None
    exact: bool
    seconds: float = 0.0
    fields: list[FieldProfile]


class RuleCreate(BaseModel):
    kind: RuleKind
    fields: list[str] = Field(default_factory=list, max_length=16)
    severity: Severity = "warn"
    description: str = Field(default="", max_length=2000)
    values: list[str | float | bool] | None = Field(default=None, max_length=10_000)
    min: float | str | None = None
    max: float | str | None = None
    pattern: str | None = Field(default=None, max_length=1000)
    table: str | None = Field(default=None, max_length=100)
    ignore_case: bool = False
    where: str | None = Field(default=None, max_length=4000)
    element: str | None = Field(default=None, max_length=100)


class RulePublic(BaseModel):
    id: int | None
    dataset_id: str
    kind: str
    fields: list[str]
    params: dict[str, Any]
    severity: str
    description: str
    created_by: str
    created_at: datetime | None


class RuleResultPublic(BaseModel):
    rule: RulePublic
    passed: bool
    failing_count: int
    checked_count: int
    message: str
    samples: list[dict[str, Any]] | None = Field(
        description="Up to five failing rows (`:id` and values); null where rows are not public"
    )


class ScorePart(BaseModel):
    name: str
    value: float | None = Field(description="0-100, or null when not measured")
    weight: float
    explanation: str


class QualityScore(BaseModel):
    score: float | None
    parts: list[ScorePart]
    formula: str


class FieldChange(BaseModel):
    name: str
    change: Literal["added", "removed", "type_changed"]
    before: str | None = None
    after: str | None = None


class DistributionShift(BaseModel):
    name: str
    mean_before: float | None
    mean_after: float | None
    stddev_before: float | None
    null_share_before: float
    null_share_after: float
    shift: float | None = Field(description="|mean change| / stddev before")
    flagged: bool


class Comparison(BaseModel):
    dataset_id: str
    from_version: int
    to_version: int
    rows_before: int
    rows_after: int
    key_fields: list[str]
    rows_added: int | None
    rows_removed: int | None
    rows_changed: int | None
    schema_changes: list[FieldChange]
    shifts: list[DistributionShift]


class Freshness(BaseModel):
    status: FreshnessStatus
    label: str
    frequency: str | None
    last_date: datetime | None = Field(description="The newest date the data covers, or its load")
    basis: Literal["data", "coverage", "loaded"] | None
    basis_field: str | None = None
    expected_by: datetime | None = None
    overdue_days: int = 0


class VersionQuality(BaseModel):
    dataset_id: str
    version: int
    is_current: bool
    blocked: bool
    checked_at: datetime
    score: QualityScore
    freshness: Freshness
    results: list[RuleResultPublic]
    comparison: Comparison | None


class DatasetFreshness(BaseModel):
    id: str
    title: str
    freshness: Freshness


class AgencyFreshness(BaseModel):
    agency: str
    agency_name: str
    datasets: int
    scheduled: int
    on_schedule: int
    due: int
    overdue: int
    percent_on_schedule: float | None
    items: list[DatasetFreshness]


class FreshnessReport(BaseModel):
    agencies: list[AgencyFreshness]
    datasets: int
    scheduled: int
    on_schedule: int
    percent_on_schedule: float | None


class QualitySettings(BaseModel):
    dataset_id: str
    key_fields: list[str]
    date_field: str | None


class FeedbackCreate(BaseModel):
    """What a member of the public reports about a dataset (sizes capped against abuse)."""

    message: str = Field(min_length=10, max_length=4000)
    field: str | None = Field(default=None, max_length=255)
    row_reference: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=320)


class FeedbackEventPublic(BaseModel):
    status: FeedbackStatus
    note: str
    at: datetime


class FeedbackPublic(BaseModel):
    """The reporter's view through their private link (no email, no steward names)."""

    dataset_id: str
    dataset_title: str
    version: int | None
    message: str
    field: str | None
    row_reference: str | None
    status: FeedbackStatus
    fixed_in_version: int | None
    reason: str | None
    created_at: datetime
    events: list[FeedbackEventPublic]


class FeedbackItem(BaseModel):
    """A report in the stewards' queue."""

    id: int
    dataset_id: str
    dataset_title: str
    agency: str
    version: int | None
    message: str
    field: str | None
    row_reference: str | None
    email: str | None
    status: FeedbackStatus
    fixed_in_version: int | None
    reason: str | None
    created_at: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None


class FeedbackUpdate(BaseModel):
    status: Literal["acknowledged", "fixed", "wont_fix"]
    fixed_in_version: int | None = Field(default=None, ge=1)
    reason: str | None = Field(default=None, max_length=4000)
    note: str = Field(default="", max_length=4000)


class FeedbackCounts(BaseModel):
    open: int
    fixed: int
    wont_fix: int
    total: int


class AgencyResponseTimes(BaseModel):
    agency: str
    agency_name: str
    reports: int
    open: int
    responded: int
    resolved: int
    median_hours_to_response: float | None
    median_hours_to_resolution: float | None
    oldest_open_days: float | None


class ResponseTimes(BaseModel):
    agencies: list[AgencyResponseTimes]
    reports: int
    open: int
    median_hours_to_response: float | None
    median_hours_to_resolution: float | None


class QualityDeclarations(BaseModel):
    dataset_id: str
    key_fields: list[str]
    date_field: str | None
    rules: list[RulePublic]
