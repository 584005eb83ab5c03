"""Data request use cases: filing, following by the private link, the public list, and the
queue the data officers work (transitions are in `workflow.py`, timeliness in `metrics.py`,
reminders in `reminders.py`).

Who sees what (the policy's `request.*` actions): anyone files and reads the public list, which
carries no personal details; the requester reads their own request through the private link;
the ADO of the request's agency (and the CDO, who also gets requests no agency holds) sees who
asked and works it.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from steward.accounts.policy import Actor, require
from steward.catalog.models import Agency, Dataset
from steward.config import Settings
from steward.db.base import utcnow
from steward.errors import Invalid, NotFound
from steward.requests import messages, outbox
from steward.requests.clocks import clocks_from
from steward.requests.models import DataRequest, DataRequestEvent
from steward.requests.routing import agencies_for, handlers, may
from steward.requests.schemas import (
    CLOSED,
    OPEN,
    STATUSES,
    DataRequestCreate,
    DataRequestItem,
    DataRequestPrivate,
    DataRequestPublic,
    RequestFiled,
)
from steward.requests.shapes import item_of, private_of, public_of

TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
FOLLOW_PATH = "/requests/follow/"
MAX_LIST = 500


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# filing ------------------------------------------------------------------------------------


def file_request(
    session: Session,
    actor: Actor,
    data: DataRequestCreate,
    settings: Settings,
    *,
    now: datetime | None = None,
) -> RequestFiled:
    """Record a request, route it to the agency's ADOs (or the CDO) and start its clocks."""
    require(actor, "request.file")
    agency, dataset = _target(session, data.agency, data.dataset_id)
    clocks = clocks_from(settings)
    moment = now or utcnow()
    received_on = clocks.local_date(moment)
    ack_due, response_due = clocks.due_dates(received_on)
    token = secrets.token_urlsafe(24)
    request = DataRequest(
        token_hash=token_hash(token),
        agency=agency,
        dataset=dataset,
        **data.model_dump(exclude={"agency", "dataset_id"}),
        filed_by=actor.email,
        status="received",
        created_at=moment,
        routed_at=moment,
        received_on=received_on,
        ack_due=ack_due,
        response_due=response_due,
        updated_at=moment,
    )
    by = actor.email or "requester"
    request.events.append(
        DataRequestEvent(status="received", note="", actor=by, agency=agency, at=moment)
    )
    session.add(request)
    session.flush()
    _announce(session, request, item_of(request, clocks, moment), settings)
    private = private_of(request, clocks, moment)
    return RequestFiled(token=token, follow_path=FOLLOW_PATH + token, request=private)


def _announce(
    session: Session, request: DataRequest, item: DataRequestItem, settings: Settings
) -> None:
    """Tell the data officers there is a request, and the requester that it arrived."""
    notify_handlers(session, request, item, settings)
    outbox.queue(
        session,
        request.requester_email,
        messages.receipt(item),
        kind="receipt",
        agency_id=request.agency_id,
        request_id=request.id,
    )


def _target(
    session: Session, slug: str | None, dataset_id: str | None
) -> tuple[Agency | None, Dataset | None]:
    """The agency asked (or the dataset's agency); unknown names are the requester's mistake."""
    agency = None
    if slug is not None:
        agency = session.scalar(select(Agency).where(Agency.slug == slug))
        if agency is None:
            raise Invalid(f"there is no agency {slug!r}; choose one from the list or leave it out")
    dataset = session.get(Dataset, dataset_id) if dataset_id is not None else None
    if dataset_id is not None and dataset is None:
        raise Invalid(f"there is no dataset {dataset_id!r} in the catalog")
    if dataset is not None:
        if agency is not None and dataset.agency_id != agency.id:
            raise Invalid(
                f"dataset {dataset.id} is published by {dataset.agency.name}, not {agency.name}"
            )
        agency = dataset.agency
    return agency, dataset


