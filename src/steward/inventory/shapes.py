"""Inventory rows turned into the public shapes (tables never leave the inventory package)."""

from __future__ import annotations

from datetime import date
from typing import Any

from steward.inventory.criteria import CRITERIA, LETTERS
from steward.inventory.models import InventoryAsset, InventorySubmission
from steward.inventory.schemas import (
    AssetPublic,
    CriterionPublic,
    SubmissionPublic,
    SubmissionSummary,
)

EDITABLE = frozenset({"draft", "returned"})
DONE = frozenset({"submitted", "accepted"})


def criteria_met(criteria: dict[str, Any]) -> list[str]:
    """The letters marked yes in a stored criteria map, in the statute's order.

    >>> criteria_met({"H": {"applies": True}, "A": {"applies": False}, "Z": {"applies": True}})
    ['H']
    """
    return [letter for letter in LETTERS if (criteria.get(letter) or {}).get("applies")]


def is_overdue(status: str, due_date: date, today: date) -> bool:
    """Past the due date and neither submitted nor accepted (a returned one is overdue too).

    >>> is_overdue("returned", date(2026, 3, 1), date(2026, 3, 2))
    True
    >>> is_overdue("submitted", date(2026, 3, 1), date(2026, 3, 2))
    False
    """
    return today > due_date and status not in DONE


def asset_public(asset: InventoryAsset, submission: InventorySubmission) -> AssetPublic:
    stored = asset.criteria or {}
    answers = [
        CriterionPublic(
            letter=criterion.letter,
            label=criterion.label,
            applies=bool((stored.get(criterion.letter) or {}).get("applies")),
            justification=(stored.get(criterion.letter) or {}).get("justification") or "",
        )
        for criterion in CRITERIA
    ]
    met = criteria_met(stored)
    return AssetPublic(
        id=asset.id,
        key=asset.key,
        year=submission.cycle.year,
        agency=submission.agency.slug,
        dataset_id=asset.dataset_id,
        name=asset.name,
        description=asset.description or "",
        system_of_record=asset.system_of_record,
        owner=asset.owner,
        steward=asset.steward,
        custodian=asset.custodian,
        legal_authority=asset.legal_authority,
        criteria=answers,
        criteria_met=met,
        high_value=bool(met),
        classification=asset.classification,
        contains_pii=asset.contains_pii,
        contains_phi=asset.contains_phi,
        contains_fti=asset.contains_fti,
        contains_education_records=asset.contains_education_records,
        access_level=asset.access_level,
        access_reason=asset.access_reason,
        open_data_status=asset.open_data_status,
        planned_date=asset.planned_date,
        not_publishable_reason=asset.not_publishable_reason,
        update_frequency=asset.update_frequency,
        geographic_unit=asset.geographic_unit,
        temporal_coverage=asset.temporal_coverage,
        carried_forward_from=asset.carried_forward_from,
        created_at=asset.created_at,
        updated_at=asset.updated_at,
        updated_by=asset.updated_by,
    )


def summary(submission: InventorySubmission, today: date) -> SubmissionSummary:
    cycle, assets = submission.cycle, submission.assets
    return SubmissionSummary(
        year=cycle.year,
        due_date=cycle.due_date,
        agency=submission.agency.slug,
        agency_name=submission.agency.name,
        status=submission.status,  # type: ignore[arg-type]
        carried_forward_from=submission.carried_forward_from,
        submitted_at=submission.submitted_at,
        submitted_by=submission.submitted_by,
        reviewed_at=submission.reviewed_at,
        reviewed_by=submission.reviewed_by,
        review_comment=submission.review_comment,
        asset_count=len(assets),
        high_value_count=sum(1 for asset in assets if criteria_met(asset.criteria or {})),
        published_count=sum(1 for asset in assets if asset.open_data_status == "published"),
        overdue=is_overdue(submission.status, cycle.due_date, today),
        editable=submission.status in EDITABLE,
    )


def submission_public(submission: InventorySubmission, today: date) -> SubmissionPublic:
    assets = [asset_public(asset, submission) for asset in submission.assets]
    return SubmissionPublic(**summary(submission, today).model_dump(), assets=assets)
