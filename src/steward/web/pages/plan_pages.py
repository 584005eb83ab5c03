"""Open Data Access Plans as pages: the public index and each agency's published plan with its
adherence, and the console where the agency drafts, edits and publishes its plan.

Plain HTML forms, no JavaScript; every change goes through `steward.plans` (which checks the
role) and every form carries the CSRF token.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from steward.accounts.policy import Actor
from steward.errors import StewardError
from steward.plans import adherence, entries, service
from steward.plans.schemas import (
    KINDS,
    PRIORITIES,
    EntryCreate,
    EntryPublic,
    EntryUpdate,
    PlanCreate,
    PlanUpdate,
)
from steward.web.api.deps import ActorDep, get_session
from steward.web.auth import CsrfChecked
from steward.web.pages.render import render

SessionDep = Annotated[Session, Depends(get_session, scope="function")]
router = APIRouter(include_in_schema=False)
BASE = "/console/plans"
PLAN = BASE + "/{agency}/{period}"
ENTRY_FIELDS = (
    "kind",
    "title",
    "description",
    "dataset_id",
    "asset_key",
    "priority",
    "target_date",
    "update_frequency",
    "rationale",
)
Text = Annotated[str, Form(max_length=8000)]
NOTICES = {
    "created": "The plan was created. Add its entries, then publish it.",
    "saved": "The plan was saved.",
    "added": "The entry was added.",
    "changed": "The entry was saved.",
    "removed": "The entry was removed.",
    "published": "The plan was published: it is now on the agency's public plan page.",
}
SHARED = {"labels": adherence.LABELS, "statuses": adherence.STATUSES}


def plan_url(agency: str, period: str) -> str:
    return f"{BASE}/{quote(agency)}/{quote(period)}"


# public ------------------------------------------------------------------------------------


@router.get("/plans", response_class=HTMLResponse)
def public_index(request: Request, session: SessionDep) -> Response:
    return render(request, "plan_index.html", {**SHARED, "agencies": service.public_index(session)})


@router.get("/agencies/{slug}/plan", response_class=HTMLResponse)
def public_plan(request: Request, session: SessionDep, slug: str, period: str = "") -> Response:
    page = service.public_page(session, slug, period or None)
    return render(request, "plan_public.html", {**SHARED, "page": page})


# console: plans ----------------------------------------------------------------------------


@router.get(BASE, response_class=HTMLResponse)
def console_index(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    return _console_index(request, session, actor)


def _console_index(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    error: str | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    plans, creatable = service.console_plans(session, actor)
    context = {
        **SHARED,
        "plans": plans,
        "creatable": creatable,
        "error": error,
        "form": form or {},
    }
    return render(request, "plan_console.html", context, status_code=400 if error else 200)


@router.post(BASE, dependencies=[CsrfChecked])
def create_plan(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    agency: Annotated[str, Form(max_length=64)] = "",
    period: Annotated[str, Form(max_length=20)] = "",
    summary: Text = "",
) -> Response:
    form = {"agency": agency, "period": period, "summary": summary}
    try:
        data = PlanCreate.model_validate(form)
        created = service.create_plan(session, actor, data)
    except ValidationError as exc:
        return _console_index(request, session, actor, error=_first(exc), form=form)
    except StewardError as exc:
        if exc.status in (401, 403, 404):
            raise
        return _console_index(request, session, actor, error=exc.message, form=form)
    return _done(created.agency, created.period, "created")


@router.get(PLAN, response_class=HTMLResponse)
def plan_page(
    request: Request, session: SessionDep, actor: ActorDep, agency: str, period: str
) -> Response:
    return _plan_page(request, session, actor, agency, period)


def _plan_page(
    request: Request,
    session: Session,
    actor: Actor,
    agency: str,
    period: str,
    *,
    error: str | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int | None = None,
) -> Response:
    plan = service.get_plan(session, actor, agency, period)
    can = service.abilities(session, actor, agency)
    context = {
        **SHARED,
        "plan": plan,
        "can": can,
        "url": plan_url(plan.agency, plan.period),
        "api": f"/api/v1/plans/{quote(plan.agency)}/{quote(plan.period)}",
        "options": entries.link_options(session, actor, agency, period) if can["edit"] else None,
        "kinds": KINDS,
        "priorities": PRIORITIES,
        "notice": _notice(request),
        "error": error,
        "errors": errors or {},
        "values": values or {"kind": "planned", "priority": "medium"},
    }
    failed = error is not None or bool(errors)
    status = status_code or (400 if failed else 200)
    return render(request, "plan_edit.html", context, status_code=status)


def _notice(request: Request) -> str | None:
    done = request.query_params.get("done", "")
    if done == "inventory":
        count = request.query_params.get("count", "0")
        year = request.query_params.get("year", "")
        if count.isdigit() and year.isdigit():
            return f"{count} entries were added from the {year} inventory."
    return NOTICES.get(done)


def _done(agency: str, period: str, done: str, extra: str = "") -> Response:
    return RedirectResponse(f"{plan_url(agency, period)}?done={done}{extra}", status_code=303)


@router.post(PLAN, dependencies=[CsrfChecked])
def update_plan(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    agency: str,
    period: str,
    summary: Text = "",
) -> Response:
    try:
        service.update_plan(session, actor, agency, period, PlanUpdate(summary=summary))
    except ValidationError as exc:
        return _plan_page(request, session, actor, agency, period, error=_first(exc))
    return _done(agency, period, "saved")


@router.post(PLAN + "/publish", dependencies=[CsrfChecked])
def publish_plan(
    request: Request, session: SessionDep, actor: ActorDep, agency: str, period: str
) -> Response:
    try:
        service.publish_plan(session, actor, agency, period)
    except StewardError as exc:
        return _refused(request, session, actor, agency, period, exc)
    return _done(agency, period, "published")


@router.post(PLAN + "/from-inventory", dependencies=[CsrfChecked])
def from_inventory(
    request: Request, session: SessionDep, actor: ActorDep, agency: str, period: str
) -> Response:
    try:
        year, added = entries.add_from_inventory(session, actor, agency, period)
    except StewardError as exc:
        return _refused(request, session, actor, agency, period, exc)
    return _done(agency, period, "inventory", f"&count={len(added)}&year={year}")


def _refused(
    request: Request, session: Session, actor: Actor, agency: str, period: str, exc: StewardError
) -> Response:
    """Show the plan again with the reason (auth errors and unknown plans go to the error page)."""
    if exc.status in (401, 403, 404):
        raise exc
    return _plan_page(
        request, session, actor, agency, period, error=exc.message, status_code=exc.status
    )


# console: entries --------------------------------------------------------------------------


def _entry_values(form: dict[str, Any]) -> dict[str, str]:
    return {name: str(form.get(name) or "").strip() for name in ENTRY_FIELDS}


def _entry_data(values: dict[str, str]) -> dict[str, Any]:
    """Form values as the service's input: blanks are None."""
    return {name: value or None for name, value in values.items()}


