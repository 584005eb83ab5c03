"""Assessments as pages: the governance maturity matrix (console form and public page) and data
ethics assessments with their risks (console only).

Plain HTML forms, no JavaScript; every change goes through `steward.plans` (which checks the
role) and every form carries the CSRF token.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from steward.accounts.policy import Actor
from steward.errors import StewardError
from steward.plans import ethics, ethics_service, maturity, maturity_service, overview
from steward.plans.assessment_schemas import (
    EthicsCreate,
    EthicsUpdate,
    MaturityPublic,
    MaturityUpdate,
    RiskClose,
    RiskUpdate,
)
from steward.plans.heatmap import heatmap_svg
from steward.web.api.deps import ActorDep, get_session
from steward.web.auth import CsrfChecked
from steward.web.pages.render import render

SessionDep = Annotated[Session, Depends(get_session, scope="function")]
router = APIRouter(include_in_schema=False)
BASE = "/console/assessments"
MATURITY = BASE + "/maturity/{agency}"
ETHICS = BASE + "/ethics/{assessment_id}"
Text = Annotated[str, Form(max_length=4000)]
NOTICES = {
    "started": "The self-assessment was started from the last completed one.",
    "saved": "Saved.",
    "completed": "The assessment was completed.",
    "risk": "The risk was saved.",
    "closed": "The risk was closed.",
}
MODEL = {
    "elements": maturity.ELEMENTS,
    "dimensions": maturity.DIMENSIONS,
    "levels": maturity.LEVELS,
    "principles": ethics.PRINCIPLES,
    "scores": ethics.SCORES,
}


def _notice(request: Request) -> str | None:
    return NOTICES.get(request.query_params.get("done", ""))


def _go(url: str, done: str) -> Response:
    return RedirectResponse(f"{url}?done={done}", status_code=303)


def _shown_error(exc: StewardError) -> str:
    """The message to show on the page; auth errors and unknown objects go to the error page."""
    if exc.status in (401, 403, 404):
        raise exc
    return exc.message


@router.get(BASE, response_class=HTMLResponse)
def index(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    context = {**MODEL, "overview": overview.assessment_overview(session, actor)}
    return render(request, "assessment_index.html", context)


# maturity ----------------------------------------------------------------------------------


@router.post(MATURITY, dependencies=[CsrfChecked])
def start_maturity(request: Request, session: SessionDep, actor: ActorDep, agency: str) -> Response:
    try:
        made = maturity_service.start_maturity(session, actor, agency)
    except StewardError as exc:
        message = _shown_error(exc)
        context = {**MODEL, "overview": overview.assessment_overview(session, actor)}
        return render(request, "assessment_index.html", {**context, "error": message}, 409)
    return _go(f"{BASE}/maturity/{made.agency}/{made.number}", "started")


@router.get(MATURITY + "/{number}", response_class=HTMLResponse)
def maturity_page(
    request: Request, session: SessionDep, actor: ActorDep, agency: str, number: int
) -> Response:
    return _maturity(request, session, actor, agency, number)


def _maturity(
    request: Request,
    session: Session,
    actor: Actor,
    agency: str,
    number: int,
    *,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    found = maturity_service.get_maturity(session, actor, agency, number)
    editable = found.status == "draft" and maturity_service.can_assess(session, actor, agency)
    context = {
        **MODEL,
        "a": found,
        "svg": _heatmap(found),
        "editable": editable,
        "url": f"{BASE}/maturity/{found.agency}/{found.number}",
        "notice": _notice(request),
        "error": error,
    }
    return render(request, "assessment_maturity.html", context, status_code=status_code)


def _heatmap(found: MaturityPublic) -> str | None:
    return heatmap_svg(found) if found.rated else None


@router.post(MATURITY + "/{number}", dependencies=[CsrfChecked])
async def rate_maturity(
    request: Request, session: SessionDep, actor: ActorDep, agency: str, number: int
) -> Response:
    form = await request.form()
    try:
        data = MaturityUpdate.model_validate(_maturity_form(form))
        maturity_service.rate_maturity(session, actor, agency, number, data)
    except ValidationError:
        message = "a level is a whole number from 1 to 5"
        return _maturity(request, session, actor, agency, number, error=message, status_code=400)
    except StewardError as exc:
        message = _shown_error(exc)
        return _maturity(
            request, session, actor, agency, number, error=message, status_code=exc.status
        )
    return _go(f"{BASE}/maturity/{agency}/{number}", "saved")


def _maturity_form(form: FormData) -> dict[str, Any]:
    """`rating_<element>_<dimension>` selects (blank: not rated), `note_<element>`, `summary`."""
    ratings: dict[str, dict[str, Any]] = {}
    notes: dict[str, str] = {}
    for element in maturity.ELEMENT_IDS:
        cells = {}
        for dimension in maturity.DIMENSION_IDS:
            value = str(form.get(f"rating_{element}_{dimension}") or "").strip()
            cells[dimension] = value or None
        ratings[element] = cells
        notes[element] = str(form.get(f"note_{element}") or "")
    return {"ratings": ratings, "notes": notes, "summary": str(form.get("summary") or "")}


@router.post(MATURITY + "/{number}/complete", dependencies=[CsrfChecked])
def complete_maturity(
    request: Request, session: SessionDep, actor: ActorDep, agency: str, number: int
) -> Response:
    try:
        maturity_service.complete_maturity(session, actor, agency, number)
    except StewardError as exc:
        message = _shown_error(exc)
        return _maturity(
            request, session, actor, agency, number, error=message, status_code=exc.status
        )
    return _go(f"{BASE}/maturity/{agency}/{number}", "completed")


@router.get("/agencies/{slug}/maturity", response_class=HTMLResponse)
def public_maturity(
    request: Request, session: SessionDep, slug: str, number: int | None = None
) -> Response:
    page = maturity_service.public_page(session, slug, number)
    svg = _heatmap(page.assessment) if page.assessment else None
    return render(request, "assessment_public.html", {**MODEL, "page": page, "svg": svg})


# ethics ------------------------------------------------------------------------------------


@router.get(BASE + "/ethics/new", response_class=HTMLResponse)
def new_ethics(
    request: Request, session: SessionDep, actor: ActorDep, agency: str = "", dataset: str = ""
) -> Response:
    return _new_ethics(request, session, actor, {"agency": agency, "dataset_id": dataset})


def _new_ethics(
    request: Request,
    session: Session,
    actor: Actor,
    values: dict[str, str],
    error: str | None = None,
) -> Response:
    options = ethics_service.form_options(session, actor, values.get("agency") or None)
    context = {"options": options, "values": values, "error": error}
    return render(request, "assessment_ethics_new.html", context, 400 if error else 200)


@router.post(BASE + "/ethics", dependencies=[CsrfChecked])
def start_ethics(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    agency: Annotated[str, Form(max_length=64)] = "",
    dataset_id: Annotated[str, Form(max_length=9)] = "",
    title: Annotated[str, Form(max_length=300)] = "",
    description: Text = "",
) -> Response:
    values = {"agency": agency, "dataset_id": dataset_id, "title": title}
    values["description"] = description
    try:
        data = EthicsCreate.model_validate(values)
        made = ethics_service.start_ethics(session, actor, data)
    except ValidationError as exc:
        message = str(exc.errors()[0]["msg"])
        return _new_ethics(request, session, actor, values, message)
    except StewardError as exc:
        return _new_ethics(request, session, actor, values, _shown_error(exc))
    return _go(f"{BASE}/ethics/{made.id}", "started")


@router.get(ETHICS, response_class=HTMLResponse)
def ethics_page(
    request: Request, session: SessionDep, actor: ActorDep, assessment_id: int
) -> Response:
    return _ethics(request, session, actor, assessment_id)


def _ethics(
    request: Request,
    session: Session,
    actor: Actor,
    assessment_id: int,
    *,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    found = ethics_service.get_ethics(session, actor, assessment_id)
    context = {
        **MODEL,
        "a": found,
        "can": ethics_service.can_assess(session, actor, found.agency),
        "url": f"{BASE}/ethics/{found.id}",
        "notice": _notice(request),
        "error": error,
    }
    return render(request, "assessment_ethics.html", context, status_code=status_code)


@router.post(ETHICS, dependencies=[CsrfChecked])
async def score_ethics(
    request: Request, session: SessionDep, actor: ActorDep, assessment_id: int
) -> Response:
    form = await request.form()
    try:
        data = EthicsUpdate.model_validate(_ethics_form(form))
        ethics_service.score_ethics(session, actor, assessment_id, data)
    except ValidationError:
        message = "a score is a whole number from 0 to 5"
        return _ethics(request, session, actor, assessment_id, error=message, status_code=400)
    except StewardError as exc:
        message = _shown_error(exc)
        return _ethics(
            request, session, actor, assessment_id, error=message, status_code=exc.status
        )
    return _go(f"{BASE}/ethics/{assessment_id}", "saved")


def _ethics_form(form: FormData) -> dict[str, Any]:
    """`score_<principle>` radios (blank: not scored) and `notes_<principle>` texts."""
    scores = {
        principle: {
            "score": str(form.get(f"score_{principle}") or "").strip() or None,
            "notes": str(form.get(f"notes_{principle}") or ""),
        }
        for principle in ethics.PRINCIPLE_IDS
    }
    return {"scores": scores}


@router.post(ETHICS + "/complete", dependencies=[CsrfChecked])
def complete_ethics(
    request: Request, session: SessionDep, actor: ActorDep, assessment_id: int
) -> Response:
    try:
        ethics_service.complete_ethics(session, actor, assessment_id)
    except StewardError as exc:
        message = _shown_error(exc)
        return _ethics(
            request, session, actor, assessment_id, error=message, status_code=exc.status
        )
    return _go(f"{BASE}/ethics/{assessment_id}", "completed")


# risks -------------------------------------------------------------------------------------


@router.get(BASE + "/risks", response_class=HTMLResponse)
def risks_page(
    request: Request, session: SessionDep, actor: ActorDep, status: str = "open"
) -> Response:
    shown = status if status in ("open", "closed") else None
    risks = ethics_service.list_risks(session, actor, shown)
    context = {"risks": risks, "status": shown or "all"}
    return render(request, "assessment_risks.html", context)


@router.post(BASE + "/risks/{risk_id}", dependencies=[CsrfChecked])
def update_risk(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    risk_id: int,
    owner: Annotated[str, Form(max_length=200)] = "",
    mitigation: Text = "",
) -> Response:
    data = RiskUpdate(owner=owner, mitigation=mitigation)
    try:
        risk = ethics_service.update_risk(session, actor, risk_id, data)
    except StewardError as exc:
        return _risk_refused(request, session, actor, risk_id, exc)
    return _go(f"{BASE}/ethics/{risk.assessment_id}", "risk")


@router.post(BASE + "/risks/{risk_id}/close", dependencies=[CsrfChecked])
def close_risk(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    risk_id: int,
    note: Text = "",
) -> Response:
    try:
        risk = ethics_service.close_risk(session, actor, risk_id, RiskClose(note=note))
    except StewardError as exc:
        return _risk_refused(request, session, actor, risk_id, exc)
    return _go(f"{BASE}/ethics/{risk.assessment_id}", "closed")


def _risk_refused(
    request: Request, session: Session, actor: Actor, risk_id: int, exc: StewardError
) -> Response:
    message = _shown_error(exc)
    assessment_id = ethics_service.get_risk(session, actor, risk_id).assessment_id
    return _ethics(request, session, actor, assessment_id, error=message, status_code=exc.status)
