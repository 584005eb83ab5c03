"""Data requests on the portal: the public list with each agency's timeliness, one request's
public page, the intake form (for the public and for signed-in staff), and the requester's
private page. Plain HTML forms; the form carries the CSRF token and a hidden field people leave
empty, and one address may send only a few requests in ten minutes.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from steward.accounts.policy import Actor
from steward.catalog import service as catalog
from steward.config import Settings
from steward.errors import Invalid, NotFound, RateLimited
from steward.requests import metrics, service
from steward.requests.schemas import KIND_LABELS, STATUS_LABELS, DataRequestCreate
from steward.web.api.deps import ActorDep, SettingsDep, get_session
from steward.web.auth import CsrfChecked
from steward.web.intake import (
    TRAP,
    check_person,
    form_values,
    now_of,
    send_mail_later,
    small_body,
)
from steward.web.pages.render import render

SessionDep = Annotated[Session, Depends(get_session, scope="function")]
router = APIRouter(include_in_schema=False)
PRIVATE_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex",
}
FIELDS = (
    "requester_name",
    "requester_email",
    "organization",
    "requester_kind",
    "title",
    "description",
    "purpose",
    "period",
    "granularity",
    "data_format",
    "frequency",
    "agency",
    "dataset_id",
)
LABELS = {
    "requester_name": "Your name",
    "requester_email": "Your email",
    "organization": "Organization",
    "requester_kind": "You are",
    "title": "What data you need",
    "description": "Describe the data",
    "purpose": "Purpose and use",
    "period": "Time period",
    "granularity": "Level of detail",
    "data_format": "Format",
    "frequency": "How often",
    "agency": "Agency",
    "dataset_id": "Related dataset",
}
FORMATS = ["CSV", "Excel", "JSON or an API", "Shapefile or GeoJSON", "PDF report"]
FREQUENCIES = ["Once", "Every month", "Every quarter", "Every year", "As the data change"]
PAGE_SIZE = 50


@router.get("/requests", response_class=HTMLResponse)
def requests_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    agency: Annotated[str | None, Query(max_length=64)] = None,
    status: Annotated[str | None, Query(max_length=16)] = None,
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
) -> HTMLResponse:
    agency = agency or None
    found = service.list_public(
        session,
        settings,
        agency=agency,
        status=status or None,
        limit=PAGE_SIZE + 1,
        offset=(page - 1) * PAGE_SIZE,
        now=now_of(request),
    )
    context = {
        "requests": found[:PAGE_SIZE],
        "more": len(found) > PAGE_SIZE,
        "page": page,
        "filters": {"agency": agency or "", "status": status or ""},
        "agencies": catalog.list_agencies(session),
        "metrics": metrics.metrics(session, settings, now=now_of(request)),
        "labels": STATUS_LABELS,
    }
    return render(request, "request_list.html", context)


@router.get("/requests/new", response_class=HTMLResponse)
def request_form(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: ActorDep,
    dataset: Annotated[str | None, Query(max_length=9)] = None,
    agency: Annotated[str | None, Query(max_length=64)] = None,
) -> HTMLResponse:
    values = _starting_values(session, actor, dataset, agency)
    return _form(request, session, settings, values, None, 200)


def _starting_values(
    session: Session, actor: Actor, dataset_id: str | None, agency: str | None
) -> dict[str, str]:
    values = {"agency": agency or "", "dataset_id": ""}
    if dataset_id:
        try:
            dataset = catalog.get_dataset(session, dataset_id)
        except NotFound:
            dataset = None
        if dataset is not None:
            values.update(agency=dataset.agency, dataset_id=dataset.id)
    if not actor.is_anonymous and actor.email:
        values.update(requester_name=actor.name, requester_email=actor.email)
        if actor.agency_roles or actor.is_cdo:
            values["requester_kind"] = "agency_staff"
    return values


def _form(
    request: Request,
    session: Session,
    settings: Settings,
    values: dict[str, str],
    error: str | None,
    status: int,
    problem_field: str | None = None,
) -> HTMLResponse:
    dataset = None
    if values.get("dataset_id"):
        try:
            dataset = catalog.get_dataset(session, values["dataset_id"])
        except NotFound:
            dataset = None
    context: dict[str, Any] = {
        "values": values,
        "error": error,
        "problem_field": problem_field,
        "agencies": catalog.list_agencies(session),
        "dataset": dataset,
        "kinds": KIND_LABELS,
        "formats": FORMATS,
        "frequencies": FREQUENCIES,
        "foi_url": settings.request_foi_url,
        "ack_days": settings.request_ack_days,
        "response_days": settings.request_response_days,
        "trap": TRAP,
    }
    return render(request, "request_form.html", context, status_code=status)


@router.post("/requests", dependencies=[Depends(small_body), CsrfChecked])
async def file_request(
    request: Request,
    background: BackgroundTasks,
    session: SessionDep,
    settings: SettingsDep,
    actor: ActorDep,
) -> Response:
    values = form_values(await request.form(), FIELDS)
    try:
        check_person(request, values, "requests")
        data = DataRequestCreate.model_validate({key: values.get(key) for key in FIELDS})
        with session.begin_nested():  # a refused request leaves nothing behind
            filed = service.file_request(session, actor, data, settings, now=now_of(request))
    except ValidationError as exc:
        field, message = _problem(exc)
        return _form(request, session, settings, values, message, 400, field)
    except (Invalid, RateLimited) as exc:
        return _form(request, session, settings, values, exc.message, exc.status)
    send_mail_later(background, request)
    return RedirectResponse(f"{filed.follow_path}?sent=1", status_code=303)


def _problem(exc: ValidationError) -> tuple[str | None, str]:
    error = exc.errors()[0]
    name = str(error["loc"][0]) if error["loc"] else None
    label = LABELS.get(name or "", "The form")
    return name, f"{label}: {error['msg']}"


@router.get("/requests/follow/{token}", response_class=HTMLResponse)
def follow_page(
    request: Request, session: SessionDep, settings: SettingsDep, token: str
) -> HTMLResponse:
    found = service.follow(session, token, settings, now=now_of(request))
    context = {
        "r": found,
        "sent": request.query_params.get("sent") == "1",
        "labels": STATUS_LABELS,
        "kinds": KIND_LABELS,
        "foi_url": settings.request_foi_url,
    }
    response = render(request, "request_follow.html", context)
    response.headers.update(PRIVATE_HEADERS)
    return response


@router.get("/requests/{request_id}", response_class=HTMLResponse)
def public_request_page(
    request: Request, session: SessionDep, settings: SettingsDep, request_id: int
) -> HTMLResponse:
    found = service.get_public(session, request_id, settings, now=now_of(request))
    context = {"r": found, "labels": STATUS_LABELS, "kinds": KIND_LABELS}
    return render(request, "request_public.html", context)
