"""The inventory in the steward console: cycles, the CDO dashboard, an agency's submission page
and the entry form. Plain HTML forms, no JavaScript; every change goes through
`steward.inventory` (which checks the role) and every form carries the CSRF token.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Path, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from steward.accounts.policy import Actor
from steward.errors import Invalid, StewardError
from steward.inventory import assets, importer, service
from steward.inventory.schemas import (
    AssetCreate,
    AssetPublic,
    AssetUpdate,
    CycleCreate,
)
from steward.web.api.deps import ActorDep, get_session
from steward.web.auth import CsrfChecked
from steward.web.pages import inventory_forms as forms
from steward.web.pages.render import render

# Commit before the answer is sent (FastAPI's default ends a `yield` dependency after it): a
# browser following a redirect, or a script's next call, must see the change just made.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
# Years outside the range a cycle may have are refused before they reach the database.
YearPath = Annotated[int, Path(ge=2000, le=2100)]
router = APIRouter(include_in_schema=False)
BASE = "/console/inventory"
SUBMISSION = BASE + "/{year}/{agency}"
MAX_UPLOAD = 5 * 1024 * 1024


def _submission_url(year: int, agency: str) -> str:
    return f"{BASE}/{year}/{quote(agency)}"


# cycles and the dashboard ------------------------------------------------------------------


@router.get(BASE, response_class=HTMLResponse)
def cycles_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    return _cycles(request, session, actor)


def _cycles(
    request: Request, session: Session, actor: Actor, *, error: str | None = None, **form: str
) -> Response:
    context = {
        "cycles": service.list_cycles(session, actor),
        "can": service.abilities(session, actor),
        "error": error,
        "form": form,
    }
    return render(request, "inventory_index.html", context, status_code=400 if error else 200)


@router.post(BASE + "/cycles", dependencies=[CsrfChecked])
def open_cycle(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    year: Annotated[str, Form(max_length=10)] = "",
    due_date: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    try:
        data = CycleCreate.model_validate({"year": year, "due_date": due_date})
    except ValidationError:
        message = "give a year (2000 to 2100) and a due date (YYYY-MM-DD)"
        return _cycles(request, session, actor, error=message, year=year, due_date=due_date)
    try:
        service.open_cycle(session, actor, data)
    except Invalid as exc:
        return _cycles(request, session, actor, error=exc.message, year=year, due_date=due_date)
    return RedirectResponse(f"{BASE}/{data.year}", status_code=303)


@router.get(BASE + "/{year}", response_class=HTMLResponse)
def dashboard_page(
    request: Request, session: SessionDep, actor: ActorDep, year: YearPath
) -> Response:
    context = {"board": service.dashboard(session, actor, year), "year": year}
    return render(request, "inventory_dashboard.html", context)


# a submission ------------------------------------------------------------------------------


@router.get(SUBMISSION, response_class=HTMLResponse)
def submission_page(
    request: Request, session: SessionDep, actor: ActorDep, year: YearPath, agency: str
) -> Response:
    return _submission(request, session, actor, year, agency)


def _submission(
    request: Request,
    session: Session,
    actor: Actor,
    year: int,
    agency: str,
    *,
    error: str | None = None,
    errors: list[str] | None = None,
    status_code: int = 200,
) -> Response:
    submission = service.get_submission(session, actor, year, agency)
    can = service.abilities(session, actor, agency)
    context = {
        "submission": submission,
        "can": can,
        "history": [
            forms.change_view(change) for change in service.history(session, actor, year, agency)
        ],
        "candidates": assets.candidates(session, actor, year, agency) if can["edit"] else [],
        "notice": _notice(request),
        "error": error,
        "errors": errors or [],
        "url": _submission_url(year, agency),
        "api": f"/api/v1/inventory/cycles/{year}/agencies/{quote(agency)}",
    }
    return render(request, "inventory_submission.html", context, status_code=status_code)


NOTICES = {
    "added": "The entry was added.",
    "saved": "The entry was saved.",
    "removed": "The entry was removed.",
    "submitted": "The inventory was submitted to the Chief Data Officer.",
    "returned": "The inventory was returned to the agency with your comment.",
    "accepted": "The inventory was accepted.",
}


def _notice(request: Request) -> str | None:
    """The one-line confirmation after a change (the page it redirects to says what happened)."""
    done = request.query_params.get("done", "")
    if done == "imported":
        counts = [request.query_params.get(key, "0") for key in ("added", "updated", "removed")]
        if all(count.isdigit() for count in counts):
            return "The file was imported: {} added, {} changed, {} removed.".format(*counts)
    return NOTICES.get(done)


def _moved(year: int, agency: str, done: str, extra: str = "") -> Response:
    target = f"{_submission_url(year, agency)}?done={done}{extra}"
    return RedirectResponse(target, status_code=303)


@router.post(SUBMISSION + "/submit", dependencies=[CsrfChecked])
def submit(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    year: YearPath,
    agency: str,
    comment: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    try:
        service.submit(session, actor, year, agency, comment)
    except StewardError as exc:
        return _refused(request, session, actor, year, agency, exc)
    return _moved(year, agency, "submitted")


@router.post(SUBMISSION + "/return", dependencies=[CsrfChecked])
def return_submission(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    year: YearPath,
    agency: str,
    comment: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    try:
        service.return_submission(session, actor, year, agency, comment)
    except StewardError as exc:
        return _refused(request, session, actor, year, agency, exc)
    return _moved(year, agency, "returned")


@router.post(SUBMISSION + "/accept", dependencies=[CsrfChecked])
def accept(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    year: YearPath,
    agency: str,
    comment: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    try:
        service.accept(session, actor, year, agency, comment)
    except StewardError as exc:
        return _refused(request, session, actor, year, agency, exc)
    return _moved(year, agency, "accepted")


@router.post(SUBMISSION + "/import", dependencies=[CsrfChecked])
def import_file(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    year: YearPath,
    agency: str,
    file: Annotated[UploadFile, File()],
    replace: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    content = file.file.read(MAX_UPLOAD + 1)
    try:
        if len(content) > MAX_UPLOAD:
            raise Invalid(f"the file is larger than {MAX_UPLOAD // (1024 * 1024)} MB")
        result = importer.import_file(
            session, actor, year, agency, file.filename or "", content, replace=replace == "yes"
        )
    except StewardError as exc:
        return _refused(request, session, actor, year, agency, exc)
    counts = f"&added={result.added}&updated={result.updated}&removed={result.removed}"
    return _moved(year, agency, "imported", counts)


def _refused(
    request: Request, session: Session, actor: Actor, year: int, agency: str, exc: StewardError
) -> Response:
    """Show the submission page again with the reason (auth errors go to the error page)."""
    if exc.status in (401, 403, 404):
        raise exc
    errors = [str(item) for item in exc.data.get("errors", []) if isinstance(item, str)]
    message = exc.message.split("\n", 1)[0] if errors else exc.message
    return _submission(
        request, session, actor, year, agency, error=message, errors=errors, status_code=exc.status
    )


# an entry ----------------------------------------------------------------------------------


@router.get(SUBMISSION + "/assets/new", response_class=HTMLResponse)
def new_asset_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    year: YearPath,
    agency: str,
    dataset: str = "",
) -> Response:
    try:
        draft = assets.start_entry(session, actor, year, agency, dataset or None)
    except ValidationError:
        draft = assets.start_entry(session, actor, year, agency)  # a mangled dataset id
    return _asset_form(request, session, actor, year, agency, None, forms.raw(draft), {})


@router.post(SUBMISSION + "/assets", dependencies=[CsrfChecked])
async def add_asset(
    request: Request, session: SessionDep, actor: ActorDep, year: YearPath, agency: str
) -> Response:
    form = await request.form()
    return _save(request, session, actor, year, agency, None, form)


@router.get(SUBMISSION + "/assets/{asset_id}", response_class=HTMLResponse)
def asset_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    year: YearPath,
    agency: str,
    asset_id: int,
) -> Response:
    asset = assets.get_asset(session, actor, year, agency, asset_id)
    return _asset_form(request, session, actor, year, agency, asset, forms.raw(asset), {})


@router.post(SUBMISSION + "/assets/{asset_id}", dependencies=[CsrfChecked])
async def update_asset(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    year: YearPath,
    agency: str,
    asset_id: int,
) -> Response:
    form = await request.form()
    return _save(request, session, actor, year, agency, asset_id, form)


@router.post(SUBMISSION + "/assets/{asset_id}/delete", dependencies=[CsrfChecked])
def remove_asset(
    session: SessionDep, actor: ActorDep, year: YearPath, agency: str, asset_id: int
) -> Response:
    assets.remove_asset(session, actor, year, agency, asset_id)
    return _moved(year, agency, "removed")


def _save(
    request: Request,
    session: Session,
    actor: Actor,
    year: int,
    agency: str,
    asset_id: int | None,
    form: FormData,
) -> Response:
    values = forms.form_values(form)
    current = assets.get_asset(session, actor, year, agency, asset_id) if asset_id else None
    try:
        data = forms.fields(values)
        if asset_id is None:
            assets.add_asset(session, actor, year, agency, AssetCreate.model_validate(data))
        else:
            assets.update_asset(
                session, actor, year, agency, asset_id, AssetUpdate.model_validate(data)
            )
    except ValidationError as exc:
        errors = {forms.field_of(e["loc"]): e["msg"] for e in exc.errors()}
        return _asset_form(request, session, actor, year, agency, current, values, errors)
    except Invalid as exc:
        found = exc.data.get("errors") or [{"field": "", "message": exc.message}]
        errors = {item["field"]: item["message"] for item in found}
        return _asset_form(request, session, actor, year, agency, current, values, errors)
    return _moved(year, agency, "saved" if asset_id else "added")


def _asset_form(
    request: Request,
    session: Session,
    actor: Actor,
    year: int,
    agency: str,
    asset: AssetPublic | None,
    values: dict[str, Any],
    errors: dict[str, str],
) -> Response:
    submission = service.get_submission(session, actor, year, agency)
    can = service.abilities(session, actor, agency)
    context = {
        **forms.FORM_OPTIONS,
        "submission": submission,
        "asset": asset,
        "values": values,
        "errors": errors,
        "editable": can["edit"] and submission.editable,
        "url": _submission_url(year, agency),
    }
    status = 400 if errors else 200
    return render(request, "inventory_asset.html", context, status_code=status)
