"""Pydantic shapes going in and out of the standards service."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from steward.standards.outcome import Status

MAX_VALUES = 10_000
Value = Annotated[str, StringConstraints(max_length=1000)] | None
ElementId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,64}$")]


class NormalizeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    values: list[Value] = Field(max_length=MAX_VALUES, description="Values to normalize, in order")
    agency: str | None = Field(
        default=None, max_length=64, description="Agency slug: apply its stewards' decisions"
    )


class NormalizedValue(BaseModel):
    value: str | None
    status: Status
    normalized: str | None
    code: str | None
    confidence: float


class NormalizedDetail(NormalizedValue):
    reason: str


class PermittedValueOut(BaseModel):
    code: str
    label: str
    note: str = ""


class CompanionOut(BaseModel):
    suffix: str
    label: str


class ElementSummary(BaseModel):
    id: str
    name: str
    definition: str
    kind: str
    standard: str
    pattern: str | None
    code_meaning: str
    value_count: int | None
    companions: list[CompanionOut]
    provenance: list[str]
    notes: list[str]


class ElementPublic(ElementSummary):
    values: list[PermittedValueOut] | None


class ProfileSummary(BaseModel):
    state: str
    abbreviation: str
    fips: str
    towns: int
    counties: int
    regions: int
    known_variants: int
    zip_codes: int
    files: list[str]


class Registry(BaseModel):
    profile: ProfileSummary
    elements: list[ElementSummary]


class SuggestRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(default="", max_length=300, description="Field name and/or label")
    values: list[Value] = Field(max_length=MAX_VALUES)


class Suggestion(BaseModel):
    element: str
    name: str
    share: float = Field(description="Share of the distinct values checked that normalize")
    reason: str


DecisionStatus = Literal["matched", "out_of_state", "invalid"]


class DecisionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    agency: str = Field(max_length=64)
    element: ElementId
    value: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
    status: DecisionStatus = "matched"
    target: str | None = Field(
        default=None, max_length=500, description="For `matched`: the standard value it means"
    )
    note: str = Field(default="", max_length=2000)


class DecisionPublic(BaseModel):
    agency: str
    element: str
    value: str
    status: str
    normalized: str | None
    code: str | None
    note: str
    decided_by: str
    decided_at: datetime


class NormalizationSetting(BaseModel):
    dataset_id: str
    field: str
    element: str
    created_by: str
    created_at: datetime


class ValueCount(BaseModel):
    value: str
    count: int
    status: Status
    suggestion: str | None = Field(description="The candidate a steward may confirm (review)")
    code: str | None
    reason: str


class FieldConformance(BaseModel):
    field: str
    label: str
    type: str
    element: str | None = Field(description="The declared element (dictionary or ingest opt-in)")
    normalized_on_ingest: bool
    rows: int
    blank: int
    distinct: int
    distinct_checked: int
    valid: int = Field(description="Rows already in the standard form")
    normalizable: int = Field(description="Rows that map to a permitted value (valid included)")
    review: int
    out_of_state: int
    invalid: int
    percent_valid: float | None = Field(description="Of the non-blank rows checked")
    percent_normalizable: float | None
    top_invalid: list[ValueCount]
    suggestions: list[Suggestion]


class ConformanceReport(BaseModel):
    dataset_id: str
    title: str
    agency: str
    version: int
    row_count: int
    declared_fields: int
    fields: list[FieldConformance]
