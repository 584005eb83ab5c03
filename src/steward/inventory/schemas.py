"""Inventory shapes in and out. Cross-field rules (a criterion marked yes needs a justification,
planned needs a date...) live in `rules.py`, so the API, the pages, the CLI and the spreadsheet
import report the same problems in the same words."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from steward.catalog.schemas import DATASET_ID_PATTERN, AccessLevel, Classification

SubmissionStatus = Literal["draft", "submitted", "returned", "accepted"]
OpenDataStatus = Literal["published", "planned", "not publishable"]
OPEN_DATA_STATUSES: tuple[str, ...] = ("published", "planned", "not publishable")
ACCESS_LEVELS: tuple[str, ...] = ("public", "restricted public", "non-public")
CLASSIFICATIONS: tuple[str, ...] = ("public", "protected", "personal", "private")
FLAGS: tuple[str, ...] = (
    "contains_pii",
    "contains_phi",
    "contains_fti",
    "contains_education_records",
)

TEXT_FIELDS: tuple[str, ...] = (
    "name",
    "description",
    "system_of_record",
    "owner",
    "steward",
    "custodian",
    "legal_authority",
    "access_reason",
    "not_publishable_reason",
    "update_frequency",
    "geographic_unit",
    "temporal_coverage",
)
Year = Annotated[int, Field(ge=2000, le=2100)]


Text64 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)]
Text100 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)]
Text200 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Text300 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)]
Text500 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
Text1000 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)]
Text4000 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]


class CycleCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    year: Year
    due_date: date = Field(description="When submissions are due (YYYY-MM-DD)")


class CriterionAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    applies: bool = False
    justification: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] = ""


class AssetFields(BaseModel):
    """Every field of an asset, all optional: the update shape and the base of the create one."""

    model_config = ConfigDict(extra="forbid")

    dataset_id: str | None = Field(default=None, description="The catalog dataset, if catalogued")
    name: Text300 | None = None
    description: Text4000 | None = None
    system_of_record: Text300 | None = None
    owner: Text200 | None = None
    steward: Text200 | None = None
    custodian: Text200 | None = None
    legal_authority: Text500 | None = None
    criteria: dict[str, CriterionAnswer] | None = Field(
        default=None, description="Letter (A-H) -> {applies, justification}"
    )
    classification: Classification | None = None
    contains_pii: bool | None = None
    contains_phi: bool | None = None
    contains_fti: bool | None = None
    contains_education_records: bool | None = None
    access_level: AccessLevel | None = None
    access_reason: Text1000 | None = None
    open_data_status: OpenDataStatus | None = None
    planned_date: date | None = None
    not_publishable_reason: Text1000 | None = None
    update_frequency: Text64 | None = None
    geographic_unit: Text100 | None = None
    temporal_coverage: Text100 | None = None

    @field_validator(*TEXT_FIELDS, mode="after")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None

    @field_validator("dataset_id")
    @classmethod
    def _dataset_id(cls, value: str | None) -> str | None:
        value = (value or "").strip() or None
        if value is not None and not DATASET_ID_PATTERN.match(value):
            raise ValueError("a catalog dataset id looks like abcd-1234")
        return value

    @field_validator("criteria")
    @classmethod
    def _letters(
        cls, value: dict[str, CriterionAnswer] | None
    ) -> dict[str, CriterionAnswer] | None:
        return None if value is None else {key.strip().upper(): item for key, item in value.items()}


class AssetCreate(AssetFields):
    """A new asset. Fields left out are filled from the catalog when `dataset_id` is given."""


class AssetUpdate(AssetFields):
    """Only the fields sent change; the result must still pass the rules."""


class CriterionPublic(BaseModel):
    letter: str
    label: str
    applies: bool
    justification: str


class AssetPublic(BaseModel):
    id: int
    key: str = Field(description="Names the asset across years (kept when carried forward)")
    year: int
    agency: str
    dataset_id: str | None
    name: str
    description: str
    system_of_record: str | None
    owner: str | None
    steward: str | None
    custodian: str | None
    legal_authority: str | None
    criteria: list[CriterionPublic]
    criteria_met: list[str]
    high_value: bool
    classification: str
    contains_pii: bool
    contains_phi: bool
    contains_fti: bool
    contains_education_records: bool
    access_level: str
    access_reason: str | None
    open_data_status: str
    planned_date: date | None
    not_publishable_reason: str | None
    update_frequency: str | None
    geographic_unit: str | None
    temporal_coverage: str | None
    carried_forward_from: int | None
    created_at: datetime
    updated_at: datetime
    updated_by: str


class SubmissionSummary(BaseModel):
    year: int
    due_date: date
    agency: str
    agency_name: str
    status: SubmissionStatus
    carried_forward_from: int | None
    submitted_at: datetime | None
    submitted_by: str | None
    reviewed_at: datetime | None
    reviewed_by: str | None
    review_comment: str | None
    asset_count: int
    high_value_count: int
    published_count: int
    overdue: bool
    editable: bool = Field(description="Assets may change (draft or returned)")


class SubmissionPublic(SubmissionSummary):
    assets: list[AssetPublic]


class CyclePublic(BaseModel):
    year: int
    due_date: date
    opened_by: str
    opened_at: datetime
    submissions: list[SubmissionSummary] = Field(
        description="The submissions the caller may see (every agency for the CDO)"
    )


class ReviewComment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    comment: Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)] = ""


class FieldChange(BaseModel):
    field: str
    before: Any
    after: Any


class ChangePublic(BaseModel):
    id: int
    at: datetime
    actor: str
    action: str
    asset_id: int | None
    asset_name: str | None
    comment: str | None
    changes: list[FieldChange]
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class DashboardRow(BaseModel):
    agency: str
    agency_name: str
    status: SubmissionStatus
    asset_count: int
    high_value_count: int
    published_count: int
    published_share: float | None = Field(description="Published assets / assets (none if empty)")
    overdue: bool
    submitted_at: datetime | None


class Dashboard(BaseModel):
    year: int
    due_date: date
    as_of: date
    agencies: list[DashboardRow]
    status_counts: dict[str, int]
    asset_count: int
    high_value_count: int
    published_count: int
    published_share: float | None
    overdue: list[str] = Field(description="Slugs of agencies past the due date, not submitted")


class CatalogCandidate(BaseModel):
    """A catalogued dataset of the agency that the submission does not list yet."""

    id: str
    title: str
    status: str
    access_level: str


class ImportResult(BaseModel):
    rows: int
    added: int
    updated: int
    removed: int
