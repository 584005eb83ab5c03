"""Pydantic shapes going in and out of the catalog service (tables never leave the service)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

AccessLevel = Literal["public", "restricted public", "non-public"]
Classification = Literal["public", "protected", "personal", "private"]
Status = Literal["draft", "published", "retired"]
SoqlType = Literal["text", "number", "checkbox", "floating_timestamp", "calendar_date", "point"]

DATASET_ID_PATTERN = re.compile(r"^[a-z0-9]{4}-[a-z0-9]{4}$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# ISO 8601 duration, optionally repeating (R/P1D), as DCAT-US accrualPeriodicity; or "irregular".
FREQUENCY = re.compile(
    r"^(irregular|(R/)?P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?)$"
)

Text200 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class AgencyCreate(BaseModel):
    slug: str
    name: Text200
    abbreviation: str | None = Field(default=None, max_length=32)
    website: str | None = Field(default=None, max_length=500)
    description: str | None = None

    @field_validator("slug")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not SLUG.match(value):
            raise ValueError("slug must be lowercase letters, digits and dashes (max 64)")
        return value


class AgencyUpdate(BaseModel):
    """What an agency's ADO may change; the slug is its permanent id."""

    model_config = ConfigDict(extra="forbid")

    name: Text200 | None = None
    abbreviation: str | None = Field(default=None, max_length=32)
    website: str | None = Field(default=None, max_length=500)
    description: str | None = None


class AgencyPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    slug: str
    name: str
    abbreviation: str | None
    website: str | None
    description: str | None


class DatasetMetadata(BaseModel):
    """Editable metadata shared by create and update."""

    description: str | None = None
    contact_name: str | None = Field(default=None, max_length=200)
    contact_email: str | None = Field(default=None, max_length=320)
    category: str | None = Field(default=None, max_length=200)
    keywords: list[str] | None = None
    license: str | None = Field(default=None, max_length=200)
    access_level: AccessLevel | None = None
    classification: Classification | None = None
    update_frequency: str | None = None
    temporal_coverage: str | None = Field(default=None, max_length=100)
    spatial_coverage: str | None = Field(default=None, max_length=300)
    source_system: str | None = Field(default=None, max_length=300)
    landing_page: str | None = Field(default=None, max_length=500)

    @field_validator("contact_email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not EMAIL.match(value):
            raise ValueError("not an email address")
        return value

    @field_validator("update_frequency")
    @classmethod
    def _frequency(cls, value: str | None) -> str | None:
        if value is not None and not FREQUENCY.match(value):
            raise ValueError(
                "must be an ISO 8601 duration such as R/P1D, R/P1M, P1Y, or 'irregular'"
            )
        return value

    @field_validator("keywords")
    @classmethod
    def _keywords(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        cleaned = [word.strip().lower() for word in value if word.strip()]
        return list(dict.fromkeys(cleaned))


class DatasetCreate(DatasetMetadata):
    title: Text200
    agency: str = Field(description="Agency slug")
    id: str | None = Field(default=None, description="Socrata-style 4x4 id; generated if omitted")

    @field_validator("id")
    @classmethod
    def _id(cls, value: str | None) -> str | None:
        if value is not None and not DATASET_ID_PATTERN.match(value):
            raise ValueError("dataset id must look like abcd-1234 (4x4 lowercase letters/digits)")
        return value


class DatasetUpdate(DatasetMetadata):
    title: Text200 | None = None


class FieldPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    label: str
    type: str
    description: str
    format: str | None
    position: int
    classification: str
    standard: str | None


class FieldUpdate(BaseModel):
    label: str | None = Field(default=None, min_length=1, max_length=255)
    description: str | None = None
    format: str | None = Field(default=None, max_length=200)
    classification: Classification | None = None
    standard: str | None = Field(default=None, max_length=300)


class VersionPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: int
    row_count: int
    byte_size: int
    sha256: str
    source_filename: str
    created_by: str
    created_at: datetime
    notes: str
    is_current: bool
    columns: list[dict[str, str]] = Field(validation_alias="schema")


class DatasetPublic(BaseModel):
    id: str
    title: str
    description: str
    agency: str
    agency_name: str
    contact_name: str | None
    contact_email: str | None
    category: str | None
    keywords: list[str]
    license: str | None
    access_level: str
    classification: str
    update_frequency: str | None
    temporal_coverage: str | None
    spatial_coverage: str | None
    source_system: str | None
    landing_page: str | None
    status: str
    created_at: datetime
    modified_at: datetime
    published_at: datetime | None
    row_count: int | None
    current_version: int | None
    data_updated_at: datetime | None
    fields: list[FieldPublic]


class Page(BaseModel):
    results: list[DatasetPublic]
    count: int
    offset: int
    limit: int
