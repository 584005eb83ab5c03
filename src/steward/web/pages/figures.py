"""Chart, town map and structured data for the dataset page (filled in as those land)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session

from steward.catalog.schemas import DatasetPublic
from steward.config import Settings
from steward.portal.view import TableView


def jsonld(dataset: DatasetPublic, base: str) -> dict[str, Any] | None:
    return None


def figure_context(
    request: Request,
    session: Session,
    settings: Settings,
    dataset: DatasetPublic,
    columns: list[dict[str, str]],
    view: TableView,
) -> dict[str, Any]:
    return {}
