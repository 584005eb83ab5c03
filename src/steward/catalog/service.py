"""Catalog use cases: agencies, datasets, data dictionary, publication.

The web API, the pages and the CLI all call these functions; they take an open session and return
Pydantic shapes, never ORM objects.
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, Text, cast, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from steward.catalog.models import Agency, Dataset, DatasetVersion
from steward.catalog.schemas import (
    AgencyCreate,
    AgencyPublic,
    DatasetCreate,
    DatasetPublic,
    DatasetUpdate,
    FieldPublic,
    FieldUpdate,
    Page,
)
from steward.db.base import utcnow
from steward.errors import Conflict, Invalid, NotFound

ID_ALPHABET = string.ascii_lowercase + string.digits
MAX_PAGE = 1000


def create_agency(session: Session, data: AgencyCreate) -> AgencyPublic:
    clash = session.scalar(
        select(Agency).where(or_(Agency.slug == data.slug, Agency.name == data.name))
    )
    if clash is not None:
        raise Conflict(f"an agency with slug {clash.slug!r} or name {clash.name!r} exists")
    agency = Agency(**data.model_dump())
    session.add(agency)
    session.flush()
    return AgencyPublic.model_validate(agency)


def list_agencies(session: Session) -> list[AgencyPublic]:
    agencies = session.scalars(select(Agency).order_by(Agency.name))
    return [AgencyPublic.model_validate(agency) for agency in agencies]


def get_agency(session: Session, slug: str) -> Agency:
    agency = session.scalar(select(Agency).where(Agency.slug == slug))
    if agency is None:
        raise NotFound(f"no agency {slug!r}")
    return agency


def create_dataset(session: Session, data: DatasetCreate) -> DatasetPublic:
    agency = get_agency(session, data.agency)
    dataset_id = data.id or _new_dataset_id(session)
    if session.get(Dataset, dataset_id) is not None:
        raise Conflict(f"dataset {dataset_id} already exists")
    values = data.model_dump(exclude={"agency", "id"}, exclude_none=True)
    dataset = Dataset(id=dataset_id, agency_id=agency.id, **values)
    dataset.agency = agency
    dataset.status = "draft"
    session.add(dataset)
    try:
        session.flush()
    except IntegrityError as exc:
        raise Conflict(f"dataset {dataset_id} already exists") from exc
    return to_public(dataset)


def update_dataset(session: Session, dataset_id: str, data: DatasetUpdate) -> DatasetPublic:
    dataset = load_dataset(session, dataset_id)
    for key, value in data.model_dump(exclude_unset=True, exclude_none=True).items():
        setattr(dataset, key, value)
    dataset.modified_at = utcnow()
    session.flush()
    return to_public(dataset)


def set_status(session: Session, dataset_id: str, status: str) -> DatasetPublic:
    """Move a dataset along draft -> published -> retired (a retired one may be republished)."""
    dataset = load_dataset(session, dataset_id)
    allowed = {"draft": {"published"}, "published": {"retired"}, "retired": {"published"}}
    if status not in allowed.get(dataset.status, set()):
        raise Conflict(f"dataset {dataset_id} is {dataset.status}; it cannot become {status}")
    if status == "published" and current_version(dataset) is None:
        raise Conflict(f"dataset {dataset_id} has no data yet; ingest a file before publishing")
    dataset.status = status
    now = utcnow()
    dataset.modified_at = now
    if status == "published":
        dataset.published_at = now
    session.flush()
    return to_public(dataset)


def get_dataset(session: Session, dataset_id: str) -> DatasetPublic:
    return to_public(load_dataset(session, dataset_id))


ORDERINGS = {
    "title": (Dataset.title,),
    "created": (Dataset.created_at,),
    "updated": (Dataset.modified_at,),
}


@dataclass(frozen=True)
class DatasetFilter:
    """What a catalog search narrows on; every part optional and ANDed."""

    q: str | None = None
    agency: str | None = None
    status: str | None = None
    ids: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


def list_datasets(
    session: Session,
    *,
    q: str | None = None,
    agency: str | None = None,
    status: str | None = None,
    offset: int = 0,
    limit: int = 100,
    where: DatasetFilter | None = None,
    order: str = "title",
    descending: bool = False,
) -> Page:
    if offset < 0 or not 1 <= limit <= MAX_PAGE:
        raise Invalid(f"offset must be >= 0 and limit between 1 and {MAX_PAGE}")
    if order not in ORDERINGS:
        raise Invalid(f"order must be one of {', '.join(ORDERINGS)}")
    where = where or DatasetFilter(q=q, agency=agency, status=status)
    total = session.scalar(_filtered(select(func.count(Dataset.id)), where))
    keys = [key.desc() if descending else key for key in ORDERINGS[order]]
    rows = session.scalars(
        _filtered(select(Dataset), where)
        .options(selectinload(Dataset.fields), selectinload(Dataset.versions))
        .order_by(*keys, Dataset.id)
        .offset(offset)
        .limit(limit)
    )
    results = [to_public(dataset) for dataset in rows]
    return Page(results=results, count=total or 0, offset=offset, limit=limit)


def _filtered(query: Select[Any], where: DatasetFilter) -> Select[Any]:
    query = query.join(Agency, Dataset.agency_id == Agency.id)
    if where.agency:
        query = query.where(Agency.slug == where.agency)
    if where.status:
        query = query.where(Dataset.status == where.status)
    if where.ids:
        query = query.where(Dataset.id.in_(where.ids))
    if where.categories:
        query = query.where(func.lower(Dataset.category).in_([c.lower() for c in where.categories]))
    for tag in where.tags:
        quoted = '%"' + _escape_like(tag.strip().lower()) + '"%'
        query = query.where(cast(Dataset.keywords, Text).like(quoted, escape="\\"))
    return _searched(query, where.q)


def _searched(query: Select[Any], q: str | None) -> Select[Any]:
    for term in (q or "").split():
        pattern = "%" + _escape_like(term) + "%"
        query = query.where(
            or_(
                Dataset.title.ilike(pattern, escape="\\"),
                Dataset.description.ilike(pattern, escape="\\"),
                Dataset.category.ilike(pattern, escape="\\"),
                func.lower(cast(Dataset.keywords, Text)).like(pattern.lower(), escape="\\"),
                Agency.name.ilike(pattern, escape="\\"),
                Dataset.id == term,
            )
        )
    return query


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_fields(session: Session, dataset_id: str) -> list[FieldPublic]:
    dataset = load_dataset(session, dataset_id)
    return [FieldPublic.model_validate(field) for field in dataset.fields]


def update_field(session: Session, dataset_id: str, name: str, data: FieldUpdate) -> FieldPublic:
    dataset = load_dataset(session, dataset_id)
    field = next((field for field in dataset.fields if field.name == name), None)
    if field is None:
        raise NotFound(f"dataset {dataset_id} has no field {name!r}")
    for key, value in data.model_dump(exclude_unset=True, exclude_none=True).items():
        setattr(field, key, value)
    dataset.modified_at = utcnow()
    session.flush()
    return FieldPublic.model_validate(field)


def load_dataset(session: Session, dataset_id: str) -> Dataset:
    dataset = session.get(Dataset, dataset_id) if isinstance(dataset_id, str) else None
    if dataset is None:
        raise NotFound(f"no dataset {dataset_id!r}")
    return dataset


def current_version(dataset: Dataset) -> DatasetVersion | None:
    return next((version for version in dataset.versions if version.is_current), None)


def to_public(dataset: Dataset) -> DatasetPublic:
    current = current_version(dataset)
    return DatasetPublic(
        id=dataset.id,
        title=dataset.title,
        description=dataset.description,
        agency=dataset.agency.slug,
        agency_name=dataset.agency.name,
        contact_name=dataset.contact_name,
        contact_email=dataset.contact_email,
        category=dataset.category,
        keywords=list(dataset.keywords or []),
        license=dataset.license,
        access_level=dataset.access_level,
        classification=dataset.classification,
        update_frequency=dataset.update_frequency,
        temporal_coverage=dataset.temporal_coverage,
        spatial_coverage=dataset.spatial_coverage,
        source_system=dataset.source_system,
        landing_page=dataset.landing_page,
        status=dataset.status,
        created_at=dataset.created_at,
        modified_at=dataset.modified_at,
        published_at=dataset.published_at,
        row_count=current.row_count if current else None,
        current_version=current.number if current else None,
        data_updated_at=current.created_at if current else None,
        fields=[FieldPublic.model_validate(field) for field in dataset.fields],
    )


def _new_dataset_id(session: Session) -> str:
    for _ in range(20):
        left = "".join(secrets.choice(ID_ALPHABET) for _ in range(4))
        right = "".join(secrets.choice(ID_ALPHABET) for _ in range(4))
        candidate = f"{left}-{right}"
        if session.get(Dataset, candidate) is None:
            return candidate
    raise Conflict("could not generate a free dataset id")  # pragma: no cover
