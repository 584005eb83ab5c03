"""Harvest: turn another portal's catalog into metadata-only catalog entries (drafts, no rows).

First a plan is made for every record (reading only): its agency, its metadata checked by the
catalog's own schemas, and its action. A record already harvested (same source key) is updated
when the source changed and left alone when it did not, so re-running creates no duplicates and
keeps what stewards edited since. A record whose 4x4 id is already a dataset of this catalog is
that dataset: it is linked, never changed. Then, unless it is a dry run, the plan is applied in the
caller's transaction (all or nothing): agencies, datasets through the catalog service, their
data dictionaries (only while a dataset has no data), and the provenance links.
Harvesting is an operator's task (the CLI only), so the catalog is written as the system actor.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import astuple, dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from steward.accounts.policy import SYSTEM
from steward.catalog import service
from steward.catalog.models import Dataset, Field
from steward.catalog.schemas import EMAIL, AgencyCreate, DatasetCreate, DatasetUpdate
from steward.db.base import utcnow
from steward.harvest.agencies import THRESHOLD
from steward.harvest.models import HarvestLink
from steward.harvest.reconcile import AgencyResolver
from steward.harvest.records import HarvestField, HarvestRecord, ParsedCatalog
from steward.harvest.schemas import HarvestItem, HarvestReport

LIMITS = {"category": 200, "license": 200, "contact_name": 200, "temporal_coverage": 100}
LIMITS |= {"spatial_coverage": 300}
KEY_CHUNK = 500


@dataclass(frozen=True)
class HarvestOptions:
    agency_default: str | None = None  # agency slug for blank and unmatched publishers
    create_agencies: bool = False  # create agencies for unmatched publishers instead
    dry_run: bool = False
    threshold: float = THRESHOLD


@dataclass
class _Step:
    record: HarvestRecord
    item: HarvestItem
    metadata: DatasetUpdate | None = None
    fingerprint: str = ""
    link: HarvestLink | None = None


def harvest_catalog(
    session: Session, catalog: ParsedCatalog, source: str, options: HarvestOptions
) -> HarvestReport:
    agencies = AgencyResolver(
        session,
        default=options.agency_default,
        create=options.create_agencies,
        threshold=options.threshold,
    )
    links = _links(session, [record.source_key for record in catalog.records])
    steps, seen, twice = [], set(), []
    for record in catalog.records:
        if record.source_key in seen:
            twice.append(f"{record.source_id}: listed twice; the first entry was used")
            continue
        seen.add(record.source_key)
        steps.append(_plan(session, record, agencies.resolve(record), links))
    if not options.dry_run:
        for agency in agencies.planned:
            service.create_agency(session, SYSTEM, AgencyCreate(slug=agency.slug, name=agency.name))
        with session.no_autoflush:  # one flush per dataset (the catalog service's), not per query
            for step in steps:
                _apply(session, step, source, catalog.format)
        session.flush()
    report = HarvestReport(
        source=source,
        format=catalog.format,
        dry_run=options.dry_run,
        records=len(catalog.records),
        agencies=agencies.report(),
        created_agencies=agencies.planned,
        not_datasets=[*catalog.skipped, *twice],
        items=[step.item for step in steps],
    )
    for step in steps:
        setattr(report, step.item.action, getattr(report, step.item.action) + 1)
    return report


def _links(session: Session, keys: list[str]) -> dict[str, HarvestLink]:
    found: dict[str, HarvestLink] = {}
    for start in range(0, len(keys), KEY_CHUNK):
        chunk = keys[start : start + KEY_CHUNK]
        query = select(HarvestLink).where(HarvestLink.source_key.in_(chunk))
        found.update((link.source_key, link) for link in session.scalars(query))
    return found


def _plan(
    session: Session, record: HarvestRecord, agency: str | None, links: dict[str, HarvestLink]
) -> _Step:
    item = HarvestItem(
        source_id=record.source_id,
        title=record.title,
        action="skipped",
        dataset_id=None,
        agency=agency,
    )
    step = _Step(record, item, link=links.get(record.source_key))
    if agency is None:
        item.message = "no agency: the publisher is blank or unmatched and no default was given"
        return step
    try:
        step.metadata = metadata(record)
    except ValidationError as exc:
        item.action, item.message = "failed", _first_problem(exc)
        return step
    step.fingerprint = fingerprint(step.metadata, agency, record.fields)
    item.action, item.dataset_id = _decide(session, record, step)
    return step


def _decide(session: Session, record: HarvestRecord, step: _Step) -> tuple[Any, str | None]:
    link = step.link
    if link is not None:
        if not link.managed:
            return "existing", link.dataset_id
        return ("unchanged" if link.fingerprint == step.fingerprint else "updated"), link.dataset_id
    wanted = record.preferred_id
    if wanted and session.get(Dataset, wanted) is not None:
        linked = session.scalar(select(HarvestLink.id).where(HarvestLink.dataset_id == wanted))
        if linked is None:
            return "existing", wanted  # the same dataset, already in this catalog
        wanted = None  # the id belongs to a dataset harvested from another source
    return "created", wanted


def metadata(record: HarvestRecord) -> DatasetUpdate:
    """The record's metadata within the catalog's limits, validated by the catalog's schema."""
    values: dict[str, Any] = {
        "title": _clip(record.title, 200),
        "description": record.description,
        "category": record.category,
        "keywords": list(record.keywords),
        "license": record.license,
        "access_level": record.access_level,
        "update_frequency": record.update_frequency,
        "temporal_coverage": record.temporal_coverage,
        "spatial_coverage": record.spatial_coverage,
        "contact_name": record.contact_name,
        "contact_email": _email(record.contact_email),
        "landing_page": record.landing_page if len(record.landing_page or "") <= 500 else None,
    }
    for key, limit in LIMITS.items():
        values[key] = _clip(values[key], limit)
    return DatasetUpdate.model_validate({k: v for k, v in values.items() if v is not None})


