"""Audit log (access history) and consent admin pages (#10).

`/console/audit` shows the ADO who read their agency's data, under which agreement, for which
purpose and how many rows, with filters and a CSV export; the CDO sees every entry. The consent
page records, looks up and revokes decisions: identifiers are posted (never put in a URL),
hashed at once, and never shown back. Every form carries the CSRF token; the services check
the roles.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from steward.accounts.policy import Actor
from steward.audit import service as audit
from steward.audit.schemas import AuditFilter
from steward.consent import keys
from steward.consent import service as consent
from steward.consent.decide import DECISIONS
from steward.consent.schemas import ConsentCreate, ConsentLookup, ConsentRevoke, ConsentStatus
from steward.errors import Conflict, Invalid, NotFound
from steward.web.api.deps import ActorDep, SettingsDep, get_session
from steward.web.auth import CsrfChecked
from steward.web.pages.render import render

SessionDep = Annotated[Session, Depends(get_session, scope="function")]
router = APIRouter(include_in_schema=False)
PAGE = 50
Text = Annotated[str, Form(max_length=300)]


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise Invalid(f"{value!r} is not a date (YYYY-MM-DD)") from None


@router.get("/console/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    agency: Annotated[str, Query(max_length=64)] = "",
    dataset: Annotated[str, Query(max_length=64)] = "",
    action: Annotated[str, Query(max_length=64)] = "",
    since: Annotated[str, Query(max_length=10)] = "",
    until: Annotated[str, Query(max_length=10)] = "",
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> HTMLResponse:
    form = {"agency": agency, "dataset": dataset, "action": action, "since": since}
    form["until"] = until
    where = AuditFilter(
        agency=agency or None,
        dataset=dataset or None,
        action=action or None,
        since=_day(since),
        until=_day(until),
    )
    page = audit.list_entries(session, actor, where, limit=PAGE, offset=offset)
    query = urlencode({k: v for k, v in form.items() if v})
    context = {
        "page": page,
        "form": form,
        "query": query,
        "next_offset": offset + PAGE if offset + PAGE < page.total else None,
        "prev_offset": max(offset - PAGE, 0) if offset else None,
    }
    return render(request, "audit/log.html", context)


def _consent_page(
    request: Request,
    session: Session,
    actor: Actor,
    program: str = "",
    *,
    status: ConsentStatus | None = None,
    notice: str | None = None,
    error: str | None = None,
    code: int = 200,
) -> HTMLResponse:
    programs = consent.list_programs(session, actor)
    chosen = program or (programs[0].key if programs else "")
    records = consent.list_records(session, actor, chosen, limit=PAGE) if chosen else []
    context: dict[str, Any] = {
        "programs": programs,
        "program": chosen,
        "records": records,
        "status": status,
        "notice": notice,
        "error": error,
        "decisions": DECISIONS,
    }
    return render(request, "audit/consent.html", context, status_code=code)


@router.get("/console/consent", response_class=HTMLResponse)
def consent_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    program: Annotated[str, Query(max_length=64)] = "",
    done: Annotated[str, Query(max_length=16)] = "",
) -> HTMLResponse:
    notice = {"record": "The decision was recorded.", "revoke": "The revocation was recorded."}
    return _consent_page(request, session, actor, program, notice=notice.get(done))


def _person(last_name: str, first_name: str, dob: str, ssn: str) -> dict[str, str]:
    return {"last_name": last_name, "first_name": first_name, "dob": dob, "ssn": ssn}


@router.post("/console/consent", dependencies=[CsrfChecked])
def consent_form(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: ActorDep,
    program: Annotated[str, Form(max_length=64)],
    op: Annotated[str, Form(max_length=16)],
    last_name: Annotated[str, Form(max_length=100)] = "",
    first_name: Annotated[str, Form(max_length=100)] = "",
    dob: Annotated[str, Form(max_length=20)] = "",
    ssn: Annotated[str, Form(max_length=20)] = "",
    purpose: Annotated[str, Form(max_length=200)] = "",
    decision: Annotated[str, Form(max_length=8)] = "",
    effective_on: Annotated[str, Form(max_length=10)] = "",
    expires_on: Annotated[str, Form(max_length=10)] = "",
    scope: Annotated[str, Form(max_length=4000)] = "",
    discloser: Text = "",
    recipient: Text = "",
    revocation_noted: Annotated[str, Form(max_length=3)] = "",
    signed_on: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    key = keys.configure(settings)
    person = _person(last_name, first_name, dob, ssn)
    try:
        with session.begin_nested():  # a refused form leaves nothing half-done
            if op == "lookup":
                data = ConsentLookup.model_validate(
                    {"program": program, "person": person, "purpose": purpose}
                )
                status = consent.lookup(session, actor, data, key)
                return _consent_page(request, session, actor, program, status=status)
            if op == "revoke":
                revoke = ConsentRevoke.model_validate(
                    {
                        "program": program,
                        "person": person,
                        "purpose": purpose,
                        "effective_on": _day(effective_on),
                    }
                )
                consent.revoke_consent(session, actor, revoke, key)
            elif op == "record":
                made = ConsentCreate.model_validate(
                    {
                        "program": program,
                        "person": person,
                        "purpose": purpose,
                        "decision": decision,
                        "effective_on": _day(effective_on),
                        "expires_on": _day(expires_on),
                        "scope": scope,
                        "discloser": discloser,
                        "recipient": recipient,
                        "revocation_noted": revocation_noted == "1",
                        "signature_present": bool(signed_on),
                        "signed_on": _day(signed_on),
                    }
                )
                consent.record_consent(session, actor, made, key)
            else:
                raise Invalid("choose record, look up or revoke")
    except ValidationError as exc:
        error, code = str(exc.errors()[0]["msg"]), 400
    except (Invalid, Conflict, NotFound) as exc:
        error, code = exc.message, exc.status
    else:
        target = urlencode({"program": program, "done": op})
        return RedirectResponse(f"/console/consent?{target}", status_code=303)
    return _consent_page(request, session, actor, program, error=error, code=code)
