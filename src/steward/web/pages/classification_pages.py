"""The classification pages of the steward console: the questionnaire, the field table with
Steward's proposals, the result and the history; and a questionnaire for a single field."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from steward.accounts.policy import permits
from steward.catalog.service import load_dataset
from steward.classification import service
from steward.classification.schemas import AssessmentCreate, FieldDecisionCreate
from steward.errors import Invalid, NotFound
from steward.web.api.deps import ActorDep, SettingsDep, get_session
from steward.web.auth import CsrfChecked
from steward.web.pages.render import render

# The transaction commits before the response leaves, so a client that follows a redirect or
# reads right after a write sees the write.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
router = APIRouter(include_in_schema=False)
NO_STORE = {"Cache-Control": "no-store"}
IMPACT_FIELDS = ("confidentiality", "integrity", "availability")


def _page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: ActorDep,
    dataset_id: str,
    *,
    form: dict[str, str] | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    found = service.get_classification(session, actor, settings.data_dir, dataset_id)
    history = service.get_history(session, actor, dataset_id)
    agency_id = load_dataset(session, dataset_id).agency_id
    context = {
        "c": found,
        "history": history,
        "questions": service.questionnaire(),
        "form": form if form is not None else _initial_form(found),
        "may_assess": permits(actor, "classification.assess", agency_id),
        "saved": request.query_params.get("saved"),
        "error": error,
    }
    response = render(request, "classification_dataset.html", context, status_code=status_code)
    response.headers.update(NO_STORE)
    return response


def _initial_form(found: Any) -> dict[str, str]:
    """The current assessment's answers; before any, Steward's suggested answers."""
    if found.assessment is not None:
        values = dict(found.assessment.answers)
        values.update({name: getattr(found.assessment, name) for name in IMPACT_FIELDS})
        return values
    return dict(found.proposal.suggested_answers) if found.proposal else {}


@router.get("/console/d/{dataset_id}/classification", response_class=HTMLResponse)
def classification_page(
    request: Request, session: SessionDep, settings: SettingsDep, actor: ActorDep, dataset_id: str
) -> Response:
    return _page(request, session, settings, actor, dataset_id)


@router.post(
    "/console/d/{dataset_id}/classification",
    response_class=HTMLResponse,
    dependencies=[CsrfChecked],
)
async def record_assessment(
    request: Request, session: SessionDep, settings: SettingsDep, actor: ActorDep, dataset_id: str
) -> Response:
    form = _plain(await request.form())
    answers = _answers(form, [q.id for q in service.questionnaire().dataset])
    try:
        data = AssessmentCreate.model_validate(
            {
                "answers": answers,
                "rationale": form.get("rationale", ""),
                **{name: form.get(name, "") for name in IMPACT_FIELDS},
            }
        )
        service.record_assessment(session, actor, dataset_id, data)
    except (Invalid, ValidationError) as exc:
        shown = {**form, **answers}
        return _page(
            request, session, settings, actor, dataset_id,
            form=shown, error=_message(exc), status_code=400,
        )  # fmt: skip
    return RedirectResponse(
        f"/console/d/{dataset_id}/classification?saved=assessment#result", status_code=303
    )


@router.get("/console/d/{dataset_id}/classification/fields/{name}", response_class=HTMLResponse)
def field_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: ActorDep,
    dataset_id: str,
    name: str,
) -> Response:
    return _field_page(request, session, settings, actor, dataset_id, name)


def _field_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: ActorDep,
    dataset_id: str,
    name: str,
    *,
    form: dict[str, str] | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    found = service.get_classification(session, actor, settings.data_dir, dataset_id)
    field = next((item for item in found.fields if item.name == name), None)
    if field is None:
        raise NotFound(f"dataset {dataset_id} has no field {name!r}")
    answers = field.decision.answers if field.decision and field.decision.answers else {}
    agency_id = load_dataset(session, dataset_id).agency_id
    context = {
        "c": found,
        "field": field,
        "questions": service.questionnaire(),
        "form": form if form is not None else dict(answers),
        "may_assess": permits(actor, "classification.assess", agency_id),
        "error": error,
    }
    return render(request, "classification_field.html", context, status_code=status_code)


@router.post(
    "/console/d/{dataset_id}/classification/fields/{name}",
    response_class=HTMLResponse,
    dependencies=[CsrfChecked],
)
async def decide_field(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: ActorDep,
    dataset_id: str,
    name: str,
) -> Response:
    """From the field table (a level and a reason) or the field's own questionnaire."""
    form = _plain(await request.form())
    questionnaire = "level" not in form
    try:
        if questionnaire:
            ids = [q.id for q in service.questionnaire().field]
            data = FieldDecisionCreate(answers=_answers(form, ids), reason=form.get("reason", ""))
        else:
            data = FieldDecisionCreate.model_validate(
                {"level": form["level"], "reason": form.get("reason", "")}
            )
        service.decide_field(session, actor, settings.data_dir, dataset_id, name, data)
    except (Invalid, ValidationError) as exc:
        if questionnaire:
            ids = [q.id for q in service.questionnaire().field]
            shown = {**form, **_answers(form, ids)}
            return _field_page(
                request, session, settings, actor, dataset_id, name,
                form=shown, error=_message(exc), status_code=400,
            )  # fmt: skip
        return _page(
            request, session, settings, actor, dataset_id, error=_message(exc), status_code=400
        )
    return RedirectResponse(
        f"/console/d/{dataset_id}/classification?saved={name}#fields", status_code=303
    )


def _plain(form: FormData) -> dict[str, str]:
    return {key: value for key, value in form.items() if isinstance(value, str)}


def _answers(form: dict[str, str], ids: list[str]) -> dict[str, str]:
    """The radio buttons that were chosen (a question left blank is reported by the service)."""
    return {question: form[f"q_{question}"] for question in ids if form.get(f"q_{question}")}


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"])
        return f"{where}: {error['msg']}" if where else error["msg"]
    return str(getattr(exc, "message", exc))
