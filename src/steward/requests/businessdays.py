"""Business days: the calendar the data request clocks count in (pure; no database, no clock).

Holidays are data: rules read from a TOML file (`steward/profiles/ct/holidays.toml` for
Connecticut) and expanded for any year, with the observed-date rule that moves a holiday off a
weekend. A clock of `n` business days starts the day after a request arrives, so a request
received on a Friday afternoon and one received on the Saturday after have the same due date.
"""

from __future__ import annotations

import calendar
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from steward.errors import Invalid

DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAYS = {name: number for number, name in enumerate(DAY_NAMES)}
BUNDLED = "ct"


@dataclass(frozen=True)
class HolidayRule:
    """One holiday: a fixed date, the nth weekday of a month (-1 = last), or Easter + days."""

    name: str
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    nth: int | None = None
    easter: int | None = None

    def actual(self, year: int) -> date:
        """The holiday's own date in `year`, before any weekend rule.

        >>> HolidayRule("Thanksgiving Day", month=11, weekday=3, nth=4).actual(2026)
        datetime.date(2026, 11, 26)
        >>> HolidayRule("Memorial Day", month=5, weekday=0, nth=-1).actual(2027)
        datetime.date(2027, 5, 31)
        >>> HolidayRule("Good Friday", easter=-2).actual(2026)
        datetime.date(2026, 4, 3)
        """
        if self.easter is not None:
            return easter_sunday(year) + timedelta(days=self.easter)
        assert self.month is not None
        if self.day is not None:
            return date(year, self.month, self.day)
        assert self.weekday is not None and self.nth is not None
        return nth_weekday(year, self.month, self.weekday, self.nth)


@dataclass(frozen=True)
class HolidayRules:
    rules: tuple[HolidayRule, ...]
    saturday: int = -1  # days added when the holiday falls on a Saturday
    sunday: int = 1

    def observed(self, day: date) -> date:
        """The day offices close for a holiday falling on `day`.

        >>> rules = HolidayRules(())
        >>> rules.observed(date(2027, 12, 25)), rules.observed(date(2027, 7, 4))
        (datetime.date(2027, 12, 24), datetime.date(2027, 7, 5))
        >>> rules.observed(date(2026, 12, 25))
        datetime.date(2026, 12, 25)
        """
        shift = {5: self.saturday, 6: self.sunday}.get(day.weekday(), 0)
        return day + timedelta(days=shift)

    def closed_days(self, year: int) -> dict[date, str]:
        """Observed holidays falling in `year`, by date.

        A holiday of the next year can fall in this one: New Year's Day 2028 is a Saturday, so
        it is observed on Friday, December 31, 2027.
        """
        found: dict[date, str] = {}
        for source_year in (year - 1, year, year + 1):
            for rule in self.rules:
                actual = rule.actual(source_year)
                day = self.observed(actual)
                if day.year == year:
                    label = rule.name if day == actual else f"{rule.name} (observed)"
                    found.setdefault(day, label)
        return dict(sorted(found.items()))


def easter_sunday(year: int) -> date:
    """Western Easter (the anonymous Gregorian algorithm).

    >>> easter_sunday(2026), easter_sunday(2027)
    (datetime.date(2026, 4, 5), datetime.date(2027, 3, 28))
    """
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    """The nth `weekday` (Monday 0) of a month; `nth` -1 is the last one.

    >>> nth_weekday(2026, 1, 0, 3), nth_weekday(2026, 5, 0, -1)
    (datetime.date(2026, 1, 19), datetime.date(2026, 5, 25))
    """
    if nth < 0:
        last = date(year, month, calendar.monthrange(year, month)[1])
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))


