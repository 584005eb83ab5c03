"""Socrata catalogs: `/api/views.json` (or one `/api/views/{id}.json`) and the Discovery API
(`/api/catalog/v1`).

Only tabular datasets are harvested; filtered views, charts, maps and stories are reported as
skipped. System columns (`:id`, `:created_at`, ...) are left out of the dictionary.
"""

from __future__ import annotations

from typing import Any

from steward.harvest.records import (
    HarvestField,
    HarvestRecord,
    ParsedCatalog,
    as_dict,
    epoch_text,
    four_by_four,
    frequency,
    keywords,
    socrata_field,
    source_key,
    text_or_none,
    unique_names,
)

NOT_TABLES = {"chart", "map", "calendar", "form", "story", "page", "visualization"}
# Socrata custom metadata names (any group) -> HarvestRecord attribute
CUSTOM_FIELDS = {
    "contact name": "contact_name",
    "contact email": "contact_email",
    "frequency": "update_frequency",
    "update frequency": "update_frequency",
    "temporal": "temporal_coverage",
    "time period": "temporal_coverage",
    "spatial": "spatial_coverage",
    "geographic coverage": "spatial_coverage",
    "landing page": "landing_page",
    "publisher": "agency",
}


def is_view(item: object) -> bool:
    return isinstance(item, dict) and "id" in item and ("columns" in item or "viewType" in item)


def parse_views(views: list[Any], portal: str | None = None) -> ParsedCatalog:
    records, skipped = [], []
    for view in views:
        if not is_view(view):
            skipped.append("an entry that is not a Socrata view")
            continue
        reason = _not_a_dataset(view)
        if reason:
            skipped.append(f"{view['id']}: {reason}")
            continue
        records.append(_view_record(view, portal))
    return ParsedCatalog("socrata", records, skipped)


def _not_a_dataset(view: dict[str, Any]) -> str | None:
    if view.get("modifyingViewUid"):
        return "a filtered view of another dataset"
    if (
        view.get("assetType", "dataset") != "dataset"
        or view.get("viewType", "tabular") != "tabular"
    ):
        return f"not a dataset ({view.get('assetType') or view.get('viewType')})"
    if view.get("displayType") in NOT_TABLES:
        return f"not a dataset ({view['displayType']})"
    return None


def _custom(view: dict[str, Any]) -> dict[str, str]:
    groups = (view.get("metadata") or {}).get("custom_fields") or {}
    found: dict[str, str] = {}
    for group in groups.values() if isinstance(groups, dict) else []:
        for name, value in (group or {}).items() if isinstance(group, dict) else []:
            attribute = CUSTOM_FIELDS.get(str(name).strip().lower())
            text = text_or_none(value)
            if attribute and text and attribute not in found:
                found[attribute] = text
    return found


def _view_fields(columns: list[Any]) -> tuple[HarvestField, ...]:
    fields: list[HarvestField] = []
    for column in columns:
        field_name = str(column.get("fieldName") or "")
        if not isinstance(column, dict) or field_name.startswith(":"):
            continue
        if "hidden" in (column.get("flags") or []):
            continue
        label = str(column.get("name") or field_name)
        datatype = str(column.get("dataTypeName") or "text")
        description = str(column.get("description") or "")
        fields.append(socrata_field(label, datatype, len(fields) + 1, description))
    return unique_names(fields)


def _view_record(view: dict[str, Any], portal: str | None) -> HarvestRecord:
    source_id = str(view["id"])
    four = four_by_four(source_id)
    custom = _custom(view)
    licence = as_dict(view.get("license"))
    landing = f"{portal.rstrip('/')}/d/{four}" if portal and four else custom.get("landing_page")
    return HarvestRecord(
        source_key=source_key("socrata", source_id, four),
        source_id=source_id,
        preferred_id=four,
        title=str(view.get("name") or source_id),
        description=str(view.get("description") or ""),
        agency=text_or_none(view.get("attribution")) or custom.get("agency"),
        category=text_or_none(view.get("category")),
        keywords=keywords(view.get("tags") or []),
        license=text_or_none(licence.get("name")) or text_or_none(view.get("licenseId")),
        landing_page=landing,
        contact_name=custom.get("contact_name"),
        contact_email=custom.get("contact_email"),
        update_frequency=frequency(custom.get("update_frequency")),
        temporal_coverage=custom.get("temporal_coverage"),
        spatial_coverage=custom.get("spatial_coverage"),
        source_modified=epoch_text(view.get("rowsUpdatedAt") or view.get("viewLastModified")),
        fields=_view_fields(view.get("columns") or []),
    )


def is_discovery(document: object) -> bool:
    results = document.get("results") if isinstance(document, dict) else None
    return isinstance(results, list) and all(
        isinstance(item, dict) and isinstance(item.get("resource"), dict) for item in results
    )


def parse_discovery(document: dict[str, Any]) -> ParsedCatalog:
    records, skipped = [], []
    for item in document["results"]:
        resource = item["resource"]
        if resource.get("type", "dataset") != "dataset" or not resource.get("id"):
            skipped.append(f"{resource.get('id')}: not a dataset ({resource.get('type')})")
            continue
        records.append(_discovery_record(item, resource))
    return ParsedCatalog("socrata", records, skipped)


def _discovery_record(item: dict[str, Any], resource: dict[str, Any]) -> HarvestRecord:
    source_id = str(resource["id"])
    four = four_by_four(source_id)
    classification = item.get("classification") or {}
    metadata = item.get("metadata") or {}
    words = classification.get("domain_tags") or classification.get("tags") or []
    names = resource.get("columns_name") or []
    types = resource.get("columns_datatype") or []
    notes = resource.get("columns_description") or [""] * len(names)
    fields = [
        socrata_field(str(label), str(kind), position, str(note or ""))
        for position, (label, kind, note) in enumerate(
            zip(names, types, notes, strict=False), start=1
        )
    ]
    return HarvestRecord(
        source_key=source_key("socrata", source_id, four),
        source_id=source_id,
        preferred_id=four,
        title=str(resource.get("name") or source_id),
        description=str(resource.get("description") or ""),
        agency=text_or_none(resource.get("attribution")),
        category=text_or_none(classification.get("domain_category")),
        keywords=keywords(words),
        license=text_or_none(metadata.get("license")),
        landing_page=text_or_none(item.get("permalink") or item.get("link")),
        source_modified=text_or_none(resource.get("updatedAt")),
        fields=unique_names(fields),
    )
