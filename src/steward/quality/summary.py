"""What the CDO sees across agencies: the share of datasets updated on schedule, and how fast
agencies respond to feedback."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from steward.catalog.models import Agency, Dataset
from steward.quality.feedback import OPEN
from steward.quality.models import FeedbackReport
from steward.quality.schemas import (
    AgencyFreshness,
    AgencyResponseTimes,
    DatasetFreshness,
    FreshnessReport,
    ResponseTimes,
)
from steward.quality.service import dataset_freshness

LISTED = ("published",)


def freshness_report(session: Session, *, now: datetime | None = None) -> FreshnessReport:
    """Per agency, published datasets with a regular schedule and how many are on schedule
    (`due` counts as not yet late, so it is on schedule)."""
    datasets = session.scalars(
        select(Dataset).where(Dataset.status.in_(LISTED)).order_by(Dataset.title)
    ).all()
    by_agency: dict[str, list[DatasetFreshness]] = defaultdict(list)
    names: dict[str, str] = {}
    for dataset in datasets:
        fresh = dataset_freshness(session, dataset.id, now=now)
        by_agency[dataset.agency.slug].append(
            DatasetFreshness(id=dataset.id, title=dataset.title, freshness=fresh)
        )
        names[dataset.agency.slug] = dataset.agency.name
    agencies = [_agency(slug, names[slug], items) for slug, items in sorted(by_agency.items())]
    scheduled = sum(agency.scheduled for agency in agencies)
    on_time = sum(agency.on_schedule for agency in agencies)
    return FreshnessReport(
        agencies=agencies,
        datasets=sum(agency.datasets for agency in agencies),
        scheduled=scheduled,
        on_schedule=on_time,
        percent_on_schedule=_percent(on_time, scheduled),
    )


def _agency(slug: str, name: str, items: list[DatasetFreshness]) -> AgencyFreshness:
    statuses = [item.freshness.status for item in items]
    scheduled = sum(1 for status in statuses if status in ("on_schedule", "due", "overdue"))
    on_time = sum(1 for status in statuses if status in ("on_schedule", "due"))
    return AgencyFreshness(
        agency=slug,
        agency_name=name,
        datasets=len(items),
        scheduled=scheduled,
        on_schedule=on_time,
        due=statuses.count("due"),
        overdue=statuses.count("overdue"),
        percent_on_schedule=_percent(on_time, scheduled),
        items=items,
    )


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def response_times(session: Session, *, now: datetime | None = None) -> ResponseTimes:
    """Per agency: reports, open ones, median hours to a first response and to resolution,
    and the age of the oldest open report."""
    now = now or datetime.now(UTC)
    rows = session.execute(
        select(FeedbackReport, Agency.slug, Agency.name)
        .join(Dataset, Dataset.id == FeedbackReport.dataset_id)
        .join(Agency, Agency.id == Dataset.agency_id)
    ).all()
    grouped: dict[tuple[str, str], list[FeedbackReport]] = defaultdict(list)
    for report, slug, name in rows:
        grouped[(slug, name)].append(report)
    agencies = [
        _times(slug, name, reports, now) for (slug, name), reports in sorted(grouped.items())
    ]
    reports = [report for report, _, _ in rows]
    return ResponseTimes(
        agencies=agencies,
        reports=len(reports),
        open=sum(1 for report in reports if report.status in OPEN),
        median_hours_to_response=_median_hours(
            (r.created_at, r.first_response_at) for r in reports
        ),
        median_hours_to_resolution=_median_hours((r.created_at, r.resolved_at) for r in reports),
    )


def _times(
    slug: str, name: str, reports: list[FeedbackReport], now: datetime
) -> AgencyResponseTimes:
    still_open = [report for report in reports if report.status in OPEN]
    oldest = min((report.created_at for report in still_open), default=None)
    return AgencyResponseTimes(
        agency=slug,
        agency_name=name,
        reports=len(reports),
        open=len(still_open),
        responded=sum(1 for report in reports if report.first_response_at is not None),
        resolved=sum(1 for report in reports if report.resolved_at is not None),
        median_hours_to_response=_median_hours(
            (r.created_at, r.first_response_at) for r in reports
        ),
        median_hours_to_resolution=_median_hours((r.created_at, r.resolved_at) for r in reports),
        oldest_open_days=None
        if oldest is None
        else round((now - oldest).total_seconds() / 86400, 1),
    )


def _median_hours(pairs: Iterable[tuple[datetime, datetime | None]]) -> float | None:
    hours = [(end - start).total_seconds() / 3600 for start, end in pairs if end is not None]
    return round(statistics.median(hours), 2) if hours else None
