"""Steward's catalog records in CKAN's shapes: package, resource, organization, group, tag.

Mapping: a dataset is a package whose `name` and `id` are its 4x4 id; its agency is the
organization (`name` = slug); its category is a group (`name` = the category slugified); its
keywords are tags. A dataset whose rows the public may read has exactly one resource, its current
version as CSV, whose id is the dataset id too, so `datastore_search(resource_id=<4x4>)` works.
Datasets whose rows are not public (the inventory lists them all) have no resources.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from steward.catalog.access import HIDDEN_CLASSES, READABLE_STATUSES
from steward.catalog.schemas import AgencyPublic, DatasetPublic

STATES = {"published": "active", "draft": "draft", "retired": "deleted"}
# Licence titles Steward's catalogs use -> CKAN's licence ids (the rest are slugified).
LICENSE_IDS = {
    "public domain": "other-pd",
    "public domain u.s. government": "other-pd",
    "not specified": "notspecified",
    "odc public domain dedication and license (pddl) 1.0": "odc-pddl",
    "open data commons public domain dedication and license (pddl)": "odc-pddl",
    "open database license": "odc-odbl",
    "creative commons 1.0 universal (public domain dedication)": "cc-zero",
    "creative commons attribution": "cc-by",
    "creative commons attribution | share alike 3.0 unported": "cc-by-sa",
}
OPEN_LICENSES = {"other-pd", "odc-pddl", "odc-odbl", "cc-zero", "cc-by", "cc-by-sa"}
EXTRA_KEYS = (
    "access_level",
    "classification",
    "update_frequency",
    "temporal_coverage",
    "spatial_coverage",
    "source_system",
    "category",
    "status",
)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """`Health and Human Services` -> `health-and-human-services`."""
    return _NOT_SLUG.sub("-", text.lower()).strip("-")


def timestamp(moment: datetime | None) -> str | None:
    """CKAN writes UTC timestamps without a zone: `2021-01-14T10:00:00.000000`."""
    return moment.replace(tzinfo=None).isoformat(timespec="microseconds") if moment else None


def license_id(title: str | None) -> str:
    if not title:
        return "notspecified"
    return LICENSE_IDS.get(title.strip().lower(), slugify(title))


def rows_public(dataset: DatasetPublic) -> bool:
    """The rule of `catalog/access.py` on the public shape: may anonymous callers read rows?"""
    return (
        dataset.access_level == "public"
        and dataset.classification not in HIDDEN_CLASSES
        and dataset.status in READABLE_STATUSES
        and dataset.current_version is not None
    )


def organization(slug: str, name: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": slug,
        "name": slug,
        "title": name,
        "display_name": name,
        "type": "organization",
        "is_organization": True,
        "state": "active",
        "approval_status": "approved",
        "image_url": "",
        **extra,
    }


def agency_organization(agency: AgencyPublic, package_count: int) -> dict[str, Any]:
    return organization(
        agency.slug,
        agency.name,
        description=agency.description or "",
        abbreviation=agency.abbreviation,
        website=agency.website,
        package_count=package_count,
    )


def group(category: str, **extra: Any) -> dict[str, Any]:
    slug = slugify(category)
    return {
        "id": slug,
        "name": slug,
        "title": category,
        "display_name": category,
        "description": "",
        "type": "group",
        "is_organization": False,
        "state": "active",
        "image_display_url": "",
        **extra,
    }


def tag(name: str) -> dict[str, Any]:
    return {
        "id": name,
        "name": name,
        "display_name": name,
        "state": "active",
        "vocabulary_id": None,
    }


def resource(dataset: DatasetPublic, base: str) -> dict[str, Any]:
    moment = timestamp(dataset.data_updated_at)
    return {
        "id": dataset.id,
        "package_id": dataset.id,
        "name": dataset.title,
        "description": f"Version {dataset.current_version}: {dataset.row_count} rows",
        "format": "CSV",
        "mimetype": "text/csv",
        "url": f"{base}/api/views/{dataset.id}/rows.csv?accessType=DOWNLOAD",
        "url_type": None,
        "datastore_active": True,
        "created": moment,
        "last_modified": moment,
        "metadata_modified": moment,
        "position": 0,
        "state": "active",
        "resource_type": None,
        "hash": "",
        "size": None,
    }


def package(dataset: DatasetPublic, base: str) -> dict[str, Any]:
    resources = [resource(dataset, base)] if rows_public(dataset) else []
    licence = license_id(dataset.license)
    extras = [
        {"key": key, "value": str(value)}
        for key in EXTRA_KEYS
        if (value := getattr(dataset, key)) is not None
    ]
    return {
        "id": dataset.id,
        "name": dataset.id,
        "title": dataset.title,
        "notes": dataset.description,
        "type": "dataset",
        "state": STATES.get(dataset.status, dataset.status),
        "private": False,
        "author": dataset.agency_name,
        "author_email": None,
        "maintainer": dataset.contact_name,
        "maintainer_email": dataset.contact_email,
        "license_id": licence,
        "license_title": dataset.license or "License not specified",
        "isopen": licence in OPEN_LICENSES,
        "url": dataset.landing_page or "",
        "version": str(dataset.current_version) if dataset.current_version else None,
        "metadata_created": timestamp(dataset.created_at),
        "metadata_modified": timestamp(dataset.modified_at),
        "owner_org": dataset.agency,
        "organization": organization(dataset.agency, dataset.agency_name, description=""),
        "groups": [group(dataset.category)] if dataset.category else [],
        "tags": [tag(keyword) for keyword in dataset.keywords],
        "num_tags": len(dataset.keywords),
        "extras": extras,
        "resources": resources,
        "num_resources": len(resources),
        "relationships_as_object": [],
        "relationships_as_subject": [],
    }
