"""Audit log shapes out (entries are never created or changed through any route)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator


class AuditFilter(BaseModel):
    """Which entries to list or export; every field optional."""

    model_config = ConfigDict(extra="forbid")

    agency: str | None = Field(default=None, max_length=64, description="Agency slug")
    dataset: str | None = Field(default=None, max_length=64, description="Dataset id")
    action: str | None = Field(
        default=None,
        max_length=64,
        description="An action (data.read), or a family ending in a dot (data.)",
    )
    actor: str | None = Field(default=None, max_length=320, description="Who acted (email)")
    since: date | None = Field(default=None, description="On or after this UTC date")
    until: date | None = Field(default=None, description="On or before this UTC date")


class AuditEntryPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    seq: int
    at: datetime
    actor: str
    action: str
    agency_id: int | None
    agency: str | None = None
    dataset_id: str | None
    details: dict[str, Any]
    prev_hash: str
    hash: str

    @field_validator("details", mode="before")
    @classmethod
    def _parse(cls, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value


class AuditPage(BaseModel):
    entries: list[AuditEntryPublic]
    total: int
    limit: int
    offset: int


class BreakPublic(BaseModel):
    seq: int
    reason: str


class VerifyReport(BaseModel):
    """What `verify` found: the chain from the genesis to the head, and the signed checkpoints."""

    ok: bool
    entries: int
    head_seq: int
    head_hash: str
    first_break: BreakPublic | None = None
    checkpoints: int = 0
    last_checkpoint_seq: int | None = None
    signed: bool = Field(description="Checkpoint signatures were checked with the store's key")


class CheckpointPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    seq: int
    hash: str
    at: datetime
