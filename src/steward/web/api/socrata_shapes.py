"""Steward's catalog records in the shapes Socrata clients expect (views, columns, discovery)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from steward.catalog.schemas import DatasetPublic, FieldPublic

# Socrata's renderTypeName / dataTypeName for each SoQL type Steward stores.
SOCRATA_TYPES = {
    "text": "text",
    "number": "number",
    "checkbox": "checkbox",
    "floating_timestamp": "calendar_date",
    "calendar_date": "calendar_date",
    "point": "point",
}


def page_url(base: str, dataset_id: str) -> str:
    """Where a person reads about the dataset (the portal's page once it exists)."""
    return f"{base}/api/v1/datasets/{dataset_id}"


def epoch(moment: datetime | None) -> int | None:
    return int(moment.timestamp()) if moment else None


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def column_json(field: FieldPublic) -> dict[str, Any]:
    return {
        "id": field.position,
        "name": field.label,
        "dataTypeName": SOCRATA_TYPES.get(field.type, field.type),
        "fieldName": field.name,
        "position": field.position,
        "renderTypeName": SOCRATA_TYPES.get(field.type, field.type),
        "description": field.description,
        "format": {"note": field.format} if field.format else {},
    }


def view_json(dataset: DatasetPublic, fields: list[FieldPublic], base: str) -> dict[str, Any]:
    """`/api/views/{id}.json`: the view metadata a Socrata client reads."""
    return {
        "id": dataset.id,
        "name": dataset.title,
        "assetType": "dataset",
        "attribution": dataset.agency_name,
        "category": dataset.category,
        "description": dataset.description,
        "displayType": "table",
        "viewType": "tabular",
        "provenance": "official",
        "publicationStage": "published" if dataset.status == "published" else "unpublished",
        "createdAt": epoch(dataset.created_at),
        "publicationDate": epoch(dataset.published_at),
        "rowsUpdatedAt": epoch(dataset.data_updated_at),
        "viewLastModified": epoch(dataset.modified_at),
        "tags": dataset.keywords,
        "license": {"name": dataset.license} if dataset.license else {},
        "columns": [column_json(field) for field in fields],
        "metadata": {
            "custom_fields": {
                "Common Core": {
                    "Contact Name": dataset.contact_name,
                    "Contact Email": dataset.contact_email,
                    "Publisher": dataset.agency_name,
                    "Temporal": dataset.temporal_coverage,
                    "Spatial": dataset.spatial_coverage,
                    "Frequency": dataset.update_frequency,
                    "Landing Page": dataset.landing_page,
                },
                "Steward": {
                    "Access Level": dataset.access_level,
                    "Classification": dataset.classification,
                    "Source System": dataset.source_system,
                    "Row Count": dataset.row_count,
                },
            }
        },
        "permalink": page_url(base, dataset.id),
    }


def discovery_json(dataset: DatasetPublic, fields: list[FieldPublic], base: str) -> dict[str, Any]:
    """One result of `/api/catalog/v1` (the Discovery API)."""
    return {
        "resource": {
            "name": dataset.title,
            "id": dataset.id,
            "description": dataset.description,
            "attribution": dataset.agency_name,
            "type": "dataset",
            "updatedAt": iso(dataset.modified_at),
            "createdAt": iso(dataset.created_at),
            "metadata_updated_at": iso(dataset.modified_at),
            "data_updated_at": iso(dataset.data_updated_at),
            "publication_date": iso(dataset.published_at),
            "columns_name": [field.label for field in fields],
            "columns_field_name": [field.name for field in fields],
            "columns_datatype": [SOCRATA_TYPES.get(f.type, f.type) for f in fields],
            "columns_description": [field.description for field in fields],
            "columns_format": [{} for _ in fields],
            "provenance": "official",
        },
        "classification": {
            "categories": [],
            "tags": [],
            "domain_category": dataset.category,
            "domain_tags": dataset.keywords,
            "domain_metadata": [
                {"key": "Steward_Access-Level", "value": dataset.access_level},
                {"key": "Steward_Classification", "value": dataset.classification},
            ],
        },
        "metadata": {"domain": urlsplit(base).netloc, "license": dataset.license},
        "permalink": page_url(base, dataset.id),
        "link": page_url(base, dataset.id),
        "owner": {"display_name": dataset.agency_name},
    }
