"""Progress reports and the CDO dashboard: what goes in and what comes out.

`Figures` is what Steward measures for one agency (or the whole state) at one moment; a report
stores it as JSON, so it is also the shape of every snapshot.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

ReportStatus = Literal["draft", "submitted", "returned", "accepted"]
REPORT_STATUSES: tuple[ReportStatus, ...] = ("draft", "submitted", "returned", "accepted")
EDITABLE: frozenset[str] = frozenset({"draft", "returned"})
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Narrative = Annotated[str, StringConstraints(strip_whitespace=True, max_length=8000)]
Comment = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


class Goal(BaseModel):
    id: str
    title: str
    description: str


class Figure(BaseModel):
    """One measured figure: its value, how to read it, and where its records are listed."""

    key: str
    goal: str
    label: str
    value: float | None = Field(description="The number, or null when nothing can be measured")
    display: str = Field(description="The value as a person reads it")
    detail: str = ""
    link: str | None = Field(description="A page listing the records behind the figure")


class UsageMonth(BaseModel):
    month: str = Field(description="YYYY-MM")
    views: int
    downloads: int
    api_calls: int


class DatasetRecord(BaseModel):
    """A published dataset as the figures count it."""

    id: str
    title: str
    agency: str
    agency_name: str
    rows_public: bool = Field(description="Available through the API to anyone")
    metadata_score: int
    meets_standard: bool
    freshness: str
    freshness_label: str
    quality_score: float | None


class Figures(BaseModel):
    """Every figure of one agency (`scope` its slug) or of the state (`scope` = "state")."""

    scope: str
    name: str
    as_of: date
    measured_at: datetime
    inventory_year: int | None
    figures: list[Figure]
    usage: list[UsageMonth]

    def figure(self, key: str) -> Figure:
        return next(item for item in self.figures if item.key == key)


class TrendPoint(BaseModel):
    """A figure's value in one reporting period's snapshot."""

    period_id: int
    period: str
    starts_on: date
    value: float | None = Field(description="Null when the period had nothing to measure")
    display: str


class Trend(BaseModel):
    """One key figure across the reporting periods, oldest first."""

    key: str
    goal: str
    label: str
    points: list[TrendPoint]


class FigureChange(BaseModel):
    """How a key figure moved since the previous period's report."""

    key: str
    goal: str
    label: str
    since: str = Field(description="The previous reporting period's name")
    previous: float | None
    current: float | None
    change: float | None = Field(description="current - previous; null when either is missing")
    text: str = Field(description='As a person reads it, e.g. "+2 datasets since FY 2025"')


class Dashboard(BaseModel):
    """The state-wide picture and every agency's figures (the CDO dashboard)."""

    goals: list[Goal]
    state: Figures
    agencies: list[Figures]
    trends: list[Trend] = Field(description="The state's key figures across reporting periods")


class AgencyDashboard(BaseModel):
    """One agency's figures with the datasets they count (the drill-down)."""

    goals: list[Goal]
    figures: Figures
    datasets: list[DatasetRecord]
    trends: list[Trend] = Field(description="The agency's key figures across its reports")


class PeriodCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    starts_on: date
    ends_on: date
    due_on: date

    @model_validator(mode="after")
    def _order(self) -> PeriodCreate:
        if self.ends_on < self.starts_on:
            raise ValueError("the period must end on or after its start")
        if self.due_on < self.starts_on:
            raise ValueError("the due date must be on or after the period's start")
        return self


class ReportSummary(BaseModel):
    agency: str
    agency_name: str
    status: ReportStatus
    submitted_at: datetime | None
    reviewed_at: datetime | None


class PeriodPublic(BaseModel):
    id: int
    name: str
    starts_on: date
    ends_on: date
    due_on: date
    opened_at: datetime
    opened_by: str
    open: bool = Field(description="Reports are still collected: today is on or before due_on")
    status_counts: dict[str, int] = Field(description="Reports by status (the ones you may see)")
    reports: list[ReportSummary] = Field(description="The reports you may see")


class NarrativeUpdate(BaseModel):
    """The ADO's narrative per goal: the goals sent are replaced, the others kept."""

    model_config = ConfigDict(extra="forbid")

    narratives: dict[str, Narrative]


class ReportReturn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    comment: Comment


class ReportPublic(BaseModel):
    period_id: int
    period_name: str
    starts_on: date
    ends_on: date
    due_on: date
    agency: str
    agency_name: str
    status: ReportStatus
    goals: list[Goal]
    figures: Figures
    narratives: dict[str, str]
    updated_at: datetime
    updated_by: str
    submitted_at: datetime | None
    submitted_by: str | None
    reviewed_at: datetime | None
    reviewed_by: str | None
    review_comment: str | None
    overdue: bool
    previous_period: str | None = Field(
        default=None, description="The period of the agency's previous report, if any"
    )
    changes: list[FigureChange] = Field(
        default_factory=list, description="Key figures since the previous period's report"
    )


class StateReport(BaseModel):
    """The state-wide report of a period: the state's figures and every agency's report."""

    period: PeriodPublic
    goals: list[Goal]
    figures: Figures
    reports: list[ReportPublic]
    trends: list[Trend] = Field(description="State-wide key figures up to this period")
    changes: list[FigureChange] = Field(description="State-wide since the previous period")
