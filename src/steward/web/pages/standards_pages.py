"""The standards pages (`/standards`, `/standards/{element}`) and the conformance section of the
dataset page (public)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from steward.catalog.schemas import DatasetPublic
from steward.config import Settings
from steward.errors import Invalid, NotAuthorized, NotFound
from steward.standards import conformance, service
from steward.web.api.deps import SessionDep
from steward.web.pages.render import render

router = APIRouter(include_in_schema=False)
TRY_LIMIT = 200
"""Lines the try-it form normalizes at once."""


@router.get("/standards", response_class=HTMLResponse)
def standards(request: Request) -> HTMLResponse:
    return render(request, "standards.html", {"registry": service.registry()})


@router.get("/standards/{element}", response_class=HTMLResponse)
def standard_element(
    request: Request,
    session: SessionDep,
    element: str,
    values: Annotated[str, Query(max_length=20_000, description="One value per line")] = "",
) -> HTMLResponse:
    detail = service.element_detail(element)
    lines = [line.strip() for line in values.splitlines() if line.strip()]
    if len(lines) > TRY_LIMIT:
        raise Invalid(f"at most {TRY_LIMIT} values at once")
    results = service.normalize_values(session, detail.id, lines) if lines else []
    return render(
        request,
        "standards_element.html",
        {"element": detail, "values_text": values, "results": results},
    )


_REPORTS: OrderedDict[tuple[str, int | None, datetime], tuple[float, Any]] = OrderedDict()
_REPORTS_LOCK = threading.Lock()
REPORT_TTL_S = 60.0


def _cached_report(session: Session, settings: Settings, dataset: DatasetPublic) -> Any:
    """The report reads the whole version, so pages reuse it for the same data and metadata
    (and at most a minute, so a steward's new decision shows up soon)."""
    key = (dataset.id, dataset.current_version, dataset.modified_at)
    now = time.monotonic()
    with _REPORTS_LOCK:
        hit = _REPORTS.get(key)
        if hit is not None and now - hit[0] < REPORT_TTL_S:
            return hit[1]
    report = conformance.conformance_report(session, settings.data_dir, dataset.id)
    with _REPORTS_LOCK:
        _REPORTS[key] = (now, report)
        while len(_REPORTS) > 128:
            _REPORTS.popitem(last=False)
    return report


def conformance_context(session: Session, settings: Settings, dataset: DatasetPublic) -> Any:
    """The dataset page's conformance section: the report, or why it is not shown."""
    try:
        report = _cached_report(session, settings, dataset)
    except NotFound:
        return {"report": None, "reason": "There is no data to check yet."}
    except NotAuthorized:
        return {
            "report": None,
            "reason": "The rows are not public, so the report (which quotes values) is "
            "available to the agency's stewards with `steward standards check`.",
        }
    return {"report": report, "reason": ""}
