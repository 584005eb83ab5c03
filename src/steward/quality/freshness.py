"""Freshness from the data's own last date: the declared update frequency against the newest
date the rows cover, so a daily dataset whose rows stop in 2021 is overdue however recently the
file was loaded.

The last date is, in order of preference: the newest value of the dataset's date field (the
one a steward declared, or else the newest of its timestamp fields; a number field declared as
the date field is read as a year), the end of its declared temporal coverage, or, with
neither, when the version was loaded. A date after the load counts as the load.

Data covering a period appears after the period ends, so a next update is expected one period
after the last date when that is the load, and two periods after it when it is a date in the
data. Past that moment the dataset is `due` for a tenth of a period, then `overdue`.

>>> from datetime import datetime
>>> last = datetime(2021, 1, 12)
>>> assess("R/P1D", last, "data", now=datetime(2021, 1, 13, 12)).status
'on_schedule'
>>> assess("R/P1D", last, "data", now=datetime(2026, 1, 1)).label
'overdue by 1,813 days'
>>> coverage_end("1996/2020"), coverage_end("2020-03-24/2021-01-12")
(datetime.datetime(2020, 12, 31, 0, 0), datetime.datetime(2021, 1, 12, 0, 0))
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from steward.catalog.freshness import period_days
from steward.quality.schemas import Freshness

GRACE = 0.1
TEMPORAL = frozenset({"floating_timestamp", "calendar_date"})
_END = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def coverage_end(coverage: str | None) -> datetime | None:
    """The last day of a temporal coverage such as `2009-07-01/2015-06-30` or `1996/2020`."""
    if not coverage:
        return None
    match = _END.match(coverage.rsplit("/", 1)[-1].strip())
    if match is None:
        return None
    year, month, day = match.groups()
    try:
        if month is None:
            return datetime(int(year), 12, 31)
        last = calendar.monthrange(int(year), int(month))[1]
        return datetime(int(year), int(month), int(day) if day else last)
    except ValueError:
        return None


def last_date(
    profile: Mapping[str, Any] | None,
    date_field: str | None,
    coverage: str | None,
    loaded_at: datetime,
) -> tuple[datetime, str, str | None]:
    """The newest date the data covers, what it was read from and which field."""
    loaded = loaded_at.astimezone(UTC).replace(tzinfo=None)
    found = _newest_in_data(profile, date_field) if profile else None
    if found is not None:
        return min(found[0], loaded), "data", found[1]
    end = coverage_end(coverage)
    if end is not None:
        return min(end, loaded), "coverage", None
    return loaded, "loaded", None


def _newest_in_data(
    profile: Mapping[str, Any], date_field: str | None
) -> tuple[datetime, str] | None:
    candidates = []
    for field in profile.get("fields", []):
        if date_field is not None and field["name"] != date_field:
            continue
        value = _as_date(field.get("type", ""), field.get("max"), declared=date_field is not None)
        if value is not None:
            candidates.append((value, field["name"]))
    return max(candidates) if candidates else None


def _as_date(kind: str, value: Any, *, declared: bool) -> datetime | None:
    if value is None:
        return None
    if kind in TEMPORAL:
        return datetime.fromisoformat(str(value)).replace(tzinfo=None)
    if declared and kind == "number" and 1000 <= float(value) <= 9999:
        return datetime(int(float(value)), 12, 31)
    return None


def assess(
    frequency: str | None,
    last: datetime | None,
    basis: str | None,
    *,
    now: datetime | None = None,
    basis_field: str | None = None,
) -> Freshness:
    """On schedule, due or overdue; `last` and `now` are UTC without a zone."""
    common: dict[str, Any] = {
        "frequency": frequency,
        "last_date": last,
        "basis": basis,
        "basis_field": basis_field,
    }
    if last is None:
        return Freshness(status="no_data", label="no data yet", **common)
    period = period_days(frequency)
    if period is None:
        return Freshness(status="unscheduled", label="no regular schedule", **common)
    periods = 1 if basis == "loaded" else 2
    expected = last + timedelta(days=period * periods)
    now = now or datetime.now(UTC).replace(tzinfo=None)
    common["expected_by"] = expected
    if now <= expected:
        return Freshness(status="on_schedule", label="updated on schedule", **common)
    if now <= expected + timedelta(days=period * GRACE):
        return Freshness(status="due", label="update due", **common)
    days = max(1, round((now - expected).total_seconds() / 86400))
    label = f"overdue by {days:,} day{'s' if days != 1 else ''}"
    return Freshness(status="overdue", label=label, overdue_days=days, **common)
