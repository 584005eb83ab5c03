"""Shapes the console pages render (never ORM objects)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from steward.accounts.schemas import EMAIL_PATTERN, UserPublic
from steward.catalog.schemas import AgencyPublic, DatasetPublic, VersionPublic
from steward.metadata.schemas import Completeness

ClassificationStatus = Literal["missing", "current", "needs_review"]


class DatasetRow(BaseModel):
    """One dataset in an agency's console list."""

    id: str
    title: str
    status: str
    access_level: str
    classification: str
    classification_status: str
    completeness: int = Field(description="0-100 metadata completeness score")
    meets_standard: bool
    row_count: int | None
    modified_at: datetime
    data_updated_at: datetime | None


class AgencyDatasets(BaseModel):
    agency: AgencyPublic
    role: str = Field(description="The actor's strongest role here: analyst, steward, ado, cdo")
    can_create: bool
    can_manage_people: bool
    datasets: list[DatasetRow]


class Overview(BaseModel):
    agencies: list[AgencyDatasets]
    can_create_agency: bool


class Workspace(BaseModel):
    """A dataset's console page: its metadata, dictionary, versions and where it stands."""

    dataset: DatasetPublic
    versions: list[VersionPublic]
    completeness: Completeness
    classification_status: str
    can_edit: bool
    can_upload: bool
    can_publish: bool


class NewDatasetChoices(BaseModel):
    agencies: list[AgencyPublic] = Field(description="Agencies where the actor may create")
    selected: str | None


class Person(BaseModel):
    user: UserPublic
    roles_here: list[str] = Field(description="The roles the person holds in this agency")


class AgencyPeople(BaseModel):
    agency: AgencyPublic
    people: list[Person]
    can_manage: bool
    can_edit_agency: bool


class PersonAdd(BaseModel):
    """Add someone to an agency with a role (a new user is created when the email is new)."""

    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=320, pattern=EMAIL_PATTERN)
    name: str = Field(default="", max_length=200)
    role: Literal["analyst", "steward", "ado"]
    password: str | None = Field(default=None, max_length=256)

    @field_validator("email")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.strip().lower()
