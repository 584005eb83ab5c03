"""Catalog use cases: agencies, datasets, data dictionary, publication.

The web API, the pages and the CLI all call these functions; they take an open session and the
acting `Actor`, check the policy (`steward.accounts.policy`) against the agency that owns the
object, and return Pydantic shapes, never ORM objects. Reads of metadata are public and take no
actor.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Iterable

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from steward.accounts.policy import Actor, require
from steward.audit import log as audit_log
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
    AgencyUpdate,
    DatasetCreate,
    DatasetPublic,
    DatasetUpdate,
    FieldPublic,
    FieldUpdate,
)
from steward.db.base import utcnow
from steward.errors import Conflict, Invalid, NotFound

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
# Optional metadata a steward may empty again; title, access level and the like always hold one.
CLEARABLE = frozenset(
    {
        "contact_name",
        "contact_email",
        "category",
        "license",
        "update_frequency",
        "temporal_coverage",
        "spatial_coverage",
        "source_system",
        "landing_page",
    }
)
FIELD_CLEARABLE = frozenset({"format", "standard"})


def create_agency(session: Session, actor: Actor, data: AgencyCreate) -> AgencyPublic:
    require(actor, "agency.create", what=f"agency {data.slug}")
    _check_agency_free(session, data.slug, data.name)
    agency = Agency(**data.model_dump())
    session.add(agency)
    session.flush()
    return AgencyPublic.model_validate(agency)


def update_agency(session: Session, actor: Actor, slug: str, data: AgencyUpdate) -> AgencyPublic:
    """Change an agency's name and details (its ADO, or the CDO); the slug never changes."""
    agency = get_agency(session, slug)
    require(actor, "agency.edit", agency.id, what=f"agency {slug}")
    changes = data.model_dump(exclude_unset=True)
    if changes.get("name") is None:
        changes.pop("name", None)  # a name can be changed, never cleared
    if "name" in changes and changes["name"] != agency.name:
        _check_agency_free(session, None, changes["name"])
    for key, value in changes.items():
        setattr(agency, key, value)
    session.flush()
    return AgencyPublic.model_validate(agency)


def _check_agency_free(session: Session, slug: str | None, name: str) -> None:
    clash = session.scalar(select(Agency).where(or_(Agency.slug == slug, Agency.name == name)))
    if clash is not None:
        raise Conflict(f"an agency with slug {clash.slug!r} or name {clash.name!r} exists")


def list_agencies(session: Session) -> list[AgencyPublic]:
    agencies = session.scalars(select(Agency).order_by(Agency.name))
    return [AgencyPublic.model_validate(agency) for agency in agencies]


def get_agency(session: Session, slug: str) -> Agency:
    agency = session.scalar(select(Agency).where(Agency.slug == slug))
    if agency is None:
        raise NotFound(f"no agency {slug!r}")
    return agency


def create_dataset(session: Session, actor: Actor, data: DatasetCreate) -> DatasetPublic:
    agency = get_agency(session, data.agency)
    require(actor, "dataset.create", agency.id, what=f"a dataset of {agency.name}")
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


def update_dataset(
    session: Session,
    actor: Actor,
    dataset_id: str,
    data: DatasetUpdate,
    clear: Iterable[str] = (),
) -> DatasetPublic:
    """Change the metadata given in `data` (None means unchanged) and empty the optional
    metadata named in `clear` (an emptied form input, a JSON null)."""
    dataset = authorize(session, actor, "dataset.edit", dataset_id)
    cleared = set(clear)
    if cleared - CLEARABLE:
        raise Invalid(f"these cannot be emptied: {', '.join(sorted(cleared - CLEARABLE))}")
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    opening = changes.get("access_level") == "public" and dataset.access_level != "public"
    for key, value in changes.items():
        setattr(dataset, key, value)
    for key in cleared - set(changes):
        setattr(dataset, key, None)
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


def set_status(session: Session, actor: Actor, dataset_id: str, status: str) -> DatasetPublic:
    """Move a dataset along draft -> published -> retired (a retired one may be republished)."""
    dataset = authorize(session, actor, "dataset.publish", dataset_id)
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
    action = "dataset.publish" if status == "published" else "dataset.unpublish"
    details = {"status": status, "access_level": dataset.access_level}
    audit_log.append(
        session,
        actor=actor.label,
        action=action,
        agency_id=dataset.agency_id,
        dataset_id=dataset.id,
        details=details,
    )
    return to_public(dataset)


def get_dataset(session: Session, dataset_id: str) -> DatasetPublic:
    return to_public(load_dataset(session, dataset_id))


def list_fields(session: Session, dataset_id: str) -> list[FieldPublic]:
    dataset = load_dataset(session, dataset_id)
    return [FieldPublic.model_validate(field) for field in dataset.fields]


def update_field(
    session: Session, actor: Actor, dataset_id: str, name: str, data: FieldUpdate
) -> FieldPublic:
    (entry,) = update_fields(session, actor, dataset_id, {name: data})
    return entry


def update_fields(
    session: Session, actor: Actor, dataset_id: str, changes: dict[str, FieldUpdate]
) -> list[FieldPublic]:
    """Edit several data dictionary entries at once: all of them or, on any error, none."""
    dataset = authorize(session, actor, "dataset.edit", dataset_id)
    by_name = {field.name: field for field in dataset.fields}
    unknown = sorted(set(changes) - set(by_name))
    if unknown:
        raise NotFound(f"dataset {dataset_id} has no field {unknown[0]!r}")
    for name, data in changes.items():
        for key, value in data.model_dump(exclude_unset=True).items():
            if value is not None or key in FIELD_CLEARABLE:  # a None format or standard empties it
                setattr(by_name[name], key, value)
    dataset.modified_at = utcnow()
    session.flush()
    return [FieldPublic.model_validate(by_name[name]) for name in changes]


def authorize(session: Session, actor: Actor, action: str, dataset_id: str) -> Dataset:
    """The dataset, once the actor is known to be allowed `action` on it (its agency's rule)."""
    dataset = load_dataset(session, dataset_id)
    require(actor, action, dataset.agency_id, what=f"dataset {dataset.id}")
    return dataset


def check_allowed(session: Session, actor: Actor, action: str, dataset_id: str) -> None:
    """Refuse early, before work that is costly to undo (e.g. receiving an upload)."""
    authorize(session, actor, action, dataset_id)


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
