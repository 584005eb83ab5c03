"""Use cases and usage on the portal: the dataset page's "Use cases" section (approved use cases,
the last 30 days' use, links to tell how you used the data and to request data), the form to
tell it, and the stewards' review in the console.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from steward.catalog import service as catalog
from steward.catalog.schemas import DatasetPublic
from steward.errors import Conflict, Invalid, RateLimited
from steward.usage import report, usecases
from steward.usage.schemas import UseCaseCreate, UseCaseReview
from steward.web.api.deps import ActorDep, get_session
from steward.web.auth import CsrfChecked
from steward.web.intake import TRAP, check_person, form_values, small_body
from steward.web.pages.render import render

SessionDep = Annotated[Session, Depends(get_session, scope="function")]
router = APIRouter(include_in_schema=False)
FIELDS = ("title", "url", "description", "name", "email")
LABELS = {
    "title": "Title",
    "url": "Link",
    "description": "What you did",
    "name": "Your name",
    "email": "Your email",
}
QUEUE = "/console/use-cases"


def dataset_usecases(session: Session, dataset: DatasetPublic) -> dict[str, Any]:
    """Context of `usecase_dataset.html`, the dataset page's use cases and usage section."""
    usage = report.dataset_report(session, dataset.id)
    return {"use_cases": usecases.approved(session, dataset.id), "usage_totals": usage.totals}


@router.get("/d/{dataset_id}/use-cases/new", response_class=HTMLResponse)
def use_case_form(request: Request, session: SessionDep, dataset_id: str) -> HTMLResponse:
    dataset = catalog.get_dataset(session, dataset_id)
    sent = request.query_params.get("sent") == "1"
    return _form(request, dataset, {}, None, 200, sent=sent)


def _form(
    request: Request,
    dataset: DatasetPublic,
    values: dict[str, str],
    error: str | None,
    status: int,
    *,
    sent: bool = False,
    problem_field: str | None = None,
) -> HTMLResponse:
    context = {
        "d": dataset,
        "values": values,
        "error": error,
        "problem_field": problem_field,
        "sent": sent,
        "trap": TRAP,
    }
    return render(request, "usecase_form.html", context, status_code=status)


@router.post("/d/{dataset_id}/use-cases", dependencies=[Depends(small_body), CsrfChecked])
async def submit_use_case(
    request: Request, session: SessionDep, actor: ActorDep, dataset_id: str
) -> Response:
    dataset = catalog.get_dataset(session, dataset_id)
    values = form_values(await request.form(), FIELDS)
    try:
        check_person(request, values, "use-cases")
        data = UseCaseCreate.model_validate({key: values.get(key) for key in FIELDS})
        usecases.submit(session, actor, dataset.id, data)
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]) if error["loc"] else ""
        message = f"{LABELS.get(name, 'The form')}: {error['msg']}"
        return _form(request, dataset, values, message, 400, problem_field=name)
    except (Invalid, RateLimited) as exc:
        return _form(request, dataset, values, exc.message, exc.status)
    return RedirectResponse(f"/d/{dataset.id}/use-cases/new?sent=1", status_code=303)


@router.get(QUEUE, response_class=HTMLResponse)
def review_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    status: Annotated[str, Query(max_length=16)] = "pending",
    agency: Annotated[str, Query(max_length=64)] = "",
) -> HTMLResponse:
    items = usecases.review_queue(session, actor, status=status or "pending", agency=agency or None)
    done = request.query_params.get("done", "")
    notice = {"approve": "The use case was approved.", "reject": "The use case was rejected."}
    context = {
        "items": items,
        "status": status or "pending",
        "agency": agency,
        "notice": notice.get(done),
    }
    return render(request, "usecase_queue.html", context)


@router.post(QUEUE + "/{use_case_id}", dependencies=[CsrfChecked])
def review_use_case(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    use_case_id: int,
    decision: Annotated[str, Form(max_length=16)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    try:
        data = UseCaseReview.model_validate({"decision": decision, "note": note})
        usecases.review(session, actor, use_case_id, data)
    except ValidationError:
        raise Invalid("choose approve or reject") from None
    except Conflict:
        pass  # decided already (another steward, or a second click): show the queue as it is
    return RedirectResponse(f"{QUEUE}?done={decision}", status_code=303)
