"""Reference tables a `reference` rule checks values against (Connecticut's towns and counties,
from the demo data's town table, whose provenance is in `steward/demo/data/SOURCES.md`)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import steward.demo

TOWNS = Path(steward.demo.__file__).parent / "data" / "geo" / "ct_towns.csv"


@dataclass(frozen=True)
class Reference:
    name: str
    description: str
    column: str
    numeric: bool = False


REFERENCES = {
    ref.name: ref
    for ref in (
        Reference("ct_town_name", "Connecticut's 169 town names", "town_name"),
        Reference("ct_town_number", "Connecticut town numbers 1-169", "town_number", True),
        Reference("ct_town_fips", "5-digit county subdivision FIPS codes", "cousub_fips"),
        Reference("ct_town_geoid", "town GEOIDs (2020, by county)", "town_geoid_2020"),
        Reference("ct_town_geoid_2022", "town GEOIDs (2022, by region)", "town_geoid_2022"),
        Reference("ct_county_name", "Connecticut's 8 county names", "county_name"),
        Reference("ct_planning_region", "Connecticut's 9 planning regions", "planning_region_name"),
    )
}


@cache
def reference_values(name: str) -> tuple[str | float, ...]:
    """The distinct values of one reference table, in file order.

    >>> len(reference_values("ct_town_name")), reference_values("ct_town_number")[:2]
    (169, (1.0, 2.0))
    """
    ref = REFERENCES[name]
    with TOWNS.open(newline="", encoding="utf-8") as handle:
        found = [row[ref.column].strip() for row in csv.DictReader(handle)]
    unique = list(dict.fromkeys(value for value in found if value))
    return tuple(float(value) for value in unique) if ref.numeric else tuple(unique)
