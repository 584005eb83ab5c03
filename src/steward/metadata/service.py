"""Metadata use cases over the catalog: each opens what it needs through the session and hands
the pure builders (`dcat`, `jsonld`, `datapackage`, `completeness`) the catalog's public shapes.

Every function reads only; metadata of every dataset is public, rows only as `catalog/access.py`
allows (a Data Package points at rows, so it is refused where they are not open).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from steward.catalog import service as catalog
from steward.catalog.rows import open_public_rows
from steward.catalog.schemas import AgencyPublic, DatasetPublic
from steward.catalog.versions import list_versions
from steward.errors import NotAuthorized
from steward.metadata import completeness, datapackage, dcat, links, openness
from steward.metadata.jsonld import dataset_jsonld
from steward.metadata.schemas import AgencyReport, Completeness, DatasetScore, MetadataReport


def published_datasets(session: Session) -> list[DatasetPublic]:
    """Every published dataset, ordered by title, read a page at a time."""
    datasets: list[DatasetPublic] = []
    while True:
        page = catalog.list_datasets(
            session, status="published", offset=len(datasets), limit=catalog.MAX_PAGE
        )
        datasets.extend(page.results)
        if not page.results or len(datasets) >= page.count:
            return datasets


def dcat_catalog(session: Session, base: str) -> dict[str, Any]:
    """The DCAT-US `data.json` document: every published dataset once."""
    return dcat.catalog(published_datasets(session), base)


def jsonld(session: Session, dataset_id: str, base: str) -> dict[str, Any]:
    dataset = catalog.get_dataset(session, dataset_id)
    agency = AgencyPublic.model_validate(catalog.get_agency(session, dataset.agency))
    return dataset_jsonld(dataset, base, agency=agency)


def package_descriptor(
    session: Session,
    data_dir: Path,
    dataset_id: str,
    base: str,
    *,
    number: int | None = None,
    path: str | None = None,
) -> dict[str, Any]:
    """The Data Package of a version (current by default) whose rows are open.

    Raises NotAuthorized for a dataset whose rows are not open: a package must point at data,
    and its data dictionary stays readable at `/api/v1/datasets/{id}/fields`.
    """
    try:
        source = open_public_rows(session, data_dir, dataset_id, number)
    except NotAuthorized as exc:
        raise NotAuthorized(
            f"{exc.message}, so it has no Data Package; its data dictionary is at "
            f"/api/v1/datasets/{dataset_id}/fields"
        ) from exc
    version = next(v for v in list_versions(session, dataset_id) if v.number == source.version)
    physical = {column["name"]: column.get("physical", "") for column in version.columns}
    return datapackage.data_package(
        source.dataset,
        source.fields,
        physical,
        base,
        path=path or links.csv_url(base, dataset_id),
    )


def check_dataset(session: Session, dataset_id: str) -> Completeness:
    return completeness.evaluate(catalog.get_dataset(session, dataset_id))


def metadata_report(session: Session) -> MetadataReport:
    """Per agency and state-wide: how many public datasets meet the metadata standard."""
    scores: dict[str, list[DatasetScore]] = {}
    for dataset in published_datasets(session):
        if openness.rows_are_public(dataset):
            scores.setdefault(dataset.agency, []).append(_score(dataset))
    agencies = [
        _agency_report(agency, scores.get(agency.slug, []))
        for agency in catalog.list_agencies(session)
    ]
    total = sum(agency.public_datasets for agency in agencies)
    meeting = sum(agency.meeting_standard for agency in agencies)
    return MetadataReport(
        public_datasets=total,
        meeting_standard=meeting,
        percent=_percent(meeting, total),
        agencies=agencies,
    )


def _score(dataset: DatasetPublic) -> DatasetScore:
    result = completeness.evaluate(dataset)
    return DatasetScore(
        id=dataset.id,
        title=dataset.title,
        score=result.score,
        meets_standard=result.meets_standard,
        missing=result.missing,
    )


def _agency_report(agency: AgencyPublic, datasets: list[DatasetScore]) -> AgencyReport:
    meeting = sum(1 for dataset in datasets if dataset.meets_standard)
    return AgencyReport(
        agency=agency.slug,
        agency_name=agency.name,
        public_datasets=len(datasets),
        meeting_standard=meeting,
        percent=_percent(meeting, len(datasets)),
        datasets=datasets,
    )


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None