def _field_errors(exc: ValidationError) -> dict[str, str]:
    return {str(e["loc"][0]) if e["loc"] else "": e["msg"] for e in exc.errors()}


def _first(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    return f"{where}: {error['msg']}" if where else error["msg"]


@router.post(PLAN + "/entries", dependencies=[CsrfChecked])
async def add_entry(
    request: Request, session: SessionDep, actor: ActorDep, agency: str, period: str
) -> Response:
    values = _entry_values(dict(await request.form()))
    try:
        data = EntryCreate.model_validate(
            {k: v for k, v in _entry_data(values).items() if v is not None}
        )
        entries.add_entry(session, actor, agency, period, data)
    except ValidationError as exc:
        errors = _field_errors(exc)
        return _plan_page(request, session, actor, agency, period, errors=errors, values=values)
    except StewardError as exc:
        if exc.status in (401, 403, 404):
            raise
        errors = {"": exc.message}
        return _plan_page(
            request,
            session,
            actor,
            agency,
            period,
            errors=errors,
            values=values,
            status_code=exc.status,
        )
    return _done(agency, period, "added")


@router.get(PLAN + "/entries/{entry_id}", response_class=HTMLResponse)
def entry_page(
    request: Request, session: SessionDep, actor: ActorDep, agency: str, period: str, entry_id: int
) -> Response:
    entry = entries.get_entry(session, actor, agency, period, entry_id)
    return _entry_page(request, session, actor, agency, period, entry, _shown(entry), {})


def _shown(entry: EntryPublic) -> dict[str, str]:
    plain = entry.model_dump()
    return {name: "" if plain.get(name) is None else str(plain[name]) for name in ENTRY_FIELDS}


def _entry_page(
    request: Request,
    session: Session,
    actor: Actor,
    agency: str,
    period: str,
    entry: EntryPublic,
    values: dict[str, str],
    errors: dict[str, str],
) -> Response:
    plan = service.get_plan(session, actor, agency, period)
    can = service.abilities(session, actor, agency)
    context = {
        **SHARED,
        "plan": plan,
        "entry": entry,
        "can": can,
        "url": plan_url(plan.agency, plan.period),
        "options": entries.link_options(session, actor, agency, period) if can["edit"] else None,
        "kinds": KINDS,
        "priorities": PRIORITIES,
        "values": values,
        "errors": errors,
    }
    return render(request, "plan_entry.html", context, status_code=400 if errors else 200)


@router.post(PLAN + "/entries/{entry_id}", dependencies=[CsrfChecked])
async def update_entry(
    request: Request, session: SessionDep, actor: ActorDep, agency: str, period: str, entry_id: int
) -> Response:
    values = _entry_values(dict(await request.form()))
    current = entries.get_entry(session, actor, agency, period, entry_id)
    try:
        data = EntryUpdate.model_validate(_entry_data(values))
        entries.update_entry(session, actor, agency, period, entry_id, data)
    except ValidationError as exc:
        errors = _field_errors(exc)
        return _entry_page(request, session, actor, agency, period, current, values, errors)
    except StewardError as exc:
        if exc.status in (401, 403, 404):
            raise
        return _entry_page(
            request, session, actor, agency, period, current, values, {"": exc.message}
        )
    return _done(agency, period, "changed")


@router.post(PLAN + "/entries/{entry_id}/delete", dependencies=[CsrfChecked])
def remove_entry(
    request: Request, session: SessionDep, actor: ActorDep, agency: str, period: str, entry_id: int
) -> Response:
    try:
        entries.remove_entry(session, actor, agency, period, entry_id)
    except StewardError as exc:
        return _refused(request, session, actor, agency, period, exc)
    return _done(agency, period, "removed")
