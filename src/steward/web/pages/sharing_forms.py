"""The agreement drafting and edit forms, with the legal-authority checklist, and the
spreadsheet import (#10).

Plain HTML forms, no JavaScript: "Check the draft" posts the form back and shows which required
elements of the chosen legal authorities it still misses, without saving anything. The form is
read into one plain state (re-shown as typed when something is refused) and turned into the
registry's Create / Update shapes; every write runs in a savepoint, so a refused form leaves
nothing behind.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from steward.errors import Invalid, StewardError
from steward.sharing import agreements, drafting, importer, shapes
from steward.sharing.drafting import DraftingChoices
from steward.sharing.schemas import (
    STATUS_LABELS,
    AgreementCreate,
    AgreementPublic,
    AgreementUpdate,
)
from steward.web.api.deps import ActorDep, get_session
from steward.web.auth import CsrfChecked
from steward.web.pages.render import render

SessionDep = Annotated[Session, Depends(get_session, scope="function")]
router = APIRouter(include_in_schema=False)
BASE = "/console/sharing"
MAX_IMPORT = 5 * 1024 * 1024
TEXTS = (
    "title",
    "kind",
    "provider",
    "recipient_agency",
    "recipient_organization",
    "prohibited_uses",
    "state_statute",
    "data_level",
    "program",
    "consent_purpose",
    "suppression_rule",
    "transfer_security",
    "redisclosure",
    "retention",
    "destruction_method",
    "destruction_due",
    "destruction_certificate",
    "effective_date",
    "end_date",
    "renewal_reminder_days",
)
LISTS = ("purposes", "authorized_users", "signatories")  # textareas, one item a line
NULLABLE = {"recipient_organization", "destruction_due", "effective_date", "end_date"}
KEEP_IF_BLANK = {"title", "kind", "data_level", "renewal_reminder_days"}
EMAILS = re.compile(r"[\s,;]+")


async def posted_form(request: Request) -> FormData:
    """The submitted form (parsed once and cached by Starlette, so after `CsrfChecked`)."""
    return await request.form()


FormDep = Annotated[FormData, Depends(posted_form)]


# form state <-> the registry's shapes ----------------------------------------------------------


def blank_state(choices: DraftingChoices) -> dict[str, Any]:
    state: dict[str, Any] = dict.fromkeys((*TEXTS, *LISTS), "")
    state.update(kind="dsa", data_level="deidentified", renewal_reminder_days="60")
    state.update(provider=choices.providers[0][0], legal_authorities=[], shared={})
    return state


def state_from_form(form: FormData) -> dict[str, Any]:
    """The form as typed: text values, the chosen authorities and the fields picked per dataset."""
    state: dict[str, Any] = {name: str(form.get(name) or "").strip() for name in (*TEXTS, *LISTS)}
    state["legal_authorities"] = [str(v) for v in form.getlist("legal_authorities")]
    shared: dict[str, dict[str, Any]] = {}
    for key, value in form.multi_items():
        if not key.startswith("fields.") or not isinstance(value, str):
            continue
        dataset_id = key.removeprefix("fields.")
        entry = shared.setdefault(
            dataset_id,
            {
                "fields": [],
                "row_filter": str(form.get(f"row_filter.{dataset_id}") or "").strip(),
                "identifier_fields": str(form.get(f"identifiers.{dataset_id}") or "").strip(),
            },
        )
        entry["fields"].append(value)
    state["shared"] = shared
    return state


def state_from_agreement(agreement: AgreementPublic) -> dict[str, Any]:
    values = agreement.model_dump(mode="json")
    state: dict[str, Any] = {name: str(values.get(name) or "") for name in TEXTS}
    state["provider"] = agreement.provider
    state["purposes"] = "\n".join(agreement.purposes)
    state["authorized_users"] = "\n".join(
        g.user_email for g in agreement.grants if g.state != "revoked"
    )
    state["signatories"] = "\n".join(
        "; ".join([s.name, s.title, s.organization, s.signed_on.isoformat() if s.signed_on else ""])
        for s in agreement.signatories
    )
    state["legal_authorities"] = list(agreement.legal_authorities)
    state["shared"] = {
        s.dataset_id: {
            "fields": list(s.fields),
            "row_filter": s.row_filter or "",
            "identifier_fields": ", ".join(s.identifier_fields),
        }
        for s in agreement.datasets
    }
    return state


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _signatory(line: str) -> dict[str, Any]:
    parts = [part.strip() for part in line.split(";")] + ["", "", "", ""]
    return {
        "name": parts[0],
        "title": parts[1],
        "organization": parts[2],
        "signed_on": parts[3] or None,
    }


def payload(state: dict[str, Any]) -> dict[str, Any]:
    """Every attribute of the form as the registry reads it (blank text is None)."""
    values: dict[str, Any] = {name: state[name] or None for name in TEXTS}
    values["purposes"] = _lines(state["purposes"])
    values["authorized_users"] = [e for e in EMAILS.split(state["authorized_users"]) if e]
    values["signatories"] = [_signatory(line) for line in _lines(state["signatories"])]
    values["legal_authorities"] = list(state["legal_authorities"])
    values["datasets"] = [
        {
            "dataset_id": dataset_id,
            "fields": entry["fields"],
            "row_filter": entry["row_filter"] or None,
            "identifier_fields": [
                n.strip() for n in entry["identifier_fields"].split(",") if n.strip()
            ],
        }
        for dataset_id, entry in state["shared"].items()
        if entry["fields"]
    ]
    return values


def create_data(state: dict[str, Any]) -> AgreementCreate:
    values = {k: v for k, v in payload(state).items() if v is not None}
    return AgreementCreate.model_validate(values)


def update_data(state: dict[str, Any]) -> AgreementUpdate:
    """Every attribute is set (so a cleared input clears it), except the ones that cannot be
    blank, which keep their value when left empty."""
    values = payload(state)
    values.pop("provider")
    if bool(values["recipient_agency"]) == bool(values["recipient_organization"]):
        raise Invalid("name the recipient: an agency or an external organization (one)")
    for name in TEXTS:
        if name in values and values[name] is None and name not in NULLABLE:
            if name in KEEP_IF_BLANK:
                del values[name]
            else:
                values[name] = ""
    return AgreementUpdate.model_validate(values)


def first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


def user_error(exc: StewardError) -> tuple[str, int]:
    """A refusal to show on the form; permission errors go to the site's error page."""
    if exc.status in (401, 403):
        raise exc
    return exc.message, 400 if exc.status == 404 else exc.status


