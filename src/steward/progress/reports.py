"""An agency's progress report through its workflow, and the state-wide report of a period.

draft -> submitted -> returned (with the CDO's comment) -> submitted -> accepted. The ADO writes
the narrative per goal, refreshes the figures and submits while the report is a draft or
returned; from submission on, its figures and narrative no longer change.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from steward.accounts.policy import Actor, permits, require
from steward.catalog.service import get_agency
from steward.config import Settings
from steward.db.base import utcnow
from steward.errors import Conflict, Invalid, NotFound
from steward.progress import charts, figures, metrics, pdf
from steward.progress.models import ProgressReport
from steward.progress.schemas import (
    EDITABLE,
    Figures,
    NarrativeUpdate,
    ReportPublic,
    ReportReturn,
    StateReport,
)
from steward.progress.service import load_period, today
from steward.progress.shapes import period_public, report_public

# status -> the statuses a report may reach it from
TRANSITIONS: dict[str, frozenset[str]] = {
    "submitted": EDITABLE,
    "returned": frozenset({"submitted"}),
    "accepted": frozenset({"submitted"}),
}


def report_for(
    session: Session, actor: Actor, action: str, period_id: int, slug: str
) -> ProgressReport:
    """The agency's report for the period, once the actor may do `action` to it."""
    agency = get_agency(session, slug)
    require(actor, action, agency.id, what=f"the progress report of {agency.name}")
    period = load_period(session, period_id)
    report = next((r for r in period.reports if r.agency_id == agency.id), None)
    if report is None:
        raise NotFound(
            f"{agency.name} has no report for {period.name}: the CDO refreshes the period "
            "to add agencies created since it opened"
        )
    return report


def get_report(session: Session, actor: Actor, period_id: int, slug: str) -> ReportPublic:
    """The report with its figures and narrative (the agency's staff, the CDO)."""
    report = report_for(session, actor, "progress.view", period_id, slug)
    return report_public(report, today())


def _editable(report: ProgressReport) -> None:
    if report.status not in EDITABLE:
        raise Conflict(
            f"the report of {report.agency.name} is {report.status}; it changes only while it "
            "is a draft or returned"
        )


def _touch(report: ProgressReport, actor: Actor) -> None:
    report.updated_at, report.updated_by = utcnow(), actor.label


def save_narratives(
    session: Session, actor: Actor, period_id: int, slug: str, data: NarrativeUpdate
) -> ReportPublic:
    """Replace the narrative of the goals sent (the ADO)."""
    report = report_for(session, actor, "progress.write", period_id, slug)
    _editable(report)
    unknown = sorted(set(data.narratives) - set(figures.GOAL_IDS))
    if unknown:
        raise Invalid(f"unknown goal {unknown[0]!r}: the goals are {', '.join(figures.GOAL_IDS)}")
    report.narratives = {**report.narratives, **data.narratives}
    _touch(report, actor)
    session.flush()
    return report_public(report, today())


def refresh_report(
    session: Session, actor: Actor, settings: Settings, period_id: int, slug: str
) -> ReportPublic:
    """Measure the agency's figures again (the ADO, while the report is editable)."""
    report = report_for(session, actor, "progress.write", period_id, slug)
    _editable(report)
    measured = metrics.measure(session, settings)
    report.figures = figures.agency_figures(measured, report.agency.slug).model_dump(mode="json")
    report.measured_at = measured.measured_at
    _touch(report, actor)
    session.flush()
    return report_public(report, today())


def _move(report: ProgressReport, status: str) -> None:
    if report.status not in TRANSITIONS[status]:
        raise Conflict(
            f"the report of {report.agency.name} is {report.status}; it cannot become {status}"
        )
    report.status = status


def submit_report(session: Session, actor: Actor, period_id: int, slug: str) -> ReportPublic:
    """Send the report to the CDO (the ADO); every goal needs its narrative first."""
    report = report_for(session, actor, "progress.write", period_id, slug)
    missing = [g.title for g in figures.GOALS if not str(report.narratives.get(g.id, "")).strip()]
    if missing and report.status in EDITABLE:
        raise Invalid(f"write the narrative of every goal before submitting; missing: {missing[0]}")
    _move(report, "submitted")
    report.submitted_at, report.submitted_by = utcnow(), actor.label
    _touch(report, actor)
    session.flush()
    return report_public(report, today())


def return_report(
    session: Session, actor: Actor, period_id: int, slug: str, data: ReportReturn
) -> ReportPublic:
    """Send a submitted report back to the agency with the CDO's comment."""
    report = report_for(session, actor, "progress.review", period_id, slug)
    _move(report, "returned")
    report.reviewed_at, report.reviewed_by = utcnow(), actor.label
    report.review_comment = data.comment
    session.flush()
    return report_public(report, today())


def accept_report(session: Session, actor: Actor, period_id: int, slug: str) -> ReportPublic:
    report = report_for(session, actor, "progress.review", period_id, slug)
    _move(report, "accepted")
    report.reviewed_at, report.reviewed_by = utcnow(), actor.label
    session.flush()
    return report_public(report, today())


def state_report(session: Session, actor: Actor, period_id: int) -> StateReport:
    """The period's state-wide figures and every agency's report (the CDO)."""
    require(actor, "progress.dashboard", what="the state-wide progress report")
    period = load_period(session, period_id)
    reports = sorted(period.reports, key=lambda report: report.agency.name)
    now = today()
    return StateReport(
        period=period_public(period, reports),
        goals=list(figures.GOALS),
        figures=Figures.model_validate(period.figures),
        reports=[report_public(report, now) for report in reports],
    )


def report_pdf(session: Session, actor: Actor, period_id: int, slug: str) -> tuple[str, bytes]:
    """(file name, PDF) of the agency's report, with its usage chart."""
    report = get_report(session, actor, period_id, slug)
    name = f"progress-{report.period_id}-{report.agency}.pdf"
    return name, pdf.report_pdf(report, [charts.usage_chart(report.figures)])


def state_pdf(session: Session, actor: Actor, period_id: int) -> tuple[str, bytes]:
    """(file name, PDF) of the state-wide report, with the charts of the stored figures."""
    state = state_report(session, actor, period_id)
    drawn = charts.dashboard_charts(state.figures, [r.figures for r in state.reports])
    return f"progress-{period_id}-state.pdf", pdf.state_pdf(state, drawn)


def abilities(session: Session, actor: Actor, slug: str) -> dict[str, bool]:
    """What the actor may do to the agency's reports, for pages to offer only what works."""
    agency_id = get_agency(session, slug).id
    return {
        "write": permits(actor, "progress.write", agency_id),
        "review": permits(actor, "progress.review", agency_id),
        "drilldown": permits(actor, "progress.drilldown", agency_id),
        "state": permits(actor, "progress.dashboard"),
    }
