"""Native JSON API for the catalog: `/api/v1/...` (reads; writes arrive with accounts)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from steward.catalog import downloads, service, versions
from steward.catalog.schemas import AgencyPublic, DatasetPublic, FieldPublic, Page, VersionPublic
from steward.usage import service as usage_service
from steward.usage.service import UsageTotals
from steward.web.api.deps import SessionDep, SettingsDep

router = APIRouter(prefix="/api/v1", tags=["catalog"])


@router.get("/agencies", response_model=list[AgencyPublic], summary="List agencies (public)")
def list_agencies(session: SessionDep) -> list[AgencyPublic]:
    return service.list_agencies(session)


@router.get("/datasets", response_model=Page, summary="List and search datasets (public)")
def list_datasets(
    session: SessionDep,
    request: Request,
    q: Annotated[str | None, Query(max_length=500, description="Words to search for")] = None,
    agency: Annotated[str | None, Query(max_length=64, description="Agency slug")] = None,
    status: Annotated[Literal["draft", "published", "retired"] | None, Query()] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=service.MAX_PAGE)] = 100,
) -> Page:
    return service.list_datasets(
        session, q=q, agency=agency, status=status, offset=offset, limit=limit
    )


@router.get("/datasets/{dataset_id}", response_model=DatasetPublic, summary="One dataset (public)")
def get_dataset(session: SessionDep, dataset_id: str) -> DatasetPublic:
    return service.get_dataset(session, dataset_id)


@router.get(
    "/datasets/{dataset_id}/fields",
    response_model=list[FieldPublic],
    summary="A dataset's data dictionary (public)",
)
def list_fields(session: SessionDep, dataset_id: str) -> list[FieldPublic]:
    return service.list_fields(session, dataset_id)


@router.get(
    "/datasets/{dataset_id}/versions",
    response_model=list[VersionPublic],
    summary="A dataset's versions (public)",
)
def list_versions(session: SessionDep, dataset_id: str) -> list[VersionPublic]:
    return versions.list_versions(session, dataset_id)


@router.get(
    "/datasets/{dataset_id}/versions/{number}/download",
    summary="Download one version's rows (public datasets only; personal fields never included)",
    response_class=StreamingResponse,
)
def download_version(
    session: SessionDep,
    settings: SettingsDep,
    dataset_id: str,
    number: int,
    format: Annotated[Literal["csv", "parquet"], Query()] = "csv",
) -> StreamingResponse:
    export = downloads.prepare_export(session, settings.data_dir, dataset_id, number, format)
    headers = {"Content-Disposition": f'attachment; filename="{export.filename}"'}
    return StreamingResponse(export.chunks(), media_type=export.media_type, headers=headers)


@router.get(
    "/usage",
    response_model=list[UsageTotals],
    summary="Views, downloads and API calls per dataset over the last `days` days (public)",
)
def usage(session: SessionDep, days: Annotated[int, Query(ge=1, le=366)] = 30) -> list[UsageTotals]:
    return usage_service.totals(session, days=days)
