"""A dataset's usage, day by day: views, downloads (by format), API calls (by family), rows
served and the estimated unique visitors. Public, like the catalog: counts describe no one."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from steward.catalog.service import load_dataset
from steward.errors import Invalid
from steward.usage.models import DatasetUsage, DatasetUsageDetail
from steward.usage.schemas import DatasetUsageReport, UsageDay, UsageTotalsPublic

DEFAULT_DAYS = 30
MAX_DAYS = 366
COUNTS = ("views", "downloads", "api_calls", "rows_served", "unique_visitors_estimate")


def date_range(
    start: date | None, end: date | None, today: date | None = None
) -> tuple[date, date]:
    """The days asked for: by default the last 30 days up to today (UTC).

    >>> date_range(None, date(2026, 3, 30))
    (datetime.date(2026, 3, 1), datetime.date(2026, 3, 30))
    """
    end = end or today or datetime.now(UTC).date()
    start = start or end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise Invalid("start must be on or before end")
    if (end - start).days + 1 > MAX_DAYS:
        raise Invalid(f"ask for at most {MAX_DAYS} days at a time")
    return start, end


def dataset_report(
    session: Session,
    dataset_id: str,
    start: date | None = None,
    end: date | None = None,
    *,
    today: date | None = None,
) -> DatasetUsageReport:
    """Every day of the range, days without use included (as zeros)."""
    dataset = load_dataset(session, dataset_id)
    start, end = date_range(start, end, today)
    stored = {
        row.day: row
        for row in session.scalars(
            select(DatasetUsage).where(
                DatasetUsage.dataset_id == dataset.id,
                DatasetUsage.day >= start,
                DatasetUsage.day <= end,
            )
        )
    }
    details: dict[tuple[date, str], dict[str, int]] = defaultdict(dict)
    for row in session.scalars(
        select(DatasetUsageDetail)
        .where(
            DatasetUsageDetail.dataset_id == dataset.id,
            DatasetUsageDetail.day >= start,
            DatasetUsageDetail.day <= end,
        )
        .order_by(DatasetUsageDetail.detail)
    ):
        details[(row.day, row.kind)][row.detail] = row.count
    days = [_day(start + timedelta(days=n), stored, details) for n in range((end - start).days + 1)]
    return DatasetUsageReport(
        dataset_id=dataset.id, start=start, end=end, days=days, totals=_totals(days)
    )


def _day(
    day: date, stored: dict[date, DatasetUsage], details: dict[tuple[date, str], dict[str, int]]
) -> UsageDay:
    row = stored.get(day)
    counts = {name: int(getattr(row, name) or 0) if row else 0 for name in COUNTS}
    return UsageDay(
        date=day,
        **counts,
        downloads_by_format=details.get((day, "downloads"), {}),
        api_calls_by_family=details.get((day, "api_calls"), {}),
    )


def _totals(days: list[UsageDay]) -> UsageTotalsPublic:
    formats: dict[str, int] = defaultdict(int)
    families: dict[str, int] = defaultdict(int)
    for day in days:
        for name, n in day.downloads_by_format.items():
            formats[name] += n
        for name, n in day.api_calls_by_family.items():
            families[name] += n
    return UsageTotalsPublic(
        **{name: sum(getattr(day, name) for day in days) for name in COUNTS},
        downloads_by_format=dict(sorted(formats.items())),
        api_calls_by_family=dict(sorted(families.items())),
    )
