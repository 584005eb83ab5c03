"""Governance maturity self-assessments: the ADO rates the agency, completes, and compares.

Who may do what (the policy's `maturity.*` actions): the ADO starts, rates and completes the
agency's assessment; the agency's analysts and above (and the CDO) see drafts and the notes; the
ratings of completed assessments are public, so a state's progress can be followed from outside.

Assessments are numbered per agency. A new draft starts from the last completed assessment's
ratings (the ADO reviews each cell; the comparison shows what moved) and is compared with it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from steward.accounts.policy import Actor, permits, require
from steward.catalog.models import Agency
from steward.catalog.service import get_agency
from steward.db.base import utcnow
from steward.errors import Conflict, Invalid, NotFound
from steward.plans import maturity
from steward.plans.assessment_schemas import (
    MaturityCell,
    MaturityPage,
    MaturityPublic,
    MaturityRow,
    MaturitySummary,
    MaturityUpdate,
)
from steward.plans.models import MaturityAssessment

CELLS = len(maturity.ELEMENT_IDS) * len(maturity.DIMENSION_IDS)


def list_maturity(session: Session, actor: Actor, slug: str) -> list[MaturitySummary]:
    """The agency's assessments, newest first: completed ones for anyone, drafts for staff."""
    agency = get_agency(session, slug)
    staff = permits(actor, "maturity.view", agency.id)
    query = (
        select(MaturityAssessment)
        .where(MaturityAssessment.agency_id == agency.id)
        .order_by(MaturityAssessment.number.desc())
    )
    return [
        _summary(item) for item in session.scalars(query) if staff or item.status == "completed"
    ]


def get_maturity(session: Session, actor: Actor, slug: str, number: int) -> MaturityPublic:
    agency = get_agency(session, slug)
    found = _load(session, agency, number)
    staff = permits(actor, "maturity.view", agency.id)
    if found.status != "completed" and not staff:
        require(actor, "maturity.view", agency.id, what=f"draft assessment {number}")
    return _public(session, found, staff=staff)


def start_maturity(session: Session, actor: Actor, slug: str) -> MaturityPublic:
    """A new draft, starting from the last completed assessment's ratings (if any)."""
    agency = get_agency(session, slug)
    require(actor, "maturity.assess", agency.id, what=f"the maturity of {agency.name}")
    draft = session.scalar(
        select(MaturityAssessment.number).where(
            MaturityAssessment.agency_id == agency.id, MaturityAssessment.status == "draft"
        )
    )
    if draft is not None:
        raise Conflict(f"assessment {draft} of {agency.name} is still a draft: finish it first")
    last = _previous(session, agency.id, None)
    highest = session.scalar(
        select(func.max(MaturityAssessment.number)).where(MaturityAssessment.agency_id == agency.id)
    )
    item = MaturityAssessment(
        agency=agency,
        number=(highest or 0) + 1,
        ratings=maturity.merge(last.ratings, {}) if last else maturity.blank(),
        notes={},
        started_from=last.number if last else None,
        created_by=actor.label,
        updated_by=actor.label,
    )
    session.add(item)
    session.flush()
    return _public(session, item, staff=True)


def rate_maturity(
    session: Session, actor: Actor, slug: str, number: int, data: MaturityUpdate
) -> MaturityPublic:
    item = _draft(session, actor, slug, number)
    try:
        item.ratings = maturity.merge(item.ratings, data.ratings)
    except ValueError as exc:
        raise Invalid(str(exc)) from None
    unknown = sorted(set(data.notes) - set(maturity.ELEMENT_IDS))
    if unknown:
        raise Invalid(f"{unknown[0]}: not one of the ten elements")
    notes = {**item.notes, **data.notes}
    item.notes = {key: text for key, text in notes.items() if text}
    if data.summary is not None:
        item.summary = data.summary
    item.updated_at, item.updated_by = utcnow(), actor.label
    session.flush()
    return _public(session, item, staff=True)


def complete_maturity(session: Session, actor: Actor, slug: str, number: int) -> MaturityPublic:
    """Complete a draft once all 30 cells are rated; it is then public and frozen."""
    item = _draft(session, actor, slug, number)
    missing = maturity.unrated(item.ratings)
    if missing:
        raise Invalid(
            f"rate every element for people, policies and capabilities: {len(missing)} of "
            f"{CELLS} cells are not rated (first: {missing[0]})",
            data={"unrated": missing},
        )
    item.status = "completed"
    item.completed_at, item.completed_by = utcnow(), actor.label
    item.updated_at, item.updated_by = item.completed_at, actor.label
    session.flush()
    return _public(session, item, staff=True)


def latest_maturity(session: Session, agency_id: int) -> MaturityPublic | None:
    """The agency's latest completed assessment, as the public sees it (no notes); or None.

    For progress reports and the CDO dashboard: no actor needed.
    """
    item = _previous(session, agency_id, None)
    return _public(session, item, staff=False) if item else None


