"""The two clocks of a request, with a frozen `now` (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from steward.config import Settings
from steward.errors import Invalid
from steward.requests.clocks import clocks_from

EASTERN = ZoneInfo("America/New_York")


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=EASTERN)


@pytest.fixture
def clocks(settings: Settings):  # type: ignore[no-untyped-def]
    settings.request_extra_holidays = [date(2026, 7, 7)]
    return clocks_from(settings)


def test_due_dates_skip_the_holiday_and_the_configured_closed_day(clocks) -> None:  # type: ignore[no-untyped-def]
    # Wed Jul 1: Thu 2 (1), Fri 3 Independence Day observed, Mon 6 (2), Tue 7 closed,
    # Wed 8 (3), Thu 9 (4), Fri 10 (5); three more weeks end on Friday 31 (20)
    assert clocks.due_dates(date(2026, 7, 1)) == (date(2026, 7, 10), date(2026, 7, 31))


def test_the_local_date_is_the_states(clocks) -> None:  # type: ignore[no-untyped-def]
    late_evening = at(2026, 7, 1, 23, 30)  # already July 2 in UTC
    assert late_evening.astimezone(UTC).date() == date(2026, 7, 2)
    assert clocks.local_date(late_evening) == date(2026, 7, 1)


def clock(clocks, now: datetime, **done: datetime | None):  # type: ignore[no-untyped-def]
    return clocks.clock(
        received_on=date(2026, 7, 1),
        ack_due=date(2026, 7, 10),
        response_due=date(2026, 7, 30),
        acknowledged_at=done.get("acknowledged_at"),
        closed_at=done.get("closed_at"),
        now=now,
    )


def test_on_the_due_date_it_is_on_time_the_day_after_it_is_overdue(clocks) -> None:  # type: ignore[no-untyped-def]
    due_day = clock(clocks, at(2026, 7, 10, 23, 59))
    assert not due_day.overdue
    assert due_day.business_days_open == 5
    late = clock(clocks, at(2026, 7, 13, 0, 1))  # Saturday and Sunday count for nothing
    assert (late.ack_overdue, late.response_overdue, late.overdue) == (True, False, True)
    assert late.business_days_open == 6


def test_an_acknowledged_request_is_overdue_only_past_the_answer_date(clocks) -> None:  # type: ignore[no-untyped-def]
    acknowledged = at(2026, 7, 2, 9)
    in_time = clock(clocks, at(2026, 7, 30, 17), acknowledged_at=acknowledged)
    assert not in_time.overdue and in_time.acknowledged_on == date(2026, 7, 2)
    late = clock(clocks, at(2026, 7, 31, 9), acknowledged_at=acknowledged)
    assert (late.ack_overdue, late.response_overdue) == (False, True)


def test_a_closed_request_is_never_overdue(clocks) -> None:  # type: ignore[no-untyped-def]
    closed = clock(
        clocks, at(2026, 9, 1), acknowledged_at=at(2026, 7, 20), closed_at=at(2026, 8, 3, 16)
    )
    assert not closed.overdue
    assert closed.closed_on == date(2026, 8, 3)
    assert closed.business_days_open == 21  # counted to the day it closed


def test_an_unknown_time_zone_is_a_clear_error(settings: Settings) -> None:
    settings.request_timezone = "Mars/Olympus_Mons"
    with pytest.raises(Invalid, match="unknown time zone"):
        clocks_from(settings)
