"""Reporting periods and the CDO dashboard.

Who may do what (the policy's `progress.*` actions): the CDO opens a period, sees every report,
the state-wide report and the dashboard; an agency's ADO sees its drill-down; every signed-in
person lists the periods, with the reports of their agencies (`reports.py` has the workflow).

Opening a period measures the figures once (`metrics.measure`) and stores them in the period
(state-wide) and in a draft report for every agency, so each report starts pre-filled. An agency
created later gets its report the first time one of its reports is asked for while the period is
open (until its due date), or when the CDO refreshes the period.

The dashboard and the drill-down also show each goal's key figures across the reporting periods
(`history.py` reads the stored snapshots, `trends.py` turns them into series).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from steward.accounts.policy import SYSTEM, Actor, permits, require
from steward.catalog.models import Agency
from steward.catalog.service import get_agency
from steward.config import Settings
from steward.db.base import utcnow
from steward.errors import Conflict, Invalid, NotFound
from steward.progress import figures, history, metrics, trends
from steward.progress.models import ProgressReport, ReportingPeriod
from steward.progress.schemas import (
    EDITABLE,
    AgencyDashboard,
    Dashboard,
    DatasetRecord,
    PeriodCreate,
    PeriodPublic,
)
from steward.progress.shapes import period_public

FRESHNESS_FILTERS = ("scheduled", "on_schedule", "due", "overdue", "unscheduled", "no_data")


def today() -> date:
    """The date a report is judged overdue by: the server's local date."""
    return date.today()


# the dashboard -----------------------------------------------------------------------------


def dashboard(
    session: Session, actor: Actor, settings: Settings, *, now: datetime | None = None
) -> Dashboard:
    """The state-wide figures and every agency's (the CDO)."""
    require(actor, "progress.dashboard", what="the CDO dashboard")
    measured = metrics.measure(session, settings, now=now)
    return Dashboard(
        goals=list(figures.GOALS),
        state=figures.state_figures(measured),
        agencies=[figures.agency_figures(measured, a.slug) for a in measured.agencies],
        trends=trends.trends(history.state_snapshots(session)),
    )


def agency_dashboard(
    session: Session, actor: Actor, settings: Settings, slug: str, *, now: datetime | None = None
) -> AgencyDashboard:
    """One agency's figures and the datasets they count (its ADO, the CDO)."""
    agency = get_agency(session, slug)
    require(actor, "progress.drilldown", agency.id, what=f"the dashboard of {agency.name}")
    measured = metrics.measure(session, settings, now=now)
    return AgencyDashboard(
        goals=list(figures.GOALS),
        figures=figures.agency_figures(measured, agency.slug),
        datasets=measured.datasets_of(agency.slug),
        trends=trends.trends(history.agency_snapshots(session, agency.id)),
    )


def dataset_records(
    session: Session,
    actor: Actor,
    agency: str | None = None,
    freshness: str | None = None,
    *,
    now: datetime | None = None,
) -> list[DatasetRecord]:
    """The published datasets the quality figures count: one agency's (its staff) or all (the
    CDO); `freshness` narrows to a status, or to `scheduled` (every dataset with a schedule)."""
    if freshness is not None and freshness not in FRESHNESS_FILTERS:
        raise Invalid(f"freshness must be one of {', '.join(FRESHNESS_FILTERS)}")
    if agency is None:
        require(actor, "progress.dashboard", what="every agency's datasets")
    else:
        found = get_agency(session, agency)
        require(actor, "progress.view", found.id, what=f"the datasets of {found.name}")
    records = metrics.dataset_records(session, now or utcnow())
    return [
        record
        for record in records
        if (agency is None or record.agency == agency) and _fresh(record, freshness)
    ]


def _fresh(record: DatasetRecord, wanted: str | None) -> bool:
    if wanted == "scheduled":
        return record.freshness in ("on_schedule", "due", "overdue")
    return wanted is None or record.freshness == wanted


# reporting periods -------------------------------------------------------------------------


def open_period(
    session: Session,
    actor: Actor,
    settings: Settings,
    data: PeriodCreate,
    *,
    now: datetime | None = None,
) -> PeriodPublic:
    """Open a period: every agency gets a draft report pre-filled with its measured figures."""
    require(actor, "progress.open_period", what=f"the reporting period {data.name!r}")
    if session.scalar(select(ReportingPeriod.id).where(ReportingPeriod.name == data.name)):
        raise Conflict(f"a reporting period is already named {data.name!r}")
    measured = metrics.measure(session, settings, now=now)
    period = ReportingPeriod(
        **data.model_dump(),
        figures=figures.state_figures(measured).model_dump(mode="json"),
        measured_at=measured.measured_at,
        opened_by=actor.label,
    )
    session.add(period)
    for agency in session.scalars(select(Agency).order_by(Agency.name)):
        session.add(new_report(period, agency, measured, actor))
    session.flush()
    return period_public(period, list(period.reports), today())