def notify_handlers(
    session: Session, request: DataRequest, item: DataRequestItem, settings: Settings
) -> None:
    """A message to each data officer of the request's agency (or each CDO)."""
    mail = messages.new_request(item, settings.site_url or "")
    for email in handlers(session, request.agency_id):
        outbox.queue(
            session,
            email,
            mail,
            kind="new_request",
            agency_id=request.agency_id,
            request_id=request.id,
        )


# the requester and the public ------------------------------------------------------------


def follow(
    session: Session, token: str, settings: Settings, *, now: datetime | None = None
) -> DataRequestPrivate:
    """The request behind a private link; NotFound for any unknown or malformed token."""
    request = None
    if TOKEN.match(token):
        query = select(DataRequest).where(DataRequest.token_hash == token_hash(token))
        request = session.scalar(query)
    if request is None:
        raise NotFound("no request at this address; check the link you were given")
    return private_of(request, clocks_from(settings), now or utcnow())


def list_public(
    session: Session,
    settings: Settings,
    *,
    agency: str | None = None,
    status: str | None = None,
    limit: int = 100,
    offset: int = 0,
    now: datetime | None = None,
) -> list[DataRequestPublic]:
    """Requests, newest first, without personal details; `status` may be `open` or `closed`."""
    query = _filtered(select(DataRequest), agency, status)
    query = query.order_by(DataRequest.created_at.desc(), DataRequest.id.desc())
    rows = session.scalars(query.limit(min(limit, MAX_LIST)).offset(offset))
    clocks, moment = clocks_from(settings), now or utcnow()
    return [public_of(request, clocks, moment) for request in rows]


def get_public(
    session: Session, request_id: int, settings: Settings, *, now: datetime | None = None
) -> DataRequestPublic:
    return public_of(load(session, request_id), clocks_from(settings), now or utcnow())


def load(session: Session, request_id: int) -> DataRequest:
    request = session.get(DataRequest, request_id)
    if request is None:
        raise NotFound(f"no data request {request_id}")
    return request


def _filtered(
    query: Select[DataRequest], agency: str | None, status: str | None
) -> Select[DataRequest]:
    if agency is not None:
        query = query.join(Agency, Agency.id == DataRequest.agency_id).where(Agency.slug == agency)
    if status == "open":
        query = query.where(DataRequest.status.in_(OPEN))
    elif status == "closed":
        query = query.where(DataRequest.status.in_(CLOSED))
    elif status not in (None, "", "all"):
        if status not in STATUSES:
            raise Invalid(f"status must be open, closed, all or one of {', '.join(STATUSES)}")
        query = query.where(DataRequest.status == status)
    return query


# the data officers' queue ------------------------------------------------------------------


def queue(
    session: Session,
    actor: Actor,
    settings: Settings,
    *,
    status: str | None = "open",
    agency: str | None = None,
    overdue_only: bool = False,
    now: datetime | None = None,
) -> list[DataRequestItem]:
    """The requests the actor works (ADO: their agencies; CDO: all, and those no agency holds
    yet), oldest first; `agency` narrows to one agency, which the actor must be ADO of."""
    query = _filtered(select(DataRequest), agency, status)
    if agency is not None:
        found = session.scalar(select(Agency).where(Agency.slug == agency))
        if found is None:
            raise NotFound(f"no agency {agency!r}")
        require(actor, "request.view", found.id, what=f"the data requests of {found.name}")
    else:
        scope = agencies_for(actor, "request.view")
        if scope is not None:
            query = query.where(DataRequest.agency_id.in_(scope))
    query = query.order_by(DataRequest.created_at, DataRequest.id)
    clocks, moment = clocks_from(settings), now or utcnow()
    items = [item_of(request, clocks, moment) for request in session.scalars(query)]
    return [item for item in items if item.clock.overdue] if overdue_only else items


def get_item(
    session: Session,
    actor: Actor,
    request_id: int,
    settings: Settings,
    *,
    now: datetime | None = None,
) -> DataRequestItem:
    request = load(session, request_id)
    if not may(agencies_for(actor, "request.view"), request.agency_id):
        require(actor, "request.view", request.agency_id, what=f"data request {request_id}")
    return item_of(request, clocks_from(settings), now or utcnow())
