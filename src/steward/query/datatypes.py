"""SoQL datatypes, their SQL counterparts, and conversion of literal text to typed values.

>>> parse_timestamp("2020-03-24T12:00:00.000")
datetime.datetime(2020, 3, 24, 12, 0)
>>> parse_number("1e3"), parse_number("42")
(1000.0, 42)
"""

from __future__ import annotations

import math
import re
from datetime import datetime

from steward.errors import QueryError

TEXT = "text"
NUMBER = "number"
CHECKBOX = "checkbox"
TIMESTAMP = "floating_timestamp"
POINT = "point"
NULL = "null"  # the type of a bare NULL literal, compatible with every other type

FIELD_TYPES = frozenset({TEXT, NUMBER, CHECKBOX, TIMESTAMP, POINT})

SQL_TYPES = {TEXT: "TEXT", NUMBER: "DOUBLE", CHECKBOX: "BOOLEAN", TIMESTAMP: "TIMESTAMP"}
"""SQL type a `::` cast to each SoQL type produces (sqlglot renders it per dialect)."""

ORDERABLE = frozenset({TEXT, NUMBER, CHECKBOX, TIMESTAMP, NULL})

CASTS = {
    TEXT: frozenset({TEXT, NUMBER, CHECKBOX, TIMESTAMP}),
    NUMBER: frozenset({TEXT, NUMBER, CHECKBOX}),
    CHECKBOX: frozenset({TEXT, NUMBER, CHECKBOX}),
    TIMESTAMP: frozenset({TEXT, TIMESTAMP}),
}
"""For each `::` target type, the types that can be cast to it."""
"""Types that have an order, so they can be compared with < and sorted (points cannot)."""

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_TIMESTAMP = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?"
)
_INT64 = 2**63
_POINT = re.compile(r"\s*point\s*\(\s*([^\s()]+)\s+([^\s()]+)\s*\)\s*", re.IGNORECASE)


def parse_number(text: str) -> int | float:
    """A SoQL number from its text: an int when it is whole and fits 64 bits, else a float."""
    stripped = text.strip()
    if not _NUMBER.fullmatch(stripped):
        raise ValueError(f"{text!r:.60} is not a number")
    if not any(c in stripped for c in ".eE") and abs(int(stripped)) < _INT64:
        return int(stripped)
    value = float(stripped)
    if not math.isfinite(value):
        raise ValueError(f"{text!r:.60} is out of range for a number")
    return value


def parse_timestamp(text: str) -> datetime:
    """A floating timestamp (no time zone) such as '2020-03-24' or '2020-03-24T12:00:00.000'."""
    match = _TIMESTAMP.fullmatch(text.strip())
    if match is None:
        raise ValueError(
            f"{text!r:.60} is not a floating timestamp (write it like '2020-03-24' or "
            "'2020-03-24T12:00:00')"
        )
    year, month, day, hour, minute, second, fraction = match.groups()
    micros = int((fraction or "0")[:6].ljust(6, "0"))
    try:
        return datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0),
            micros,
        )  # fmt: skip
    except ValueError as error:
        raise ValueError(f"{text!r:.60} is not a valid date or time: {error}") from None


def parse_checkbox(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered not in ("true", "false"):
        raise ValueError(f"{text!r:.60} is not a checkbox value (true or false)")
    return lowered == "true"


def parse_point(text: str) -> tuple[float, float]:
    """A point literal in well-known text, 'POINT (longitude latitude)', as (lon, lat)."""
    match = _POINT.fullmatch(text)
    if match is None:
        raise ValueError(f"{text!r:.60} is not a point (write it like 'POINT (-72.68 41.76)')")
    lon, lat = (float(parse_number(part)) for part in match.groups())
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValueError(f"{text!r:.60} is not a point on Earth (longitude first, then latitude)")
    return lon, lat


def coerce_text(text: str, target: str) -> object:
    """Read a string literal as a value of SoQL type `target`; ValueError when it cannot be."""
    if target in (TEXT, NULL):
        return text
    if target == NUMBER:
        return parse_number(text)
    if target == TIMESTAMP:
        return parse_timestamp(text)
    if target == CHECKBOX:
        return parse_checkbox(text)
    if target == POINT:
        return parse_point(text)
    raise ValueError(f"a string cannot be used as a {target}")


def check_field_type(name: str, soql_type: str) -> None:
    if soql_type not in FIELD_TYPES:
        raise QueryError(f"Field {name} has an unsupported type: {soql_type}")
