"""Usage and use cases under `/api/v1`: a dataset's daily usage, its approved use cases, telling
how you used a dataset, and the stewards' review of use cases."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session

from steward.usage import report, usecases
from steward.usage.schemas import (
    DatasetUsageReport,
    UseCaseCreate,
    UseCaseItem,
    UseCasePublic,
    UseCaseReview,
)
from steward.web.api.deps import ActorDep, get_session
from steward.web.intake import allow

SessionDep = Annotated[Session, Depends(get_session, scope="function")]
router = APIRouter(prefix="/api/v1", tags=["usage"])


@router.get(
    "/datasets/{dataset_id}/usage",
    response_model=DatasetUsageReport,
    summary="Daily views, downloads, API calls, rows served, unique visitors (public)",
)
def dataset_usage(
    session: SessionDep,
    dataset_id: str,
    start: Annotated[date | None, Query(description="first day, default 30 days ago")] = None,
    end: Annotated[date | None, Query(description="last day, default today (UTC)")] = None,
) -> DatasetUsageReport:
    return report.dataset_report(session, dataset_id, start, end)


@router.get(
    "/datasets/{dataset_id}/use-cases",
    response_model=list[UseCasePublic],
    summary="Approved use cases of a dataset (public)",
)
def dataset_use_cases(session: SessionDep, dataset_id: str) -> list[UseCasePublic]:
    return usecases.approved(session, dataset_id)


@router.post(
    "/datasets/{dataset_id}/use-cases",
    response_model=UseCasePublic,
    status_code=201,
    summary="Tell how you used a dataset; shown once a steward approves it (public)",
)
def submit_use_case(
    request: Request, session: SessionDep, actor: ActorDep, dataset_id: str, data: UseCaseCreate
) -> UseCasePublic:
    allow(request, "use-cases")
    item = usecases.submit(session, actor, dataset_id, data)
    return UseCasePublic.model_validate(item.model_dump())


@router.get(
    "/use-cases",
    response_model=list[UseCaseItem],
    summary="Use cases to review (steward of the dataset's agency, cdo)",
)
def use_case_queue(
    session: SessionDep,
    actor: ActorDep,
    status: Annotated[str, Query(max_length=16)] = "pending",
    agency: Annotated[str | None, Query(max_length=64)] = None,
) -> list[UseCaseItem]:
    return usecases.review_queue(session, actor, status=status, agency=agency)


@router.post(
    "/use-cases/{use_case_id}/review",
    response_model=UseCaseItem,
    summary="Approve or reject a use case (steward of the dataset's agency, cdo)",
)
def review_use_case(
    session: SessionDep, actor: ActorDep, use_case_id: int, data: UseCaseReview
) -> UseCaseItem:
    return usecases.review(session, actor, use_case_id, data)
