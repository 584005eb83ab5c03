"""Use cases: anyone tells how they used a dataset; a steward of the dataset's agency (or the
CDO) approves or rejects it; approved ones are shown on the dataset page and in the API. The
submitter's name and email go to the agency only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from steward.accounts.policy import Actor, require
from steward.catalog.models import Dataset
from steward.catalog.service import get_agency, load_dataset
from steward.db.base import utcnow
from steward.errors import Conflict, Invalid, NotFound
from steward.requests.routing import agencies_for
from steward.usage.models import UseCase
from steward.usage.schemas import (
    UseCaseCreate,
    UseCaseItem,
    UseCasePublic,
    UseCaseReview,
)

STATUSES = ("pending", "approved", "rejected")


def submit(session: Session, actor: Actor, dataset_id: str, data: UseCaseCreate) -> UseCaseItem:
    require(actor, "usecase.submit")
    dataset = load_dataset(session, dataset_id)
    use_case = UseCase(
        dataset_id=dataset.id,
        title=data.title,
        url=data.url,
        description=data.description,
        submitter_name=data.name,
        submitter_email=data.email or actor.email,
        status="pending",
    )
    session.add(use_case)
    session.flush()
    return _item(use_case, dataset)


def approved(session: Session, dataset_id: str) -> list[UseCasePublic]:
    """The dataset's approved use cases, newest first (public)."""
    dataset = load_dataset(session, dataset_id)
    query = (
        select(UseCase)
        .where(UseCase.dataset_id == dataset.id, UseCase.status == "approved")
        .order_by(UseCase.created_at.desc(), UseCase.id.desc())
    )
    return [_public(use_case) for use_case in session.scalars(query)]


def review_queue(
    session: Session, actor: Actor, *, status: str = "pending", agency: str | None = None
) -> list[UseCaseItem]:
    """Use cases of the datasets of the agencies where the actor is a steward (CDO: all);
    `agency` narrows to one agency, where the actor must be a steward."""
    if status not in (*STATUSES, "all"):
        raise Invalid(f"status must be all or one of {', '.join(STATUSES)}")
    query = select(UseCase, Dataset).join(Dataset, Dataset.id == UseCase.dataset_id)
    if agency is not None:
        found = get_agency(session, agency)
        require(actor, "usecase.review", found.id, what=f"the use cases of {found.name}")
        query = query.where(Dataset.agency_id == found.id)
    else:
        scope = agencies_for(actor, "usecase.review")
        if scope is not None:
            query = query.where(Dataset.agency_id.in_(scope))
    if status != "all":
        query = query.where(UseCase.status == status)
    query = query.order_by(UseCase.created_at, UseCase.id)
    return [_item(use_case, dataset) for use_case, dataset in session.execute(query)]


def review(
    session: Session,
    actor: Actor,
    use_case_id: int,
    data: UseCaseReview,
    *,
    now: datetime | None = None,
) -> UseCaseItem:
    use_case = session.get(UseCase, use_case_id)
    if use_case is None:
        raise NotFound(f"no use case {use_case_id}")
    dataset = load_dataset(session, use_case.dataset_id)
    require(actor, "usecase.review", dataset.agency_id, what=f"use case {use_case_id}")
    status = "approved" if data.decision == "approve" else "rejected"
    if use_case.status == status:
        raise Conflict(f"use case {use_case_id} is already {status}")
    use_case.status = status
    use_case.reviewed_at = now or utcnow()
    use_case.reviewed_by = actor.label
    use_case.review_note = data.note.strip() or None
    session.flush()
    return _item(use_case, dataset)


def _public(use_case: UseCase) -> UseCasePublic:
    return UseCasePublic(
        id=use_case.id,
        dataset_id=use_case.dataset_id,
        title=use_case.title,
        url=use_case.url,
        description=use_case.description,
        created_at=use_case.created_at,
    )


def _item(use_case: UseCase, dataset: Dataset) -> UseCaseItem:
    return UseCaseItem(
        **_public(use_case).model_dump(),
        dataset_title=dataset.title,
        agency=dataset.agency.slug,
        submitter_name=use_case.submitter_name,
        submitter_email=use_case.submitter_email,
        status=use_case.status,  # type: ignore[arg-type]
        reviewed_at=use_case.reviewed_at,
        reviewed_by=use_case.reviewed_by,
        review_note=use_case.review_note,
    )
