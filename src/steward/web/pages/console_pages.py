"""The steward console: my agencies' datasets, a new dataset, one dataset's workspace (metadata,
data dictionary, uploads, versions, publication).

Plain server-rendered forms; `static/console.js` only adds upload progress. Every form that
changes something carries the CSRF token; a failed save shows its reason on the page with the
error's status (400, 409, 413), never a traceback.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from steward.catalog import service as catalog
from steward.catalog import versions
from steward.catalog.schemas import DatasetCreate, DatasetUpdate, FieldUpdate
from steward.console import service as console
from steward.errors import Invalid
from steward.web.api.catalog_write import may_upload
from steward.web.api.deps import ActorDep, SessionDep, SettingsDep
from steward.web.auth import CSRF_FIELD, CsrfChecked, check_csrf
from steward.web.pages.console_forms import (
    CHOICES,
    DatabaseDep,
    FormDep,
    UserError,
    attempt,
    dataset_values,
    field_values,
    metadata_values,
    page,
)
from steward.web.uploads import Upload, receive_upload

router = APIRouter(include_in_schema=False)
NOTICES = {
    "created": "The dataset was created as a draft. Upload its data, then publish it.",
    "metadata": "The metadata was saved.",
    "fields": "The data dictionary was saved.",
    "published": "The dataset is published.",
    "retired": "The dataset was unpublished (retired). Its metadata and versions stay.",
}


@router.get("/console", response_class=HTMLResponse)
def home(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    overview = console.overview(session, actor)
    return page(request, "console.html", {"overview": overview})


@router.get("/console/datasets/new", response_class=HTMLResponse)
def new_dataset(
    request: Request, session: SessionDep, actor: ActorDep, agency: str | None = None
) -> Response:
    choices = console.new_dataset_choices(session, actor, agency)
    values = {"agency": agency or choices.agencies[0].slug, "access_level": "public"}
    return _new_form(request, choices, values)


@router.post("/console/datasets/new", response_class=HTMLResponse, dependencies=[CsrfChecked])
def create_dataset(
    request: Request, database: DatabaseDep, actor: ActorDep, values: FormDep
) -> Response:
    given, _ = metadata_values(values)
    given |= {key: values[key].strip() for key in ("agency", "id") if values.get(key, "").strip()}
    created = attempt(
        database,
        lambda s: catalog.create_dataset(s, actor, DatasetCreate.model_validate(given)),
    )
    if isinstance(created, UserError):
        with database.session() as session:
            choices = console.new_dataset_choices(session, actor, None)
        return _new_form(request, choices, values, created)
    return RedirectResponse(f"/console/d/{created.id}?done=created", status_code=303)


@router.get("/console/d/{dataset_id}", response_class=HTMLResponse)
def workspace(
    request: Request, database: DatabaseDep, actor: ActorDep, dataset_id: str
) -> Response:
    done = request.query_params.get("done", "")
    notice = NOTICES.get(done)
    if done.startswith("v") and done[1:].isdigit():
        notice = f"Version {done[1:]} was loaded."
    return _workspace(request, database, actor, dataset_id, notice=notice)


@router.post("/console/d/{dataset_id}", response_class=HTMLResponse, dependencies=[CsrfChecked])
def save_metadata(
    request: Request, database: DatabaseDep, actor: ActorDep, dataset_id: str, values: FormDep
) -> Response:
    given, cleared = metadata_values(values)
    saved = attempt(
        database,
        lambda s: catalog.update_dataset(
            s, actor, dataset_id, DatasetUpdate.model_validate(given), clear=cleared
        ),
    )
    if isinstance(saved, UserError):
        return _workspace(request, database, actor, dataset_id, error=saved, entered=values)
    return _done(dataset_id, "metadata", "metadata")


@router.post(
    "/console/d/{dataset_id}/fields", response_class=HTMLResponse, dependencies=[CsrfChecked]
)
def save_fields(
    request: Request, database: DatabaseDep, actor: ActorDep, dataset_id: str, values: FormDep
) -> Response:
    grouped = field_values(values)

    def write(session: Any) -> object:
        changes = {name: FieldUpdate.model_validate(given) for name, given in grouped.items()}
        return catalog.update_fields(session, actor, dataset_id, changes)

    saved = attempt(database, write)
    if isinstance(saved, UserError):
        return _workspace(request, database, actor, dataset_id, error=saved, entered=values)
    return _done(dataset_id, "fields", "dictionary")


async def page_upload(
    request: Request, settings: SettingsDep, _allowed: Annotated[None, Depends(may_upload)]
) -> AsyncIterator[Upload | Invalid]:
    """Receive the upload form: the CSRF token (sent ahead of the file, as the form orders its
    inputs) is checked before any of the file is written; an unusable upload comes back as the
    error to show on the page. `CsrfChecked` reads the fields through `request.form()`: they are
    handed to Starlette's form cache, as the body can be read only once."""
    fields: dict[str, str] = {}

    def check_token(received: dict[str, str]) -> None:
        check_csrf(request, received.get(CSRF_FIELD))

    try:
        upload: Upload | Invalid = await receive_upload(
            request,
            settings.data_dir / "uploads",
            settings.upload_max_bytes,
            before_file=check_token,
            fields=fields,
        )
    except Invalid as exc:
        upload = exc
    request._form = FormData(list(fields.items()))  # Starlette's cache of the parsed form
    try:
        yield upload
    finally:
        if isinstance(upload, Upload):
            upload.discard()


