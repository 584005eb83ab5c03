"""Progress tables turned into their public shapes (tables never leave this package)."""

from __future__ import annotations

from collections import Counter
from datetime import date

from steward.progress.figures import GOALS
from steward.progress.models import ProgressReport, ReportingPeriod
from steward.progress.schemas import (
    EDITABLE,
    REPORT_STATUSES,
    Figures,
    PeriodPublic,
    ReportPublic,
    ReportSummary,
)


def report_summary(report: ProgressReport) -> ReportSummary:
    return ReportSummary(
        agency=report.agency.slug,
        agency_name=report.agency.name,
        status=report.status,  # type: ignore[arg-type]
        submitted_at=report.submitted_at,
        reviewed_at=report.reviewed_at,
    )


def period_public(
    period: ReportingPeriod, reports: list[ProgressReport], today: date
) -> PeriodPublic:
    counts = Counter(report.status for report in reports)
    ordered = sorted(reports, key=lambda report: report.agency.name)
    return PeriodPublic(
        id=period.id,
        name=period.name,
        starts_on=period.starts_on,
        ends_on=period.ends_on,
        due_on=period.due_on,
        opened_at=period.opened_at,
        opened_by=period.opened_by,
        open=today <= period.due_on,
        status_counts={status: counts.get(status, 0) for status in REPORT_STATUSES},
        reports=[report_summary(report) for report in ordered],
    )


def report_public(report: ProgressReport, today: date) -> ReportPublic:
    period = report.period
    return ReportPublic(
        period_id=period.id,
        period_name=period.name,
        starts_on=period.starts_on,
        ends_on=period.ends_on,
        due_on=period.due_on,
        agency=report.agency.slug,
        agency_name=report.agency.name,
        status=report.status,  # type: ignore[arg-type]
        goals=list(GOALS),
        figures=Figures.model_validate(report.figures),
        narratives={goal.id: str(report.narratives.get(goal.id, "")) for goal in GOALS},
        updated_at=report.updated_at,
        updated_by=report.updated_by,
        submitted_at=report.submitted_at,
        submitted_by=report.submitted_by,
        reviewed_at=report.reviewed_at,
        reviewed_by=report.reviewed_by,
        review_comment=report.review_comment,
        overdue=report.status in EDITABLE and today > period.due_on,
    )
