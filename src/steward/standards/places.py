"""United States places outside the profile's state, from the `zipcodes` package.

Used to tell an out-of-state place ("SPRINGFIELD", "Fall River") from an unknown or misspelled
town, and to look up any US ZIP code. The package's data loads on first use (about a second),
once per process.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any


@dataclass(frozen=True)
class ZipInfo:
    zip_code: str
    state: str
    city: str
    kind: str
    active: bool


@cache
def _all_zips() -> tuple[dict[str, Any], ...]:
    import zipcodes

    return tuple(zipcodes.list_all())  # type: ignore[no-untyped-call]


@cache
def zip_table() -> dict[str, ZipInfo]:
    return {
        entry["zip_code"]: ZipInfo(
            entry["zip_code"],
            entry["state"],
            entry["city"],
            entry["zip_code_type"],
            bool(entry["active"]),
        )
        for entry in _all_zips()
    }


@cache
def city_states() -> dict[str, frozenset[str]]:
    """Upper-case USPS city name (and accepted alternates) -> the states that have it."""
    found: dict[str, set[str]] = {}
    for entry in _all_zips():
        for name in (entry["city"], *entry["acceptable_cities"]):
            key = " ".join(name.upper().replace(".", " ").split())
            found.setdefault(key, set()).add(entry["state"])
            found.setdefault(key.replace(" ", ""), set()).add(entry["state"])
    return {key: frozenset(states) for key, states in found.items()}


@cache
def county_states() -> dict[str, frozenset[str]]:
    """Upper-case county name without "County" -> the states that have one so named."""
    found: dict[str, set[str]] = {}
    for entry in _all_zips():
        county = entry.get("county") or ""
        key = " ".join(county.upper().removesuffix(" COUNTY").split())
        if key:
            found.setdefault(key, set()).add(entry["state"])
    return {key: frozenset(states) for key, states in found.items()}


def states_with_city(key: str) -> frozenset[str]:
    return city_states().get(key, frozenset())
