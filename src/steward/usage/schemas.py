"""Pydantic shapes of usage: a dataset's daily counts and totals, and use cases."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from steward.catalog.schemas import EMAIL

UseCaseStatus = Literal["pending", "approved", "rejected"]


class UsageDay(BaseModel):
    date: date
    views: int
    downloads: int
    api_calls: int
    rows_served: int
    unique_visitors_estimate: int
    downloads_by_format: dict[str, int]
    api_calls_by_family: dict[str, int]


class UsageTotalsPublic(BaseModel):
    views: int
    downloads: int
    api_calls: int
    rows_served: int
    # the sum of daily estimates: a person visiting on two days counts twice, by design (no
    # visitor can be recognised across days)
    unique_visitors_estimate: int
    downloads_by_format: dict[str, int]
    api_calls_by_family: dict[str, int]


class DatasetUsageReport(BaseModel):
    dataset_id: str
    start: date
    end: date
    days: list[UsageDay]
    totals: UsageTotalsPublic


def _blank_to_none(value: object) -> object:
    if isinstance(value, str):
        return value.strip() or None
    return value


class UseCaseCreate(BaseModel):
    """How someone used a dataset; name and email are optional and never published."""

    title: str = Field(min_length=3, max_length=200)
    url: str | None = Field(default=None, max_length=500)
    description: str = Field(min_length=10, max_length=4000)
    name: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=320)

    @field_validator("url", "name", "email", mode="before")
    @classmethod
    def _optional(cls, value: object) -> object:
        return _blank_to_none(value)

    @field_validator("title", "description")
    @classmethod
    def _trimmed(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()

    @field_validator("url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError("must be a web address starting with https:// or http://")
        return value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not EMAIL.match(value):
            raise ValueError("is not an email address (or leave it empty)")
        return value


class UseCasePublic(BaseModel):
    id: int
    dataset_id: str
    title: str
    url: str | None
    description: str
    created_at: datetime


class UseCaseItem(UseCasePublic):
    """What the stewards review: the submitter too, and the decision."""

    dataset_title: str
    agency: str
    submitter_name: str | None
    submitter_email: str | None
    status: UseCaseStatus
    reviewed_at: datetime | None
    reviewed_by: str | None
    review_note: str | None


class UseCaseReview(BaseModel):
    decision: Literal["approve", "reject"]
    note: str = Field(default="", max_length=2000)
