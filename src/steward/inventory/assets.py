"""The entries of a submission: catalogued datasets and data not (yet) in the catalog.

Stewards and ADOs of the agency (and the CDO) add, change and remove entries while the
submission is a draft or returned; each change is kept with the entry before and after. An entry
naming a catalog dataset starts from the catalog's metadata: whatever the caller leaves out is
filled from it.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from steward.accounts.policy import Actor
from steward.catalog.models import Dataset
from steward.catalog.public import to_public
from steward.db.base import utcnow
from steward.errors import Conflict, Invalid, NotFound
from steward.inventory import changes, rules
from steward.inventory.criteria import LETTERS
from steward.inventory.models import InventoryAsset, InventorySubmission
from steward.inventory.schemas import (
    AssetCreate,
    AssetFields,
    AssetPublic,
    AssetUpdate,
    CatalogCandidate,
)
from steward.inventory.service import require_editable, submission_for
from steward.inventory.shapes import asset_public
from steward.metadata import openness
from steward.metadata.coverage import geographic_unit


def list_assets(session: Session, actor: Actor, year: int, slug: str) -> list[AssetPublic]:
    submission = submission_for(session, actor, "inventory.view", year, slug)
    return [asset_public(asset, submission) for asset in submission.assets]


def get_asset(session: Session, actor: Actor, year: int, slug: str, asset_id: int) -> AssetPublic:
    submission = submission_for(session, actor, "inventory.view", year, slug)
    return asset_public(_asset(submission, asset_id), submission)


def add_asset(
    session: Session, actor: Actor, year: int, slug: str, data: AssetCreate
) -> AssetPublic:
    submission = submission_for(session, actor, "inventory.edit", year, slug)
    require_editable(submission)
    values = rules.tidy(_prefilled(session, submission, data))
    rules.check(values)
    asset = new_asset(session, submission, actor.label, values)
    session.flush()
    return asset_public(asset, submission)


def update_asset(
    session: Session, actor: Actor, year: int, slug: str, asset_id: int, data: AssetUpdate
) -> AssetPublic:
    submission = submission_for(session, actor, "inventory.edit", year, slug)
    require_editable(submission)
    asset = _asset(submission, asset_id)
    change_asset(session, submission, asset, actor.label, data)
    return asset_public(asset, submission)


def change_asset(
    session: Session,
    submission: InventorySubmission,
    asset: InventoryAsset,
    by: str,
    data: AssetFields,
) -> bool:
    """Apply the sent fields (criteria merge letter by letter); True when anything changed."""
    before = changes.snapshot(asset)
    sent = data.model_dump(exclude_unset=True)
    criteria = {**(before.get("criteria") or {}), **(sent.pop("criteria", None) or {})}
    values = rules.tidy(AssetFields.model_validate({**before, **sent, "criteria": criteria}))
    rules.check(values)
    if values.dataset_id and values.dataset_id != asset.dataset_id:
        _check_link(session, submission, values.dataset_id, asset.id)
    for name, value in columns(values).items():
        setattr(asset, name, value)
    after = changes.snapshot(asset)
    if after == before:
        return False
    asset.updated_at, asset.updated_by = utcnow(), by
    changes.record(session, submission, by, "updated", asset=asset, before=before, after=after)
    session.flush()
    return True


def remove_asset(session: Session, actor: Actor, year: int, slug: str, asset_id: int) -> None:
    submission = submission_for(session, actor, "inventory.edit", year, slug)
    require_editable(submission)
    drop_asset(session, submission, _asset(submission, asset_id), actor.label)


def drop_asset(
    session: Session, submission: InventorySubmission, asset: InventoryAsset, by: str
) -> None:
    before = changes.snapshot(asset)
    changes.record(session, submission, by, "removed", asset=asset, before=before)
    submission.assets.remove(asset)
    session.flush()


def candidates(session: Session, actor: Actor, year: int, slug: str) -> list[CatalogCandidate]:
    """The agency's catalogued datasets the submission does not list yet."""
    submission = submission_for(session, actor, "inventory.view", year, slug)
    listed = {asset.dataset_id for asset in submission.assets}
    datasets = session.scalars(
        select(Dataset).where(Dataset.agency_id == submission.agency_id).order_by(Dataset.title)
    )
    return [
        CatalogCandidate(id=d.id, title=d.title, status=d.status, access_level=d.access_level)
        for d in datasets
        if d.id not in listed
    ]