def new_report(
    period: ReportingPeriod, agency: Agency, measured: metrics.Measurement, actor: Actor
) -> ProgressReport:
    return ProgressReport(
        period=period,
        agency=agency,
        figures=figures.agency_figures(measured, agency.slug).model_dump(mode="json"),
        measured_at=measured.measured_at,
        narratives={},
        updated_by=actor.label,
    )


def refresh_period(
    session: Session, actor: Actor, settings: Settings, period_id: int
) -> PeriodPublic:
    """Measure again: the state-wide figures and every report still a draft or returned (a
    submitted or accepted report keeps its figures). Agencies added since get their report."""
    require(actor, "progress.open_period", what="the reporting period")
    period = load_period(session, period_id)
    measured = metrics.measure(session, settings)
    period.figures = figures.state_figures(measured).model_dump(mode="json")
    period.measured_at = measured.measured_at
    have = {report.agency_id for report in period.reports}
    for report in period.reports:
        if report.status in EDITABLE:
            report.figures = figures.agency_figures(measured, report.agency.slug).model_dump(
                mode="json"
            )
            report.measured_at = measured.measured_at
    for agency in session.scalars(select(Agency).where(Agency.id.not_in(have or [0]))):
        session.add(new_report(period, agency, measured, actor))
    session.flush()
    session.refresh(period)
    return period_public(period, list(period.reports), today())


def is_open(period: ReportingPeriod, day: date) -> bool:
    """Whether the period still collects reports: until its due date."""
    return day <= period.due_on


def add_missing_reports(
    session: Session,
    settings: Settings,
    period: ReportingPeriod,
    agencies: list[Agency],
    measured: metrics.Measurement | None = None,
) -> metrics.Measurement | None:
    """Give the agencies created since the period opened their report, while it is open.

    Measures only when a report is missing (or reuses `measured`, given by a caller going
    through several periods); returns the measurement, if any, for the next call.
    Each report is added in a savepoint: when a concurrent request has just added the same
    agency's report, the unique constraint refuses the second and the first is kept.
    """
    have = {report.agency_id for report in period.reports}
    missing = [agency for agency in agencies if agency.id not in have]
    if not missing or not is_open(period, today()):
        return measured
    measured = measured or metrics.measure(session, settings)
    for agency in missing:
        try:
            with session.begin_nested():
                session.add(new_report(period, agency, measured, SYSTEM))
        except IntegrityError:
            pass  # added by a concurrent request a moment ago
    session.expire(period, ["reports"])
    return measured


def load_period(session: Session, period_id: int) -> ReportingPeriod:
    period = session.get(ReportingPeriod, period_id)
    if period is None:
        raise NotFound(f"no reporting period {period_id}")
    return period


def visible_reports(actor: Actor, period: ReportingPeriod) -> list[ProgressReport]:
    return [r for r in period.reports if permits(actor, "progress.view", r.agency_id)]


def list_periods(session: Session, actor: Actor, settings: Settings) -> list[PeriodPublic]:
    """Every period, newest first, with the reports the caller may see (an open period first
    gets the reports of the caller's agencies created since it opened)."""
    require(actor, "progress.periods", what="the reporting periods")
    query = select(ReportingPeriod).order_by(ReportingPeriod.starts_on.desc(), ReportingPeriod.id)
    periods = list(session.scalars(query).unique())
    mine = [
        agency
        for agency in session.scalars(select(Agency).order_by(Agency.name))
        if permits(actor, "progress.view", agency.id)
    ]
    measured = None  # measured once at most, for all the open periods
    for period in periods:
        measured = add_missing_reports(session, settings, period, mine, measured)
    day = today()
    return [period_public(p, visible_reports(actor, p), day) for p in periods]


def get_period(session: Session, actor: Actor, period_id: int) -> PeriodPublic:
    require(actor, "progress.periods", what="the reporting periods")
    period = load_period(session, period_id)
    return period_public(period, visible_reports(actor, period), today())


def can_open(actor: Actor) -> bool:
    """Whether the actor may open a reporting period (for pages to offer the form)."""
    return permits(actor, "progress.open_period")
