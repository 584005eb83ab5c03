"""Catalog use cases: agencies, datasets, data dictionary, publication.

The web API, the pages and the CLI all call these functions; they take an open session and return
Pydantic shapes, never ORM objects.
"""

from __future__ import annotations

import secrets
import string

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from steward.catalog import (
    hooks,
    search,  # noqa: F401  (registers the index hooks)
)
from steward.catalog.listing import MAX_PAGE, DatasetFilter, Facets, facet_counts, list_datasets
from steward.catalog.models import Agency, Dataset
from steward.catalog.public import current_version, to_public
from steward.catalog.schemas import (
    AgencyCreate,
    AgencyPublic,
    DatasetCreate,
    DatasetPublic,
    DatasetUpdate,
    FieldPublic,
    FieldUpdate,
)
from steward.db.base import utcnow
from steward.errors import Conflict, NotFound

__all__ = [
    "MAX_PAGE",
    "DatasetFilter",
    "Facets",
    "current_version",
    "facet_counts",
    "list_datasets",
    "to_public",
]

ID_ALPHABET = string.ascii_lowercase + string.digits


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
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    opening = changes.get("access_level") == "public" and dataset.access_level != "public"
    for key, value in changes.items():
        setattr(dataset, key, value)
    if opening and dataset.status == "published":
        check_publishable(session, dataset)
    dataset.modified_at = utcnow()
    session.flush()
    return to_public(dataset)


def check_publishable(session: Session, dataset: Dataset) -> None:
    """Run the PUBLISH hooks when a dataset is about to be served to the public.

    A dataset whose access level is not `public` may be published (its metadata is listed, as
    the inventory is public) without them: its rows stay closed.
    """
    if dataset.access_level != "public":
        return
    for path in hooks.PUBLISH:
        hooks.load(path)(session, dataset)


def set_status(session: Session, dataset_id: str, status: str) -> DatasetPublic:
    """Move a dataset along draft -> published -> retired (a retired one may be republished)."""
    dataset = load_dataset(session, dataset_id)
    allowed = {"draft": {"published"}, "published": {"retired"}, "retired": {"published"}}
    if status not in allowed.get(dataset.status, set()):
        raise Conflict(f"dataset {dataset_id} is {dataset.status}; it cannot become {status}")
    if status == "published" and current_version(dataset) is None:
        raise Conflict(f"dataset {dataset_id} has no data yet; ingest a file before publishing")
    if status == "published":
        check_publishable(session, dataset)
    dataset.status = status
    now = utcnow()
    dataset.modified_at = now
    if status == "published":
        dataset.published_at = now
    session.flush()
    return to_public(dataset)


def get_dataset(session: Session, dataset_id: str) -> DatasetPublic:
    return to_public(load_dataset(session, dataset_id))


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


def _new_dataset_id(session: Session) -> str:
    for _ in range(20):
        left = "".join(secrets.choice(ID_ALPHABET) for _ in range(4))
        right = "".join(secrets.choice(ID_ALPHABET) for _ in range(4))
        candidate = f"{left}-{right}"
        if session.get(Dataset, candidate) is None:
            return candidate
    raise Conflict("could not generate a free dataset id")  # pragma: no cover
