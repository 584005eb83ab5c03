"""DCAT-US v1.1 (Project Open Data) `data.json`: the catalog data.gov and other portals harvest.

Non-federal profile: no bureauCode/programCode. Datasets whose rows are not open are still
listed (the plan asks for an inventory of all data), with their access level, a `rights`
statement saying why, and no distributions.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from steward.catalog.schemas import DatasetPublic
from steward.metadata import STATE_NAME, links, openness
from steward.metadata.coverage import first_day, last_day, temporal_interval
from steward.metadata.licenses import license_url

SCHEMA = "https://project-open-data.cio.gov/v1.1/schema"
CONTEXT = f"{SCHEMA}/catalog.jsonld"
DESCRIBED_BY = f"{SCHEMA}/catalog.json"
_STOP_WORDS = frozenset({"and", "of", "the", "for", "in", "on", "&"})


def catalog(datasets: list[DatasetPublic], base: str) -> dict[str, Any]:
    """The whole `data.json` document for the given (published) datasets."""
    return {
        "@context": CONTEXT,
        "@id": f"{base}/data.json",
        "@type": "dcat:Catalog",
        "conformsTo": SCHEMA,
        "describedBy": DESCRIBED_BY,
        "dataset": [dataset_entry(dataset, base) for dataset in datasets],
    }


def iso_datetime(moment: datetime) -> str:
    """UTC, to the second, with a `Z`: a form the DCAT-US date pattern accepts."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def last_modified(dataset: DatasetPublic) -> datetime:
    """When the metadata or the data last changed, whichever is later."""
    moments = [dataset.modified_at, dataset.data_updated_at]
    return max(moment for moment in moments if moment is not None)


def dataset_entry(dataset: DatasetPublic, base: str) -> dict[str, Any]:
    canonical = links.landing_page(base, dataset.id)
    entry: dict[str, Any] = {
        "@type": "dcat:Dataset",
        "identifier": canonical,
        "title": dataset.title,
        "description": dataset.description.strip() or dataset.title,
        "keyword": keywords(dataset),
        "modified": iso_datetime(last_modified(dataset)),
        "issued": iso_datetime(dataset.published_at or dataset.created_at),
        "publisher": publisher(dataset.agency_name),
        "contactPoint": contact_point(dataset),
        "accessLevel": openness.access_level(dataset),
        "landingPage": canonical,
        "language": ["en-US"],
        "describedBy": links.dictionary_url(base, dataset.id),
        "describedByType": "application/json",
    }
    entry.update(_optional(dataset))
    if openness.rows_are_public(dataset):
        entry["distribution"] = distributions(dataset, base)
    else:
        entry["rights"] = openness.rights(dataset)
    return entry


def _optional(dataset: DatasetPublic) -> dict[str, Any]:
    """Members written only when the dataset has a value DCAT-US accepts."""
    values: dict[str, Any] = {
        "license": license_url(dataset.license),
        "spatial": (dataset.spatial_coverage or "").strip() or None,
        "temporal": temporal(dataset),
        "accrualPeriodicity": accrual_periodicity(dataset.update_frequency),
        "theme": [dataset.category] if dataset.category else None,
        "references": _references(dataset.landing_page),
    }
    return {key: value for key, value in values.items() if value is not None}


def keywords(dataset: DatasetPublic) -> list[str]:
    """The dataset's keywords; failing those the words of its category, then its agency."""
    if dataset.keywords:
        return list(dataset.keywords)
    words = [
        word
        for word in (dataset.category or "").lower().replace(",", " ").split()
        if word not in _STOP_WORDS
    ]
    return list(dict.fromkeys(words)) or [dataset.agency]


def publisher(agency_name: str) -> dict[str, Any]:
    return {
        "@type": "org:Organization",
        "name": agency_name,
        "subOrganizationOf": {"@type": "org:Organization", "name": STATE_NAME},
    }


def contact_point(dataset: DatasetPublic) -> dict[str, str]:
    contact = {"@type": "vcard:Contact", "fn": dataset.contact_name or dataset.agency_name}
    email = links.mailto(dataset.contact_email)
    if email:
        contact["hasEmail"] = email
    return contact


def temporal(dataset: DatasetPublic) -> str | None:
    """`start/end` as whole dates (the schema's pattern refuses mixed precisions such as
    `2015/2024-05-01`); an interval running to the present ends at the data's last update."""
    interval = temporal_interval(dataset.temporal_coverage)
    if interval is None:
        return None
    start, end = interval
    finish = last_day(end) if end else last_modified(dataset).date().isoformat()
    return f"{first_day(start)}/{finish}"


def accrual_periodicity(frequency: str | None) -> str | None:
    """ISO 8601 repeating duration (`R/P1D`) or `irregular`; a bare `P1Y` gets its `R/`."""
    if not frequency:
        return None
    if frequency == "irregular" or frequency.startswith("R/"):
        return frequency
    return f"R/{frequency}"


def _references(page: str | None) -> list[str] | None:
    """The agency's own page about the data (the standard's Source Link), when it is a URL."""
    return [page] if page and links.is_web_url(page) else None


def distributions(dataset: DatasetPublic, base: str) -> list[dict[str, Any]]:
    files: list[dict[str, Any]] = [
        {
            "@type": "dcat:Distribution",
            "title": download.title,
            "description": download.description,
            "downloadURL": download.url,
            "mediaType": download.media_type,
            "format": download.format,
        }
        for download in links.downloads(base, dataset.id, dataset.current_version)
    ]
    files.append(
        {
            "@type": "dcat:Distribution",
            "title": "SODA API",
            "description": "Query the rows with SoQL through the Socrata-compatible SODA 2.x API.",
            "accessURL": links.soda_url(base, dataset.id),
            "format": "API",
            "conformsTo": links.api_docs_url(base),
            "describedBy": links.dictionary_url(base, dataset.id),
            "describedByType": "application/json",
        }
    )
    return files
