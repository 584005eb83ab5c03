"""CKAN catalogs: a `package_search` answer, a `package_show` answer, a list of packages, or a
`ckanapi dump datasets` file (one package per line).

Packages that are not active (drafts, deleted) are skipped. A package whose `id` and `name` are one
Socrata-style id (as Steward's own CKAN API gives) joins the 4x4 namespace; other packages are known
by their CKAN id. The dictionary comes from `datastore_fields` when the dump has it
(`ckanapi dump datasets --datastore-fields`).
"""

from __future__ import annotations

from typing import Any

from steward.catalog.schemas import DATASET_ID_PATTERN
from steward.harvest.records import (
    HarvestField,
    HarvestRecord,
    ParsedCatalog,
    as_dict,
    ckan_field,
    frequency,
    source_key,
    text_or_none,
    unique_names,
)

ACCESS_LEVELS = {"public", "restricted public", "non-public"}
EXTRAS = {
    "access_level": "access_level",
    "accesslevel": "access_level",
    "update_frequency": "update_frequency",
    "frequency": "update_frequency",
    "accrualperiodicity": "update_frequency",
    "temporal_coverage": "temporal_coverage",
    "temporal": "temporal_coverage",
    "spatial_coverage": "spatial_coverage",
    "spatial_text": "spatial_coverage",
    "category": "category",
}


def is_package(item: object) -> bool:
    return (
        isinstance(item, dict)
        and "name" in item
        and any(key in item for key in ("notes", "resources", "num_resources", "organization"))
    )


def parse_packages(packages: list[Any], portal: str | None = None) -> ParsedCatalog:
    records, skipped = [], []
    for package in packages:
        if not is_package(package):
            skipped.append("an entry that is not a CKAN package")
            continue
        state = package.get("state", "active")
        if state != "active":
            skipped.append(f"{package['name']}: {state}")
            continue
        records.append(_record(package, portal))
    return ParsedCatalog("ckan", records, skipped)


def _extras(package: dict[str, Any]) -> dict[str, str]:
    found: dict[str, str] = {}
    for extra in package.get("extras") or []:
        if not isinstance(extra, dict):
            continue
        attribute = EXTRAS.get(str(extra.get("key") or "").strip().lower())
        value = text_or_none(extra.get("value"))
        if attribute and value and attribute not in found:
            found[attribute] = value
    return found


def _names(items: object, key: str) -> list[str]:
    if not isinstance(items, list):
        return []
    names = [item.get(key) if isinstance(item, dict) else item for item in items]
    return [str(name).strip() for name in names if name and str(name).strip()]


def _fields(package: dict[str, Any]) -> tuple[HarvestField, ...]:
    for resource in package.get("resources") or []:
        columns = resource.get("datastore_fields") if isinstance(resource, dict) else None
        if isinstance(columns, list) and columns:
            named = [c for c in columns if isinstance(c, dict) and c.get("id") not in {None, "_id"}]
            return unique_names(
                [
                    ckan_field(str(c["id"]), str(c.get("type") or ""), n, _field_note(c))
                    for n, c in enumerate(named, start=1)
                ]
            )
    return ()


def _field_note(column: dict[str, Any]) -> str:
    info = as_dict(column.get("info"))
    return str(info.get("notes") or "")


def _access(package: dict[str, Any], extras: dict[str, str]) -> str | None:
    level = extras.get("access_level", "").strip().lower()
    if level in ACCESS_LEVELS:
        return level
    return "non-public" if package.get("private") else None


def _record(package: dict[str, Any], portal: str | None) -> HarvestRecord:
    name = str(package["name"])
    ckan_id = str(package.get("id") or name)
    four = name if ckan_id == name and DATASET_ID_PATTERN.match(name) else None
    organization = as_dict(package.get("organization"))
    extras = _extras(package)
    groups = _names(package.get("groups"), "title")
    return HarvestRecord(
        source_key=source_key("ckan", ckan_id, four),
        source_id=ckan_id,
        preferred_id=four,
        title=str(package.get("title") or name),
        description=str(package.get("notes") or ""),
        agency=text_or_none(organization.get("title")) or text_or_none(package.get("author")),
        agency_slug=text_or_none(organization.get("name")),
        category=extras.get("category") or (groups[0] if groups else None),
        keywords=tuple(dict.fromkeys(word.lower() for word in _names(package.get("tags"), "name"))),
        license=text_or_none(package.get("license_title"))
        or text_or_none(package.get("license_id")),
        landing_page=f"{portal.rstrip('/')}/dataset/{name}" if portal else None,
        contact_name=text_or_none(package.get("maintainer")),
        contact_email=text_or_none(package.get("maintainer_email")),
        update_frequency=frequency(extras.get("update_frequency")),
        temporal_coverage=extras.get("temporal_coverage"),
        spatial_coverage=extras.get("spatial_coverage"),
        access_level=_access(package, extras),
        source_modified=text_or_none(package.get("metadata_modified")),
        fields=_fields(package),
    )
