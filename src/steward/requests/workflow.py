"""Moving a request along: acknowledge, progress, fulfil (with a link to the dataset or release),
decline (with a reason), refer (to another agency, which then holds it and whose clocks start
afresh). Only the ADO of the request's agency (or the CDO) may; each step is recorded in the
history and the requester gets a message, all in the caller's one transaction.

    received --acknowledge--> acknowledged --progress--> in_progress --fulfil--> fulfilled
        \\___________________ any open status ____________________/ --decline--> declined
                                                                    --refer----> referred
    referred: the new agency acknowledges, progresses, fulfils, declines or refers it again
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from steward.accounts.policy import Actor, require
from steward.catalog.models import Agency, Dataset
from steward.config import Settings
from steward.db.base import utcnow
from steward.errors import Conflict, Invalid
from steward.requests import messages, outbox
from steward.requests.clocks import Clocks, clocks_from
from steward.requests.models import DataRequest, DataRequestEvent
from steward.requests.schemas import OPEN, STATUS_LABELS, DataRequestItem, RequestTransition
from steward.requests.service import load, notify_handlers
from steward.requests.shapes import item_of

# action -> (the statuses it starts from, the status it leads to)
MOVES: dict[str, tuple[frozenset[str], str]] = {
    "acknowledge": (frozenset({"received", "referred"}), "acknowledged"),
    "progress": (OPEN, "in_progress"),
    "fulfil": (OPEN, "fulfilled"),
    "decline": (OPEN, "declined"),
    "refer": (OPEN, "referred"),
}
DONE = {
    "acknowledge": "acknowledged",
    "progress": "put in progress",
    "fulfil": "fulfilled",
    "decline": "declined",
    "refer": "referred",
}


def transition(
    session: Session,
    actor: Actor,
    request_id: int,
    data: RequestTransition,
    settings: Settings,
    *,
    now: datetime | None = None,
) -> DataRequestItem:
    request = load(session, request_id)
    require(actor, "request.manage", request.agency_id, what=f"data request {request_id}")
    target = _check(request, data)
    clocks = clocks_from(settings)
    moment = now or utcnow()
    note = data.note.strip()
    _apply(session, request, data, clocks, moment)
    request.status = target
    request.updated_at = moment
    note = note or _default_note(request, data)
    event = DataRequestEvent(
        status=target, note=note, actor=actor.label, agency=request.agency, at=moment
    )
    request.events.append(event)
    session.flush()
    item = item_of(request, clocks, moment)
    _tell(session, request, item, note)
    if data.action == "refer":
        notify_handlers(session, request, item, settings)
    return item


def _check(request: DataRequest, data: RequestTransition) -> str:
    """The status the action leads to, if the request's status allows it."""
    starts, target = MOVES[data.action]
    if request.status not in starts:
        raise Conflict(
            f"data request {request.id} is {STATUS_LABELS[request.status]}; "
            f"it cannot be {DONE[data.action]} now"
        )
    if data.action == "progress" and request.status == "in_progress" and not data.note.strip():
        raise Invalid("the request is already in progress; write a note to add an update")
    return target


def _tell(session: Session, request: DataRequest, item: DataRequestItem, note: str) -> None:
    """The requester hears of every step."""
    outbox.queue(
        session,
        request.requester_email,
        messages.status_changed(item, note),
        kind="status",
        agency_id=request.agency_id,
        request_id=request.id,
    )


def _apply(
    session: Session,
    request: DataRequest,
    data: RequestTransition,
    clocks: Clocks,
    moment: datetime,
) -> None:
    if data.action == "fulfil":
        request.outcome_url = _outcome(session, data)
    elif data.action == "decline":
        if not data.reason:
            raise Invalid("a declined request needs a reason the requester can read")
        request.decline_reason = data.reason.strip()
    elif data.action == "refer":
        _refer(session, request, data, clocks, moment)
        return
    if request.acknowledged_at is None:
        request.acknowledged_at = moment  # any answer acknowledges the request too
    if data.action in ("fulfil", "decline"):
        request.closed_at = moment


def _outcome(session: Session, data: RequestTransition) -> str:
    if data.dataset_id:
        if session.get(Dataset, data.dataset_id) is None:
            raise Invalid(f"there is no dataset {data.dataset_id!r} in the catalog")
        return f"/d/{data.dataset_id}"
    link = (data.link or "").strip()
    if not link:
        raise Invalid("a fulfilled request needs a link to the dataset or release")
    on_site = link.startswith("/") and not link.startswith("//")  # not another host's address
    if not (link.startswith(("https://", "http://")) or on_site):
        raise Invalid("the link must be a web address (https://...) or a path on this site")
    return link


def _refer(
    session: Session,
    request: DataRequest,
    data: RequestTransition,
    clocks: Clocks,
    moment: datetime,
) -> None:
    """The new agency holds the request from now on: its clocks start today."""
    if not data.agency:
        raise Invalid("say which agency the request is referred to")
    agency = session.scalar(select(Agency).where(Agency.slug == data.agency))
    if agency is None:
        raise Invalid(f"there is no agency {data.agency!r}")
    if agency.id == request.agency_id:
        raise Invalid(f"the request is already with {agency.name}")
    request.agency = agency
    request.routed_at = moment
    request.received_on = clocks.local_date(moment)
    request.ack_due, request.response_due = clocks.due_dates(request.received_on)
    request.acknowledged_at = None


def _default_note(request: DataRequest, data: RequestTransition) -> str:
    if data.action == "fulfil":
        return f"Fulfilled: {request.outcome_url}"
    if data.action == "decline":
        return f"Declined: {request.decline_reason}"
    if data.action == "refer" and request.agency is not None:
        return f"Referred to {request.agency.name}"
    return ""
