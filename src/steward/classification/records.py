"""Queries over the classification history: the current assessment, the last decisions."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from steward.classification.models import Assessment, FieldDecision
from steward.classification.schemas import Status


def latest_assessment(session: Session, dataset_id: str) -> Assessment | None:
    """The current assessment: the last one recorded."""
    return session.scalar(
        select(Assessment)
        .where(Assessment.dataset_id == dataset_id)
        .order_by(Assessment.id.desc())
        .limit(1)
    )


def status_of(assessment: Assessment | None) -> Status:
    if assessment is None:
        return "missing"
    return "needs_review" if assessment.needs_review else "current"


def statuses(session: Session, dataset_ids: Iterable[str]) -> dict[str, str]:
    """ "missing", "current" or "needs_review" for each dataset id, in one query."""
    wanted = list(dict.fromkeys(dataset_ids))
    if not wanted:
        return {}
    latest = (
        select(func.max(Assessment.id))
        .where(Assessment.dataset_id.in_(wanted))
        .group_by(Assessment.dataset_id)
    )
    rows = session.execute(
        select(Assessment.dataset_id, Assessment.needs_review).where(Assessment.id.in_(latest))
    ).all()
    found = {dataset_id: ("needs_review" if flagged else "current") for dataset_id, flagged in rows}
    return {dataset_id: found.get(dataset_id, "missing") for dataset_id in wanted}


def latest_decisions(session: Session, dataset_id: str) -> dict[str, FieldDecision]:
    """The last decision about each field of a dataset, by field name."""
    decisions = session.scalars(
        select(FieldDecision)
        .where(FieldDecision.dataset_id == dataset_id)
        .order_by(FieldDecision.id)
    )
    return {decision.field_name: decision for decision in decisions}


def history(session: Session, dataset_id: str) -> tuple[list[Assessment], list[FieldDecision]]:
    """Every assessment and field decision, newest first."""
    assessments = session.scalars(
        select(Assessment).where(Assessment.dataset_id == dataset_id).order_by(Assessment.id.desc())
    ).all()
    decisions = session.scalars(
        select(FieldDecision)
        .where(FieldDecision.dataset_id == dataset_id)
        .order_by(FieldDecision.id.desc())
    ).all()
    return list(assessments), list(decisions)
