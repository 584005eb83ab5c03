"""Freshness of a dataset against its declared update frequency (ISO 8601 durations, as in
DCAT-US accrualPeriodicity: `R/P1D`, `R/P1W`, `R/P1M`, `R/P3M`, `R/P1Y`, `R/PT1H`, `irregular`).

>>> period_days("R/P1W")
7.0
>>> assess(datetime(2026, 1, 1, tzinfo=UTC), "R/P1D", now=datetime(2026, 1, 14, tzinfo=UTC)).label
'overdue by 12 days'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

DURATION = re.compile(
    r"^(?:R/)?P(?:(?P<y>\d+)Y)?(?:(?P<mo>\d+)M)?(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?"
    r"(?:T(?:(?P<h>\d+)H)?(?:(?P<mi>\d+)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)
DAYS = {"y": 365.25, "mo": 30.44, "w": 7.0, "d": 1.0, "h": 1 / 24, "mi": 1 / 1440, "s": 1 / 86400}
# A little grace so a daily dataset loaded a few hours late is not flagged.
GRACE = 0.1


@dataclass(frozen=True)
class Freshness:
    status: str  # "on_schedule" | "overdue" | "unscheduled" | "no_data"
    label: str
    overdue_days: int = 0


def period_days(frequency: str | None) -> float | None:
    """Length of one update period in days, or None when irregular or not a duration."""
    match = DURATION.match(frequency or "")
    if match is None:
        return None
    total = sum(float(value) * DAYS[key] for key, value in match.groupdict().items() if value)
    return total or None


def assess(
    last_update: datetime | None, frequency: str | None, *, now: datetime | None = None
) -> Freshness:
    if last_update is None:
        return Freshness("no_data", "no data yet")
    period = period_days(frequency)
    if period is None:
        return Freshness("unscheduled", "no regular schedule")
    now = now or datetime.now(UTC)
    late = (now - last_update).total_seconds() / 86400 - period * (1 + GRACE)
    if late <= 0:
        return Freshness("on_schedule", "updated on schedule")
    days = max(1, round(late + period * GRACE))
    return Freshness("overdue", f"overdue by {days} day{'s' if days != 1 else ''}", days)
