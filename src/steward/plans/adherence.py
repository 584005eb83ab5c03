"""Plan periods and adherence: pure functions over dates, no database.

An Open Data Access Plan covers two consecutive calendar years ("2026-2027"). Each entry is
either a dataset already published when the plan was written (`kind="published"`: the promise
is to keep it available) or data planned for release by a target date (`kind="planned"`). How
an entry stands is never typed in: it is computed from the linked catalog dataset, so a plan
shows a release the day the dataset is published.

Statuses of an entry:

| status | kind | meaning |
|---|---|---|
| `available` | published | the dataset is published |
| `withdrawn` | published | the dataset is no longer published (retired, or never linked) |
| `on_time` | planned | released on or before the committed date |
| `late` | planned | released after the committed date |
| `overdue` | planned | not released and the committed date has passed |
| `pending` | planned | not released, the committed date is still ahead |
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Literal

Kind = Literal["published", "planned"]
Status = Literal["available", "withdrawn", "on_time", "late", "overdue", "pending"]
STATUSES: tuple[Status, ...] = ("on_time", "late", "overdue", "pending", "available", "withdrawn")
LABELS: dict[str, str] = {
    "available": "Published",
    "withdrawn": "No longer published",
    "on_time": "Released on time",
    "late": "Released late",
    "overdue": "Not yet released: overdue",
    "pending": "Not yet released",
}
PERIOD = re.compile(r"^\s*(\d{4})\s*-\s*(\d{4})\s*$")
PERIOD_HINT = "a plan period is two consecutive years, e.g. 2026-2027"


def parse_period(text: str) -> tuple[int, int]:
    """The two years of a period written `YYYY-YYYY`.

    >>> parse_period("2026-2027")
    (2026, 2027)
    >>> parse_period("2026-2028")
    Traceback (most recent call last):
    ...
    ValueError: a plan period is two consecutive years, e.g. 2026-2027
    """
    found = PERIOD.match(text)
    if found is None:
        raise ValueError(PERIOD_HINT)
    first, second = int(found.group(1)), int(found.group(2))
    if second != first + 1 or not 2000 <= first <= 2100:
        raise ValueError(PERIOD_HINT)
    return first, second


def normalize_period(text: str) -> str:
    """`" 2026 - 2027 "` -> `"2026-2027"` (or ValueError).

    >>> normalize_period(" 2026 - 2027 ")
    '2026-2027'
    """
    first, second = parse_period(text)
    return f"{first}-{second}"


def period_bounds(period: str) -> tuple[date, date]:
    """The first and last day a period covers.

    >>> period_bounds("2026-2027")
    (datetime.date(2026, 1, 1), datetime.date(2027, 12, 31))
    """
    first, second = parse_period(period)
    return date(first, 1, 1), date(second, 12, 31)


def current_period(periods: Iterable[str], today: date) -> str | None:
    """The period covering today; else the latest one already started; else the earliest.

    >>> current_period(["2024-2025", "2026-2027", "2028-2029"], date(2027, 5, 1))
    '2026-2027'
    >>> current_period(["2022-2023"], date(2027, 5, 1)), current_period([], date(2027, 5, 1))
    ('2022-2023', None)
    >>> current_period(["2030-2031", "2028-2029"], date(2027, 5, 1))
    '2028-2029'
    """
    ordered = sorted(set(periods))
    started = [period for period in ordered if period_bounds(period)[0] <= today]
    covering = [period for period in started if today <= period_bounds(period)[1]]
    if covering:
        return covering[-1]
    if started:
        return started[-1]
    return ordered[0] if ordered else None


def entry_status(
    kind: Kind, due: date | None, released: date | None, live: bool, today: date
) -> Status:
    """Where an entry stands.

    `due` is the committed date, `released` the day the linked dataset was published (None if
    it never was), `live` whether it is published now.

    >>> d = date(2026, 6, 30)
    >>> entry_status("planned", d, date(2026, 6, 30), True, date(2026, 9, 1))
    'on_time'
    >>> entry_status("planned", d, date(2026, 7, 1), True, date(2026, 9, 1))
    'late'
    >>> entry_status("planned", d, None, False, date(2026, 7, 1))
    'overdue'
    >>> entry_status("planned", d, None, False, date(2026, 6, 30))
    'pending'
    >>> entry_status("published", None, date(2020, 1, 1), False, date(2026, 1, 1))
    'withdrawn'
    """
    if kind == "published":
        return "available" if live else "withdrawn"
    if released is not None:
        return "on_time" if due is None or released <= due else "late"
    if due is not None and due < today:
        return "overdue"
    return "pending"


def tally(statuses: Iterable[str]) -> dict[str, int]:
    """How many entries stand in each status (every status present, zero or not).

    >>> tally(["late", "on_time", "late"])["late"]
    2
    """
    counts: dict[str, int] = dict.fromkeys(STATUSES, 0)
    for status in statuses:
        counts[status] += 1
    return counts


def on_time_share(counts: dict[str, int]) -> float | None:
    """Releases made on time, out of the planned entries that are due or already released.

    Entries still pending are not counted either way; None when nothing is due yet.

    >>> on_time_share({"on_time": 3, "late": 1, "overdue": 0, "pending": 5})
    0.75
    >>> on_time_share({"on_time": 0, "late": 0, "overdue": 0, "pending": 2}) is None
    True
    """
    judged = counts.get("on_time", 0) + counts.get("late", 0) + counts.get("overdue", 0)
    return counts.get("on_time", 0) / judged if judged else None
