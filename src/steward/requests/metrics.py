"""How promptly agencies handle data requests, by agency: medians of business days to
acknowledge and to respond, and the share done on time. Public: nothing here is personal.

A request counts for the agency holding it now (a referred request for the agency it was sent
to, whose clocks started on the referral). Closing a request (fulfilled or declined) is its
response. On-time shares count the requests whose step is done or overdue: a request still
inside its clock is neither on time nor late yet.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from statistics import median

from sqlalchemy import select
from sqlalchemy.orm import Session

from steward.catalog.models import Agency
from steward.config import Settings
from steward.db.base import utcnow
from steward.requests.clocks import Clocks, clocks_from
from steward.requests.models import DataRequest
from steward.requests.schemas import OPEN, AgencyMetrics, Clock, RequestMetrics
from steward.requests.shapes import clock_of

UNASSIGNED = "Not yet assigned (Chief Data Officer)"


def metrics(session: Session, settings: Settings, *, now: datetime | None = None) -> RequestMetrics:
    clocks, moment = clocks_from(settings), now or utcnow()
    groups: dict[int | None, list[tuple[str, Clock]]] = defaultdict(list)
    for request in session.scalars(select(DataRequest)):
        groups[request.agency_id].append((request.status, clock_of(request, clocks, moment)))
    names: dict[int | None, tuple[str | None, str]] = {
        agency.id: (agency.slug, agency.name)
        for agency in session.scalars(select(Agency).where(Agency.id.in_(groups.keys() - {None})))
    }
    rows = [summarize(*names.get(key, (None, UNASSIGNED)), groups[key], clocks) for key in groups]
    rows.sort(key=lambda row: (row.agency is None, row.agency_name))
    everything = [entry for entries in groups.values() for entry in entries]
    return RequestMetrics(
        as_of=clocks.local_date(moment),
        ack_days=clocks.ack_days,
        response_days=clocks.response_days,
        agencies=rows,
        state=summarize(None, "All agencies", everything, clocks),
    )


def summarize(
    slug: str | None, name: str, entries: list[tuple[str, Clock]], clocks: Clocks
) -> AgencyMetrics:
    between = clocks.calendar.between
    clocks_of = [clock for _, clock in entries]
    to_ack = [between(c.received_on, c.acknowledged_on) for c in clocks_of if c.acknowledged_on]
    to_respond = [between(c.received_on, c.closed_on) for c in clocks_of if c.closed_on]
    return AgencyMetrics(
        agency=slug,
        agency_name=name,
        received=len(entries),
        open=sum(status in OPEN for status, _ in entries),
        overdue=sum(c.overdue for _, c in entries),
        acknowledged=len(to_ack),
        responded=len(to_respond),
        median_days_to_acknowledge=_median(to_ack),
        median_days_to_respond=_median(to_respond),
        acknowledged_on_time=_share(
            [c.acknowledged_on <= c.ack_due for _, c in entries if c.acknowledged_on is not None]
            + [False for _, c in entries if c.ack_overdue]
        ),
        responded_on_time=_share(
            [c.closed_on <= c.response_due for _, c in entries if c.closed_on is not None]
            + [False for _, c in entries if c.response_overdue]
        ),
    )


def _median(values: list[int]) -> float | None:
    return float(median(values)) if values else None


def _share(outcomes: list[bool]) -> float | None:
    """The share of True, or None when nothing is due yet.

    >>> _share([True, True, False, True]), _share([])
    (0.75, None)
    """
    return sum(outcomes) / len(outcomes) if outcomes else None
