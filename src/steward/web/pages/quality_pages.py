"""Quality on the portal: the dataset page's quality section (score, column profile with small
SVG histograms, feedback counts and the way to report a problem), the full quality page, the
"Report a problem with this data" form and the reporter's private status page.

The form is a plain HTML form: no JavaScript, no third-party service. Spam is held off by a
hidden field people leave empty, size limits and a per-address limit on reports.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from steward.catalog import service as catalog
from steward.catalog.schemas import DatasetPublic
from steward.catalog.versions import list_versions
from steward.db import Database
from steward.errors import Invalid, NotAuthorized, NotFound, RateLimited
from steward.quality import feedback
from steward.quality import service as quality
from steward.quality.schemas import FeedbackCreate, Freshness, HistogramBin, Profile
from steward.web.api.deps import SessionDep
from steward.web.auth import CSRF_FIELD, check_csrf
from steward.web.pages.render import render

router = APIRouter(include_in_schema=False)
MAX_BODY = 16_384
REPORTS_PER_WINDOW = 5
WINDOW_S = 600.0
TRAP = "website"
TYPE_LABELS = {"floating_timestamp": "date", "calendar_date": "date", "checkbox": "yes/no"}
PRIVATE_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex",
}


class ReportLimiter:
    """At most `limit` reports per client address in any `window` seconds (in memory)."""

    def __init__(self, limit: int = REPORTS_PER_WINDOW, window: float = WINDOW_S) -> None:
        self.limit, self.window = limit, window
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        with self._lock:
            times = self._seen.setdefault(key, deque())
            while times and now - times[0] >= self.window:
                times.popleft()
            if len(times) >= self.limit:
                return False
            times.append(now)
            if len(self._seen) > 10_000:
                self._seen = {
                    k: v for k, v in self._seen.items() if v and now - v[-1] < self.window
                }
            return True


def dataset_freshness(session: Session, dataset: DatasetPublic) -> Freshness:
    """The badge on the dataset page: the data's own last date against its frequency."""
    return quality.dataset_freshness(session, dataset.id)


def dataset_quality(session: Session, dataset: DatasetPublic) -> dict[str, Any]:
    """Context of `quality_dataset.html`, the quality section of the dataset page."""
    context: dict[str, Any] = {
        "feedback_counts": feedback.counts(session, dataset.id),
        "quality": None,
        "profile_rows": [],
    }
    try:
        context["quality"] = quality.get_quality(session, dataset.id)
        profile = quality.get_profile(session, dataset.id)
    except (NotFound, NotAuthorized):
        return context
    labels = {field.name: field.label for field in dataset.fields}
    context["profile_rows"] = profile_rows(profile, labels)
    return context


def profile_rows(profile: Profile, labels: dict[str, str]) -> list[dict[str, Any]]:
    rows = []
    for field in profile.fields:
        distinct = f"{field.distinct_count:,}" if field.distinct_count is not None else "—"
        rows.append(
            {
                "name": field.name,
                "label": labels.get(field.name, field.name),
                "type": TYPE_LABELS.get(field.type, field.type),
                "missing": f"{100 * field.null_share:.1f}%",
                "distinct": distinct if field.distinct_exact else f"≈ {distinct}",
                "summary": _summary(field.type, field.min, field.max, field.quantiles),
                "top": ", ".join(f"{_short(t.value)} ({t.count:,})" for t in field.top_values[:3]),
                "patterns": ", ".join(p.pattern for p in field.patterns[:2]),
                "bars": bars(field.histogram),
            }
        )
    return rows


def _summary(kind: str, low: Any, high: Any, quantiles: dict[str, Any] | None) -> str:
    if low is None:
        return ""
    if kind == "number":
        median = (quantiles or {}).get("p50")
        middle = f", median {_number(median)}" if median is not None else ""
        return f"{_number(low)} to {_number(high)}{middle}"
    if kind in ("floating_timestamp", "calendar_date"):
        return f"{str(low)[:10]} to {str(high)[:10]}"
    return ""


def _number(value: Any) -> str:
    number = float(value)
    return f"{int(number):,}" if number.is_integer() else f"{number:,.2f}"


