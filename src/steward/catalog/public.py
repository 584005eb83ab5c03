"""Turning catalog rows into the public shape every edge renders."""

from __future__ import annotations

from steward.catalog.models import Dataset, DatasetVersion
from steward.catalog.schemas import DatasetPublic, FieldPublic


def current_version(dataset: Dataset) -> DatasetVersion | None:
    return next((version for version in dataset.versions if version.is_current), None)


def to_public(dataset: Dataset) -> DatasetPublic:
    current = current_version(dataset)
    return DatasetPublic(
        id=dataset.id,
        title=dataset.title,
        description=dataset.description,
        agency=dataset.agency.slug,
        agency_name=dataset.agency.name,
        contact_name=dataset.contact_name,
        contact_email=dataset.contact_email,
        category=dataset.category,
        keywords=list(dataset.keywords or []),
        license=dataset.license,
        access_level=dataset.access_level,
        classification=dataset.classification,
        update_frequency=dataset.update_frequency,
        temporal_coverage=dataset.temporal_coverage,
        spatial_coverage=dataset.spatial_coverage,
        source_system=dataset.source_system,
        landing_page=dataset.landing_page,
        status=dataset.status,
        created_at=dataset.created_at,
        modified_at=dataset.modified_at,
        published_at=dataset.published_at,
        row_count=current.row_count if current else None,
        current_version=current.number if current else None,
        data_updated_at=current.created_at if current else None,
        fields=[FieldPublic.model_validate(field) for field in dataset.fields],
    )
