"""Renewal reminders: `steward sharing remind` (run it daily from cron) writes one message to each
data officer of the provider agency for every active agreement inside its renewal window (the
`renewal_reminder_days` before its end date), through the requests outbox, which emails it when a
mail server is configured. Each officer is reminded once per term: the key holds the end date, so
a renewed agreement (a new end date) is reminded again when its new window opens.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from steward.accounts.policy import Actor, permits, require
from steward.requests import outbox
from steward.requests.messages import Mail
from steward.requests.routing import handlers
from steward.sharing import agreements, lifecycle, shapes
from steward.sharing.models import Agreement


class RenewalRun(BaseModel):
    """What `steward sharing remind` did."""

    as_of: date
    checked: int
    due: list[int]
    queued: int
    already_reminded: int
    sent: int = 0
    failed: int = 0


def renewal_mail(agreement: Agreement, today: date, site: str) -> Mail:
    left = lifecycle.days_left(agreement.end_date, today) or 0
    end = agreement.end_date.isoformat() if agreement.end_date else ""
    when = "today" if left == 0 else f"in {left} day{'s' if left != 1 else ''}"
    link = f"{site.rstrip('/')}/console/sharing/{agreement.id}"
    body = "\n".join(
        [
            f"Agreement #{agreement.id}, “{agreement.title}”, between {agreement.provider.name} "
            f"and {shapes.recipient_name(agreement)}, ends on {end} ({when}).",
            "When it ends, its authorized users lose access at once. To renew it, set a new "
            "end date and make it active again; otherwise let it expire.",
            f"See it at {link}",
        ]
    )
    return Mail(f"Renewal: agreement #{agreement.id} ends {when}", body)


def _scope(actor: Actor) -> frozenset[int] | None:
    """The provider agencies the actor manages agreements of (None: every agency)."""
    if permits(actor, "sharing.manage", None):
        return None
    ids = frozenset(
        agency for agency, _role in actor.agency_roles if permits(actor, "sharing.manage", agency)
    )
    if not ids:
        require(actor, "sharing.manage", None, what="renewal reminders")
    return ids


def remind(session: Session, actor: Actor, site: str = "") -> RenewalRun:
    """Queue a renewal reminder for each agreement due (provider ADO, CDO, the system)."""
    scope = _scope(actor)
    today = agreements.today()
    query = select(Agreement).where(Agreement.status == "active").order_by(Agreement.id)
    if scope is not None:
        query = query.where(Agreement.provider_agency_id.in_(scope))
    checked = queued = already = 0
    due: list[int] = []
    for agreement in session.scalars(query).unique():
        checked += 1
        status = shapes.status_of(agreement, today)
        end, window = agreement.end_date, agreement.renewal_reminder_days
        if not lifecycle.renewal_due(status, end, window, today):
            continue
        due.append(agreement.id)
        mail = renewal_mail(agreement, today, site)
        for email in handlers(session, agreement.provider_agency_id):
            added = outbox.queue(
                session,
                email,
                mail,
                kind="renewal",
                agency_id=agreement.provider_agency_id,
                request_id=None,
                dedupe_key=f"renewal:{agreement.id}:{end}:{email}",
            )
            queued += added
            already += not added
    session.flush()
    return RenewalRun(
        as_of=today, checked=checked, due=due, queued=queued, already_reminded=already
    )