def _short(value: Any) -> str:
    text = str(value)[:10] if isinstance(value, str) and value[:4].isdigit() else str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def bars(histogram: list[HistogramBin], width: int = 120, height: int = 28) -> list[dict[str, Any]]:
    """Rectangles of a small histogram SVG (a `viewBox` of width x height)."""
    peak = max((b.count for b in histogram), default=0)
    if not peak:
        return []
    step = width / len(histogram)
    return [
        {
            "x": round(index * step, 2),
            "width": round(max(step - 1, 1), 2),
            "height": round(max(height * b.count / peak, 0.5 if b.count else 0), 2),
            "y": round(height - height * b.count / peak, 2),
            "title": f"{_short(b.start)} to {_short(b.end)}: {b.count:,}",
        }
        for index, b in enumerate(histogram)
    ]


@router.get("/d/{dataset_id}/quality", response_class=HTMLResponse)
def quality_page(
    request: Request,
    session: SessionDep,
    dataset_id: str,
    version: Annotated[int | None, Query(ge=1)] = None,
) -> HTMLResponse:
    dataset = catalog.get_dataset(session, dataset_id)
    report = quality.get_quality(session, dataset.id, version)
    try:
        profile: Profile | None = quality.get_profile(session, dataset.id, version)
    except NotAuthorized:
        profile = None
    context = {
        "d": dataset,
        "report": report,
        "profile": profile,
        "rows": profile_rows(profile, {f.name: f.label for f in dataset.fields}) if profile else [],
        "versions": [v.number for v in list_versions(session, dataset.id)],
    }
    return render(request, "quality.html", context)


@router.get("/d/{dataset_id}/feedback", response_class=HTMLResponse)
def feedback_form(request: Request, session: SessionDep, dataset_id: str) -> HTMLResponse:
    dataset = catalog.get_dataset(session, dataset_id)
    chosen = request.query_params.get("field", "")
    return _form(request, dataset, {"field": chosen}, None, 200)


def _form(
    request: Request,
    dataset: DatasetPublic,
    values: dict[str, str],
    error: str | None,
    status: int,
) -> HTMLResponse:
    fields = [f for f in dataset.fields if f.classification not in ("personal", "private")]
    context = {"d": dataset, "values": values, "error": error, "fields": fields, "trap": TRAP}
    return render(request, "feedback_form.html", context, status_code=status)


@router.post("/d/{dataset_id}/feedback", response_class=HTMLResponse)
async def submit_feedback(request: Request, dataset_id: str) -> Response:
    database: Database = request.app.state.database
    values: dict[str, str] = {}
    # Its own transaction, committed before the redirect: the browser asks for the status page
    # as soon as it reads the answer, which may be before a request-scoped session closes.
    with database.session() as session:
        dataset = catalog.get_dataset(session, dataset_id)
        try:
            values = await _read_form(request)
            check_csrf(request, values.get(CSRF_FIELD))
            _check_person(request, values)
            fields = ("message", "field", "row_reference", "email")
            data = FeedbackCreate.model_validate({key: values.get(key) or None for key in fields})
            token, _report = feedback.submit(session, dataset.id, data)
        except ValidationError as exc:
            return _form(request, dataset, values, _problem(exc), 400)
        except (Invalid, RateLimited) as exc:
            return _form(request, dataset, values, exc.message, exc.status)
    return RedirectResponse(f"/feedback/{token}?sent=1", status_code=303)


async def _read_form(request: Request) -> dict[str, str]:
    """The urlencoded body, refused past `MAX_BODY` bytes without reading further."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        raise Invalid("send the report with the form on this page")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise Invalid("the report is too long; keep it under 4,000 characters")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise Invalid("the report is too long; keep it under 4,000 characters")
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=20)
    except (UnicodeDecodeError, ValueError):
        raise Invalid("the form could not be read") from None
    return dict(pairs)


def _check_person(request: Request, values: dict[str, str]) -> None:
    if values.get(TRAP):
        raise Invalid("the report could not be accepted")
    limiter: ReportLimiter | None = getattr(request.app.state, "report_limiter", None)
    if limiter is None:
        limiter = request.app.state.report_limiter = ReportLimiter()
    client = request.client.host if request.client else "unknown"
    if not limiter.allow(client):
        raise RateLimited("too many reports from this address; please try again in a few minutes")


def _problem(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = {"message": "What is wrong", "row_reference": "Which row", "email": "Your email"}
    name = where.get(str(error["loc"][0]) if error["loc"] else "", "The form")
    return f"{name}: {error['msg']}"


@router.get("/feedback/{token}", response_class=HTMLResponse)
def feedback_status(request: Request, session: SessionDep, token: str) -> HTMLResponse:
    report = feedback.follow(session, token)
    sent = request.query_params.get("sent") == "1"
    response = render(request, "feedback_status.html", {"report": report, "sent": sent})
    response.headers.update(PRIVATE_HEADERS)
    return response
