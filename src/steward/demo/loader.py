"""Load the demo catalog into a store; running it again changes nothing already loaded."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from steward.accounts.policy import SYSTEM
from steward.catalog import service, versions
from steward.catalog.models import Agency, Dataset
from steward.catalog.schemas import AgencyCreate, DatasetCreate, FieldUpdate
from steward.classification import service as classification
from steward.classification.schemas import AssessmentCreate
from steward.db import Database

DEMO_DIR = Path(__file__).parent
DATA_DIR = DEMO_DIR / "data"
CATALOG_FILE = DEMO_DIR / "catalog.json"
DEMO_USER = "steward-demo"


@dataclass(frozen=True)
class LoadOutcome:
    dataset_id: str
    title: str
    action: str  # "loaded" | "unchanged"
    row_count: int


def read_catalog() -> dict[str, Any]:
    catalog: dict[str, Any] = json.loads(CATALOG_FILE.read_text(encoding="utf-8"))
    return catalog


def load_demo(database: Database, data_dir: Path) -> list[LoadOutcome]:
    catalog = read_catalog()
    with database.session() as session:
        for agency in catalog["agencies"]:
            _ensure_agency(session, agency)
    outcomes = []
    for entry in catalog["datasets"]:
        with database.session() as session:
            outcomes.append(_ensure_dataset(session, data_dir, entry))
    return outcomes


def _ensure_agency(session: Session, entry: dict[str, Any]) -> None:
    if session.query(Agency).filter_by(slug=entry["slug"]).one_or_none() is None:
        service.create_agency(session, SYSTEM, AgencyCreate.model_validate(entry))


def _ensure_dataset(session: Session, data_dir: Path, entry: dict[str, Any]) -> LoadOutcome:
    source = DATA_DIR / entry["file"]
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    dataset = session.get(Dataset, entry["id"])
    if dataset is None:
        metadata = {key: value for key, value in entry.items() if key not in {"file", "fields"}}
        metadata.pop("status", None)
        service.create_dataset(session, SYSTEM, DatasetCreate.model_validate(metadata))
        dataset = service.load_dataset(session, entry["id"])
    current = service.current_version(dataset)
    if current is not None and current.sha256 == digest:
        return LoadOutcome(dataset.id, dataset.title, "unchanged", current.row_count)
    version = versions.ingest_version(
        session,
        SYSTEM,
        data_dir,
        dataset.id,
        source,
        created_by=DEMO_USER,
        notes="Demo catalog load",
    )
    for name, described in entry.get("fields", {}).items():
        if any(field.name == name for field in dataset.fields):
            service.update_field(
                session, SYSTEM, dataset.id, name, FieldUpdate.model_validate(described)
            )
    _ensure_assessment(session, dataset.id, entry)
    if entry.get("status", "published") == "published" and dataset.status != "published":
        service.set_status(session, SYSTEM, dataset.id, "published")
    return LoadOutcome(dataset.id, dataset.title, "loaded", version.row_count)


def _ensure_assessment(session: Session, dataset_id: str, entry: dict[str, Any]) -> None:
    """Record the catalog's classification assessment (as the system) unless a current one
    exists; the publish gate lets no dataset be made public without one."""
    if "assessment" not in entry:
        return
    if classification.statuses(session, [dataset_id])[dataset_id] == "current":
        return
    data = AssessmentCreate.model_validate(entry["assessment"])
    classification.record_assessment(session, SYSTEM, dataset_id, data)