PageUpload = Annotated[Upload | Invalid, Depends(page_upload)]


@router.post(
    "/console/d/{dataset_id}/versions",
    response_class=HTMLResponse,
    dependencies=[Depends(page_upload), CsrfChecked],
)
def upload_version(
    request: Request,
    received: PageUpload,
    database: DatabaseDep,
    settings: SettingsDep,
    actor: ActorDep,
    dataset_id: str,
) -> Response:
    if isinstance(received, Invalid):
        return _workspace(request, database, actor, dataset_id, error=received)
    upload = received
    version = attempt(
        database,
        lambda s: versions.ingest_version(
            s,
            actor,
            settings.data_dir,
            dataset_id,
            upload.path,
            skip_bad_rows=upload.flag("skip_bad_rows"),
            notes=upload.fields.get("notes", "").strip(),
            source_name=upload.filename,
        ),
    )
    if isinstance(version, UserError):
        return _workspace(request, database, actor, dataset_id, error=version)
    return _done(dataset_id, f"v{version.number}", "versions")


@router.post(
    "/console/d/{dataset_id}/publish", response_class=HTMLResponse, dependencies=[CsrfChecked]
)
def publish(request: Request, database: DatabaseDep, actor: ActorDep, dataset_id: str) -> Response:
    return _set_status(request, database, actor, dataset_id, "published")


@router.post(
    "/console/d/{dataset_id}/unpublish", response_class=HTMLResponse, dependencies=[CsrfChecked]
)
def unpublish(
    request: Request, database: DatabaseDep, actor: ActorDep, dataset_id: str
) -> Response:
    return _set_status(request, database, actor, dataset_id, "retired")


def _set_status(
    request: Request, database: DatabaseDep, actor: ActorDep, dataset_id: str, status: str
) -> Response:
    changed = attempt(database, lambda s: catalog.set_status(s, actor, dataset_id, status))
    if isinstance(changed, UserError):
        return _workspace(request, database, actor, dataset_id, error=changed)
    return _done(dataset_id, status, "publication")


def _done(dataset_id: str, what: str, anchor: str) -> Response:
    return RedirectResponse(f"/console/d/{dataset_id}?done={what}#{anchor}", status_code=303)


def _workspace(
    request: Request,
    database: DatabaseDep,
    actor: ActorDep,
    dataset_id: str,
    *,
    error: UserError | None = None,
    notice: str | None = None,
    entered: dict[str, str] | None = None,
) -> Response:
    with database.session() as session:
        space = console.workspace(session, actor, dataset_id)
    context = {
        "w": space,
        "d": space.dataset,
        "error": error.message if error else None,
        "notice": notice,
        "entered": dataset_values(space.dataset) | (entered or {}),
        "choices": CHOICES,
        "max_bytes": request.app.state.settings.upload_max_bytes,
    }
    status = error.status if error else 200
    return page(request, "console_dataset.html", context, status)


def _new_form(
    request: Request, choices: Any, values: dict[str, str], error: UserError | None = None
) -> Response:
    context = {"choices_new": choices, "entered": values, "choices": CHOICES}
    context["error"] = error.message if error else None
    return page(request, "console_new.html", context, error.status if error else 200)
