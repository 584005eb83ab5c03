"""Dates and times in ISO 8601, from the forms US data uses.

Month-first is assumed for slashed dates (`3/24/2020`); a day-first reading (`24/3/2020`) and a
two-digit year go to review with their best reading. A time of exactly midnight is dropped, as
Socrata exports write every date as `T00:00:00.000`.

>>> [normalize_date(value).normalized for value in ["3/24/2020", "2020-03-24T00:00:00.000",
...     "March 24, 2020", "24-Mar-2020", "20200324", "03/24/2020 1:05 PM"]]
['2020-03-24', '2020-03-24', '2020-03-24', '2020-03-24', '2020-03-24', '2020-03-24T13:05:00']
>>> normalize_date("3/24/20").status, normalize_date("2020-02-30").status
('review', 'invalid')
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from steward.standards.outcome import Outcome, invalid

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("JAN", "JANUARY"),
            ("FEB", "FEBRUARY"),
            ("MAR", "MARCH"),
            ("APR", "APRIL"),
            ("MAY",),
            ("JUN", "JUNE"),
            ("JUL", "JULY"),
            ("AUG", "AUGUST"),
            ("SEP", "SEPT", "SEPTEMBER"),
            ("OCT", "OCTOBER"),
            ("NOV", "NOVEMBER"),
            ("DEC", "DECEMBER"),
        ],
        start=1,
    )
    for name in names
}
_TIME = (
    r"(?:[ T]+(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?"
    r"\s*(?P<ap>[AP]\.?M\.?)?)?$"
)
_YEAR = r"(?P<y>\d{2}|\d{4})"
_NUMERIC = re.compile(r"^(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})[/.-]" + _YEAR + _TIME)
_YEAR_FIRST = re.compile(r"^(?P<y>\d{4})[/.-](?P<m>\d{1,2})[/.-](?P<d>\d{1,2})" + _TIME)
_COMPACT = re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$")
_MONTH_FIRST = re.compile(
    r"^(?P<mon>[A-Z]{3,9})\.?\s+(?P<d>\d{1,2})(?:ST|ND|RD|TH)?,?\s+(?P<y>\d{4})" + _TIME
)
_DAY_FIRST = re.compile(r"^(?P<d>\d{1,2})[\s-](?P<mon>[A-Z]{3,9})\.?[\s-]" + _YEAR + _TIME)
_PARTIAL = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{2}))?$")
PIVOT = 30
"""A two-digit year below this is 20xx, else 19xx (a guess, so such values go to review)."""


def normalize_date(value: str) -> Outcome:
    text = " ".join(value.strip().upper().split())
    iso = _iso(text)
    if iso is not None:
        return iso
    for parse in (_numeric, _year_first, _named):
        found = parse(text)
        if found is not None:
            return found
    return invalid("not a date in a recognised form")


def _iso(text: str) -> Outcome | None:
    partial = _PARTIAL.match(text)
    if partial:
        month = partial["m"]
        if month and not 1 <= int(month) <= 12:
            return invalid("no such month")
        return Outcome("matched", text, text, 1.0)
    if not re.match(r"^\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        moment = datetime.fromisoformat(text.replace(" ", "T").replace("Z", "+00:00"))
    except ValueError:
        return invalid("not a valid date")
    return _done(text, moment)


def _done(text: str, moment: datetime, status: str = "matched", confidence: float = 1.0) -> Outcome:
    if moment.time() == time() and moment.tzinfo is None:
        normalized = moment.date().isoformat()
    else:
        normalized = moment.isoformat()
    if normalized != text and status == "matched":
        confidence = min(confidence, 0.98)
    return Outcome(status, normalized, normalized, confidence)  # type: ignore[arg-type]


def _year(text: str) -> tuple[int, bool]:
    number = int(text)
    if len(text) == 4:
        return number, False
    return (2000 + number if number < PIVOT else 1900 + number), True


def _build(
    text: str, year: str, month: int, day: int, match: re.Match[str], guessed: bool
) -> Outcome:
    number, two_digit = _year(year)
    try:
        moment = datetime.combine(date(number, month, day), _clock(match))
    except ValueError:
        return invalid("not a valid date")
    if two_digit or guessed:
        why = "two-digit year" if two_digit else "day and month order guessed"
        done = _done(text, moment)
        return Outcome("review", done.normalized, done.code, 0.6, why)
    return _done(text, moment, confidence=0.95)


def _clock(match: re.Match[str]) -> time:
    if not match["h"]:
        return time()
    hour, minute, second = int(match["h"]), int(match["mi"]), int(match["s"] or 0)
    meridiem = (match["ap"] or "").replace(".", "")
    if meridiem == "PM" and hour < 12:
        hour += 12
    elif meridiem == "AM" and hour == 12:
        hour = 0
    return time(hour, minute, second)


def _numeric(text: str) -> Outcome | None:
    match = _NUMERIC.match(text)
    if not match:
        return None
    first, second = int(match["a"]), int(match["b"])
    if first > 12 >= second:  # only a day-first reading works
        return _build(text, match["y"], second, first, match, guessed=True)
    return _build(text, match["y"], first, second, match, guessed=False)


def _year_first(text: str) -> Outcome | None:
    match = _YEAR_FIRST.match(text) or _COMPACT.match(text)
    if not match:
        return None
    if "h" not in match.groupdict():
        try:
            return _done(text, datetime(int(match["y"]), int(match["m"]), int(match["d"])))
        except ValueError:
            return invalid("not a valid date")
    return _build(text, match["y"], int(match["m"]), int(match["d"]), match, guessed=False)


def _named(text: str) -> Outcome | None:
    match = _MONTH_FIRST.match(text) or _DAY_FIRST.match(text)
    if not match or match["mon"] not in MONTHS:
        return None
    return _build(text, match["y"], MONTHS[match["mon"]], int(match["d"]), match, guessed=False)
