"""Read the free-text coverage fields stewards write: a time interval and a geographic unit.

Pure functions, so DCAT-US, schema.org and the completeness checklist read the text the same way.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

_DATE = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
_OPEN_END = r"present|ongoing|current|now"
_INTERVAL = re.compile(
    rf"^(?P<start>{_DATE})"
    rf"(?:\s*(?:/|\u2013|\u2014|\s-\s|\sto\s|-(?=\d{{4}}$))\s*(?P<end>{_DATE}|{_OPEN_END}))?$",
    re.IGNORECASE,
)


def _valid_date(text: str) -> bool:
    parts = text.split("-")
    if len(parts) == 3:
        try:
            date.fromisoformat(text)
        except ValueError:
            return False
        return True
    return len(parts) == 1 or 1 <= int(parts[1]) <= 12


def temporal_interval(text: str | None) -> tuple[str, str | None] | None:
    """(start, end) ISO 8601 dates of a coverage text; end None when it runs to the present.

    >>> temporal_interval("2020-03-24/2021-01-12")
    ('2020-03-24', '2021-01-12')
    >>> temporal_interval("1996/2020")
    ('1996', '2020')
    >>> temporal_interval("2000 - present")
    ('2000', None)
    >>> temporal_interval("2010-2015")
    ('2010', '2015')
    >>> temporal_interval("2019")
    ('2019', '2019')
    >>> temporal_interval("since the war") is None
    True
    """
    match = _INTERVAL.match((text or "").strip())
    if match is None:
        return None
    start, end = match["start"], match["end"] or match["start"]
    if re.fullmatch(_OPEN_END, end, re.IGNORECASE):
        return (start, None) if _valid_date(start) else None
    if not (_valid_date(start) and _valid_date(end)) or end < start[: len(end)]:
        return None
    return start, end


def first_day(text: str) -> str:
    """The first day a partial ISO date (`2019`, `2019-07`) covers.

    >>> first_day("2019"), first_day("2019-07"), first_day("2019-07-04")
    ('2019-01-01', '2019-07-01', '2019-07-04')
    """
    parts = [int(part) for part in text.split("-")] + [1, 1]
    return date(parts[0], parts[1], parts[2]).isoformat()


def last_day(text: str) -> str:
    """The last day a partial ISO date covers.

    >>> last_day("2020"), last_day("2020-02"), last_day("2020-02-03")
    ('2020-12-31', '2020-02-29', '2020-02-03')
    """
    parts = [int(part) for part in text.split("-")]
    year, month = parts[0], parts[1] if len(parts) > 1 else 12
    day = parts[2] if len(parts) > 2 else calendar.monthrange(year, month)[1]
    return date(year, month, day).isoformat()


# The Connecticut standard's geographic units (its permitted values), finest first, with the
# words that name each in a spatial coverage text.
GEOGRAPHIC_UNITS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Latitude/longitude", ("latitude", "longitude", "lat/long", "coordinates", "geocoded")),
    ("Street address", ("street address", "address", "addresses")),
    ("Parcel (block/lot)", ("parcel", "parcels", "block/lot")),
    ("Census block group", ("census block group", "block group", "block groups")),
    ("Census block", ("census block", "census blocks")),
    ("Census tract", ("census tract", "census tracts", "tract", "tracts")),
    ("Zip code", ("zip code", "zip codes", "zip", "zcta")),
    ("Planning District", ("planning region", "planning regions", "planning district")),
    ("Municipality", ("municipality", "municipalities", "town", "towns", "city", "cities")),
    ("County or county-equivalent", ("county", "counties")),
    ("State", ("statewide", "state")),
    ("Not applicable", ("not applicable",)),
)
_UNIT_PATTERNS = [
    (unit, re.compile(r"\b(?:" + "|".join(re.escape(word) for word in words) + r")\b", re.I))
    for unit, words in GEOGRAPHIC_UNITS
]


def geographic_unit(text: str | None) -> str | None:
    """The finest geographic unit a spatial coverage text names, in the standard's words.

    >>> geographic_unit("Connecticut, by town, with statewide total")
    'Municipality'
    >>> geographic_unit("Connecticut, statewide")
    'State'
    >>> geographic_unit("Connecticut") is None
    True
    """
    for unit, pattern in _UNIT_PATTERNS:
        if pattern.search(text or ""):
            return unit
    return None
