"""Reminders to the data officers: `steward request remind` (run it daily from cron) writes one
message per open request and officer on each day a due date is near or passed. Running it again
the same day adds nothing (each reminder has a key: request, day, person)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from steward.accounts.policy import Actor
from steward.config import Settings
from steward.db.base import utcnow
from steward.requests import messages, outbox
from steward.requests.clocks import Clocks, clocks_from
from steward.requests.models import DataRequest
from steward.requests.routing import agencies_for, handlers
from steward.requests.schemas import OPEN, Clock, ReminderRun
from steward.requests.shapes import item_of


def near(clock: Clock, clocks: Clocks, today: date) -> bool:
    """True when a step is overdue, or due within `reminder_days` business days of `today`."""
    if clock.overdue:
        return True
    window = clocks.reminder_days
    if clock.acknowledged_on is None and clocks.calendar.between(today, clock.ack_due) <= window:
        return True
    return clocks.calendar.between(today, clock.response_due) <= window


def remind(
    session: Session, actor: Actor, settings: Settings, *, now: datetime | None = None
) -> ReminderRun:
    scope = agencies_for(actor, "request.manage")
    clocks, moment = clocks_from(settings), now or utcnow()
    today = clocks.local_date(moment)
    query = select(DataRequest).where(DataRequest.status.in_(OPEN)).order_by(DataRequest.id)
    if scope is not None:
        query = query.where(DataRequest.agency_id.in_(scope))
    checked = queued = already = 0
    for request in session.scalars(query):
        checked += 1
        item = item_of(request, clocks, moment)
        if not near(item.clock, clocks, today):
            continue
        mail = messages.reminder(item, settings.site_url or "")
        for email in handlers(session, request.agency_id):
            key = f"reminder:{request.id}:{today.isoformat()}:{email}"
            added = outbox.queue(
                session,
                email,
                mail,
                kind="reminder",
                agency_id=request.agency_id,
                request_id=request.id,
                dedupe_key=key,
            )
            queued += added
            already += not added
    session.flush()
    return ReminderRun(
        as_of=today, checked=checked, queued=queued, already_reminded=already, sent=0, failed=0
    )
