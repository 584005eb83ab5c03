"""Connecticut's 169 towns: lookups by name, code and GEOID, and spotting a column of towns.

Names resolve case- and space-insensitively, through the `ctnamecleaner` spellings (villages,
typos, "VERNON-ROCKVILLE", "MYSTIC" -> Stonington) and with punctuation, "Town of"/"City of" and a
trailing ", CT" ignored. Codes resolve as the state's town number (1-169), the 10-digit 2020
(county-based) or 2022 (planning-region-based) GEOID, or the 5-digit county subdivision FIPS.

>>> index = town_index()
>>> index.by_name("vernon-rockville").name, index.by_number("001").name
('Vernon', 'Andover')
>>> index.by_geoid("0900104720").name, index.by_geoid("0919004720").name
('Bethel', 'Bethel')
>>> index.by_fips("04720").name, index.by_name("MYSTIC").name
('Bethel', 'Stonington')
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Literal

from steward.viz.reference import name_variants, town_rows

MatchKind = Literal["name", "number", "geoid"]

MIN_SHARE = 0.8
"""Share of distinct values that must be towns when the field name says nothing."""
HINTED_MIN_SHARE = 0.5
"""Share needed when the field name says it holds towns (or town codes): such columns often mix
in state totals, out-of-state places or sub-town districts, which are reported as unmatched."""
MIN_TOWNS_UNHINTED = 10
"""Distinct towns a name column needs without a hint: seven of the eight county names are also
town names, so a short list of matches proves nothing on its own."""

_SPACES = re.compile(r"\s+")
_PUNCTUATION = re.compile(r"[.,;:/\\\-'()#\u2013\u2019]+")  # \u2013 en dash, \u2019 apostrophe
_PREFIXES = ("TOWN OF ", "CITY OF ")
_SUFFIXES = (" CONNECTICUT", " CT")
_TOWN_WORDS = ("town", "city", "municipality", "municipal")
_CODE_WORDS = ("code", "number", "no", "num", "nbr", "id")
_OTHER_AREA_WORDS = frozenset({"county", "region", "state", "zip", "zipcode", "country"})


@dataclass(frozen=True)
class Town:
    name: str
    number: int
    cousub_fips: str
    geoid_2020: str
    geoid_2022: str
    county_name: str
    county_geoid: str
    region_name: str
    region_geoid: str


def _strict_key(text: str) -> str:
    return _SPACES.sub(" ", text.upper()).strip()


def _loose_key(text: str) -> str:
    key = _strict_key(_PUNCTUATION.sub(" ", text.upper()))
    for prefix in _PREFIXES:
        key = key.removeprefix(prefix)
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            key = key.removesuffix(suffix)
    return key


def as_label(value: object) -> str | None:
    """A value as text: integral numbers without `.0`, dates in ISO form; None when blank."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (float, Decimal)):
        if value != value:  # NaN
            return None
        return str(int(value)) if value == int(value) else str(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def _as_int(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) <= 12 else None


class TownIndex:
    """Every way of naming a town, resolved to its `Town`; build it with `town_index()`."""

    def __init__(self, towns: Iterable[Town], variants: dict[str, str]) -> None:
        self.towns: tuple[Town, ...] = tuple(sorted(towns, key=lambda town: town.number))
        upper = {town.name.upper(): town for town in self.towns}
        self._names: dict[str, Town] = {}
        for variant, real in variants.items():
            if real in upper:
                self._names[_strict_key(variant)] = upper[real]
                self._names.setdefault(_loose_key(variant), upper[real])
        for key, town in upper.items():  # the real names win over any variant
            self._names[key] = town
            self._names[_loose_key(key)] = town
        self._numbers = {town.number: town for town in self.towns}
        self._geoids = {town.geoid_2020: town for town in self.towns}
        self._geoids.update({town.geoid_2022: town for town in self.towns})
        self._fips = {town.cousub_fips: town for town in self.towns}

    def by_name(self, value: object) -> Town | None:
        text = as_label(value)
        if text is None:
            return None
        return self._names.get(_strict_key(text)) or self._names.get(_loose_key(text))

    def by_number(self, value: object) -> Town | None:
        text = as_label(value)
        number = None if text is None else _as_int(text)
        return None if number is None else self._numbers.get(number)

    def by_geoid(self, value: object) -> Town | None:
        """A 10-digit 2020 or 2022 GEOID (also with its leading zero lost to a number type)."""
        text = as_label(value)
        if text is None or not text.isdigit() or len(text) not in (9, 10):
            return None
        return self._geoids.get(text.zfill(10))

    def by_fips(self, value: object) -> Town | None:
        """A 5-digit county subdivision FIPS code (also with its leading zero lost)."""
        text = as_label(value)
        if text is None or not text.isdigit() or len(text) not in (4, 5):
            return None
        return self._fips.get(text.zfill(5))

    def by_code(self, value: object) -> Town | None:
        """A GEOID or county subdivision FIPS code, whichever the value looks like."""
        return self.by_geoid(value) or self.by_fips(value)

    def resolver(self, kind: MatchKind) -> Callable[[object], Town | None]:
        return {"name": self.by_name, "number": self.by_number, "geoid": self.by_code}[kind]

    def get(self, name: str) -> Town:
        """The town with this exact canonical name; KeyError otherwise."""
        town = self._names.get(name.upper())
        if town is None or town.name != name:
            raise KeyError(name)
        return town


@cache
def town_index() -> TownIndex:
    """The index over the bundled `ct_towns.csv` and `ctnamecleaner.csv`, built once."""
    towns = (
        Town(
            name=row["town_name"],
            number=int(row["town_number"]),
            cousub_fips=row["cousub_fips"],
            geoid_2020=row["town_geoid_2020"],
            geoid_2022=row["town_geoid_2022"],
            county_name=row["county_name"],
            county_geoid=row["county_geoid"],
            region_name=row["planning_region_name"],
            region_geoid=row["planning_region_geoid"],
        )
        for row in town_rows()
    )
    return TownIndex(towns, name_variants())


@dataclass(frozen=True)
class TownMatch:
    """How a column holds towns: `kind`, and how much of it did resolve.

    `share` is `matched / distinct` over distinct non-blank values; `unmatched` lists the values
    that are not towns (state totals, out-of-state places, district codes), sorted.
    """

    kind: MatchKind
    share: float
    matched: int
    distinct: int
    towns: int
    unmatched: tuple[str, ...] = field(default=())

    def resolve(self, value: object) -> Town | None:
        return town_index().resolver(self.kind)(value)


def detect_town_field(values: Sequence[object], hint: str | None = None) -> TownMatch | None:
    """Whether `values` (a column, or its distinct values) hold Connecticut towns, and how.

    `hint` is the field's name and/or label (e.g. "town_number Town number"). A name column
    needs `MIN_SHARE` of its distinct values to resolve and at least `MIN_TOWNS_UNHINTED` towns,
    or `HINTED_MIN_SHARE` when the hint names a town or city. GEOIDs and FIPS codes are
    recognised without a hint. Town numbers are only trusted when the hint says "town" together
    with "code"/"number"/"no": then integers outside 1-169 (e.g. OPM's district codes 301-888)
    are reported as unmatched rather than rejecting the column. A hint naming a county, region,
    state or ZIP code rules the column out.
    """
    hint_kind = _hint_kind(hint)
    if hint_kind == "other":
        return None
    distinct = list(dict.fromkeys(label for label in map(as_label, _unique(values)) if label))
    if not distinct:
        return None
    numeric = sum(1 for label in distinct if label.isdigit())
    if numeric * 2 > len(distinct):
        return _detect_codes(distinct, hint_kind)
    match = _evaluate(distinct, "name")
    needed = HINTED_MIN_SHARE if hint_kind else MIN_SHARE
    enough_towns = hint_kind is not None or match.towns >= MIN_TOWNS_UNHINTED
    return match if match.share >= needed and enough_towns else None


def _unique(values: Sequence[object]) -> Iterable[object]:
    """Distinct raw values first (a column repeats them), unless some are unhashable."""
    try:
        return dict.fromkeys(values)
    except TypeError:
        return values


def _detect_codes(distinct: list[str], hint_kind: str | None) -> TownMatch | None:
    needed = HINTED_MIN_SHARE if hint_kind else MIN_SHARE
    match = _evaluate(distinct, "geoid")
    if match.share >= needed:
        return match
    if hint_kind != "code" or any(_as_int(label) is None for label in distinct):
        return None
    match = _evaluate(distinct, "number")
    return match if match.share >= HINTED_MIN_SHARE else None


def _evaluate(distinct: list[str], kind: MatchKind) -> TownMatch:
    resolve = town_index().resolver(kind)
    found = {label: resolve(label) for label in distinct}
    unmatched = sorted(label for label, town in found.items() if town is None)
    matched = len(distinct) - len(unmatched)
    towns = len({town.number for town in found.values() if town is not None})
    return TownMatch(kind, matched / len(distinct), matched, len(distinct), towns, tuple(unmatched))


def _hint_kind(hint: str | None) -> Literal["code", "town", "other"] | None:
    """ "code" (a town code), "town" (a town or city name), "other" (another area) or None."""
    if not hint:
        return None
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", hint).lower()
    words = re.findall(r"[a-z]+", spaced)
    joined = "".join(words)
    if "town" in joined:
        coded = any(word in _CODE_WORDS for word in words) or joined.endswith(_CODE_WORDS)
        return "code" if coded else "town"
    if any(word in _TOWN_WORDS for word in words):
        return "town"
    return "other" if _OTHER_AREA_WORDS.intersection(words) else None
