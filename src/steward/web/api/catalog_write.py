"""Native JSON API for catalog writes: agencies, datasets, the data dictionary, versions,
publication. Each route names the role it needs; the catalog service checks it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from steward.catalog import service, versions
from steward.catalog.schemas import (
    AgencyCreate,
    AgencyPublic,
    AgencyUpdate,
    DatasetCreate,
    DatasetPublic,
    DatasetUpdate,
    FieldPublic,
    FieldUpdate,
    VersionPublic,
)
from steward.db import Database
from steward.web.api.deps import ActorDep, SessionDep, SettingsDep
from steward.web.uploads import Upload, receive_upload

router = APIRouter(prefix="/api/v1", tags=["catalog"])

UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "notes": {"type": "string", "description": "Kept with the version"},
                        "skip_bad_rows": {"type": "boolean", "default": False},
                    },
                }
            }
        },
    }
}


def may_upload(request: Request, actor: ActorDep, dataset_id: str) -> None:
    """Refuse before a byte of the file is read. A short session of its own, so none is held
    open while a large file arrives."""
    database: Database = request.app.state.database
    with database.session() as session:
        service.check_allowed(session, actor, "dataset.upload", dataset_id)


async def uploaded_file(
    request: Request, settings: SettingsDep, _allowed: Annotated[None, Depends(may_upload)]
) -> AsyncIterator[Upload]:
    """The request's file on disk for the route's lifetime; deleted afterwards, always."""
    folder = settings.data_dir / "uploads"
    upload = await receive_upload(request, folder, settings.upload_max_bytes)
    try:
        yield upload
    finally:
        upload.discard()


UploadDep = Annotated[Upload, Depends(uploaded_file)]


@router.post(
    "/agencies", response_model=AgencyPublic, status_code=201, summary="Add an agency (cdo)"
)
def create_agency(session: SessionDep, actor: ActorDep, data: AgencyCreate) -> AgencyPublic:
    return service.create_agency(session, actor, data)


@router.patch(
    "/agencies/{slug}",
    response_model=AgencyPublic,
    summary="Change an agency's name or details (ado of the agency, cdo)",
)
def update_agency(
    session: SessionDep, actor: ActorDep, slug: str, data: AgencyUpdate
) -> AgencyPublic:
    return service.update_agency(session, actor, slug, data)


@router.post(
    "/datasets",
    response_model=DatasetPublic,
    status_code=201,
    summary="Create a draft dataset (steward of the agency named in the body)",
)
def create_dataset(session: SessionDep, actor: ActorDep, data: DatasetCreate) -> DatasetPublic:
    return service.create_dataset(session, actor, data)


@router.patch(
    "/datasets/{dataset_id}",
    response_model=DatasetPublic,
    summary="Change a dataset's metadata; null empties an optional item (steward)",
)
def update_dataset(
    session: SessionDep, actor: ActorDep, dataset_id: str, data: DatasetUpdate
) -> DatasetPublic:
    clear = [name for name in data.model_fields_set if getattr(data, name) is None]
    return service.update_dataset(session, actor, dataset_id, data, clear=clear)


@router.patch(
    "/datasets/{dataset_id}/fields",
    response_model=list[FieldPublic],
    summary="Edit several data dictionary entries at once, all or none (steward)",
)
def update_fields(
    session: SessionDep, actor: ActorDep, dataset_id: str, data: dict[str, FieldUpdate]
) -> list[FieldPublic]:
    return service.update_fields(session, actor, dataset_id, data)


@router.patch(
    "/datasets/{dataset_id}/fields/{name}",
    response_model=FieldPublic,
    summary="Edit one data dictionary entry (steward)",
)
def update_field(
    session: SessionDep, actor: ActorDep, dataset_id: str, name: str, data: FieldUpdate
) -> FieldPublic:
    return service.update_field(session, actor, dataset_id, name, data)


@router.post(
    "/datasets/{dataset_id}/versions",
    response_model=VersionPublic,
    status_code=201,
    summary="Upload a file as the dataset's new version (steward)",
    openapi_extra=UPLOAD_BODY,
)
def upload_version(
    upload: UploadDep, session: SessionDep, settings: SettingsDep, actor: ActorDep, dataset_id: str
) -> VersionPublic:
    return versions.ingest_version(
        session,
        actor,
        settings.data_dir,
        dataset_id,
        upload.path,
        skip_bad_rows=upload.flag("skip_bad_rows"),
        notes=upload.fields.get("notes", "").strip(),
        source_name=upload.filename,
    )


@router.post(
    "/datasets/{dataset_id}/publish",
    response_model=DatasetPublic,
    summary="Publish a dataset; 409 with the reason when it may not be (steward)",
)
def publish(session: SessionDep, actor: ActorDep, dataset_id: str) -> DatasetPublic:
    return service.set_status(session, actor, dataset_id, "published")


@router.post(
    "/datasets/{dataset_id}/unpublish",
    response_model=DatasetPublic,
    summary="Take a published dataset down: it becomes retired (steward)",
)
def unpublish(session: SessionDep, actor: ActorDep, dataset_id: str) -> DatasetPublic:
    return service.set_status(session, actor, dataset_id, "retired")
