"""The data officers' side of data requests in the console: the queue (with overdue flags), one
request with the forms that move it on (acknowledge, progress, fulfil, decline, refer), and the
outbox of messages. Every form carries the CSRF token; `steward.requests` checks the role.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from steward.accounts.policy import Actor
from steward.catalog import service as catalog
from steward.config import Settings
from steward.errors import Conflict, Invalid
from steward.requests import outbox, service, workflow
from steward.requests.schemas import ACTIONS, KIND_LABELS, STATUS_LABELS, RequestTransition
from steward.web.api.deps import ActorDep, SettingsDep, get_session
from steward.web.auth import CsrfChecked
from steward.web.intake import now_of, send_mail_later
from steward.web.pages.render import render

SessionDep = Annotated[Session, Depends(get_session, scope="function")]
router = APIRouter(include_in_schema=False)
BASE = "/console/requests"
NOTICES = {
    "acknowledge": "The request was acknowledged; the requester was told.",
    "progress": "The request is in progress; the requester was told.",
    "fulfil": "The request was fulfilled; the requester was sent the link.",
    "decline": "The request was declined; the requester was sent the reason.",
    "refer": "The request was referred; the other agency's data officer was told.",
}


@router.get(BASE, response_class=HTMLResponse)
def queue_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: ActorDep,
    status: Annotated[str, Query(max_length=16)] = "open",
    overdue: Annotated[str, Query(max_length=3)] = "",
    agency: Annotated[str, Query(max_length=64)] = "",
) -> HTMLResponse:
    items = service.queue(
        session,
        actor,
        settings,
        status=status or "open",
        agency=agency or None,
        overdue_only=overdue == "1",
        now=now_of(request),
    )
    context = {
        "items": items,
        "agency": agency,
        "status": status or "open",
        "overdue": overdue == "1",
        "labels": STATUS_LABELS,
        "statuses": STATUS_LABELS,
    }
    return render(request, "request_queue.html", context)


@router.get(BASE + "/outbox", response_class=HTMLResponse)
def outbox_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: ActorDep,
    unsent: Annotated[str, Query(max_length=3)] = "",
) -> HTMLResponse:
    messages = outbox.list_messages(session, actor, unsent=unsent == "1")
    context = {"messages": messages, "unsent": unsent == "1", "smtp": bool(settings.smtp_host)}
    return render(request, "request_outbox.html", context)


@router.get(BASE + "/{request_id}", response_class=HTMLResponse)
def request_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: ActorDep,
    request_id: int,
) -> HTMLResponse:
    notice = NOTICES.get(request.query_params.get("done", ""))
    return _detail(request, session, settings, actor, request_id, notice=notice)


def _detail(
    request: Request,
    session: Session,
    settings: Settings,
    actor: Actor,
    request_id: int,
    *,
    notice: str | None = None,
    error: str | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    item = service.get_item(session, actor, request_id, settings, now=now_of(request))
    context = {
        "r": item,
        "labels": STATUS_LABELS,
        "kinds": KIND_LABELS,
        "agencies": [a for a in catalog.list_agencies(session) if a.slug != item.agency],
        "notice": notice,
        "error": error,
        "form": form or {},
    }
    return render(request, "request_detail.html", context, status_code=status_code)


@router.post(BASE + "/{request_id}", dependencies=[CsrfChecked])
def move_request(
    request: Request,
    background: BackgroundTasks,
    session: SessionDep,
    settings: SettingsDep,
    actor: ActorDep,
    request_id: int,
    action: Annotated[str, Form(max_length=16)] = "",
    note: Annotated[str, Form(max_length=4000)] = "",
    link: Annotated[str, Form(max_length=500)] = "",
    dataset_id: Annotated[str, Form(max_length=9)] = "",
    reason: Annotated[str, Form(max_length=4000)] = "",
    agency: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    form = {"action": action, "note": note, "link": link, "dataset_id": dataset_id}
    form.update(reason=reason, agency=agency)
    try:
        if action not in ACTIONS:
            raise Invalid("choose what to do with the request")
        data = RequestTransition.model_validate(form)
        with session.begin_nested():  # a refused step leaves nothing half-done
            workflow.transition(session, actor, request_id, data, settings, now=now_of(request))
    except ValidationError as exc:
        error, code = str(exc.errors()[0]["msg"]), 400
    except (Invalid, Conflict) as exc:
        error, code = exc.message, exc.status
    else:
        send_mail_later(background, request)
        return RedirectResponse(f"{BASE}/{request_id}?done={action}", status_code=303)
    return _detail(
        request, session, settings, actor, request_id, error=error, form=form, status_code=code
    )
