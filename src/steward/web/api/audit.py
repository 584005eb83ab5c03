"""Audit log and consent registry API (#10).

The audit log is read-only through every route: entries are listed (CDO: all; ADO: those of
their agencies), exported as CSV and verified; the CDO seals the head with a signed checkpoint.
Consent routes take a person's identifiers in the request body (never in the URL) and hash them
at once; the ADO of the program's agency or the CDO manages them.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Body, Depends, File, Query, Response, UploadFile
from sqlalchemy.orm import Session

from steward.audit import service as audit
from steward.audit.schemas import AuditFilter, AuditPage, CheckpointPublic, VerifyReport
from steward.consent import imports, keys
from steward.consent import service as consent
from steward.consent.schemas import (
    ConsentCreate,
    ConsentLookup,
    ConsentPublic,
    ConsentRevoke,
    ConsentStatus,
    ImportResult,
    ProgramCreate,
    ProgramPublic,
)
from steward.errors import Invalid
from steward.web.api.deps import ActorDep, SettingsDep, get_session

SessionDep = Annotated[Session, Depends(get_session, scope="function")]
router = APIRouter(prefix="/api/v1", tags=["audit"])
MAX_IMPORT_BYTES = 50 * 1024 * 1024


def audit_filter(
    agency: Annotated[str | None, Query(max_length=64, description="Agency slug")] = None,
    dataset: Annotated[str | None, Query(max_length=64, description="Dataset id")] = None,
    action: Annotated[
        str | None, Query(max_length=64, description="Action, or a family ending in a dot")
    ] = None,
    actor: Annotated[str | None, Query(max_length=320, description="Who acted")] = None,
    since: Annotated[date | None, Query(description="On or after (UTC date)")] = None,
    until: Annotated[date | None, Query(description="On or before (UTC date)")] = None,
) -> AuditFilter:
    return AuditFilter(
        agency=agency, dataset=dataset, action=action, actor=actor, since=since, until=until
    )


FilterDep = Annotated[AuditFilter, Depends(audit_filter)]


def registry_key(settings: SettingsDep) -> bytes:
    return keys.configure(settings)


KeyDep = Annotated[bytes, Depends(registry_key)]


@router.get("/audit", response_model=AuditPage, summary="Audit entries, newest first (ado, cdo)")
def list_audit(
    session: SessionDep,
    actor: ActorDep,
    where: FilterDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> AuditPage:
    return audit.list_entries(session, actor, where, limit, offset)


@router.get("/audit/export.csv", summary="Audit entries as CSV for auditors (ado, cdo)")
def export_audit(session: SessionDep, actor: ActorDep, where: FilterDep) -> Response:
    body = "".join(audit.export_csv(session, actor, where))
    headers = {"Content-Disposition": 'attachment; filename="audit.csv"'}
    return Response(body, media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/audit/verify", response_model=VerifyReport, summary="Verify the chain (cdo)")
def verify_audit(session: SessionDep, actor: ActorDep, settings: SettingsDep) -> VerifyReport:
    return audit.verify(session, actor, (settings.secret_key or "").encode())


@router.post(
    "/audit/seal",
    response_model=CheckpointPublic,
    status_code=201,
    summary="Sign the current head once the chain verifies (cdo)",
)
def seal_audit(session: SessionDep, actor: ActorDep, settings: SettingsDep) -> CheckpointPublic:
    return audit.seal(session, actor, (settings.secret_key or "").encode())


@router.get(
    "/consent/programs", response_model=list[ProgramPublic], summary="Programs you manage (ado)"
)
def list_programs(session: SessionDep, actor: ActorDep) -> list[ProgramPublic]:
    return consent.list_programs(session, actor)


@router.post(
    "/consent/programs",
    response_model=ProgramPublic,
    status_code=201,
    summary="Register a consent program of an agency (ado)",
)
def create_program(session: SessionDep, actor: ActorDep, data: ProgramCreate) -> ProgramPublic:
    return consent.create_program(session, actor, data)


@router.get(
    "/consent/programs/{program}/records",
    response_model=list[ConsentPublic],
    summary="A program's consent records, newest first (ado)",
)
def list_records(
    session: SessionDep,
    actor: ActorDep,
    program: str,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> list[ConsentPublic]:
    return consent.list_records(session, actor, program, limit, offset)


@router.post(
    "/consent/programs/{program}/import",
    response_model=ImportResult,
    summary="Import decisions from an uploaded CSV (field `file`); all rows or none (ado)",
)
async def import_records(
    session: SessionDep,
    actor: ActorDep,
    key: KeyDep,
    program: str,
    file: Annotated[UploadFile, File(description="CSV, UTF-8")],
) -> ImportResult:
    raw = await file.read(MAX_IMPORT_BYTES + 1)
    if len(raw) > MAX_IMPORT_BYTES:
        raise Invalid(f"the CSV is larger than {MAX_IMPORT_BYTES} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Invalid("the CSV is not UTF-8 text") from None
    return imports.import_csv(session, actor, program, text, key)


@router.post(
    "/consent/records",
    response_model=ConsentPublic,
    status_code=201,
    summary="Record a person's decision (ado)",
)
def record_consent(
    session: SessionDep, actor: ActorDep, key: KeyDep, data: ConsentCreate
) -> ConsentPublic:
    return consent.record_consent(session, actor, data, key)


@router.post(
    "/consent/revocations",
    response_model=ConsentPublic,
    status_code=201,
    summary="Record a revocation (ado)",
)
def revoke_consent(
    session: SessionDep, actor: ActorDep, key: KeyDep, data: ConsentRevoke
) -> ConsentPublic:
    return consent.revoke_consent(session, actor, data, key)


@router.post(
    "/consent/lookup",
    response_model=ConsentStatus,
    summary="A person's standing and history, identifiers in the body (ado)",
)
def lookup_consent(
    session: SessionDep, actor: ActorDep, key: KeyDep, data: Annotated[ConsentLookup, Body()]
) -> ConsentStatus:
    return consent.lookup(session, actor, data, key)
