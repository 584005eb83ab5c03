"""Open Data Access Plan shapes in and out."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from steward.catalog.schemas import DATASET_ID_PATTERN
from steward.plans.adherence import normalize_period

Priority = Literal["high", "medium", "low"]
PRIORITIES: tuple[str, ...] = ("high", "medium", "low")
EntryKind = Literal["published", "planned"]
KINDS: tuple[str, ...] = ("planned", "published")
PlanStatus = Literal["draft", "published"]
Text64 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)]
Text300 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)]
Text4000 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
Text8000 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=8000)]
Slug = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


class PlanCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    agency: Slug = Field(description="The agency's short id, e.g. dph")
    period: str = Field(description="Two consecutive years, e.g. 2026-2027")
    summary: Text8000 = Field(default="", description="Goals and approach, in plain words")

    @field_validator("period")
    @classmethod
    def _period(cls, value: str) -> str:
        return normalize_period(value)


class PlanUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    summary: Text8000


class EntryFields(BaseModel):
    """Every field of an entry, all optional: the update shape and the base of the create one."""

    model_config = ConfigDict(extra="forbid")

    kind: EntryKind | None = Field(
        default=None, description="published (already available) or planned (to be released)"
    )
    title: Text300 | None = None
    description: Text4000 | None = None
    dataset_id: str | None = Field(default=None, description="The catalog dataset it concerns")
    asset_key: Text64 | None = Field(
        default=None, description="The inventory asset it concerns (its key, kept across years)"
    )
    priority: Priority | None = None
    target_date: date | None = Field(default=None, description="Release by (planned entries)")
    update_frequency: Text64 | None = None
    rationale: Text4000 | None = None

    @field_validator("dataset_id")
    @classmethod
    def _dataset_id(cls, value: str | None) -> str | None:
        value = (value or "").strip() or None
        if value is not None and not DATASET_ID_PATTERN.match(value):
            raise ValueError("a catalog dataset id looks like abcd-1234")
        return value

    @field_validator("title", "asset_key", "update_frequency", mode="after")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None


class EntryCreate(EntryFields):
    """A new entry. The title comes from the dataset or the inventory asset when left out."""

    kind: EntryKind = "planned"
    priority: Priority = "medium"


class EntryUpdate(EntryFields):
    """Only the fields sent change (send null to clear a link, a date or the frequency)."""


class EntryPublic(BaseModel):
    id: int
    kind: EntryKind
    title: str
    description: str
    priority: Priority
    target_date: date | None
    committed_date: date | None = Field(
        description="The target when the plan was published; adherence is judged by it"
    )
    rescheduled: bool = Field(description="The target was moved after the plan was published")
    update_frequency: str | None
    rationale: str
    dataset_id: str | None
    dataset_title: str | None
    dataset_status: str | None
    asset_key: str | None
    asset_name: str | None
    asset_year: int | None = Field(description="The inventory year of the asset shown")
    released_on: date | None = Field(description="When the dataset was published")
    adherence: str = Field(description="available, withdrawn, on_time, late, overdue or pending")
    adherence_label: str
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str


class AdherenceSummary(BaseModel):
    """How a plan stands: counts by status and the share of due releases made on time."""

    agency: str
    agency_name: str
    period: str
    plan_status: PlanStatus
    as_of: date
    entries: int
    planned: int
    counts: dict[str, int] = Field(description="status -> entries (every status listed)")
    on_time_share: float | None = Field(
        description="on_time / (on_time + late + overdue); none when nothing is due yet"
    )


class PlanSummary(BaseModel):
    agency: str
    agency_name: str
    period: str
    status: PlanStatus
    summary: str
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str
    published_at: datetime | None
    published_by: str | None
    adherence: AdherenceSummary


class PlanPublic(PlanSummary):
    entries: list[EntryPublic]


class AgencyPlan(BaseModel):
    """An agency and its current published plan (if any), for the public index."""

    agency: str
    agency_name: str
    plan: PlanSummary | None


class AgencyPlanPage(BaseModel):
    """An agency's public plan page: the plan shown (if any) and the periods it has published."""

    agency: str
    agency_name: str
    plan: PlanPublic | None
    periods: list[str]


class LinkOption(BaseModel):
    value: str
    label: str


class LinkOptions(BaseModel):
    """What an entry may link: the agency's catalog datasets and latest inventory assets."""

    datasets: list[LinkOption]
    assets: list[LinkOption]
    inventory_year: int | None
