"""Privacy API (#9): suppression policies, protected table releases and de-identified extracts.

Policies are public (the rules the state publishes by). A release is made by a steward of the
source dataset's agency, read by its staff, approved by its data officer (or the CDO; never by
its maker alone) and published by a steward; `steward.privacy` checks each role.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from sqlalchemy.orm import Session

from steward.privacy import publish, releases, service
from steward.privacy.schemas import (
    ExtractCreate,
    PolicyCreate,
    PolicyPublic,
    ReleaseCreate,
    ReleaseDetail,
    ReleasePublic,
    ReleaseSource,
)
from steward.web.api.deps import ActorDep, SettingsDep, get_session

SessionDep = Annotated[Session, Depends(get_session, scope="function")]
router = APIRouter(prefix="/api/v1/privacy", tags=["privacy"])


@router.get("/policies", response_model=list[PolicyPublic], summary="Suppression policies (public)")
def list_policies(session: SessionDep) -> list[PolicyPublic]:
    return service.list_policies(session)


@router.post(
    "/policies",
    response_model=PolicyPublic,
    status_code=201,
    summary="Define a policy or its next version (ado of the agency; the CDO for the model)",
)
def create_policy(session: SessionDep, actor: ActorDep, data: PolicyCreate) -> PolicyPublic:
    return service.create_policy(session, actor, data)


@router.get(
    "/policies/{name}",
    response_model=list[PolicyPublic],
    summary="Every version of a policy, oldest first (public)",
)
def policy_versions(session: SessionDep, name: str) -> list[PolicyPublic]:
    return service.policy_versions(session, name)


@router.get(
    "/sources",
    response_model=list[ReleaseSource],
    summary="Datasets you may make a release from, with their columns (signed in)",
)
def list_sources(session: SessionDep, actor: ActorDep) -> list[ReleaseSource]:
    return releases.release_sources(session, actor)


@router.get(
    "/releases",
    response_model=list[ReleasePublic],
    summary="Releases of your agencies (signed in; the CDO sees all)",
)
def list_releases(
    session: SessionDep,
    actor: ActorDep,
    agency: Annotated[str | None, Query(max_length=64, description="Agency slug")] = None,
) -> list[ReleasePublic]:
    return releases.list_releases(session, actor, agency)


@router.post(
    "/releases",
    response_model=ReleasePublic,
    status_code=201,
    summary="Build, protect and audit tables from a dataset: a draft release (steward)",
)
def create_release(
    session: SessionDep, actor: ActorDep, settings: SettingsDep, data: ReleaseCreate
) -> ReleasePublic:
    return releases.create_table_release(session, actor, settings.data_dir, data)


@router.get(
    "/releases/{release_id}",
    response_model=ReleaseDetail,
    summary="A release: every cell with its status and reason, and the audit (analyst)",
)
def get_release(
    session: SessionDep,
    actor: ActorDep,
    release_id: int,
    limit: Annotated[int | None, Query(ge=0, le=1_000_000, description="Rows per table")] = None,
) -> ReleaseDetail:
    return releases.get_release(session, actor, release_id, limit)


@router.post(
    "/releases/{release_id}/approve",
    response_model=ReleasePublic,
    summary="Approve a release that passed its audit (ado; not its maker)",
)
def approve_release(session: SessionDep, actor: ActorDep, release_id: int) -> ReleasePublic:
    return releases.approve_release(session, actor, release_id)


@router.post(
    "/releases/{release_id}/publish",
    response_model=ReleasePublic,
    summary="Publish an approved table release as a public dataset (steward)",
)
def publish_release(
    session: SessionDep, actor: ActorDep, settings: SettingsDep, release_id: int
) -> ReleasePublic:
    return publish.publish_release(session, actor, settings.data_dir, release_id)


@router.post(
    "/extracts",
    response_model=ReleasePublic,
    status_code=201,
    summary="Make a k-anonymous research extract of a dataset (steward); never public",
)
def create_extract(
    session: SessionDep, actor: ActorDep, settings: SettingsDep, data: ExtractCreate
) -> ReleasePublic:
    return releases.create_extract(session, actor, settings.data_dir, data)


@router.get(
    "/extracts/{release_id}.csv",
    summary="Download a research extract (steward of the agency)",
    response_class=Response,
)
def download_extract(session: SessionDep, actor: ActorDep, release_id: int) -> Response:
    filename, text = publish.extract_csv(session, actor, release_id)
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(text, media_type="text/csv; charset=utf-8", headers=headers)
