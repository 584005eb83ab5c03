"""DCAT-US v1.1 `data.json` catalogs (Project Open Data metadata schema).

The dataset's `identifier` is its identity; a Socrata-style id in it (as data.json files written
by Socrata or Steward carry) becomes the Steward id and joins the 4x4 namespace. There are no
column lists in DCAT-US, so harvested entries have no data dictionary until data is loaded.
"""

from __future__ import annotations

from typing import Any

from steward.harvest.records import (
    HarvestRecord,
    ParsedCatalog,
    as_dict,
    four_by_four,
    frequency,
    keywords,
    source_key,
    text_or_none,
)

ACCESS_LEVELS = {"public", "restricted public", "non-public"}


def is_catalog(document: object) -> bool:
    return isinstance(document, dict) and isinstance(document.get("dataset"), list)


def parse_catalog(document: dict[str, Any]) -> ParsedCatalog:
    records, skipped = [], []
    for position, entry in enumerate(document["dataset"], start=1):
        if not isinstance(entry, dict) or not text_or_none(entry.get("title")):
            skipped.append(f"dataset {position}: no title")
            continue
        identifier = text_or_none(entry.get("identifier")) or text_or_none(entry.get("landingPage"))
        if identifier is None:
            skipped.append(f"dataset {position} ({entry['title']!s:.60}): no identifier")
            continue
        records.append(_record(entry, identifier))
    return ParsedCatalog("dcat", records, skipped)


def _record(entry: dict[str, Any], identifier: str) -> HarvestRecord:
    four = four_by_four(identifier) or four_by_four(text_or_none(entry.get("landingPage")))
    contact = as_dict(entry.get("contactPoint"))
    publisher = as_dict(entry.get("publisher"))
    themes = entry.get("theme") if isinstance(entry.get("theme"), list) else []
    access = str(entry.get("accessLevel") or "").strip().lower()
    email = str(contact.get("hasEmail") or "").strip().removeprefix("mailto:") or None
    return HarvestRecord(
        source_key=source_key("dcat", identifier, four),
        source_id=identifier,
        preferred_id=four,
        title=str(entry["title"]).strip(),
        description=str(entry.get("description") or ""),
        agency=text_or_none(publisher.get("name")),
        category=text_or_none(themes[0]) if themes else None,
        keywords=keywords(entry.get("keyword") or []),
        license=text_or_none(entry.get("license")),
        landing_page=text_or_none(entry.get("landingPage")),
        contact_name=text_or_none(contact.get("fn")),
        contact_email=email,
        update_frequency=frequency(text_or_none(entry.get("accrualPeriodicity"))),
        temporal_coverage=text_or_none(entry.get("temporal")),
        spatial_coverage=_spatial(entry.get("spatial")),
        access_level=access if access in ACCESS_LEVELS else None,
        source_modified=text_or_none(entry.get("modified")),
    )


def _spatial(value: object) -> str | None:
    """DCAT-US `spatial` is text (a place name or bounding box), sometimes GeoJSON: keep text."""
    return text_or_none(value) if isinstance(value, str) else None
