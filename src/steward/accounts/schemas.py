"""Account shapes in and out. Hashes never leave the service."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

RoleName = Literal["analyst", "steward", "ado", "cdo"]
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class RoleGrant(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: RoleName
    agency: str | None = Field(
        default=None, max_length=64, description="Agency slug; none for the state-wide cdo role"
    )


class RolePublic(BaseModel):
    role: RoleName
    agency: str | None
    agency_name: str | None
    granted_by: str
    granted_at: datetime


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=320, pattern=EMAIL_PATTERN)
    name: str = Field(min_length=1, max_length=200)
    agency: str | None = Field(default=None, max_length=64, description="Home agency slug")
    password: str | None = Field(default=None, max_length=256)
    roles: list[RoleGrant] = Field(default_factory=list)

    @field_validator("email", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        # Before the pattern check, so " Name@Agency.gov" is accepted as name@agency.gov.
        return value.strip().lower() if isinstance(value, str) else value


class UserPublic(BaseModel):
    id: int
    email: str
    name: str
    agency: str | None
    is_active: bool
    has_password: bool
    created_at: datetime
    last_login_at: datetime | None
    roles: list[RolePublic]


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: str = Field(max_length=256)
    new_password: str = Field(max_length=256)


class TokenCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, description="What the token is for")
    expires_in_days: int | None = Field(
        default=90, ge=1, le=730, description="Days until the token stops working"
    )


class TokenPublic(BaseModel):
    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None
    status: Literal["active", "expired", "revoked"]


class TokenCreated(TokenPublic):
    token: str = Field(description="The secret itself: shown this once, never stored")
