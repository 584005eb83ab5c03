"""Sharing pages (#10): the public catalog of agreements in force, the console's agreement list
and detail (lifecycle, documents, rendered copies, grants, extracts) and the analyst's "My
grants" (state a purpose, request and download extracts).

Every page calls `steward.sharing` with the acting user, which checks the roles; every form
carries the CSRF token and every write runs in a savepoint, so a refused form changes nothing.
The drafting, edit and import forms are in `sharing_forms`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from steward.accounts.policy import Actor
from steward.errors import Invalid, StewardError
from steward.sharing import agreements, documents, drafting, extracts, grants
from steward.sharing.checklists import AUTHORITIES
from steward.sharing.schemas import (
    KINDS,
    STATUS_LABELS,
    STATUSES,
    ExtractCreate,
    StatusChange,
)
from steward.web.api.deps import ActorDep, SettingsDep, get_session
from steward.web.auth import CsrfChecked
from steward.web.pages import sharing_forms
from steward.web.pages.render import render
from steward.web.pages.sharing_forms import BASE, first_error, user_error

SessionDep = Annotated[Session, Depends(get_session, scope="function")]
router = APIRouter(include_in_schema=False)
router.include_router(sharing_forms.router)  # first: /new and /import before /{agreement_id}
GRANTS = "/console/grants"
NOTICES = {
    "created": "The agreement was drafted. Check the checklist, then send it to legal review.",
    "saved": "The agreement was saved.",
    "status": "The status was changed.",
    "document": "The document was attached.",
    "suspended": "The grant was suspended: its user's access stopped at once.",
    "resumed": "The grant was resumed.",
    "use": "Your purpose was recorded: you may query the granted fields for the next hours.",
    "extract": "The extract was made: download it below.",
}
SHARED = {"kinds": KINDS, "status_labels": STATUS_LABELS, "statuses": STATUSES}
Short = Annotated[str, Form(max_length=2000)]


def _notice(request: Request) -> str | None:
    done = request.query_params.get("done", "")
    count = request.query_params.get("count", "")
    if done == "imported" and count.isdigit():
        return f"{count} agreement(s) were imported."
    return NOTICES.get(done)


def _go(url: str, done: str) -> RedirectResponse:
    return RedirectResponse(f"{url}?done={done}", status_code=303)


# public ------------------------------------------------------------------------------------


@router.get("/agreements", response_class=HTMLResponse)
def public_catalog(request: Request, session: SessionDep) -> Response:
    context = {**SHARED, "entries": agreements.catalog(session)}
    return render(request, "sharing/catalog.html", context)


# console: the list -------------------------------------------------------------------------


@router.get(BASE, response_class=HTMLResponse)
def agreement_list(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    status: Annotated[str, Query(max_length=16)] = "",
    agency: Annotated[str, Query(max_length=64)] = "",
    kind: Annotated[str, Query(max_length=8)] = "",
    renewal: Annotated[str, Query(max_length=3)] = "",
) -> Response:
    form = {"status": status, "agency": agency, "kind": kind, "renewal": renewal}
    if status and status not in STATUSES:
        raise Invalid(f"status must be one of {', '.join(STATUSES)}")
    if kind and kind not in KINDS:
        raise Invalid(f"type must be one of {', '.join(KINDS)}")
    found = drafting.find_agreements(
        session,
        actor,
        status=status or None,
        agency=agency or None,
        kind=kind or None,
        renewal_due=renewal == "1",
    )
    context = {
        **SHARED,
        "agreements": found,
        "form": form,
        "can_draft": drafting.can_draft(session, actor),
        "notice": _notice(request),
    }
    return render(request, "sharing/list.html", context)


# console: one agreement --------------------------------------------------------------------


def detail_page(
    request: Request,
    session: Session,
    actor: Actor,
    agreement_id: int,
    *,
    error: str | None = None,
    code: int = 200,
) -> HTMLResponse:
    agreement = agreements.get_agreement(session, actor, agreement_id)
    context: dict[str, Any] = {
        **SHARED,
        "a": agreement,
        "can": drafting.abilities(session, actor, agreement_id),
        "extracts": extracts.list_extracts(session, actor, agreement_id),
        "authorities": AUTHORITIES,
        "max_mb": documents.MAX_BYTES // (1024 * 1024),
        "document_types": ", ".join(t.upper() for t in documents.TYPES),
        "notice": None if error else _notice(request),
        "error": error,
    }
    return render(request, "sharing/detail.html", context, status_code=code)


@router.get(BASE + "/{agreement_id}", response_class=HTMLResponse)
def agreement_detail(
    request: Request, session: SessionDep, actor: ActorDep, agreement_id: int
) -> Response:
    return detail_page(request, session, actor, agreement_id)


def _refused(
    request: Request, session: Session, actor: Actor, agreement_id: int, exc: Exception
) -> Response:
    if isinstance(exc, ValidationError):
        message, code = first_error(exc), 400
    else:
        assert isinstance(exc, StewardError)
        message, code = user_error(exc)
    return detail_page(request, session, actor, agreement_id, error=message, code=code)


@router.post(BASE + "/{agreement_id}/status", dependencies=[CsrfChecked])
def change_status(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    agreement_id: int,
    status: Annotated[str, Form(max_length=16)] = "",
    note: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    try:
        change = StatusChange.model_validate({"status": status, "note": note})
        with session.begin_nested():
            agreements.change_status(session, actor, agreement_id, change)
    except (ValidationError, StewardError) as exc:
        agreements.managed(session, actor, agreement_id)  # others see the error page
        return _refused(request, session, actor, agreement_id, exc)
    return _go(f"{BASE}/{agreement_id}", "status")


@router.post(BASE + "/{agreement_id}/documents", dependencies=[CsrfChecked])
def attach_document(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: ActorDep,
    agreement_id: int,
    file: Annotated[UploadFile, File()],
    description: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    agreements.managed(session, actor, agreement_id)
    try:
        content = file.file.read(documents.MAX_BYTES + 1)
        with session.begin_nested():
            documents.attach(
                session,
                actor,
                settings.data_dir,
                agreement_id,
                file.filename or "",
                content,
                description,
            )
    except StewardError as exc:
        return _refused(request, session, actor, agreement_id, exc)
    return _go(f"{BASE}/{agreement_id}", "document")


# grants: the provider's data officer -------------------------------------------------------


@router.post(GRANTS + "/{grant_id}/suspend", dependencies=[CsrfChecked])
def suspend_grant(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    grant_id: int,
    reason: Short = "",
) -> Response:
    return _grant_change(request, session, actor, grant_id, "suspended", reason)


@router.post(GRANTS + "/{grant_id}/resume", dependencies=[CsrfChecked])
def resume_grant(request: Request, session: SessionDep, actor: ActorDep, grant_id: int) -> Response:
    return _grant_change(request, session, actor, grant_id, "resumed", "")


def _grant_change(
    request: Request, session: Session, actor: Actor, grant_id: int, done: str, reason: str
) -> Response:
    try:
        with session.begin_nested():
            if done == "suspended":
                changed = grants.suspend(session, actor, grant_id, reason.strip())
            else:
                changed = grants.resume(session, actor, grant_id)
    except StewardError as exc:
        if exc.status in (401, 403, 404):
            raise
        agreement_id = drafting.agreement_of_grant(session, grant_id)
        return _refused(request, session, actor, agreement_id, exc)
    return _go(f"{BASE}/{changed.agreement_id}", done)


# grants: the analyst -----------------------------------------------------------------------


def grants_page(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    error: str | None = None,
    code: int = 200,
) -> HTMLResponse:
    mine = grants.my_grants(session, actor)
    made = {
        agreement_id: extracts.list_extracts(session, actor, agreement_id)
        for agreement_id in {g.agreement_id for g in mine if g.state != "revoked"}
    }
    context = {
        "grants": mine,
        "extracts": made,
        "notice": None if error else _notice(request),
        "error": error,
    }
    return render(request, "sharing/grants.html", context, status_code=code)


@router.get(GRANTS, response_class=HTMLResponse)
def my_grants(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    return grants_page(request, session, actor)


@router.post(GRANTS + "/{grant_id}/use", dependencies=[CsrfChecked])
def state_purpose(
    request: Request, session: SessionDep, actor: ActorDep, grant_id: int, purpose: Short = ""
) -> Response:
    try:
        with session.begin_nested():
            grants.open_use(session, actor, grant_id, purpose)
    except StewardError as exc:
        if exc.status == 401 or exc.code == "not_found":
            raise
        return grants_page(request, session, actor, error=exc.message, code=exc.status)
    return _go(GRANTS, "use")


@router.post(BASE + "/{agreement_id}/extracts", dependencies=[CsrfChecked])
def request_extract(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: ActorDep,
    agreement_id: int,
    dataset_id: Annotated[str, Form(max_length=64)] = "",
    purpose: Short = "",
) -> Response:
    engine = request.app.state.query_engine
    try:
        data = ExtractCreate.model_validate({"dataset_id": dataset_id, "purpose": purpose})
        with session.begin_nested():
            extracts.create_extract(session, actor, engine, settings.data_dir, agreement_id, data)
    except ValidationError as exc:
        return grants_page(request, session, actor, error=first_error(exc), code=400)
    except StewardError as exc:
        if exc.status == 401 or exc.code == "not_found":
            raise
        return grants_page(request, session, actor, error=exc.message, code=exc.status)
    return _go(GRANTS, "extract")
