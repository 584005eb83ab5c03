"""Metadata interoperability routes (all public): DCAT-US `/data.json`, schema.org JSON-LD,
Frictionless Data Packages, and metadata completeness against the Connecticut standard.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse

from steward.metadata import datapackage
from steward.metadata import service as metadata
from steward.metadata.schemas import Completeness, MetadataReport
from steward.query.service import prepare_export, stream_query
from steward.web.api import soda_encoding as encoding
from steward.web.api.deps import SessionDep, SettingsDep

router = APIRouter(tags=["metadata"])


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


@router.get("/data.json", summary="DCAT-US v1.1 catalog of published datasets (public)")
def data_json(request: Request, session: SessionDep) -> JSONResponse:
    return JSONResponse(metadata.dcat_catalog(session, _base(request)))


@router.get(
    "/api/v1/datasets/{dataset_id}/jsonld",
    summary="A dataset as schema.org Dataset JSON-LD (public)",
)
def dataset_jsonld(request: Request, session: SessionDep, dataset_id: str) -> JSONResponse:
    document: dict[str, Any] = metadata.jsonld(session, dataset_id, _base(request))
    return JSONResponse(document, media_type="application/ld+json")


@router.get(
    "/api/v1/datasets/{dataset_id}/datapackage.json",
    summary="Frictionless Data Package descriptor (datasets whose rows are public)",
)
def datapackage_json(
    request: Request, session: SessionDep, settings: SettingsDep, dataset_id: str
) -> JSONResponse:
    package = metadata.package_descriptor(session, settings.data_dir, dataset_id, _base(request))
    return JSONResponse(package)


@router.get(
    "/api/v1/datasets/{dataset_id}/datapackage.zip",
    summary="Data Package zip: datapackage.json and the CSV it describes (public rows only)",
    response_class=StreamingResponse,
)
def datapackage_zip(
    request: Request, session: SessionDep, settings: SettingsDep, dataset_id: str
) -> StreamingResponse:
    prepared = prepare_export(session, settings, dataset_id)
    package = metadata.package_descriptor(
        session,
        settings.data_dir,
        dataset_id,
        _base(request),
        number=prepared.source.version,
        path=f"{dataset_id}.csv",
    )
    rows = stream_query(request.app.state.query_engine, prepared)
    body = datapackage.zip_stream(package, encoding.soda_csv(rows, prepared.columns))
    filename = f"{dataset_id}-v{prepared.source.version}-datapackage.zip"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return StreamingResponse(body, media_type="application/zip", headers=headers)


@router.get(
    "/api/v1/datasets/{dataset_id}/completeness",
    response_model=Completeness,
    summary="A dataset's metadata completeness against the Connecticut standard (public)",
)
def dataset_completeness(session: SessionDep, dataset_id: str) -> Completeness:
    return metadata.check_dataset(session, dataset_id)


@router.get(
    "/api/v1/metadata/report",
    response_model=MetadataReport,
    summary="Percent of public datasets meeting the metadata standard, by agency (public)",
)
def metadata_report(session: SessionDep) -> MetadataReport:
    return metadata.metadata_report(session)
