"""The Axibase-style catalog export CSV of a Socrata portal.

Columns: `dataset_id, name, attribution, attribution_link, category, tags, created,
publication_date, license, time_field, column_count, columns, description, source_file`. Each
`columns` entry is `Display Name [field_name:datatype]`, entries separated by `; `.

>>> [f.name for f in parse_columns("Town [town:text]; 2010 Population [2010_population:number]")]
['town', '_2010_population']
"""

from __future__ import annotations

import csv
import io
import re

from steward.catalog.schemas import DATASET_ID_PATTERN
from steward.harvest.records import (
    HarvestField,
    HarvestRecord,
    ParsedCatalog,
    keywords,
    socrata_field,
    source_key,
    text_or_none,
    unique_names,
)

COLUMNS = frozenset({"dataset_id", "name", "attribution", "category", "tags", "columns"})
ENTRY = re.compile(r"(?P<label>[^;\[\]]*?)\s*\[(?P<name>[^\[\]:]+):(?P<type>[^\[\]]+)\]")


def is_catalog_csv(header: list[str]) -> bool:
    return {name.strip() for name in header} >= COLUMNS


def parse_columns(text: str) -> tuple[HarvestField, ...]:
    fields = []
    for position, entry in enumerate(ENTRY.finditer(text or ""), start=1):
        label = entry["label"].strip() or entry["name"].strip()
        fields.append(socrata_field(label, entry["type"], position))
    return unique_names(fields)


def parse_catalog_csv(text: str, portal: str | None = None) -> ParsedCatalog:
    """Records of the export; `portal` (e.g. https://data.ct.gov) gives their landing pages."""
    reader = csv.DictReader(io.StringIO(text))
    records, skipped = [], []
    for line, row in enumerate(reader, start=2):
        source_id = (row.get("dataset_id") or "").strip()
        title = (row.get("name") or "").strip()
        if not source_id or not title:
            skipped.append(f"line {line}: no dataset_id or name")
            continue
        records.append(_record(row, source_id, title, portal))
    return ParsedCatalog("axibase", records, skipped)


def _record(row: dict[str, str], source_id: str, title: str, portal: str | None) -> HarvestRecord:
    four = source_id.lower() if DATASET_ID_PATTERN.match(source_id.lower()) else None
    return HarvestRecord(
        source_key=source_key("socrata", source_id, four),
        source_id=source_id,
        preferred_id=four,
        title=title,
        description=(row.get("description") or "").strip(),
        agency=text_or_none(row.get("attribution")),
        category=text_or_none(row.get("category")),
        keywords=keywords(row.get("tags") or ""),
        license=text_or_none(row.get("license")),
        landing_page=f"{portal.rstrip('/')}/d/{four}" if portal and four else None,
        source_modified=text_or_none(row.get("publication_date")),
        fields=parse_columns(row.get("columns") or ""),
    )
