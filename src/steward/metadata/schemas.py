"""Pydantic shapes of the metadata completeness checks and the state-wide report."""

from __future__ import annotations

from pydantic import BaseModel, Field


class CheckResult(BaseModel):
    id: str
    label: str
    standard_field: str = Field(description="The Connecticut standard's field this check encodes")
    required: bool
    weight: int
    passed: bool
    hint: str = Field(description="How a steward fills the gap")


class Completeness(BaseModel):
    """How completely one dataset's metadata meets the Connecticut standard."""

    dataset_id: str
    title: str
    agency: str
    agency_name: str
    score: int = Field(description="0-100: the weighted share of checks passed")
    meets_standard: bool = Field(description="Every required check passes")
    missing: list[str] = Field(description="Ids of the checks that fail, required ones first")
    undescribed_fields: list[str]
    checks: list[CheckResult]


class DatasetScore(BaseModel):
    id: str
    title: str
    score: int
    meets_standard: bool
    missing: list[str]


class AgencyReport(BaseModel):
    agency: str
    agency_name: str
    public_datasets: int = Field(description="Published datasets whose rows are open")
    meeting_standard: int
    percent: float | None = Field(description="Percent meeting the standard; null with none")
    datasets: list[DatasetScore]


class MetadataReport(BaseModel):
    """The plan's Goal 2 metric: percent of public datasets meeting the metadata standard."""

    public_datasets: int
    meeting_standard: int
    percent: float | None
    agencies: list[AgencyReport]
