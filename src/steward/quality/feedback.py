"""The feedback loop: the public reports a problem, the owning agency's stewards work through
their queue, the reporter follows the report by a private link, the public sees counts and the
CDO sees response times.

The link carries a random 192-bit token; only its SHA-256 is stored, so the database alone
cannot be used to read someone's report page.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from steward.catalog.access import public_fields
from steward.catalog.models import Agency, Dataset
from steward.catalog.public import current_version
from steward.catalog.schemas import EMAIL
from steward.catalog.service import load_dataset
from steward.db.base import utcnow
from steward.errors import Conflict, Invalid, NotFound
from steward.quality.models import FeedbackEvent, FeedbackReport
from steward.quality.schemas import (
    FeedbackCounts,
    FeedbackCreate,
    FeedbackEventPublic,
    FeedbackItem,
    FeedbackPublic,
    FeedbackUpdate,
)

OPEN = ("new", "acknowledged")
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def submit(session: Session, dataset_id: str, data: FeedbackCreate) -> tuple[str, FeedbackPublic]:
    """Record a report; returns the private token of its status page and the report."""
    dataset = load_dataset(session, dataset_id)
    field = (data.field or "").strip() or None
    if field is not None and field not in {f.name for f in public_fields(dataset)}:
        raise Invalid(f"dataset {dataset.id} has no field {field!r}")
    email = (data.email or "").strip() or None
    if email is not None and not EMAIL.match(email):
        raise Invalid("that is not an email address (or leave it empty)")
    token = secrets.token_urlsafe(24)
    current = current_version(dataset)
    report = FeedbackReport(
        token_hash=token_hash(token),
        dataset_id=dataset.id,
        version_number=current.number if current else None,
        message=data.message.strip(),
        field_name=field,
        row_reference=(data.row_reference or "").strip() or None,
        email=email,
        status="new",
    )
    report.events.append(FeedbackEvent(status="new", note="", by="reporter"))
    session.add(report)
    session.flush()
    return token, _public(report, dataset)


def follow(session: Session, token: str) -> FeedbackPublic:
    """The report behind a private link; NotFound for any unknown or malformed token."""
    report = None
    if TOKEN.match(token):
        report = session.scalar(
            select(FeedbackReport).where(FeedbackReport.token_hash == token_hash(token))
        )
    if report is None:
        raise NotFound("no report at this address; check the link you were given")
    return _public(report, load_dataset(session, report.dataset_id))


def _public(report: FeedbackReport, dataset: Dataset) -> FeedbackPublic:
    return FeedbackPublic(
        dataset_id=dataset.id,
        dataset_title=dataset.title,
        version=report.version_number,
        message=report.message,
        field=report.field_name,
        row_reference=report.row_reference,
        status=report.status,  # type: ignore[arg-type]
        fixed_in_version=report.fixed_in_version,
        reason=report.reason,
        created_at=report.created_at,
        events=[
            FeedbackEventPublic(status=event.status, note=event.note, at=event.at)  # type: ignore[arg-type]
            for event in report.events
        ],
    )


def queue(
    session: Session,
    *,
    agency: str | None = None,
    dataset_id: str | None = None,
    status: str | None = "open",
) -> list[FeedbackItem]:
    """Reports for stewards, oldest first; `status` is one status, `open` (default) or `all`."""
    query = select(FeedbackReport, Dataset).join(Dataset, Dataset.id == FeedbackReport.dataset_id)
    if agency is not None:
        query = query.join(Agency, Agency.id == Dataset.agency_id).where(Agency.slug == agency)
    if dataset_id is not None:
        query = query.where(FeedbackReport.dataset_id == dataset_id)
    if status == "open":
        query = query.where(FeedbackReport.status.in_(OPEN))
    elif status not in (None, "all"):
        query = query.where(FeedbackReport.status == status)
    rows = session.execute(query.order_by(FeedbackReport.created_at, FeedbackReport.id)).all()
    return [_item(report, dataset) for report, dataset in rows]


def _item(report: FeedbackReport, dataset: Dataset) -> FeedbackItem:
    return FeedbackItem(
        id=report.id,
        dataset_id=dataset.id,
        dataset_title=dataset.title,
        agency=dataset.agency.slug,
        version=report.version_number,
        message=report.message,
        field=report.field_name,
        row_reference=report.row_reference,
        email=report.email,
        status=report.status,  # type: ignore[arg-type]
        fixed_in_version=report.fixed_in_version,
        reason=report.reason,
        created_at=report.created_at,
        first_response_at=report.first_response_at,
        resolved_at=report.resolved_at,
    )


def set_status(
    session: Session, report_id: int, data: FeedbackUpdate, by: str, *, now: datetime | None = None
) -> FeedbackItem:
    """Move a report along; `fixed` names the version that fixed it, `wont_fix` says why."""
    report = session.get(FeedbackReport, report_id)
    if report is None:
        raise NotFound(f"no feedback report {report_id}")
    dataset = load_dataset(session, report.dataset_id)
    _check_update(report, dataset, data)
    when = now or utcnow()
    report.status = data.status
    report.fixed_in_version = data.fixed_in_version if data.status == "fixed" else None
    reason = (data.reason or "").strip() or None
    report.reason = reason if data.status == "wont_fix" else None
    report.first_response_at = report.first_response_at or when
    report.resolved_at = when if data.status in ("fixed", "wont_fix") else None
    note = data.note.strip() or (report.reason or "")
    report.events.append(FeedbackEvent(status=data.status, note=note, by=by, at=when))
    session.flush()
    return _item(report, dataset)


def _check_update(report: FeedbackReport, dataset: Dataset, data: FeedbackUpdate) -> None:
    if data.status == "fixed":
        numbers = {version.number for version in dataset.versions}
        if data.fixed_in_version is None:
            raise Invalid("say which version fixed it (--version N)")
        if data.fixed_in_version not in numbers:
            raise Invalid(f"dataset {dataset.id} has no version {data.fixed_in_version}")
    if data.status == "wont_fix" and not (data.reason or "").strip():
        raise Invalid("a report closed as won't fix needs a reason (--reason)")
    if data.status == report.status and data.status == "acknowledged":
        raise Conflict(f"report {report.id} is already acknowledged")


def counts(session: Session, dataset_id: str) -> FeedbackCounts:
    """Open, fixed and won't-fix counts the public sees on the dataset page."""
    dataset = load_dataset(session, dataset_id)
    rows = session.execute(
        select(FeedbackReport.status, func.count())
        .where(FeedbackReport.dataset_id == dataset.id)
        .group_by(FeedbackReport.status)
    ).all()
    found = {status: int(number) for status, number in rows}
    return FeedbackCounts(
        open=sum(found.get(status, 0) for status in OPEN),
        fixed=found.get("fixed", 0),
        wont_fix=found.get("wont_fix", 0),
        total=sum(found.values()),
    )
