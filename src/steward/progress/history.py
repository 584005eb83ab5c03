"""The figures stored by earlier reporting periods, read back as `trends.Snapshot`s.

Periods are ordered by their first day (then by id, for two starting the same day). Nothing here
checks who is asking: the callers in `service.py` and `reports.py` have already.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from steward.progress.models import ProgressReport, ReportingPeriod
from steward.progress.schemas import Figures
from steward.progress.trends import Snapshot

ORDER = (ReportingPeriod.starts_on, ReportingPeriod.id)


def _up_to(query: Select[Any], period: ReportingPeriod, *, inclusive: bool) -> Select[Any]:
    """Only the periods before `period` (and `period` itself when `inclusive`)."""
    same_day = ReportingPeriod.id <= period.id if inclusive else ReportingPeriod.id < period.id
    return query.where(
        or_(
            ReportingPeriod.starts_on < period.starts_on,
            and_(ReportingPeriod.starts_on == period.starts_on, same_day),
        )
    )


def _snapshot(period: ReportingPeriod, figures: dict[str, Any]) -> Snapshot:
    return Snapshot(
        period_id=period.id,
        period=period.name,
        starts_on=period.starts_on,
        figures=Figures.model_validate(figures),
    )


def state_snapshots(session: Session, up_to: ReportingPeriod | None = None) -> list[Snapshot]:
    """The state's figures of every period (up to and including `up_to`), oldest first."""
    query = select(ReportingPeriod)
    if up_to is not None:
        query = _up_to(query, up_to, inclusive=True)
    periods = session.scalars(query.order_by(*ORDER)).unique()
    return [_snapshot(period, period.figures) for period in periods if period.figures]


def agency_snapshots(
    session: Session, agency_id: int, up_to: ReportingPeriod | None = None
) -> list[Snapshot]:
    """The agency's report figures of every period it reported in, oldest first."""
    query = _reports_of(agency_id)
    if up_to is not None:
        query = _up_to(query, up_to, inclusive=True)
    found = session.scalars(query.order_by(*ORDER)).unique()
    return [_snapshot(report.period, report.figures) for report in found if report.figures]


def _reports_of(agency_id: int) -> Select[Any]:
    return (
        select(ProgressReport)
        .join(ReportingPeriod, ProgressReport.period_id == ReportingPeriod.id)
        .where(ProgressReport.agency_id == agency_id)
    )


def previous_state(session: Session, period: ReportingPeriod) -> Snapshot | None:
    """The state's figures of the period before `period`, if there is one."""
    query = _up_to(select(ReportingPeriod), period, inclusive=False)
    query = query.order_by(ReportingPeriod.starts_on.desc(), ReportingPeriod.id.desc()).limit(1)
    found = session.scalars(query).first()
    return _snapshot(found, found.figures) if found is not None and found.figures else None


def previous_report(session: Session, report: ProgressReport) -> Snapshot | None:
    """The agency's report figures of the last period before this report's, if any."""
    query = _up_to(_reports_of(report.agency_id), report.period, inclusive=False)
    query = query.order_by(ReportingPeriod.starts_on.desc(), ReportingPeriod.id.desc()).limit(1)
    found = session.scalars(query).first()
    return _snapshot(found.period, found.figures) if found is not None and found.figures else None
