"""What every catalog parser produces: one `HarvestRecord` per dataset, in Steward's terms.

The parsers are pure (text or JSON in, records out); the helpers here hold the mappings they share:
Socrata and CKAN column types to SoQL types, frequency words to ISO 8601, and source keys.

>>> four_by_four("https://data.ct.gov/api/views/igy9-udjm.json"), four_by_four("road-safety")
('igy9-udjm', None)
>>> socrata_field("Total Cases ", "money", 4)
HarvestField(name='total_cases', label='Total Cases', type='number', description='', format='money')
>>> frequency("Annually"), frequency("R/P1D"), frequency("whenever")
('R/P1Y', 'R/P1D', None)
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from steward.catalog.schemas import DATASET_ID_PATTERN, FREQUENCY
from steward.store.names import MAX_NAME_LENGTH, derive_name

PORTAL_URL_ID = re.compile(r"/(?:d|views|resource|datasets)/([a-z0-9]{4}-[a-z0-9]{4})(?=$|[/?#.])")
MAX_KEY = 300

# Socrata dataTypeName -> (SoQL type, kept as the field's format when the mapping loses meaning)
SOCRATA_TYPES: dict[str, tuple[str, str | None]] = {
    "text": ("text", None),
    "number": ("number", None),
    "double": ("number", None),
    "money": ("number", "money"),
    "percent": ("number", "percent"),
    "stars": ("number", "stars"),
    "checkbox": ("checkbox", None),
    "calendar_date": ("floating_timestamp", None),
    "floating_timestamp": ("floating_timestamp", None),
    "date": ("floating_timestamp", "date"),
    "fixed_timestamp": ("floating_timestamp", "fixed_timestamp"),
    "point": ("point", None),
    "location": ("point", "location"),
    "url": ("text", "url"),
    "email": ("text", "email"),
    "phone": ("text", "phone"),
    "html": ("text", "html"),
}
# CKAN DataStore column types -> SoQL types
CKAN_TYPES = {
    "text": "text",
    "numeric": "number",
    "int": "number",
    "int4": "number",
    "int8": "number",
    "float": "number",
    "float8": "number",
    "bool": "checkbox",
    "timestamp": "floating_timestamp",
    "date": "floating_timestamp",
}
FREQUENCY_WORDS = {
    "hourly": "R/PT1H",
    "daily": "R/P1D",
    "weekly": "R/P1W",
    "biweekly": "R/P2W",
    "monthly": "R/P1M",
    "bimonthly": "R/P2M",
    "quarterly": "R/P3M",
    "semiannually": "R/P6M",
    "semiannual": "R/P6M",
    "biannually": "R/P6M",
    "annually": "R/P1Y",
    "annual": "R/P1Y",
    "yearly": "R/P1Y",
    "biennially": "R/P2Y",
    "irregular": "irregular",
    "irregularly": "irregular",
    "asneeded": "irregular",
}


@dataclass(frozen=True)
class HarvestField:
    name: str
    label: str
    type: str
    description: str = ""
    format: str | None = None


@dataclass(frozen=True)
class HarvestRecord:
    """One dataset as another portal describes it; text is raw, limits are applied later."""

    source_key: str  # stable identity across runs: `4x4:abcd-1234`, `ckan:<id>`, `dcat:<id>`
    source_id: str
    title: str
    preferred_id: str | None = None  # the 4x4 to keep as Steward's id when it is free
    description: str = ""
    agency: str | None = None  # the publisher's name as the source writes it
    agency_slug: str | None = None  # a CKAN organization name, tried as an agency slug first
    category: str | None = None
    keywords: tuple[str, ...] = ()
    license: str | None = None
    landing_page: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    update_frequency: str | None = None
    temporal_coverage: str | None = None
    spatial_coverage: str | None = None
    access_level: str | None = None
    source_modified: str | None = None
    fields: tuple[HarvestField, ...] = field(default=())


@dataclass(frozen=True)
class ParsedCatalog:
    format: str  # "dcat" | "socrata" | "axibase" | "ckan"
    records: list[HarvestRecord]
    skipped: list[str] = field(default_factory=list)  # entries that are not datasets, and why


def four_by_four(text: str | None) -> str | None:
    """A Socrata-style id given bare (`abcd-1234`), or in a portal URL after `/d/`, `/views/`,
    `/resource/` or `/datasets/` (`https://data.ct.gov/api/views/abcd-1234`)."""
    if not text:
        return None
    value = text.strip().lower()
    if DATASET_ID_PATTERN.match(value):
        return value
    match = PORTAL_URL_ID.search(value)
    return match.group(1) if match else None


def source_key(namespace: str, source_id: str, four: str | None = None) -> str:
    """4x4 ids share one namespace whatever the format, so a portal harvested as `views.json`
    and then as `data.json` maps to the same datasets; other ids keep their format's namespace."""
    if four:
        return f"4x4:{four}"
    key = f"{namespace}:{source_id.strip()}"
    if len(key) <= MAX_KEY:
        return key
    return f"{namespace}:sha256:{hashlib.sha256(source_id.encode()).hexdigest()}"


def socrata_field(label: str, datatype: str, position: int, description: str = "") -> HarvestField:
    soql, fmt = SOCRATA_TYPES.get(datatype.strip().lower(), ("text", datatype.strip() or None))
    label = label.strip()
    return HarvestField(derive_name(label, position), label, soql, description.strip(), fmt)


def ckan_field(name: str, datatype: str, position: int, description: str = "") -> HarvestField:
    kind = datatype.strip().lower()
    soql = CKAN_TYPES.get(kind, "text")
    fmt = None if kind in CKAN_TYPES or kind == "" else kind
    return HarvestField(derive_name(name, position), name.strip(), soql, description.strip(), fmt)


def unique_names(fields: list[HarvestField]) -> tuple[HarvestField, ...]:
    """Field names made unique (`name`, `name_2`, ...) so a dictionary can always be stored."""
    seen: set[str] = set()
    result = []
    for item in fields:
        name, n = item.name, 1
        while name in seen:
            n += 1
            suffix = f"_{n}"
            name = item.name[: MAX_NAME_LENGTH - len(suffix)] + suffix
        seen.add(name)
        result.append(item if name == item.name else _renamed(item, name))
    return tuple(result)


def _renamed(item: HarvestField, name: str) -> HarvestField:
    return HarvestField(name, item.label, item.type, item.description, item.format)


def frequency(text: str | None) -> str | None:
    """An ISO 8601 accrual period from `R/P1M` or from a word such as `Monthly`."""
    if not text:
        return None
    value = text.strip()
    if FREQUENCY.match(value):
        return value
    return FREQUENCY_WORDS.get(re.sub(r"[^a-z]", "", value.lower()))


def keywords(values: object) -> tuple[str, ...]:
    """Keywords from a list, or from comma-separated text."""
    if isinstance(values, str):
        values = values.split(",")
    if not isinstance(values, list):
        return ()
    words = [str(value).strip().lower() for value in values if str(value).strip()]
    return tuple(dict.fromkeys(words))


def as_dict(value: object) -> dict[str, Any]:
    """`value` when it is a JSON object, else an empty one (sources are not always well formed)."""
    return value if isinstance(value, dict) else {}


def text_or_none(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def epoch_text(value: object) -> str | None:
    """Socrata's epoch seconds as ISO 8601 text."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, UTC).isoformat().replace("+00:00", "Z")
    return text_or_none(value)
