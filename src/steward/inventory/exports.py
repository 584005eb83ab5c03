"""Exports of a submission or of the state-wide inventory: CSV and XLSX in the template's columns
(`template.py`), and JSON as the non-public part of `data.json` (`datajson.py`).

An agency's analysts and above may export their own submission; the state-wide inventory is
for the CDO.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from steward.accounts.policy import Actor, require
from steward.catalog.models import Dataset
from steward.catalog.public import to_public
from steward.catalog.schemas import DatasetPublic
from steward.inventory import datajson, sheets, template
from steward.inventory.models import InventorySubmission
from steward.inventory.schemas import AssetPublic
from steward.inventory.service import all_submissions, load_cycle, submission_for
from steward.inventory.shapes import asset_public

Format = Literal["csv", "xlsx", "json"]
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


@dataclass(frozen=True)
class Export:
    filename: str
    media_type: str
    content: bytes


def export_submission(
    session: Session, actor: Actor, year: int, slug: str, fmt: Format, base: str = ""
) -> Export:
    submission = submission_for(session, actor, "inventory.view", year, slug)
    return _export(session, [submission], fmt, base, year, f"inventory-{year}-{slug}")


def export_cycle(session: Session, actor: Actor, year: int, fmt: Format, base: str = "") -> Export:
    """Every agency's submission, whatever its status (the status is a column)."""
    require(actor, "inventory.view_all", what=f"the state-wide {year} inventory")
    submissions = all_submissions(session, load_cycle(session, year))
    return _export(session, submissions, fmt, base, year, f"inventory-{year}")


def nonpublic_catalog(
    session: Session, actor: Actor, year: int, base: str, slug: str | None = None
) -> dict[str, Any]:
    """The non-public part of `data.json` for the cycle (or one agency's submission)."""
    if slug is not None:
        submissions = [submission_for(session, actor, "inventory.view", year, slug)]
    else:
        require(actor, "inventory.view_all", what=f"the {year} inventory's data.json")
        submissions = all_submissions(session, load_cycle(session, year))
    return _catalog(session, submissions, base, year)


def _export(
    session: Session,
    submissions: list[InventorySubmission],
    fmt: Format,
    base: str,
    year: int,
    stem: str,
) -> Export:
    if fmt == "json":
        document = _catalog(session, submissions, base, year)
        content = json.dumps(document, indent=2).encode("utf-8")
        return Export(f"{stem}-data.json", MEDIA_TYPES[fmt], content)
    rows = [
        template.asset_row(asset_public(asset, sub), sub.agency.name, sub.status)
        for sub in submissions
        for asset in sub.assets
    ]
    writer = sheets.write_xlsx if fmt == "xlsx" else sheets.write_csv
    return Export(f"{stem}.{fmt}", MEDIA_TYPES[fmt], writer(template.HEADERS, rows))


def _catalog(
    session: Session, submissions: list[InventorySubmission], base: str, year: int
) -> dict[str, Any]:
    assets: list[tuple[AssetPublic, str]] = [
        (asset_public(asset, sub), sub.agency.name) for sub in submissions for asset in sub.assets
    ]
    ids = {asset.dataset_id for asset, _ in assets if asset.dataset_id}
    datasets: dict[str, DatasetPublic] = {}
    if ids:
        for dataset in session.scalars(select(Dataset).where(Dataset.id.in_(ids))):
            datasets[dataset.id] = to_public(dataset)
    return datajson.catalog(assets, datasets, base, year)
