"""Maturity and ethics assessment shapes in and out."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from steward.catalog.schemas import DATASET_ID_PATTERN

AssessmentStatus = Literal["draft", "completed"]
Text200 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Text300 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)]
Text4000 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
Slug = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Level = Annotated[int, Field(ge=1, le=5)]
Score = Annotated[int, Field(ge=0, le=5)]


# maturity ----------------------------------------------------------------------------------


class MaturityUpdate(BaseModel):
    """Only what is sent changes: some cells, some notes, the summary."""

    model_config = ConfigDict(extra="forbid")

    ratings: dict[str, dict[str, Level | None]] = Field(
        default_factory=dict, description="element -> {people|policies|capabilities: 1-5}"
    )
    notes: dict[str, Text4000] = Field(default_factory=dict, description="element -> notes")
    summary: Text4000 | None = None


class MaturityCell(BaseModel):
    dimension: str
    dimension_label: str
    level: int | None
    level_name: str
    previous: int | None
    change: float | None = Field(description="level - previous, when both are rated")
    direction: Literal["up", "down", "same", "new", "none"]


class MaturityRow(BaseModel):
    element: str
    label: str
    description: str
    cells: list[MaturityCell]
    mean: float | None
    previous_mean: float | None
    change: float | None
    direction: Literal["up", "down", "same", "new", "none"]
    note: str | None = Field(description="Staff only: none for the public")


class MaturitySummary(BaseModel):
    agency: str
    agency_name: str
    number: int
    status: AssessmentStatus
    overall: float | None = Field(description="Mean of the rated cells (1-5)")
    overall_level: str
    rated: int
    cells: int
    created_at: datetime
    created_by: str
    updated_at: datetime
    completed_at: datetime | None
    completed_by: str | None


class MaturityPublic(MaturitySummary):
    previous_number: int | None = Field(description="The completed assessment compared against")
    previous_overall: float | None
    started_from: int | None
    rows: list[MaturityRow]
    dimension_means: dict[str, float | None]
    summary: str | None = Field(description="Staff only: none for the public")
    unrated: list[str] = Field(description="Cells still without a level (element.dimension)")


# ethics ------------------------------------------------------------------------------------


class EthicsCreate(BaseModel):
    """An assessment of a catalog dataset (its agency is the dataset's) or of a project."""

    model_config = ConfigDict(extra="forbid")

    agency: Slug | None = Field(default=None, description="Required for a project")
    dataset_id: str | None = None
    title: Text300 | None = Field(default=None, description="Defaults to the dataset's title")
    description: Text4000 = ""

    @field_validator("dataset_id")
    @classmethod
    def _dataset_id(cls, value: str | None) -> str | None:
        value = (value or "").strip() or None
        if value is not None and not DATASET_ID_PATTERN.match(value):
            raise ValueError("a catalog dataset id looks like abcd-1234")
        return value

    @field_validator("agency", "title", mode="after")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None


class ScoreInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    score: Score | None = None
    notes: Text4000 | None = None


class EthicsUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scores: dict[str, ScoreInput] = Field(
        default_factory=dict, description="principle -> {score 0-5, notes}"
    )
    title: Text300 | None = None
    description: Text4000 | None = None


class PrincipleScore(BaseModel):
    principle: str
    label: str
    question: str
    score: int | None
    score_meaning: str | None
    notes: str
    risk: bool = Field(description="Scored 2 or less")


class RiskPublic(BaseModel):
    id: int
    assessment_id: int
    assessment_title: str
    assessment_status: AssessmentStatus
    agency: str
    agency_name: str
    dataset_id: str | None
    principle: str
    principle_label: str
    score: int
    owner: str | None
    mitigation: str | None
    ready: bool = Field(description="Has an owner and a mitigation")
    status: Literal["open", "closed"]
    opened_at: datetime
    updated_by: str
    closed_at: datetime | None
    closed_by: str | None
    closing_note: str | None


class RiskUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    owner: Text200 | None = None
    mitigation: Text4000 | None = None


class RiskClose(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: Text4000 = Field(description="How the risk was resolved (required)")


class EthicsSummary(BaseModel):
    id: int
    agency: str
    agency_name: str
    dataset_id: str | None
    title: str
    status: AssessmentStatus
    total: int | None = Field(description="Sum of the five scores (of 25) once all are scored")
    open_risks: int
    created_at: datetime
    created_by: str
    updated_at: datetime
    completed_at: datetime | None
    completed_by: str | None


class EthicsPublic(EthicsSummary):
    description: str
    scores: list[PrincipleScore]
    risks: list[RiskPublic]
    problems: list[str] = Field(description="What stops completion (empty when nothing does)")


# pages -------------------------------------------------------------------------------------


class MaturityPage(BaseModel):
    """An agency's public maturity page: its latest (or asked-for) completed assessment."""

    agency: str
    agency_name: str
    assessment: MaturityPublic | None
    completed: list[int] = Field(description="Numbers of the completed assessments, newest first")


class AgencyAssessments(BaseModel):
    agency: str
    agency_name: str
    can_assess_maturity: bool
    can_assess_ethics: bool
    maturity: list[MaturitySummary]


class AssessmentOverview(BaseModel):
    """The console's assessments page: the actor's agencies, their assessments and risks."""

    agencies: list[AgencyAssessments]
    ethics: list[EthicsSummary]
    open_risks: int


class Choice(BaseModel):
    value: str
    label: str


class EthicsFormOptions(BaseModel):
    """What the new-assessment form offers: agencies where the actor may assess, and the
    datasets of the chosen one."""

    agency: str
    agencies: list[Choice]
    datasets: list[Choice]