def start_entry(
    session: Session, actor: Actor, year: int, slug: str, dataset_id: str | None = None
) -> AssetFields:
    """The values a new entry starts from (for the add form): the catalog's, given a dataset."""
    submission = submission_for(session, actor, "inventory.edit", year, slug)
    require_editable(submission)
    return _prefilled(session, submission, AssetCreate(dataset_id=dataset_id))


def new_asset(
    session: Session,
    submission: InventorySubmission,
    by: str,
    values: AssetFields,
    key: str | None = None,
) -> InventoryAsset:
    """Add already checked values (the spreadsheet import's path); recorded in the history."""
    if values.dataset_id:
        _check_link(session, submission, values.dataset_id, None)
    asset = InventoryAsset(key=key or uuid.uuid4().hex, updated_by=by, **columns(values))
    submission.assets.append(asset)
    session.flush()
    changes.record(session, submission, by, "added", asset=asset, after=changes.snapshot(asset))
    return asset


def columns(values: AssetFields) -> dict[str, Any]:
    """The table's values for checked fields: every criterion letter stored, flags as booleans."""
    plain = values.model_dump(exclude={"criteria"})
    answers = values.criteria or {}
    plain["criteria"] = {
        letter: {
            "applies": bool(answers[letter].applies) if letter in answers else False,
            "justification": answers[letter].justification if letter in answers else "",
        }
        for letter in LETTERS
    }
    plain["description"] = plain["description"] or ""
    for flag in ("contains_pii", "contains_phi", "contains_fti", "contains_education_records"):
        plain[flag] = bool(plain[flag])
    return plain


def _prefilled(session: Session, submission: InventorySubmission, data: AssetFields) -> AssetFields:
    if not data.dataset_id:
        return data
    dataset = _check_link(session, submission, data.dataset_id, None)
    public = to_public(dataset)
    access = openness.access_level(public)
    published = public.status == "published" and openness.rows_are_public(public)
    catalog = {
        "name": public.title,
        "description": public.description or None,
        "system_of_record": public.source_system,
        "steward": public.contact_name,
        "classification": public.classification,
        "access_level": access,
        "access_reason": openness.rights(public) if access != "public" else None,
        "open_data_status": "published" if published else None,
        "update_frequency": public.update_frequency,
        "geographic_unit": geographic_unit(public.spatial_coverage),
        "temporal_coverage": public.temporal_coverage,
    }
    sent = data.model_dump(exclude_unset=True, exclude_none=True)
    filled = {key: value for key, value in catalog.items() if value is not None}
    return AssetFields.model_validate({**filled, **sent})


def _check_link(
    session: Session, submission: InventorySubmission, dataset_id: str, asset_id: int | None
) -> Dataset:
    dataset = session.get(Dataset, dataset_id)
    if dataset is None:
        raise Invalid(f"the catalog has no dataset {dataset_id}")
    if dataset.agency_id != submission.agency_id:
        raise Invalid(f"dataset {dataset_id} belongs to {dataset.agency.name}, not this agency")
    for asset in submission.assets:
        if asset.dataset_id == dataset_id and asset.id != asset_id:
            raise Conflict(f"dataset {dataset_id} is already listed as “{asset.name}”")
    return dataset


def _asset(submission: InventorySubmission, asset_id: int) -> InventoryAsset:
    asset = next((item for item in submission.assets if item.id == asset_id), None)
    if asset is None:
        raise NotFound(
            f"the {submission.cycle.year} inventory of {submission.agency.name} has no entry "
            f"{asset_id}"
        )
    return asset
