"""The state's geography as standard elements: towns (by name and by code), counties, planning
regions, and US ZIP codes.

>>> town_by_code("0918034250").name, town_by_code("34250").name, town_by_code("59")
('Groton', 'Groton', None)
>>> normalize_county("HARTFORD CO.").normalized, normalize_county("9003").code
('Hartford County', '09003')
>>> normalize_region("CRCOG").normalized
'Capitol Planning Region'
>>> normalize_zip("6103-1234").normalized, normalize_zip("02903").status
('06103', 'matched')
"""

from __future__ import annotations

from functools import cache

from rapidfuzz import fuzz, process

from steward.standards.outcome import Outcome, Status, invalid
from steward.standards.places import county_states, zip_table
from steward.standards.profile import Area, Town, default_profile
from steward.standards.text import place_key, squash
from steward.standards.towns import UNKNOWN_MARKERS, town_matcher

_AREA_SCORE, _AREA_REVIEW = 88.0, 70.0


@cache
def _codes() -> dict[str, Town]:
    found: dict[str, Town] = {}
    for town in default_profile().towns:
        for code in (town.geoid, town.geoid_alt, town.cousub_fips):
            found[code] = town
            found[code.lstrip("0")] = town
    return found


def town_by_code(value: str) -> Town | None:
    """A town by its 2020 or 2022 GEOID or its county subdivision FIPS (leading zeros optional);
    None for anything else (a town number is not a FIPS code)."""
    digits = value.strip()
    if not digits.isdigit() or len(digits) not in (4, 5, 9, 10):
        return None
    return _codes().get(digits) or _codes().get(digits.lstrip("0"))


def town_by_number(value: str) -> Town | None:
    digits = value.strip()
    if not digits.isdigit() or len(digits) > 4:
        return None
    number = int(digits)
    return next((town for town in default_profile().towns if town.number == number), None)


def normalize_town(value: str) -> Outcome:
    return town_matcher().match(value)


def normalize_town_fips(value: str, *, alt: bool = False) -> Outcome:
    town = town_by_code(_digits(value))
    if town is None:
        return _not_a_code(value, "a town GEOID or FIPS code")
    code = town.geoid_alt if alt else town.geoid
    confidence = 1.0 if value.strip() == code else 0.97
    return Outcome("matched", code, code, confidence)


def normalize_town_number(value: str) -> Outcome:
    town = town_by_number(_digits(value))
    if town is None:
        return _not_a_code(value, f"a town number (1-{len(default_profile().towns)})")
    return Outcome("matched", str(town.number), town.geoid, 1.0)


def town_name_of_code(outcome: Outcome) -> str | None:
    town = town_by_code(outcome.code or "") if outcome.matched else None
    return town.name if town else None


def _digits(value: str) -> str:
    text = value.strip()
    return text[:-2] if text.endswith(".0") and text[:-2].isdigit() else text


def _not_a_code(value: str, what: str) -> Outcome:
    if place_key(value) in UNKNOWN_MARKERS:
        return invalid("not reported")
    return invalid(f"not {what}")


class AreaMatcher:
    """Counties or regions by name, alias or GEOID; other states' counties flagged."""

    def __init__(self, areas: tuple[Area, ...], term: str, suffix: str) -> None:
        self.areas, self.term, self.suffix = areas, term, suffix
        self.keys: dict[str, Area] = {}
        for area in areas:
            base = place_key(area.name).removesuffix(f" {place_key(suffix)}")
            for name in (area.name, base, f"{base} {suffix}", *area.aliases):
                self.keys[place_key(name)] = area
                self.keys[squash(place_key(name))] = area
            for code in (area.geoid, area.geoid.lstrip("0"), area.geoid[2:]):
                self.keys[code] = area
        self.choices = list(self.keys)

    def label(self, area: Area) -> str:
        return area.name if area.name.endswith(self.suffix) else f"{area.name} {self.suffix}"

    def match(self, value: str, other_states: dict[str, frozenset[str]]) -> Outcome:
        key = place_key(value)
        for abbreviation in (" CO", " CNTY"):
            key = key.removesuffix(abbreviation)
        area = self.keys.get(key) or self.keys.get(squash(key))
        if area is not None:
            label = self.label(area)
            return Outcome("matched", label, area.geoid, 1.0 if value == label else 0.98)
        if key in UNKNOWN_MARKERS or not key:
            return invalid("not reported")
        bare = key.removesuffix(" COUNTY")
        if bare in other_states:
            where = ", ".join(sorted(other_states[bare])[:5])
            return Outcome("out_of_state", confidence=0.9, reason=f"a {self.term} in {where}")
        return self._fuzzy(key)

    def _fuzzy(self, key: str) -> Outcome:
        best = process.extractOne(key, self.choices, scorer=fuzz.ratio)
        if best is None or best[1] < _AREA_REVIEW:
            return invalid(f"not a {self.term} of the state")
        area = self.keys[best[0]]
        status: Status = "matched" if best[1] >= _AREA_SCORE else "review"
        return Outcome(status, self.label(area), area.geoid, round(best[1] / 100, 3))


@cache
def county_matcher() -> AreaMatcher:
    return AreaMatcher(default_profile().counties, "county", "County")


@cache
def region_matcher() -> AreaMatcher:
    profile = default_profile()
    return AreaMatcher(profile.regions, profile.region_term, "Planning Region")


def normalize_county(value: str) -> Outcome:
    return county_matcher().match(value, county_states())


def normalize_region(value: str) -> Outcome:
    return region_matcher().match(value, {})


def normalize_zip(value: str) -> Outcome:
    text = _digits(value).replace(" ", "")
    head, dash, tail = text.partition("-")
    if dash and not (tail.isdigit() and len(tail) == 4):
        return invalid("not a ZIP or ZIP+4 code")
    if not head.isdigit() or len(head) not in (4, 5, 9):
        return _not_a_code(value, "a ZIP code (5 digits, or ZIP+4)")
    code = head[:5] if len(head) != 4 else head.zfill(5)
    info = zip_table().get(code)
    if info is None:
        return invalid(f"{code} is not an assigned ZIP code")
    confidence = 1.0 if text == code else (0.9 if len(head) == 4 else 0.98)
    return Outcome("matched", code, code, confidence)


def zip_town_of(outcome: Outcome) -> str | None:
    """The profile's town for a matched ZIP code (ZCTA crosswalk), as its GEOID."""
    if not outcome.matched or outcome.code is None:
        return None
    name = default_profile().zip_towns.get(outcome.code)
    return town_matcher().town(name).geoid if name else None
