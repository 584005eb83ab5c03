"""Privacy schemas: what the API, pages and CLI send and receive."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class PolicyCreate(BaseModel):
    """A new policy, or a new version of one (same name)."""

    name: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9_\-]+$")
    agency: str | None = Field(default=None, description="Agency slug; none: the CDO's model")
    data_type: str = Field(default="", max_length=100)
    rules: dict[str, Any] = Field(default_factory=dict, description="Policy fields")


class PolicyPublic(BaseModel):
    name: str
    version: int
    agency: str | None
    data_type: str
    is_model: bool
    builtin: bool
    rule: str
    rules: dict[str, Any]
    created_by: str
    created_at: datetime | None


class TableSpec(BaseModel):
    """One table of a release: its dimensions (`column` or `column=hierarchy`)."""

    name: str = Field(min_length=1, max_length=100)
    dims: list[str] = Field(min_length=1)


class ReleaseCreate(BaseModel):
    """An aggregate release: tables of counts built from a dataset's rows, protected together."""

    dataset_id: str
    title: str = Field(min_length=1, max_length=300)
    policy: str
    tables: list[TableSpec] = Field(min_length=1, max_length=6)
    derive: dict[str, str] = Field(
        default_factory=dict,
        description="New columns: name -> `town:COLUMN`, `year:COLUMN`, `month:COLUMN`, "
        "`age_band:COLUMN` or `text:COLUMN`",
    )
    time_limit: float = Field(default=60.0, gt=0, le=600)


class ReleasePublic(BaseModel):
    id: int
    title: str
    kind: str
    source_dataset_id: str
    source_version: int
    agency: str
    policy_name: str
    policy_version: int
    parameters: dict[str, Any]
    summary: dict[str, Any]
    passed: bool
    status: str
    created_by: str
    created_at: datetime
    approved_by: str | None
    approved_at: datetime | None
    published_dataset_id: str | None


class ReleaseCells(BaseModel):
    """A release's tables with every cell's status and why it is suppressed."""

    release: ReleasePublic
    tables: list[dict[str, Any]]
    audit: dict[str, Any]
