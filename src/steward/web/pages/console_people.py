"""Console pages for agencies: their people and roles (the ADO manages, analysts and above
look), their details, and adding an agency (the CDO)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from steward.accounts import service as accounts
from steward.accounts.schemas import RoleGrant
from steward.catalog import service as catalog
from steward.catalog.schemas import AgencyCreate, AgencyUpdate
from steward.console import service as console
from steward.console.schemas import PersonAdd
from steward.web.api.deps import ActorDep
from steward.web.auth import CsrfChecked
from steward.web.pages.console_forms import DatabaseDep, FormDep, UserError, attempt, page

router = APIRouter(include_in_schema=False)
AGENCY_FIELDS = ("name", "abbreviation", "website", "description")
NOTICES = {
    "added": "The person was added.",
    "revoked": "The role was taken back.",
    "active": "The account was changed.",
    "agency": "The agency's details were saved.",
}


@router.get("/console/agencies/{slug}/people", response_class=HTMLResponse)
def people(request: Request, database: DatabaseDep, actor: ActorDep, slug: str) -> Response:
    notice = NOTICES.get(request.query_params.get("done", ""))
    return _people(request, database, actor, slug, notice=notice)


@router.post(
    "/console/agencies/{slug}/people", response_class=HTMLResponse, dependencies=[CsrfChecked]
)
def add_person(
    request: Request, database: DatabaseDep, actor: ActorDep, slug: str, values: FormDep
) -> Response:
    given = {key: values.get(key, "").strip() for key in ("email", "name", "role")}
    if values.get("password"):
        given["password"] = values["password"]
    added = attempt(
        database, lambda s: console.add_person(s, actor, slug, PersonAdd.model_validate(given))
    )
    if isinstance(added, UserError):
        return _people(request, database, actor, slug, error=added, entered=given)
    return _done(slug, "added")


@router.post(
    "/console/agencies/{slug}/people/revoke",
    response_class=HTMLResponse,
    dependencies=[CsrfChecked],
)
def revoke_role(
    request: Request, database: DatabaseDep, actor: ActorDep, slug: str, values: FormDep
) -> Response:
    email = values.get("email", "")

    def write(session: Any) -> object:
        grant = RoleGrant.model_validate({"role": values.get("role", ""), "agency": slug})
        return accounts.revoke_role(session, actor, email, grant)

    revoked = attempt(database, write)
    if isinstance(revoked, UserError):
        return _people(request, database, actor, slug, error=revoked)
    return _done(slug, "revoked")


@router.post(
    "/console/agencies/{slug}/people/active",
    response_class=HTMLResponse,
    dependencies=[CsrfChecked],
)
def set_active(
    request: Request, database: DatabaseDep, actor: ActorDep, slug: str, values: FormDep
) -> Response:
    email, active = values.get("email", ""), values.get("active") == "1"
    changed = attempt(database, lambda s: accounts.set_active(s, actor, email, active))
    if isinstance(changed, UserError):
        return _people(request, database, actor, slug, error=changed)
    return _done(slug, "active")


@router.post("/console/agencies/{slug}", response_class=HTMLResponse, dependencies=[CsrfChecked])
def update_agency(
    request: Request, database: DatabaseDep, actor: ActorDep, slug: str, values: FormDep
) -> Response:
    given = {key: values[key].strip() for key in AGENCY_FIELDS if key in values}
    saved = attempt(
        database,
        lambda s: catalog.update_agency(s, actor, slug, AgencyUpdate.model_validate(given)),
    )
    if isinstance(saved, UserError):
        return _people(request, database, actor, slug, error=saved, agency_entered=given)
    return _done(slug, "agency")


@router.post("/console/agencies", response_class=HTMLResponse, dependencies=[CsrfChecked])
def create_agency(
    request: Request, database: DatabaseDep, actor: ActorDep, values: FormDep
) -> Response:
    given = {key: values[key].strip() for key in ("slug", *AGENCY_FIELDS) if values.get(key)}
    created = attempt(
        database, lambda s: catalog.create_agency(s, actor, AgencyCreate.model_validate(given))
    )
    if isinstance(created, UserError):
        with database.session() as session:
            overview = console.overview(session, actor)
        context = {"overview": overview, "error": created.message, "agency_entered": given}
        return page(request, "console.html", context, created.status)
    return RedirectResponse(f"/console/agencies/{created.slug}/people", status_code=303)


def _done(slug: str, what: str) -> Response:
    return RedirectResponse(f"/console/agencies/{slug}/people?done={what}", status_code=303)


def _people(
    request: Request,
    database: DatabaseDep,
    actor: ActorDep,
    slug: str,
    *,
    error: UserError | None = None,
    notice: str | None = None,
    entered: dict[str, str] | None = None,
    agency_entered: dict[str, str] | None = None,
) -> Response:
    with database.session() as session:
        listing = console.people(session, actor, slug)
    context = {
        "p": listing,
        "error": error.message if error else None,
        "notice": notice,
        "entered": {key: value for key, value in (entered or {}).items() if key != "password"},
        "agency_entered": agency_entered,
        "roles": ("analyst", "steward", "ado"),
    }
    return page(request, "console_people.html", context, error.status if error else 200)
