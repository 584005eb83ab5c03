"""Sharing API (#10): agreements, their documents and rendered copies, grants, use sessions and
person-level extracts. Each route names the least role it needs; `steward.sharing` checks it.

Reading granted data goes through the usual SoQL routes (`/resource/{id}.json`,
`/api/v1/datasets/{id}/query`), authenticated, after a purpose is stated here.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, Query, Request, Response, UploadFile
from fastapi.responses import FileResponse
from sqlalchemy.orm import Session

from steward.accounts.policy import Actor
from steward.errors import Invalid
from steward.sharing import (
    agreements,
    documents,
    export,
    extracts,
    grants,
    importer,
    shapes,
    templates,
)
from steward.sharing.schemas import (
    AgreementCreate,
    AgreementPublic,
    AgreementSummary,
    AgreementUpdate,
    CatalogEntry,
    CheckItemPublic,
    DocumentPublic,
    ExtractCreate,
    ExtractPublic,
    GrantPublic,
    ImportResult,
    StatusChange,
    SuspendRequest,
    UseCreate,
    UsePublic,
)
from steward.web.api.deps import ActorDep, SettingsDep, get_session

SessionDep = Annotated[Session, Depends(get_session, scope="function")]
router = APIRouter(prefix="/api/v1", tags=["sharing"])
AGREEMENT = "/agreements/{agreement_id}"
MAX_IMPORT = 5 * 1024 * 1024


async def _read(upload: UploadFile, limit: int) -> bytes:
    content = await upload.read(limit + 1)
    if len(content) > limit:
        raise Invalid(f"the file is larger than {limit // (1024 * 1024)} MB")
    return content


@router.get(
    "/agreements/catalog", response_model=list[CatalogEntry], summary="Active agreements (public)"
)
def catalog(session: SessionDep) -> list[CatalogEntry]:
    return agreements.catalog(session)


def _export(session: Session, actor: Actor, fmt: Literal["csv", "xlsx"]) -> Response:
    content = export.export_file(session, actor, fmt)
    name = f"agreements-{agreements.today().isoformat()}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(content, media_type=export.MEDIA[fmt], headers=headers)


@router.get(
    "/agreements/export.csv",
    summary="The agreements you may read as CSV in the import columns, for auditors (signed in)",
)
def export_csv(session: SessionDep, actor: ActorDep) -> Response:
    return _export(session, actor, "csv")


@router.get(
    "/agreements/export.xlsx",
    summary="The agreements you may read as an XLSX workbook, for auditors (signed in)",
)
def export_xlsx(session: SessionDep, actor: ActorDep) -> Response:
    return _export(session, actor, "xlsx")


@router.get(
    "/agreements",
    response_model=list[AgreementSummary],
    summary="Agreements you may read (signed in; ADOs of either party, authorized users)",
)
def list_agreements(
    session: SessionDep,
    actor: ActorDep,
    status: Annotated[str | None, Query(max_length=16)] = None,
    agency: Annotated[str | None, Query(max_length=64)] = None,
) -> list[AgreementSummary]:
    return agreements.list_agreements(session, actor, status=status or None, agency=agency or None)


@router.post(
    "/agreements",
    response_model=AgreementPublic,
    status_code=201,
    summary="Draft an agreement (ado)",
)
def create_agreement(
    session: SessionDep, actor: ActorDep, data: AgreementCreate
) -> AgreementPublic:
    return agreements.create_agreement(session, actor, data)


@router.post(
    "/agreements/checklist",
    response_model=list[CheckItemPublic],
    summary="What a draft's legal authorities require and what it is missing (public)",
)
def checklist(data: AgreementUpdate) -> list[CheckItemPublic]:
    return shapes.checklist(data.model_dump())


@router.post(
    "/agreements/import",
    response_model=ImportResult,
    status_code=201,
    summary="Import agreements from a CSV or XLSX, all or nothing (ado of each provider)",
)
async def import_agreements(
    session: SessionDep,
    actor: ActorDep,
    file: Annotated[UploadFile, File(description="CSV or XLSX in the import columns")],
) -> ImportResult:
    content = await _read(file, MAX_IMPORT)
    return importer.import_file(session, actor, file.filename or "", content)


@router.get(
    AGREEMENT,
    response_model=AgreementPublic,
    summary="An agreement (ado of a party, authorized user)",
)
def get_agreement(session: SessionDep, actor: ActorDep, agreement_id: int) -> AgreementPublic:
    return agreements.get_agreement(session, actor, agreement_id)


@router.patch(
    AGREEMENT, response_model=AgreementPublic, summary="Change an agreement (provider ado)"
)
def update_agreement(
    session: SessionDep, actor: ActorDep, agreement_id: int, data: AgreementUpdate
) -> AgreementPublic:
    return agreements.update_agreement(session, actor, agreement_id, data)


@router.post(
    AGREEMENT + "/status",
    response_model=AgreementPublic,
    summary="Move it through its lifecycle (provider ado)",
)
def change_status(
    session: SessionDep, actor: ActorDep, agreement_id: int, change: StatusChange
) -> AgreementPublic:
    return agreements.change_status(session, actor, agreement_id, change)


@router.get(AGREEMENT + "/render", summary="The agreement or its consent form as HTML, DOCX or PDF")
def render(
    session: SessionDep,
    actor: ActorDep,
    agreement_id: int,
    fmt: Annotated[Literal["html", "docx", "pdf"], Query(alias="format")] = "pdf",
    document: Annotated[Literal["agreement", "consent"], Query()] = "agreement",
) -> Response:
    made = templates.render(session, actor, agreement_id, fmt, document)
    disposition = "inline" if fmt == "html" else "attachment"
    headers = {"Content-Disposition": f'{disposition}; filename="{made.filename}"'}
    return Response(made.content, media_type=made.media_type, headers=headers)


@router.post(
    AGREEMENT + "/documents",
    response_model=DocumentPublic,
    status_code=201,
    summary="Attach a document: PDF, DOCX, XLSX, PNG, JPEG or text (provider ado)",
)
async def attach_document(
    session: SessionDep,
    settings: SettingsDep,
    actor: ActorDep,
    agreement_id: int,
    file: Annotated[UploadFile, File()],
    description: Annotated[str, Form(max_length=300)] = "",
) -> DocumentPublic:
    content = await _read(file, documents.MAX_BYTES)
    return documents.attach(
        session, actor, settings.data_dir, agreement_id, file.filename or "", content, description
    )


@router.get(
    AGREEMENT + "/documents/{document_id}", summary="Download a document (as the agreement)"
)
def get_document(
    session: SessionDep, settings: SettingsDep, actor: ActorDep, agreement_id: int, document_id: int
) -> FileResponse:
    found = documents.open_document(session, actor, settings.data_dir, agreement_id, document_id)
    return FileResponse(found.path, media_type=found.media_type, filename=found.filename)


@router.post(
    AGREEMENT + "/extracts",
    response_model=ExtractPublic,
    status_code=201,
    summary="A person-level extract without opted-out people (authorized user)",
)
def create_extract(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: ActorDep,
    agreement_id: int,
    data: ExtractCreate,
) -> ExtractPublic:
    engine = request.app.state.query_engine
    return extracts.create_extract(session, actor, engine, settings.data_dir, agreement_id, data)


@router.get(
    AGREEMENT + "/extracts",
    response_model=list[ExtractPublic],
    summary="Extracts (as the agreement)",
)
def list_extracts(session: SessionDep, actor: ActorDep, agreement_id: int) -> list[ExtractPublic]:
    return extracts.list_extracts(session, actor, agreement_id)


@router.get(
    AGREEMENT + "/extracts/{extract_id}", summary="Download an extract (its grantee, provider ado)"
)
def get_extract(
    session: SessionDep, settings: SettingsDep, actor: ActorDep, agreement_id: int, extract_id: int
) -> FileResponse:
    found = extracts.open_extract(session, actor, settings.data_dir, agreement_id, extract_id)
    return FileResponse(found.path, media_type=found.media_type, filename=found.filename)


# grants ------------------------------------------------------------------------------------


@router.get("/grants/mine", response_model=list[GrantPublic], summary="Your grants (signed in)")
def my_grants(session: SessionDep, actor: ActorDep) -> list[GrantPublic]:
    return grants.my_grants(session, actor)


@router.post(
    "/grants/{grant_id}/use",
    response_model=UsePublic,
    status_code=201,
    summary="State the purpose of a session of use of your grant (signed in)",
)
def open_use(session: SessionDep, actor: ActorDep, grant_id: int, data: UseCreate) -> UsePublic:
    return grants.open_use(session, actor, grant_id, data.purpose)


@router.get(
    "/agencies/{agency}/grants",
    response_model=list[GrantPublic],
    summary="Grants of the agency's agreements as provider (ado)",
)
def agency_grants(session: SessionDep, actor: ActorDep, agency: str) -> list[GrantPublic]:
    return grants.agency_grants(session, actor, agency)


@router.post(
    "/grants/{grant_id}/suspend",
    response_model=GrantPublic,
    summary="Suspend a grant (provider ado)",
)
def suspend(
    session: SessionDep, actor: ActorDep, grant_id: int, data: SuspendRequest | None = None
) -> GrantPublic:
    return grants.suspend(session, actor, grant_id, data.reason if data else "")


@router.post(
    "/grants/{grant_id}/resume", response_model=GrantPublic, summary="Resume a grant (provider ado)"
)
def resume(session: SessionDep, actor: ActorDep, grant_id: int) -> GrantPublic:
    return grants.resume(session, actor, grant_id)
