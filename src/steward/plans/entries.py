"""The entries of an Open Data Access Plan: what the agency has published and plans to release.

Stewards and above (and the CDO) add and change entries, in a draft or a published plan. A
published plan keeps its commitments: its entries cannot be removed or change kind, and a target
date moved later is shown as rescheduled while adherence is still judged by the committed date.

An entry links a catalog dataset of the agency, an inventory asset of the agency (by the asset's
key), or both; what the caller leaves out (title, update frequency) comes from them.
`add_from_inventory` adds an entry for every asset of the agency's latest inventory that is
published or planned and not in the plan yet.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from steward.accounts.policy import Actor
from steward.catalog.models import Dataset
from steward.db.base import utcnow
from steward.errors import Conflict, Invalid, NotFound
from steward.inventory.models import InventoryCycle, InventorySubmission
from steward.inventory.shapes import criteria_met
from steward.plans.adherence import period_bounds
from steward.plans.models import AccessPlan, PlanEntry
from steward.plans.schemas import (
    EntryCreate,
    EntryPublic,
    EntryUpdate,
    LinkOption,
    LinkOptions,
)
from steward.plans.service import plan_for, readable_plan, today, touch
from steward.plans.shapes import PlanView, newest_assets

# Fields an update may set back to nothing (the rest always hold a value).
CLEARABLE = frozenset({"dataset_id", "asset_key", "target_date", "update_frequency"})


def get_entry(session: Session, actor: Actor, slug: str, period: str, entry_id: int) -> EntryPublic:
    plan = readable_plan(session, actor, slug, period)
    return PlanView(session, plan, today()).entry(_entry(plan, entry_id))


def add_entry(
    session: Session, actor: Actor, slug: str, period: str, data: EntryCreate
) -> EntryPublic:
    plan = plan_for(session, actor, "plans.edit", slug, period)
    values = _checked(session, plan, data.model_dump(), None)
    entry = PlanEntry(**values, created_by=actor.label, updated_by=actor.label)
    if plan.status == "published" and entry.kind == "planned":
        entry.committed_date = entry.target_date  # added after publication: committed now
    plan.entries.append(entry)
    touch(plan, actor)
    session.flush()
    return PlanView(session, plan, today()).entry(entry)


def update_entry(
    session: Session, actor: Actor, slug: str, period: str, entry_id: int, data: EntryUpdate
) -> EntryPublic:
    plan = plan_for(session, actor, "plans.edit", slug, period)
    entry = _entry(plan, entry_id)
    sent = data.model_dump(exclude_unset=True)
    changes = {k: v for k, v in sent.items() if v is not None or k in CLEARABLE}
    if plan.status == "published" and changes.get("kind", entry.kind) != entry.kind:
        raise Conflict("the plan is published: an entry's kind cannot change")
    current = {name: getattr(entry, name) for name in EntryCreate.model_fields}
    values = _checked(session, plan, {**current, **changes}, entry)
    for name, value in values.items():
        setattr(entry, name, value)
    if plan.status == "published" and entry.kind == "planned" and entry.committed_date is None:
        entry.committed_date = entry.target_date
    entry.updated_at, entry.updated_by = utcnow(), actor.label
    touch(plan, actor)
    session.flush()
    session.expire(entry, ["dataset"])  # the link may have changed under the loaded relationship
    return PlanView(session, plan, today()).entry(entry)


def remove_entry(session: Session, actor: Actor, slug: str, period: str, entry_id: int) -> None:
    plan = plan_for(session, actor, "plans.edit", slug, period)
    entry = _entry(plan, entry_id)
    if plan.status == "published":
        raise Conflict(
            "the plan is published and keeps its entries; change the entry's target date or "
            "rationale instead"
        )
    plan.entries.remove(entry)
    touch(plan, actor)
    session.flush()


def add_from_inventory(
    session: Session, actor: Actor, slug: str, period: str
) -> tuple[int, list[EntryPublic]]:
    """Entries for the latest inventory's published and planned assets not in the plan yet.

    Returns the inventory year used and the entries added.
    """
    plan = plan_for(session, actor, "plans.edit", slug, period)
    submission = _latest_submission(session, plan.agency_id)
    if submission is None or not submission.assets:
        raise Conflict(f"{plan.agency.name} has no inventory entries to start the plan from")
    year = submission.cycle.year
    keys = {entry.asset_key for entry in plan.entries if entry.asset_key}
    datasets = {entry.dataset_id for entry in plan.entries if entry.dataset_id}
    added: list[PlanEntry] = []
    for asset in submission.assets:
        if asset.open_data_status not in ("published", "planned") or asset.key in keys:
            continue
        if asset.dataset_id and asset.dataset_id in datasets:
            continue
        entry = _from_asset(plan, asset, year, actor.label)
        plan.entries.append(entry)
        added.append(entry)
    touch(plan, actor)
    session.flush()
    view = PlanView(session, plan, today())
    return year, [view.entry(entry) for entry in added]


def link_options(session: Session, actor: Actor, slug: str, period: str) -> LinkOptions:
    """The agency's datasets and its latest inventory's assets, for the entry form."""
    plan = plan_for(session, actor, "plans.view", slug, period)
    query = select(Dataset).where(Dataset.agency_id == plan.agency_id).order_by(Dataset.title)
    datasets = [
        LinkOption(value=d.id, label=f"{d.title} ({d.id}, {d.status})")
        for d in session.scalars(query)
    ]
    submission = _latest_submission(session, plan.agency_id)
    assets = [
        LinkOption(value=asset.key, label=f"{asset.name} ({asset.open_data_status})")
        for asset in (submission.assets if submission else [])
    ]
    year = submission.cycle.year if submission else None
    return LinkOptions(datasets=datasets, assets=assets, inventory_year=year)


def _latest_submission(session: Session, agency_id: int) -> InventorySubmission | None:
    return session.scalar(
        select(InventorySubmission)
        .join(InventoryCycle)
        .where(InventorySubmission.agency_id == agency_id)
        .order_by(InventoryCycle.year.desc())
        .limit(1)
    )


def _from_asset(plan: AccessPlan, asset: Any, year: int, by: str) -> PlanEntry:
    planned = asset.open_data_status == "planned"
    target: date | None = None
    reasons = [f"Listed in the {year} high-value data inventory as {asset.open_data_status}"]
    if planned:
        target = asset.planned_date or period_bounds(plan.period)[1]
        if asset.planned_date is None:
            reasons.append("no planned date given: the end of the plan period is the target")
    met = criteria_met(asset.criteria or {})
    if met:
        reasons.append("meets the statutory criteria " + ", ".join(met))
    entry = PlanEntry(
        kind="planned" if planned else "published",
        title=asset.name,
        description=asset.description or "",
        dataset_id=asset.dataset_id,
        asset_key=asset.key,
        priority="high" if met else "medium",
        target_date=target,
        update_frequency=asset.update_frequency,
        rationale="; ".join(reasons) + ".",
        created_by=by,
        updated_by=by,
    )
    if plan.status == "published" and planned:
        entry.committed_date = target
    return entry


def _entry(plan: AccessPlan, entry_id: int) -> PlanEntry:
    for entry in plan.entries:
        if entry.id == entry_id:
            return entry
    raise NotFound(f"the {plan.period} plan of {plan.agency.name} has no entry {entry_id}")


def _checked(
    session: Session, plan: AccessPlan, values: dict[str, Any], entry: PlanEntry | None
) -> dict[str, Any]:
    """The entry's values once its links are checked and the blanks filled from them."""
    dataset = _dataset(session, plan, values.get("dataset_id"), entry)
    asset = None
    if values.get("asset_key"):
        asset = newest_assets(session, plan.agency_id, [values["asset_key"]]).get(
            values["asset_key"]
        )
        if asset is None:
            raise Invalid(
                f"{plan.agency.name}'s inventory has no asset with key {values['asset_key']!r}"
            )
    if values.get("kind") == "planned" and values.get("target_date") is None:
        raise Invalid("a planned entry needs a target date (when it will be released)")
    title = values.get("title") or (dataset.title if dataset else None)
    title = title or (asset.name if asset else None)
    if not title:
        raise Invalid("give the entry a title, or link a catalog dataset or an inventory asset")
    frequency = values.get("update_frequency")
    if frequency is None and entry is None:
        frequency = (dataset.update_frequency if dataset else None) or (
            asset.update_frequency if asset else None
        )
    return {
        **values,
        "title": title,
        "description": values.get("description") or "",
        "rationale": values.get("rationale") or "",
        "update_frequency": frequency,
    }


def _dataset(
    session: Session, plan: AccessPlan, dataset_id: str | None, entry: PlanEntry | None
) -> Dataset | None:
    if dataset_id is None:
        return None
    dataset = session.get(Dataset, dataset_id)
    if dataset is None:
        raise Invalid(f"no catalog dataset {dataset_id!r}")
    if dataset.agency_id != plan.agency_id:
        raise Invalid(f"dataset {dataset_id} belongs to another agency, not {plan.agency.name}")
    clash = [
        other
        for other in plan.entries
        if other.dataset_id == dataset_id and (entry is None or other.id != entry.id)
    ]
    if clash:
        raise Conflict(f"dataset {dataset_id} is already in the plan (entry {clash[0].id})")
    return dataset