@dataclass(frozen=True)
class BusinessCalendar:
    """Monday to Friday, less the observed holidays and any extra closed days."""

    rules: HolidayRules
    extra: frozenset[date] = field(default_factory=frozenset)

    def holidays(self, year: int) -> dict[date, str]:
        days = dict(_closed_days(self.rules, year))
        for day in sorted(self.extra):
            if day.year == year:
                days.setdefault(day, "Closed")
        return dict(sorted(days.items()))

    def is_business_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.extra and day not in self._of(day.year)

    def _of(self, year: int) -> dict[date, str]:
        return _closed_days(self.rules, year)

    def add(self, start: date, days: int) -> date:
        """The date `days` business days after `start` (`start` itself is not counted).

        >>> plain = BusinessCalendar(HolidayRules(()))
        >>> plain.add(date(2026, 6, 5), 1), plain.add(date(2026, 6, 6), 5)  # Fri, Sat
        (datetime.date(2026, 6, 8), datetime.date(2026, 6, 12))
        >>> july = BusinessCalendar(HolidayRules(()), frozenset({date(2026, 7, 3)}))
        >>> july.add(date(2026, 7, 1), 2)  # Thu 2, (Fri 3 closed), Mon 6
        datetime.date(2026, 7, 6)
        """
        if days < 0:
            raise ValueError("days must not be negative")
        day = start
        while days:
            day += timedelta(days=1)
            if self.is_business_day(day):
                days -= 1
        return day

    def between(self, start: date, end: date) -> int:
        """Business days after `start` up to and including `end` (0 when `end` <= `start`).

        >>> plain = BusinessCalendar(HolidayRules(()))
        >>> friday, monday = date(2026, 6, 5), date(2026, 6, 8)
        >>> plain.between(friday, monday), plain.between(monday, monday)
        (1, 0)
        """
        if end <= start:
            return 0
        # weekdays by arithmetic (a request may stay open for years), then the closed weekdays
        weeks, rest = divmod((end - start).days, 7)
        weekdays = weeks * 5 + sum((start.weekday() + n) % 7 < 5 for n in range(1, rest + 1))
        closed = set(self.extra).union(
            *(self._of(year) for year in range(start.year, end.year + 1))
        )
        return weekdays - sum(start < day <= end and day.weekday() < 5 for day in closed)


@lru_cache(maxsize=256)
def _closed_days(rules: HolidayRules, year: int) -> dict[date, str]:
    return rules.closed_days(year)


def parse_rules(document: dict[str, Any], where: str = "holidays") -> HolidayRules:
    """Holiday rules from a parsed TOML document (see `profiles/ct/holidays.toml`)."""
    observed = document.get("observed", {})
    rules = []
    for number, entry in enumerate(document.get("holiday", []), start=1):
        try:
            rules.append(_rule(entry))
        except (KeyError, TypeError, ValueError) as exc:
            raise Invalid(f"{where}: holiday {number} ({entry.get('name', '?')}): {exc}") from None
    return HolidayRules(
        tuple(rules),
        saturday=int(observed.get("saturday", 0)),
        sunday=int(observed.get("sunday", 0)),
    )


def _rule(entry: dict[str, Any]) -> HolidayRule:
    name = str(entry["name"])
    if "easter" in entry:
        return HolidayRule(name, easter=int(entry["easter"]))
    month = int(entry["month"])
    if "day" in entry:
        date(2000, month, int(entry["day"]))  # a real date (2000 is a leap year)
        return HolidayRule(name, month=month, day=int(entry["day"]))
    weekday = WEEKDAYS.get(str(entry["weekday"]).lower())
    nth = int(entry["nth"])
    if weekday is None or nth == 0 or not -1 <= nth <= 5 or not 1 <= month <= 12:
        raise ValueError("give month and day, month + weekday + nth (1-5 or -1), or easter")
    return HolidayRule(name, month=month, weekday=weekday, nth=nth)


def load_rules(path: Path | None = None) -> HolidayRules:
    """Rules from a TOML file, or Connecticut's bundled ones."""
    if path is None:
        text = files("steward").joinpath("profiles", BUNDLED, "holidays.toml").read_text("utf-8")
        where = f"profiles/{BUNDLED}/holidays.toml"
    else:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise Invalid(f"cannot read the holidays file {path}: {exc.strerror}") from None
        where = str(path)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise Invalid(f"{where} is not valid TOML: {exc}") from None
    return parse_rules(document, where)


def business_calendar(path: Path | None = None, extra: Iterable[date] = ()) -> BusinessCalendar:
    return BusinessCalendar(_cached_rules(path), frozenset(extra))


@lru_cache(maxsize=8)
def _cached_rules(path: Path | None) -> HolidayRules:
    return load_rules(path)