# the drafting and edit forms ---------------------------------------------------------------


def form_page(
    request: Request,
    choices: DraftingChoices,
    state: dict[str, Any],
    *,
    agreement: AgreementPublic | None = None,
    error: str | None = None,
    checked: bool = False,
    code: int = 200,
) -> HTMLResponse:
    context = {
        "choices": choices,
        "v": state,
        "agreement": agreement,
        "action": f"{BASE}/{agreement.id}/edit" if agreement else f"{BASE}/new",
        "checklist": shapes.checklist(payload(state)),
        "checked": checked,
        "status_labels": STATUS_LABELS,
        "error": error,
    }
    return render(request, "sharing/form.html", context, status_code=code)


@router.get(BASE + "/new", response_class=HTMLResponse)
def new_agreement(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    choices = drafting.drafting_choices(session, actor)
    state = blank_state(choices)
    wanted = request.query_params.get("provider", "")
    if wanted in {slug for slug, _ in choices.providers}:
        state["provider"] = wanted
    return form_page(request, choices, state)


@router.post(BASE + "/new", dependencies=[CsrfChecked])
def create_agreement(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep
) -> Response:
    choices = drafting.drafting_choices(session, actor)
    state = state_from_form(form)
    if form.get("op") == "check":
        return form_page(request, choices, state, checked=True)
    try:
        with session.begin_nested():
            made = agreements.create_agreement(session, actor, create_data(state))
    except ValidationError as exc:
        return form_page(request, choices, state, error=first_error(exc), code=400)
    except StewardError as exc:
        message, code = user_error(exc)
        return form_page(request, choices, state, error=message, code=code)
    return RedirectResponse(f"{BASE}/{made.id}?done=created", status_code=303)


@router.get(BASE + "/{agreement_id}/edit", response_class=HTMLResponse)
def edit_agreement(
    request: Request, session: SessionDep, actor: ActorDep, agreement_id: int
) -> Response:
    agreement = drafting.editable(session, actor, agreement_id)
    choices = drafting.drafting_choices(session, actor)
    return form_page(request, choices, state_from_agreement(agreement), agreement=agreement)


@router.post(BASE + "/{agreement_id}/edit", dependencies=[CsrfChecked])
def save_agreement(
    request: Request, session: SessionDep, actor: ActorDep, agreement_id: int, form: FormDep
) -> Response:
    agreement = drafting.editable(session, actor, agreement_id)
    choices = drafting.drafting_choices(session, actor)
    state = state_from_form(form)
    state["provider"] = agreement.provider
    shown: dict[str, Any] = {"agreement": agreement}
    if form.get("op") == "check":
        return form_page(request, choices, state, checked=True, **shown)
    try:
        with session.begin_nested():
            agreements.update_agreement(session, actor, agreement_id, update_data(state))
    except ValidationError as exc:
        return form_page(request, choices, state, error=first_error(exc), code=400, **shown)
    except StewardError as exc:
        message, code = user_error(exc)
        return form_page(request, choices, state, error=message, code=code, **shown)
    return RedirectResponse(f"{BASE}/{agreement_id}?done=saved", status_code=303)


# import ------------------------------------------------------------------------------------


def import_page(
    request: Request,
    choices: DraftingChoices,
    *,
    errors: list[str] | None = None,
    code: int = 200,
) -> HTMLResponse:
    context = {"choices": choices, "columns": importer.COLUMNS, "errors": errors or []}
    return render(request, "sharing/import.html", context, status_code=code)


@router.get(BASE + "/import", response_class=HTMLResponse)
def import_form(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    return import_page(request, drafting.drafting_choices(session, actor))


@router.post(BASE + "/import", dependencies=[CsrfChecked])
def import_agreements(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    file: Annotated[UploadFile, File(description="CSV or XLSX in the import columns")],
) -> Response:
    choices = drafting.drafting_choices(session, actor)
    try:
        content = file.file.read(MAX_IMPORT + 1)
        if len(content) > MAX_IMPORT:
            raise Invalid(f"the file is larger than {MAX_IMPORT // (1024 * 1024)} MB")
        with session.begin_nested():
            made = importer.import_file(session, actor, file.filename or "", content)
    except StewardError as exc:
        message, code = user_error(exc)
        errors = [str(e) for e in exc.data.get("errors", [])] or [message]
        return import_page(request, choices, errors=errors, code=code)
    return RedirectResponse(f"{BASE}?done=imported&count={made.created}", status_code=303)
