"""Data requests API under `/api/v1/requests`: file a request (anyone), the public list and
metrics, the requester's private view, and the data officers' queue, transitions and outbox.

Each route names the least role it needs; `steward.requests` checks it.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, Query, Request, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from steward.requests import metrics, outbox, service, workflow
from steward.requests.clocks import clocks_from
from steward.requests.schemas import (
    DataRequestCreate,
    DataRequestItem,
    DataRequestPrivate,
    DataRequestPublic,
    OutboxMessagePublic,
    RequestFiled,
    RequestMetrics,
    RequestTransition,
)
from steward.web.api.deps import ActorDep, SettingsDep, get_session
from steward.web.intake import allow, now_of, send_mail_later

# Commit before the answer is sent: the requester's next call, or the background delivery of the
# outbox, must see the request just filed.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
router = APIRouter(prefix="/api/v1/requests", tags=["requests"])
PRIVATE_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex",
}
StatusQuery = Annotated[
    str | None, Query(max_length=16, description="open, closed, all or one status")
]
AgencyQuery = Annotated[str | None, Query(max_length=64, description="agency slug")]


class Holiday(BaseModel):
    date: date
    name: str


class Calendar(BaseModel):
    year: int
    ack_days: int
    response_days: int
    timezone: str
    holidays: list[Holiday]


@router.post(
    "", response_model=RequestFiled, status_code=201, summary="File a data request (public)"
)
def file_request(
    request: Request,
    background: BackgroundTasks,
    session: SessionDep,
    settings: SettingsDep,
    actor: ActorDep,
    data: DataRequestCreate,
) -> RequestFiled:
    allow(request, "requests")
    filed = service.file_request(session, actor, data, settings, now=now_of(request))
    send_mail_later(background, request)
    return filed


@router.get("", response_model=list[DataRequestPublic], summary="Requests, no personal details")
def list_requests(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    agency: AgencyQuery = None,
    status: StatusQuery = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[DataRequestPublic]:
    return service.list_public(
        session,
        settings,
        agency=agency,
        status=status,
        limit=limit,
        offset=offset,
        now=now_of(request),
    )


@router.get("/metrics", response_model=RequestMetrics, summary="Timeliness by agency (public)")
def request_metrics(request: Request, session: SessionDep, settings: SettingsDep) -> RequestMetrics:
    return metrics.metrics(session, settings, now=now_of(request))


@router.get("/calendar", response_model=Calendar, summary="The clocks' holidays (public)")
def calendar(
    request: Request,
    settings: SettingsDep,
    year: Annotated[int | None, Query(ge=2000, le=2100, description="default this year")] = None,
) -> Calendar:
    clocks = clocks_from(settings)
    year = year or clocks.local_date(now_of(request)).year
    days = clocks.calendar.holidays(year)
    return Calendar(
        year=year,
        ack_days=clocks.ack_days,
        response_days=clocks.response_days,
        timezone=settings.request_timezone,
        holidays=[Holiday(date=day, name=name) for day, name in days.items()],
    )


@router.get(
    "/queue", response_model=list[DataRequestItem], summary="The requests you work (ado, cdo)"
)
def request_queue(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: ActorDep,
    status: StatusQuery = "open",
    agency: AgencyQuery = None,
    overdue: bool = False,
) -> list[DataRequestItem]:
    return service.queue(
        session,
        actor,
        settings,
        status=status,
        agency=agency,
        overdue_only=overdue,
        now=now_of(request),
    )


@router.get(
    "/outbox",
    response_model=list[OutboxMessagePublic],
    summary="Messages about the requests you work (ado, cdo)",
)
def request_outbox(
    session: SessionDep, actor: ActorDep, unsent: bool = False
) -> list[OutboxMessagePublic]:
    return outbox.list_messages(session, actor, unsent=unsent)


@router.get(
    "/follow/{token}",
    response_model=DataRequestPrivate,
    summary="The requester's own view, by the private token (public)",
)
def follow(
    request: Request, response: Response, session: SessionDep, settings: SettingsDep, token: str
) -> DataRequestPrivate:
    response.headers.update(PRIVATE_HEADERS)
    return service.follow(session, token, settings, now=now_of(request))


@router.get(
    "/{request_id}", response_model=DataRequestPublic, summary="One request, no personal details"
)
def get_request(
    request: Request, session: SessionDep, settings: SettingsDep, request_id: int
) -> DataRequestPublic:
    return service.get_public(session, request_id, settings, now=now_of(request))


@router.get(
    "/{request_id}/details",
    response_model=DataRequestItem,
    summary="One request with who asked (ado of its agency, cdo)",
)
def get_details(
    request: Request, session: SessionDep, settings: SettingsDep, actor: ActorDep, request_id: int
) -> DataRequestItem:
    return service.get_item(session, actor, request_id, settings, now=now_of(request))


@router.post(
    "/{request_id}/transitions",
    response_model=DataRequestItem,
    summary="Acknowledge, progress, fulfil, decline or refer (ado of its agency, cdo)",
)
def transition(
    request: Request,
    background: BackgroundTasks,
    session: SessionDep,
    settings: SettingsDep,
    actor: ActorDep,
    request_id: int,
    data: RequestTransition,
) -> DataRequestItem:
    item = workflow.transition(session, actor, request_id, data, settings, now=now_of(request))
    send_mail_later(background, request)
    return item