def _clip(text: str | None, limit: int) -> str | None:
    if text is None or len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def _email(text: str | None) -> str | None:
    return text if text and len(text) <= 320 and EMAIL.match(text) else None


def _first_problem(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    return f"{where}: {error['msg']}" if where else str(error["msg"])


def fingerprint(data: DatasetUpdate, agency: str, fields: tuple[HarvestField, ...]) -> str:
    document = {
        "metadata": data.model_dump(exclude_none=True),
        "agency": agency,
        "fields": [astuple(field) for field in fields],
    }
    return hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()


def _apply(session: Session, step: _Step, source: str, fmt: str) -> None:
    item, record = step.item, step.record
    if item.action in {"skipped", "failed"} or step.metadata is None or item.agency is None:
        return
    if item.action == "created":
        values = step.metadata.model_dump(exclude_none=True)
        create = DatasetCreate.model_validate(
            {**values, "agency": item.agency, "id": item.dataset_id}
        )
        item.dataset_id = service.create_dataset(session, SYSTEM, create).id
        _set_fields(session, item.dataset_id, record.fields)
    elif item.action == "updated" and item.dataset_id:
        service.update_dataset(session, SYSTEM, item.dataset_id, step.metadata)
        _set_agency(session, item.dataset_id, item.agency)
        _set_fields(session, item.dataset_id, record.fields)
    _record_link(session, step, source, fmt)


def _record_link(session: Session, step: _Step, source: str, fmt: str) -> None:
    link = step.link
    if link is None:
        assert step.item.dataset_id is not None
        link = HarvestLink(
            source_key=step.record.source_key,
            dataset_id=step.item.dataset_id,
            managed=step.item.action == "created",
        )
        session.add(link)
    if link.managed or step.link is None:
        link.fingerprint = step.fingerprint
    link.source = source[:500]
    link.format = fmt
    link.source_modified = (step.record.source_modified or "")[:40] or None
    link.last_harvested_at = utcnow()


def _set_agency(session: Session, dataset_id: str, slug: str) -> None:
    """Follow the source when it names another agency (the catalog service has no move yet)."""
    dataset = service.load_dataset(session, dataset_id)
    if dataset.agency.slug != slug:
        dataset.agency = service.get_agency(session, slug)


def _set_fields(session: Session, dataset_id: str, fields: tuple[HarvestField, ...]) -> None:
    """The source's column list as the data dictionary, while the dataset has no data; a loaded
    version's columns are the truth after that (`catalog/versions.py` keeps descriptions)."""
    dataset = service.load_dataset(session, dataset_id)
    if dataset.versions:
        return
    existing = {field.name: field for field in dataset.fields}
    kept = []
    for position, source in enumerate(fields, start=1):
        field = existing.get(source.name) or Field(
            name=source.name, description="", classification=dataset.classification or "public"
        )
        field.label = (source.label or source.name)[:255]
        field.type = source.type
        field.format = source.format[:200] if source.format else None
        field.position = position
        if source.description:
            field.description = source.description
        kept.append(field)
    dataset.fields[:] = kept
