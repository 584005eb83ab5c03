"""Accounts API: the caller's own account and tokens; people and roles for ADOs and the CDO."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import Session

from steward.accounts import service
from steward.accounts.schemas import (
    PasswordChange,
    RoleGrant,
    RoleName,
    TokenCreate,
    TokenCreated,
    TokenPublic,
    UserCreate,
    UserPublic,
)
from steward.web.api.deps import ActorDep, get_session

router = APIRouter(prefix="/api/v1", tags=["accounts"])
# Committed before the answer leaves: the client may use the new session, token or role in its
# very next request, and FastAPI's default closes a session only after the response is sent.
CommittedSession = Annotated[Session, Depends(get_session, scope="function")]


class UserStatus(BaseModel):
    model_config = ConfigDict(extra="forbid")

    is_active: bool


@router.get("/me", response_model=UserPublic, summary="The signed-in caller (signed in)")
def me(session: CommittedSession, actor: ActorDep) -> UserPublic:
    service.require_signed_in(actor)
    return service.get_user(session, actor, actor.email or "")


@router.post("/me/password", status_code=204, summary="Change your password (signed in)")
def change_password(session: CommittedSession, actor: ActorDep, change: PasswordChange) -> Response:
    service.change_password(session, actor, change)
    return Response(status_code=204)


@router.get("/me/tokens", response_model=list[TokenPublic], summary="Your API tokens (signed in)")
def list_tokens(session: CommittedSession, actor: ActorDep) -> list[TokenPublic]:
    return service.list_tokens(session, actor)


@router.post(
    "/me/tokens",
    response_model=TokenCreated,
    status_code=201,
    summary="Create an API token; the secret is in this answer only (signed in)",
)
def create_token(session: CommittedSession, actor: ActorDep, data: TokenCreate) -> TokenCreated:
    return service.create_token(session, actor, data)


@router.delete(
    "/me/tokens/{token_id}", response_model=TokenPublic, summary="Revoke a token (signed in)"
)
def revoke_token(session: CommittedSession, actor: ActorDep, token_id: int) -> TokenPublic:
    return service.revoke_token(session, actor, token_id)


@router.get("/users", response_model=list[UserPublic], summary="Every user (cdo)")
def list_users(session: CommittedSession, actor: ActorDep) -> list[UserPublic]:
    return service.list_users(session, actor)


@router.post("/users", response_model=UserPublic, status_code=201, summary="Add a user (ado, cdo)")
def create_user(session: CommittedSession, actor: ActorDep, data: UserCreate) -> UserPublic:
    return service.create_user(session, actor, data)


@router.get(
    "/users/{email}", response_model=UserPublic, summary="One user (the user; analyst+, cdo)"
)
def get_user(session: CommittedSession, actor: ActorDep, email: str) -> UserPublic:
    return service.get_user(session, actor, email)


@router.patch(
    "/users/{email}", response_model=UserPublic, summary="Deactivate or reactivate (ado, cdo)"
)
def set_status(
    session: CommittedSession, actor: ActorDep, email: str, data: UserStatus
) -> UserPublic:
    return service.set_active(session, actor, email, data.is_active)


@router.post(
    "/users/{email}/roles",
    response_model=UserPublic,
    summary="Give a role in an agency (that agency's ado; cdo for any)",
)
def grant_role(
    session: CommittedSession, actor: ActorDep, email: str, grant: RoleGrant
) -> UserPublic:
    return service.grant_role(session, actor, email, grant)


@router.delete(
    "/users/{email}/roles",
    response_model=UserPublic,
    summary="Take a role back (that agency's ado; cdo for any)",
)
def revoke_role(
    session: CommittedSession,
    actor: ActorDep,
    email: str,
    role: Annotated[RoleName, Query()],
    agency: Annotated[str | None, Query(max_length=64)] = None,
) -> UserPublic:
    return service.revoke_role(session, actor, email, RoleGrant(role=role, agency=agency))


@router.get(
    "/agencies/{slug}/people",
    response_model=list[UserPublic],
    summary="An agency's people and their roles (analyst+ of the agency, cdo)",
)
def agency_people(session: CommittedSession, actor: ActorDep, slug: str) -> list[UserPublic]:
    return service.list_users(session, actor, agency=slug)
