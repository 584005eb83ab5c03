"""High-value data inventory API: cycles, agency submissions and their review, assets, history,
the CDO dashboard, exports (CSV, XLSX, the non-public part of data.json) and spreadsheet import.

Each route names the least role it needs; `steward.inventory` checks it.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, Response, UploadFile
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from steward.errors import Invalid
from steward.inventory import assets, exports, importer, service
from steward.inventory.exports import Format
from steward.inventory.schemas import (
    AssetCreate,
    AssetPublic,
    AssetUpdate,
    CatalogCandidate,
    ChangePublic,
    CycleCreate,
    CyclePublic,
    Dashboard,
    ImportResult,
    ReviewComment,
    SubmissionPublic,
)
from steward.web.api.deps import ActorDep, get_session

# Commit before the answer is sent (FastAPI's default ends a `yield` dependency after it): a
# browser following a redirect, or a script's next call, must see the change just made.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
# Years outside the range a cycle may have are refused before they reach the database.
YearPath = Annotated[int, Path(ge=2000, le=2100)]
router = APIRouter(prefix="/api/v1/inventory", tags=["inventory"])
SUBMISSION = "/cycles/{year}/agencies/{agency}"
MAX_UPLOAD = 5 * 1024 * 1024
FormatQuery = Annotated[Format, Query(alias="format", description="csv, xlsx or json")]


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _download(export: exports.Export) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{export.filename}"'}
    return Response(export.content, media_type=export.media_type, headers=headers)


# cycles ------------------------------------------------------------------------------------


@router.get("/cycles", response_model=list[CyclePublic], summary="Inventory cycles (signed in)")
def list_cycles(session: SessionDep, actor: ActorDep) -> list[CyclePublic]:
    return service.list_cycles(session, actor)


@router.post(
    "/cycles", response_model=CyclePublic, status_code=201, summary="Open a year's cycle (cdo)"
)
def open_cycle(session: SessionDep, actor: ActorDep, data: CycleCreate) -> CyclePublic:
    return service.open_cycle(session, actor, data)


@router.get("/cycles/{year}", response_model=CyclePublic, summary="One cycle (signed in)")
def get_cycle(session: SessionDep, actor: ActorDep, year: YearPath) -> CyclePublic:
    return service.get_cycle(session, actor, year)


@router.get(
    "/cycles/{year}/dashboard",
    response_model=Dashboard,
    summary="Status, counts, share published and overdue agencies (cdo)",
)
def dashboard(session: SessionDep, actor: ActorDep, year: YearPath) -> Dashboard:
    return service.dashboard(session, actor, year)


@router.get("/cycles/{year}/export", summary="The state-wide inventory as a file (cdo)")
def export_cycle(
    request: Request, session: SessionDep, actor: ActorDep, year: YearPath, fmt: FormatQuery = "csv"
) -> Response:
    return _download(exports.export_cycle(session, actor, year, fmt, _base(request)))


@router.get(
    "/cycles/{year}/data.json",
    summary="DCAT-US entries of the inventory's non-public assets (cdo)",
)
def nonpublic_data_json(
    request: Request, session: SessionDep, actor: ActorDep, year: YearPath
) -> JSONResponse:
    document: dict[str, Any] = exports.nonpublic_catalog(session, actor, year, _base(request))
    return JSONResponse(document)


# submissions -------------------------------------------------------------------------------


@router.get(SUBMISSION, response_model=SubmissionPublic, summary="An agency's submission (analyst)")
def get_submission(
    session: SessionDep, actor: ActorDep, year: YearPath, agency: str
) -> SubmissionPublic:
    return service.get_submission(session, actor, year, agency)


@router.post(
    SUBMISSION + "/submit", response_model=SubmissionPublic, summary="Submit to the CDO (ado)"
)
def submit(
    session: SessionDep,
    actor: ActorDep,
    year: YearPath,
    agency: str,
    data: ReviewComment | None = None,
) -> SubmissionPublic:
    return service.submit(session, actor, year, agency, data.comment if data else "")


@router.post(
    SUBMISSION + "/return",
    response_model=SubmissionPublic,
    summary="Return to the agency with a comment (cdo)",
)
def return_submission(
    session: SessionDep, actor: ActorDep, year: YearPath, agency: str, data: ReviewComment
) -> SubmissionPublic:
    return service.return_submission(session, actor, year, agency, data.comment)


@router.post(SUBMISSION + "/accept", response_model=SubmissionPublic, summary="Accept (cdo)")
def accept(
    session: SessionDep,
    actor: ActorDep,
    year: YearPath,
    agency: str,
    data: ReviewComment | None = None,
) -> SubmissionPublic:
    return service.accept(session, actor, year, agency, data.comment if data else "")


@router.get(
    SUBMISSION + "/history",
    response_model=list[ChangePublic],
    summary="Every change, newest first (analyst)",
)
def history(
    session: SessionDep, actor: ActorDep, year: YearPath, agency: str
) -> list[ChangePublic]:
    return service.history(session, actor, year, agency)


@router.get(SUBMISSION + "/export", summary="The submission as a file (analyst)")
def export_submission(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    year: YearPath,
    agency: str,
    fmt: FormatQuery = "csv",
) -> Response:
    export = exports.export_submission(session, actor, year, agency, fmt, _base(request))
    return _download(export)


@router.post(
    SUBMISSION + "/import",
    response_model=ImportResult,
    summary="Import a CSV or XLSX in the template's columns, all or nothing (steward)",
)
def import_file(
    session: SessionDep,
    actor: ActorDep,
    year: YearPath,
    agency: str,
    file: Annotated[UploadFile, File(description="CSV or XLSX in the template's columns")],
    replace: Annotated[bool, Form(description="Remove entries the file leaves out")] = False,
) -> ImportResult:
    content = file.file.read(MAX_UPLOAD + 1)
    if len(content) > MAX_UPLOAD:
        raise Invalid(f"the file is larger than {MAX_UPLOAD // (1024 * 1024)} MB")
    name = file.filename or ""
    return importer.import_file(session, actor, year, agency, name, content, replace=replace)


# assets ------------------------------------------------------------------------------------


@router.get(
    SUBMISSION + "/assets", response_model=list[AssetPublic], summary="The entries (analyst)"
)
def list_assets(
    session: SessionDep, actor: ActorDep, year: YearPath, agency: str
) -> list[AssetPublic]:
    return assets.list_assets(session, actor, year, agency)


@router.post(
    SUBMISSION + "/assets",
    response_model=AssetPublic,
    status_code=201,
    summary="Add an entry; with dataset_id, what is left out comes from the catalog (steward)",
)
def add_asset(
    session: SessionDep, actor: ActorDep, year: YearPath, agency: str, data: AssetCreate
) -> AssetPublic:
    return assets.add_asset(session, actor, year, agency, data)


@router.get(
    SUBMISSION + "/candidates",
    response_model=list[CatalogCandidate],
    summary="The agency's catalogued datasets not listed yet (analyst)",
)
def candidates(
    session: SessionDep, actor: ActorDep, year: YearPath, agency: str
) -> list[CatalogCandidate]:
    return assets.candidates(session, actor, year, agency)


@router.get(
    SUBMISSION + "/assets/{asset_id}", response_model=AssetPublic, summary="One entry (analyst)"
)
def get_asset(
    session: SessionDep, actor: ActorDep, year: YearPath, agency: str, asset_id: int
) -> AssetPublic:
    return assets.get_asset(session, actor, year, agency, asset_id)


@router.patch(
    SUBMISSION + "/assets/{asset_id}",
    response_model=AssetPublic,
    summary="Change an entry: only the fields sent (steward)",
)
def update_asset(
    session: SessionDep,
    actor: ActorDep,
    year: YearPath,
    agency: str,
    asset_id: int,
    data: AssetUpdate,
) -> AssetPublic:
    return assets.update_asset(session, actor, year, agency, asset_id, data)


@router.delete(
    SUBMISSION + "/assets/{asset_id}", status_code=204, summary="Remove an entry (steward)"
)
def remove_asset(
    session: SessionDep, actor: ActorDep, year: YearPath, agency: str, asset_id: int
) -> Response:
    assets.remove_asset(session, actor, year, agency, asset_id)
    return Response(status_code=204)
