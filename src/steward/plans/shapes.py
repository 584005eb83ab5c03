"""Plan rows turned into the public shapes, with each entry's adherence computed on the way.

An entry's dataset is its own link or, failing that, the dataset of the newest inventory asset
with the entry's asset key: an asset catalogued after the plan was written still counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from steward.catalog.models import Dataset
from steward.inventory.models import InventoryAsset, InventoryCycle, InventorySubmission
from steward.plans import adherence
from steward.plans.models import AccessPlan, PlanEntry
from steward.plans.schemas import AdherenceSummary, EntryPublic, PlanPublic, PlanSummary


@dataclass(frozen=True)
class AssetLink:
    name: str
    year: int
    dataset_id: str | None
    update_frequency: str | None


def newest_assets(session: Session, agency_id: int, keys: Iterable[str]) -> dict[str, AssetLink]:
    """The newest inventory asset of the agency for each key (keys it never listed are absent)."""
    wanted = {key for key in keys if key}
    if not wanted:
        return {}
    rows = session.execute(
        select(InventoryAsset, InventoryCycle.year)
        .join(InventorySubmission, InventoryAsset.submission_id == InventorySubmission.id)
        .join(InventoryCycle, InventorySubmission.cycle_id == InventoryCycle.id)
        .where(InventorySubmission.agency_id == agency_id, InventoryAsset.key.in_(wanted))
        .order_by(InventoryCycle.year)
    )
    found: dict[str, AssetLink] = {}
    for asset, year in rows:  # ascending years: the newest overwrites
        found[asset.key] = AssetLink(asset.name, year, asset.dataset_id, asset.update_frequency)
    return found


def released_on(dataset: Dataset | None) -> date | None:
    """The local date the dataset was (last) published; a retired dataset was still released."""
    if dataset is None or dataset.published_at is None:
        return None
    if dataset.status not in ("published", "retired"):
        return None
    return dataset.published_at.astimezone().date()


def due_date(entry: PlanEntry) -> date | None:
    return entry.committed_date or entry.target_date


class PlanView:
    """A plan with its links resolved once, so a page of entries costs two or three queries."""

    def __init__(self, session: Session, plan: AccessPlan, as_of: date) -> None:
        self.plan = plan
        self.as_of = as_of
        self.assets = newest_assets(
            session, plan.agency_id, (e.asset_key for e in plan.entries if e.asset_key)
        )
        via_assets = {
            link.dataset_id
            for entry in plan.entries
            if entry.dataset_id is None and entry.asset_key in self.assets
            for link in [self.assets[entry.asset_key]]
            if link.dataset_id
        }
        self.datasets: dict[str, Dataset] = {}
        if via_assets:
            query = select(Dataset).where(Dataset.id.in_(via_assets))
            self.datasets = {dataset.id: dataset for dataset in session.scalars(query)}

    def dataset_of(self, entry: PlanEntry) -> Dataset | None:
        if entry.dataset is not None:
            return entry.dataset
        link = self.assets.get(entry.asset_key or "")
        return self.datasets.get(link.dataset_id) if link and link.dataset_id else None

    def status(self, entry: PlanEntry) -> adherence.Status:
        dataset = self.dataset_of(entry)
        live = dataset is not None and dataset.status == "published"
        kind: adherence.Kind = "published" if entry.kind == "published" else "planned"
        return adherence.entry_status(kind, due_date(entry), released_on(dataset), live, self.as_of)

    def entry(self, entry: PlanEntry) -> EntryPublic:
        dataset = self.dataset_of(entry)
        link = self.assets.get(entry.asset_key or "")
        status = self.status(entry)
        moved = (
            self.plan.status == "published"
            and entry.committed_date is not None
            and entry.target_date != entry.committed_date
        )
        return EntryPublic(
            id=entry.id,
            kind="published" if entry.kind == "published" else "planned",
            title=entry.title,
            description=entry.description or "",
            priority=entry.priority,  # type: ignore[arg-type]
            target_date=entry.target_date,
            committed_date=entry.committed_date,
            rescheduled=moved,
            update_frequency=entry.update_frequency,
            rationale=entry.rationale or "",
            dataset_id=dataset.id if dataset is not None else entry.dataset_id,
            dataset_title=dataset.title if dataset is not None else None,
            dataset_status=dataset.status if dataset is not None else None,
            asset_key=entry.asset_key,
            asset_name=link.name if link else None,
            asset_year=link.year if link else None,
            released_on=released_on(dataset),
            adherence=status,
            adherence_label=adherence.LABELS[status],
            created_at=entry.created_at,
            created_by=entry.created_by,
            updated_at=entry.updated_at,
            updated_by=entry.updated_by,
        )

    def adherence(self) -> AdherenceSummary:
        counts = adherence.tally(self.status(entry) for entry in self.plan.entries)
        return AdherenceSummary(
            agency=self.plan.agency.slug,
            agency_name=self.plan.agency.name,
            period=self.plan.period,
            plan_status=self.plan.status,  # type: ignore[arg-type]
            as_of=self.as_of,
            entries=len(self.plan.entries),
            planned=sum(1 for entry in self.plan.entries if entry.kind == "planned"),
            counts=counts,
            on_time_share=adherence.on_time_share(counts),
        )

    def summary(self) -> PlanSummary:
        plan = self.plan
        return PlanSummary(
            agency=plan.agency.slug,
            agency_name=plan.agency.name,
            period=plan.period,
            status=plan.status,  # type: ignore[arg-type]
            summary=plan.summary or "",
            created_at=plan.created_at,
            created_by=plan.created_by,
            updated_at=plan.updated_at,
            updated_by=plan.updated_by,
            published_at=plan.published_at,
            published_by=plan.published_by,
            adherence=self.adherence(),
        )

    def public(self) -> PlanPublic:
        entries = [self.entry(entry) for entry in self.plan.entries]
        return PlanPublic(**self.summary().model_dump(), entries=entries)
