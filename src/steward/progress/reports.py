"""An agency's progress report through its workflow, and the state-wide report of a period.

draft -> submitted -> returned (with the CDO's comment) -> submitted -> accepted. The ADO writes
the narrative per goal, refreshes the figures and submits while the report is a draft or
returned; from submission on, its figures and narrative no longer change.

Each report shows how its key figures moved since the agency's previous report, and the
state-wide report the state's key figures across the periods up to its own. Figure links are
given for the reader: one who may not open the request queue gets the public list of requests.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from steward.accounts.policy import Actor, permits, require
from steward.catalog.service import get_agency
from steward.config import Settings
from steward.db.base import utcnow
from steward.errors import Conflict, Invalid, NotFound
from steward.progress import charts, figures, history, metrics, pdf, trends
from steward.progress.models import ProgressReport, ReportingPeriod
from steward.progress.schemas import (
    EDITABLE,
    FigureChange,
    Figures,
    NarrativeUpdate,
    ReportPublic,
    ReportReturn,
    StateReport,
)
from steward.progress.service import add_missing_reports, load_period, today
from steward.progress.shapes import period_public, report_public

# status -> the statuses a report may reach it from
TRANSITIONS: dict[str, frozenset[str]] = {
    "submitted": EDITABLE,
    "returned": frozenset({"submitted"}),
    "accepted": frozenset({"submitted"}),
}


def report_for(
    session: Session,
    actor: Actor,
    action: str,
    period_id: int,
    slug: str,
    settings: Settings | None = None,
) -> ProgressReport:
    """The agency's report for the period, once the actor may do `action` to it. With
    `settings`, an agency created since an open period began gets its report now."""
    agency = get_agency(session, slug)
    require(actor, action, agency.id, what=f"the progress report of {agency.name}")
    period = load_period(session, period_id)
    report = next((r for r in period.reports if r.agency_id == agency.id), None)
    if report is None and settings is not None:
        add_missing_reports(session, settings, period, [agency])
        report = next((r for r in period.reports if r.agency_id == agency.id), None)
    if report is None:
        raise NotFound(
            f"{agency.name} has no report for {period.name}, which closed on {period.due_on} "
            "before the agency was added"
        )
    return report


def _public(session: Session, actor: Actor, report: ProgressReport) -> ReportPublic:
    """The report for this reader: its changes since the previous report, followable links."""
    shown = report_public(report, today())
    previous = history.previous_report(session, report)
    queue = permits(actor, "request.view", report.agency_id)
    return shown.model_copy(
        update={
            "figures": figures.for_reader(shown.figures, queue),
            "previous_period": previous.period if previous else None,
            "changes": trends.changes(previous, shown.figures) if previous else [],
        }
    )


def get_report(
    session: Session, actor: Actor, settings: Settings, period_id: int, slug: str
) -> ReportPublic:
    """The report with its figures and narrative (the agency's staff, the CDO)."""
    report = report_for(session, actor, "progress.view", period_id, slug, settings)
    return _public(session, actor, report)


def _editable(report: ProgressReport) -> None:
    if report.status not in EDITABLE:
        raise Conflict(
            f"the report of {report.agency.name} is {report.status}; it changes only while it "
            "is a draft or returned"
        )


def _touch(report: ProgressReport, actor: Actor) -> None:
    report.updated_at, report.updated_by = utcnow(), actor.label


def save_narratives(
    session: Session,
    actor: Actor,
    settings: Settings,
    period_id: int,
    slug: str,
    data: NarrativeUpdate,
) -> ReportPublic:
    """Replace the narrative of the goals sent (the ADO)."""
    report = report_for(session, actor, "progress.write", period_id, slug, settings)
    _editable(report)
    unknown = sorted(set(data.narratives) - set(figures.GOAL_IDS))
    if unknown:
        raise Invalid(f"unknown goal {unknown[0]!r}: the goals are {', '.join(figures.GOAL_IDS)}")
    report.narratives = {**report.narratives, **data.narratives}
    _touch(report, actor)
    session.flush()
    return _public(session, actor, report)


def refresh_report(
    session: Session, actor: Actor, settings: Settings, period_id: int, slug: str
) -> ReportPublic:
    """Measure the agency's figures again (the ADO, while the report is editable)."""
    report = report_for(session, actor, "progress.write", period_id, slug, settings)
    _editable(report)
    measured = metrics.measure(session, settings)
    report.figures = figures.agency_figures(measured, report.agency.slug).model_dump(mode="json")
    report.measured_at = measured.measured_at
    _touch(report, actor)
    session.flush()
    return _public(session, actor, report)


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
    return _public(session, actor, report)


def return_report(
    session: Session, actor: Actor, period_id: int, slug: str, data: ReportReturn
) -> ReportPublic:
    """Send a submitted report back to the agency with the CDO's comment."""
    report = report_for(session, actor, "progress.review", period_id, slug)
    _move(report, "returned")
    report.reviewed_at, report.reviewed_by = utcnow(), actor.label
    report.review_comment = data.comment
    session.flush()
    return _public(session, actor, report)


def accept_report(session: Session, actor: Actor, period_id: int, slug: str) -> ReportPublic:
    report = report_for(session, actor, "progress.review", period_id, slug)
    _move(report, "accepted")
    report.reviewed_at, report.reviewed_by = utcnow(), actor.label
    session.flush()
    return _public(session, actor, report)


def state_report(session: Session, actor: Actor, period_id: int) -> StateReport:
    """The period's state-wide figures and every agency's report (the CDO)."""
    require(actor, "progress.dashboard", what="the state-wide progress report")
    period = load_period(session, period_id)
    reports = sorted(period.reports, key=lambda report: report.agency.name)
    state = Figures.model_validate(period.figures)
    return StateReport(
        period=period_public(period, reports, today()),
        goals=list(figures.GOALS),
        figures=state,
        reports=[_public(session, actor, report) for report in reports],
        trends=trends.trends(history.state_snapshots(session, up_to=period)),
        changes=_state_changes(session, period, state),
    )


def _state_changes(session: Session, period: ReportingPeriod, state: Figures) -> list[FigureChange]:
    previous = history.previous_state(session, period)
    return trends.changes(previous, state) if previous else []


def report_pdf(
    session: Session, actor: Actor, settings: Settings, period_id: int, slug: str
) -> tuple[str, bytes]:
    """(file name, PDF) of the agency's report, with its usage chart."""
    report = get_report(session, actor, settings, period_id, slug)
    name = f"progress-{report.period_id}-{report.agency}.pdf"
    return name, pdf.report_pdf(report, [charts.usage_chart(report.figures)])


def state_charts(state: StateReport) -> list[charts.DrawnChart]:
    """The state-wide report's charts: usage, agencies compared, key figures by period."""
    drawn = charts.dashboard_charts(state.figures, [r.figures for r in state.reports])
    return drawn + charts.trend_charts(state.trends, "all agencies")


def state_pdf(session: Session, actor: Actor, period_id: int) -> tuple[str, bytes]:
    """(file name, PDF) of the state-wide report, with the charts of the stored figures."""
    state = state_report(session, actor, period_id)
    return f"progress-{period_id}-state.pdf", pdf.state_pdf(state, state_charts(state))


def abilities(session: Session, actor: Actor, slug: str) -> dict[str, bool]:
    """What the actor may do to the agency's reports, for pages to offer only what works."""
    agency_id = get_agency(session, slug).id
    return {
        "write": permits(actor, "progress.write", agency_id),
        "review": permits(actor, "progress.review", agency_id),
        "drilldown": permits(actor, "progress.drilldown", agency_id),
        "state": permits(actor, "progress.dashboard"),
    }
