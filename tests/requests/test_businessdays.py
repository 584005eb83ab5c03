"""Business days and Connecticut's holidays (pure: no database, no clock)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from steward.errors import Invalid
from steward.requests.businessdays import (
    BusinessCalendar,
    HolidayRule,
    HolidayRules,
    business_calendar,
    load_rules,
    parse_rules,
)

CT_2026 = {
    date(2026, 1, 1): "New Year's Day",
    date(2026, 1, 19): "Martin Luther King Jr. Day",
    date(2026, 2, 12): "Lincoln's Birthday",
    date(2026, 2, 16): "Washington's Birthday",
    date(2026, 4, 3): "Good Friday",
    date(2026, 5, 25): "Memorial Day",
    date(2026, 6, 19): "Juneteenth",
    date(2026, 7, 3): "Independence Day (observed)",
    date(2026, 9, 7): "Labor Day",
    date(2026, 10, 12): "Columbus Day",
    date(2026, 11, 11): "Veterans' Day",
    date(2026, 11, 26): "Thanksgiving Day",
    date(2026, 12, 25): "Christmas Day",
}
CT_2027 = {
    date(2027, 1, 1): "New Year's Day",
    date(2027, 1, 18): "Martin Luther King Jr. Day",
    date(2027, 2, 12): "Lincoln's Birthday",
    date(2027, 2, 15): "Washington's Birthday",
    date(2027, 3, 26): "Good Friday",
    date(2027, 5, 31): "Memorial Day",
    date(2027, 6, 18): "Juneteenth (observed)",
    date(2027, 7, 5): "Independence Day (observed)",
    date(2027, 9, 6): "Labor Day",
    date(2027, 10, 11): "Columbus Day",
    date(2027, 11, 11): "Veterans' Day",
    date(2027, 11, 25): "Thanksgiving Day",
    date(2027, 12, 24): "Christmas Day (observed)",
    date(2027, 12, 31): "New Year's Day (observed)",
}


@pytest.mark.parametrize(("year", "expected"), [(2026, CT_2026), (2027, CT_2027)])
def test_connecticut_holidays_as_state_offices_observe_them(
    year: int, expected: dict[date, str]
) -> None:
    assert business_calendar().holidays(year) == expected


def test_every_observed_holiday_is_a_weekday() -> None:
    calendar = business_calendar()
    for year in range(2024, 2036):
        assert all(day.weekday() < 5 for day in calendar.holidays(year)), year


@pytest.mark.parametrize(
    ("actual", "observed"),
    [
        (date(2026, 7, 4), date(2026, 7, 3)),  # Saturday -> the Friday before
        (date(2027, 7, 4), date(2027, 7, 5)),  # Sunday -> the Monday after
        (date(2027, 12, 25), date(2027, 12, 24)),
        (date(2028, 1, 1), date(2027, 12, 31)),  # into the year before
        (date(2026, 12, 25), date(2026, 12, 25)),  # a weekday stays
    ],
)
def test_the_weekend_rule(actual: date, observed: date) -> None:
    assert load_rules().observed(actual) == observed


def test_a_new_years_day_on_saturday_closes_the_last_day_of_the_year_before() -> None:
    calendar = business_calendar()
    assert date(2027, 12, 31) in calendar.holidays(2027)
    assert date(2028, 1, 1) not in calendar.holidays(2028)
    assert not calendar.is_business_day(date(2027, 12, 31))


def test_counting_skips_weekends_and_holidays() -> None:
    calendar = business_calendar()
    # Wednesday, July 1, 2026: Thursday 2 (1), Friday 3 observed Independence Day, Monday 6 (2)
    assert calendar.add(date(2026, 7, 1), 2) == date(2026, 7, 6)
    assert calendar.add(date(2026, 7, 1), 5) == date(2026, 7, 9)
    assert calendar.between(date(2026, 7, 1), date(2026, 7, 9)) == 5
    # received on a Saturday or on a holiday: the count starts the next business day
    assert calendar.add(date(2026, 7, 4), 1) == date(2026, 7, 6)
    assert calendar.add(date(2026, 7, 3), 1) == date(2026, 7, 6)
    # Thanksgiving week: Wednesday 25 -> Friday 27 (1), Monday 30 (2)
    assert calendar.add(date(2026, 11, 25), 2) == date(2026, 11, 30)
    # across the new year: Thursday, December 24, 2026 -> (25 Christmas) 28, 29, 30, 31, Jan 4
    assert calendar.add(date(2026, 12, 24), 5) == date(2027, 1, 4)


def test_a_configured_closed_day_is_skipped_too() -> None:
    closed = business_calendar(extra=[date(2026, 7, 7)])
    assert closed.add(date(2026, 7, 1), 5) == date(2026, 7, 10)
    assert closed.holidays(2026)[date(2026, 7, 7)] == "Closed"
    assert closed.between(date(2026, 7, 6), date(2026, 7, 8)) == 1


def test_between_and_add_agree() -> None:
    calendar = business_calendar(extra=[date(2026, 7, 7)])
    start = date(2026, 6, 26)
    for days in range(0, 40):
        assert calendar.between(start, calendar.add(start, days)) == days


def test_negative_days_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        BusinessCalendar(HolidayRules(())).add(date(2026, 1, 1), -1)


def test_rules_of_another_state_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "holidays.toml"
    path.write_text(
        "[observed]\nsaturday = 0\nsunday = 1\n\n"
        '[[holiday]]\nname = "Patriots\' Day"\nmonth = 4\nweekday = "monday"\nnth = 3\n\n'
        '[[holiday]]\nname = "Independence Day"\nmonth = 7\nday = 4\n'
    )
    calendar = business_calendar(path)
    # a Saturday holiday is not moved (saturday = 0), a Sunday one goes to Monday
    assert calendar.holidays(2026) == {
        date(2026, 4, 20): "Patriots' Day",
        date(2026, 7, 4): "Independence Day",
    }
    assert calendar.is_business_day(date(2026, 7, 3))
    assert calendar.holidays(2027) == {
        date(2027, 4, 19): "Patriots' Day",
        date(2027, 7, 5): "Independence Day (observed)",
    }


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ({"name": "No date"}, "month"),
        ({"name": "Feb 30", "month": 2, "day": 30}, "day is out of range"),
        ({"name": "Bad day", "month": 5, "weekday": "funday", "nth": 1}, "weekday"),
        ({"name": "Zeroth", "month": 5, "weekday": "monday", "nth": 0}, "nth"),
    ],
)
def test_bad_rules_are_named(entry: dict[str, object], problem: str) -> None:
    with pytest.raises(Invalid, match=problem) as caught:
        parse_rules({"holiday": [entry]}, "my.toml")
    assert "my.toml: holiday 1" in caught.value.message


def test_an_unreadable_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(Invalid, match="cannot read the holidays file"):
        load_rules(tmp_path / "missing.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[[holiday]\nname=")
    with pytest.raises(Invalid, match="not valid TOML"):
        load_rules(broken)


def test_easter_based_rules() -> None:
    good_friday = HolidayRule("Good Friday", easter=-2)
    assert [good_friday.actual(year) for year in (2024, 2025, 2026, 2027, 2028)] == [
        date(2024, 3, 29),
        date(2025, 4, 18),
        date(2026, 4, 3),
        date(2027, 3, 26),
        date(2028, 4, 14),
    ]


def test_counting_over_years_matches_counting_day_by_day() -> None:
    # an extra closed day on a Saturday, and one that is a holiday already, count once or not at all
    calendar = business_calendar(extra=[date(2026, 7, 11), date(2026, 12, 25), date(2027, 3, 2)])

    def by_day(start: date, end: date) -> int:
        return sum(
            calendar.is_business_day(start + timedelta(days=n))
            for n in range(1, (end - start).days + 1)
        )

    for offset in range(0, 400, 13):
        start = date(2025, 12, 20) + timedelta(days=offset)
        for span in (0, 1, 4, 6, 7, 30, 200, 800):
            end = start + timedelta(days=span)
            assert calendar.between(start, end) == by_day(start, end), (start, end)