def public_page(session: Session, slug: str, number: int | None = None) -> MaturityPage:
    """The agency's latest (or asked-for) completed assessment, as the public sees it."""
    agency = get_agency(session, slug)
    query = (
        select(MaturityAssessment)
        .where(MaturityAssessment.agency_id == agency.id, MaturityAssessment.status == "completed")
        .order_by(MaturityAssessment.number.desc())
    )
    completed = list(session.scalars(query))
    shown = completed[0] if completed and number is None else None
    if number is not None:
        shown = next((item for item in completed if item.number == number), None)
        if shown is None:
            raise NotFound(f"{agency.name} has no completed maturity assessment {number}")
    return MaturityPage(
        agency=agency.slug,
        agency_name=agency.name,
        assessment=_public(session, shown, staff=False) if shown else None,
        completed=[item.number for item in completed],
    )


def can_assess(session: Session, actor: Actor, slug: str) -> bool:
    return permits(actor, "maturity.assess", get_agency(session, slug).id)


# helpers -----------------------------------------------------------------------------------


def _load(session: Session, agency: Agency, number: int) -> MaturityAssessment:
    item = session.scalar(
        select(MaturityAssessment).where(
            MaturityAssessment.agency_id == agency.id, MaturityAssessment.number == number
        )
    )
    if item is None:
        raise NotFound(f"{agency.name} has no maturity assessment {number}")
    return item


def _draft(session: Session, actor: Actor, slug: str, number: int) -> MaturityAssessment:
    agency = get_agency(session, slug)
    require(actor, "maturity.assess", agency.id, what=f"the maturity of {agency.name}")
    item = _load(session, agency, number)
    if item.status != "draft":
        raise Conflict(f"assessment {number} of {agency.name} is completed and cannot change")
    return item


def _previous(session: Session, agency_id: int, before: int | None) -> MaturityAssessment | None:
    """The latest completed assessment (numbered below `before`, when given)."""
    query = select(MaturityAssessment).where(
        MaturityAssessment.agency_id == agency_id, MaturityAssessment.status == "completed"
    )
    if before is not None:
        query = query.where(MaturityAssessment.number < before)
    return session.scalar(query.order_by(MaturityAssessment.number.desc()).limit(1))


def _summary(item: MaturityAssessment) -> MaturitySummary:
    overall = maturity.overall(item.ratings)
    return MaturitySummary(
        agency=item.agency.slug,
        agency_name=item.agency.name,
        number=item.number,
        status=item.status,  # type: ignore[arg-type]
        overall=overall,
        overall_level=maturity.level_name(overall),
        rated=CELLS - len(maturity.unrated(item.ratings)),
        cells=CELLS,
        created_at=item.created_at,
        created_by=item.created_by,
        updated_at=item.updated_at,
        completed_at=item.completed_at,
        completed_by=item.completed_by,
    )


def _public(session: Session, item: MaturityAssessment, *, staff: bool) -> MaturityPublic:
    previous = _previous(session, item.agency_id, item.number)
    before: dict[str, Any] = previous.ratings if previous else {}
    rows = [_row(item, before, element, staff) for element in maturity.ELEMENTS]
    return MaturityPublic(
        **_summary(item).model_dump(),
        previous_number=previous.number if previous else None,
        previous_overall=maturity.overall(before) if previous else None,
        started_from=item.started_from,
        rows=rows,
        dimension_means={
            d: maturity.dimension_mean(item.ratings, d) for d in maturity.DIMENSION_IDS
        },
        summary=(item.summary or "") if staff else None,
        unrated=maturity.unrated(item.ratings),
    )


def _row(
    item: MaturityAssessment, before: dict[str, Any], element: maturity.Element, staff: bool
) -> MaturityRow:
    now_cells = item.ratings.get(element.id) or {}
    old_cells = before.get(element.id) or {}
    cells = [
        MaturityCell(
            dimension=dimension,
            dimension_label=label,
            level=now_cells.get(dimension),
            level_name=maturity.level_name(now_cells.get(dimension)),
            previous=old_cells.get(dimension),
            change=maturity.change(old_cells.get(dimension), now_cells.get(dimension)),
            direction=maturity.direction(old_cells.get(dimension), now_cells.get(dimension)),
        )
        for dimension, label in maturity.DIMENSIONS
    ]
    mean = maturity.element_mean(item.ratings, element.id)
    previous_mean = maturity.element_mean(before, element.id) if before else None
    return MaturityRow(
        element=element.id,
        label=element.label,
        description=element.description,
        cells=cells,
        mean=mean,
        previous_mean=previous_mean,
        change=maturity.change(previous_mean, mean),
        direction=maturity.direction(previous_mean, mean),
        note=(item.notes.get(element.id) or None) if staff else None,
    )
