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
    percent: bool = Field(
        default=False,
        description="Add each cell's percentage of its row total (the cell with every dimension "
        "but the first at its total), rounded per the policy",
    )
    rate_per: int | None = Field(
        default=None,
        ge=1,
        le=10_000_000,
        description="Add a rate per this many residents (e.g. 100000) of the cell's area, from "
        "the bundled DPH town population estimates",
    )


class ReleaseCreate(BaseModel):
    """An aggregate release: tables of counts built from a dataset's rows, protected together."""

    dataset_id: str
    title: str = Field(min_length=1, max_length=300)
    policy: str = Field(min_length=1, max_length=64)
    policy_version: int | None = Field(default=None, ge=1, description="Latest when omitted")
    count: str | None = Field(
        default=None, max_length=255, description="A column to sum; omitted: count the rows"
    )
    tables: list[TableSpec] = Field(min_length=1, max_length=6)
    derive: dict[str, str] = Field(
        default_factory=dict,
        description="New columns: name -> `town:COLUMN`, `year:COLUMN`, `month:COLUMN`, "
        "`age_band:COLUMN` or `text:COLUMN`",
    )
    time_limit: float = Field(default=60.0, gt=0, le=600)
    population_year: int = Field(
        default=2020,
        ge=1900,
        le=2100,
        description=(
            "Year of the DPH population estimates for rates per residents (1996-2020); with a"
            " year dimension each year uses its own, and this one only years without estimates"
        ),
    )


class ExtractCreate(BaseModel):
    """A de-identified research extract: k-anonymous on its quasi-identifiers."""

    dataset_id: str
    title: str = Field(min_length=1, max_length=300)
    k: int = Field(default=5, ge=2, le=100)
    quasi: dict[str, str] = Field(
        min_length=1,
        max_length=8,
        description="Quasi-identifiers: name -> `KIND:COLUMN` (town, month, year, age_band or "
        "text); each is generalized along its ladder (town -> planning region, month -> year, "
        "age band -> 20-year band) until k holds",
    )
    keep: list[str] = Field(
        default_factory=list, max_length=30, description="Columns copied as they are"
    )
    identifier: str | None = Field(
        default=None, description="A column replaced by a keyed pseudonym (HMAC-SHA-256)"
    )
    sensitive: str | None = Field(default=None, description="For l-diversity: a kept column")
    l_diversity: int | None = Field(default=None, ge=2, le=20)


class ReleaseSource(BaseModel):
    """A dataset the actor may make a release from, and its columns."""

    id: str
    title: str
    agency: str
    classification: str
    access_level: str
    fields: list[tuple[str, str]]
    """(name, type) of each column, in order."""


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


class ReleaseTablePublic(BaseModel):
    name: str
    columns: list[str]
    rows: list[list[Any]]
    total_rows: int


class ReleaseDetail(BaseModel):
    """A release with its tables (each cell's status and why it is suppressed) and its audit."""

    release: ReleasePublic
    policy_rule: str
    symbol: str
    footnote: str
    can_approve: bool
    can_publish: bool
    tables: list[ReleaseTablePublic]
    audit: dict[str, Any]
