"""schema.org `Dataset` JSON-LD, the markup search engines read (Google Dataset Search).

A pure function of the dataset's public metadata; the portal embeds its result in the dataset
page and `/api/v1/datasets/{id}/jsonld` serves it alone.
"""

from __future__ import annotations

import json
from typing import Any

from steward.catalog.schemas import AgencyPublic, DatasetPublic, FieldPublic
from steward.metadata import STATE_NAME, links, openness
from steward.metadata.coverage import temporal_interval
from steward.metadata.dcat import iso_datetime, keywords, last_modified
from steward.metadata.licenses import license_url

CONTEXT = "https://schema.org/"


def dataset_jsonld(
    dataset: DatasetPublic, base: str, *, agency: AgencyPublic | None = None
) -> dict[str, Any]:
    """The dataset as a schema.org `Dataset`; downloads only when its rows are public."""
    canonical = links.landing_page(base, dataset.id)
    organization = government_organization(dataset.agency_name, agency)
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "Dataset",
        "@id": canonical,
        "name": dataset.title,
        "description": dataset.description.strip() or dataset.title,
        "url": canonical,
        "identifier": canonical,
        "keywords": keywords(dataset),
        "creator": organization,
        "publisher": organization,
        "dateModified": iso_datetime(last_modified(dataset)),
        "datePublished": iso_datetime(dataset.published_at or dataset.created_at),
        "inLanguage": "en-US",
        "isAccessibleForFree": True,
        "includedInDataCatalog": {"@type": "DataCatalog", "name": STATE_NAME, "url": base},
        "variableMeasured": [_variable(field) for field in openness.visible_fields(dataset.fields)],
    }
    document.update(_optional(dataset, base))
    return document


def government_organization(name: str, agency: AgencyPublic | None = None) -> dict[str, Any]:
    organization: dict[str, Any] = {
        "@type": "GovernmentOrganization",
        "name": name,
        "parentOrganization": {"@type": "GovernmentOrganization", "name": STATE_NAME},
    }
    if agency is not None and agency.website:
        organization["url"] = agency.website
    return organization


def _optional(dataset: DatasetPublic, base: str) -> dict[str, Any]:
    interval = temporal_interval(dataset.temporal_coverage)
    values: dict[str, Any] = {
        "license": license_url(dataset.license),
        "temporalCoverage": f"{interval[0]}/{interval[1] or '..'}" if interval else None,
        "spatialCoverage": (
            {"@type": "Place", "name": dataset.spatial_coverage}
            if dataset.spatial_coverage
            else None
        ),
        "about": {"@type": "Thing", "name": dataset.category} if dataset.category else None,
        "distribution": _distribution(dataset, base) if openness.rows_are_public(dataset) else None,
        "conditionsOfAccess": openness.rights(dataset),
    }
    return {key: value for key, value in values.items() if value is not None}


def _distribution(dataset: DatasetPublic, base: str) -> list[dict[str, str]]:
    return [
        {
            "@type": "DataDownload",
            "name": download.title,
            "description": download.description,
            "encodingFormat": download.media_type,
            "contentUrl": download.url,
        }
        for download in links.downloads(base, dataset.id, dataset.current_version)
    ]


def _variable(field: FieldPublic) -> dict[str, str]:
    variable = {"@type": "PropertyValue", "name": field.label, "propertyID": field.name}
    if field.description:
        variable["description"] = field.description
    if field.type == "number" and field.format:
        variable["unitText"] = field.format
    return variable


def script_text(document: dict[str, Any]) -> str:
    """JSON for a `<script type="application/ld+json">` element: `<`, `>` and `&` escaped so no
    text in the metadata can close the element.

    >>> text = script_text({"name": "</script><b>"})
    >>> "<" in text, json.loads(text)["name"]
    (False, '</script><b>')
    """
    text = json.dumps(document, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
