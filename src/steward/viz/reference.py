"""The bundled Connecticut reference files, each read once per process.

Everything comes from `steward.demo`'s `data/` folder (provenance in `data/SOURCES.md`) through
`importlib.resources`, so it works from a wheel as well as from a source checkout. Callers get
immutable tuples and copy what they change.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any, Literal

from steward.standards.profile import default_profile

Level = Literal["town", "county", "region"]
LEVELS: tuple[Level, ...] = ("town", "county", "region")

_GEO = "geo"
_BOUNDARY_FILES: dict[Level, tuple[str, str, str]] = {
    # level: (file, property holding the id, property holding the name)
    "town": ("ct_towns_simplified_ctdata.geojson", "FIPS", "NAME"),
    "county": ("ct_counties_2017_us_atlas.geojson", "geoid", "name"),
    "region": ("ct_planning_regions_2023_us_atlas.geojson", "geoid", "name"),
}
# About 1 m at Connecticut's latitude: finer than any of the bundled outlines, and it keeps the
# inline GeoJSON (and so every map spec) small.
_DECIMALS = 5


def _read_text(*parts: str) -> str:
    resource = files("steward.demo").joinpath("data", *parts)
    return resource.read_text(encoding="utf-8-sig")


@cache
def town_rows() -> tuple[dict[str, str], ...]:
    """The state profile's towns (`steward.standards.profile`) as rows of text, with the column
    names of `geo/ct_towns.csv` (ids keep leading zeros)."""
    return tuple(
        {
            "town_name": town.name,
            "town_number": str(town.number),
            "cousub_fips": town.cousub_fips,
            "town_geoid_2020": town.geoid,
            "county_name": town.county_name,
            "county_geoid": town.county_geoid,
            "town_geoid_2022": town.geoid_alt,
            "planning_region_name": town.region_name,
            "planning_region_geoid": town.region_geoid,
        }
        for town in default_profile().towns
    )


@cache
def name_variants() -> dict[str, str]:
    """The state profile's known spellings (ctnamecleaner for Connecticut): upper-case
    spelling -> upper-case town name."""
    return {spelling: town.upper() for spelling, town in default_profile().variants.items()}


@cache
def boundaries(level: Level) -> tuple[dict[str, Any], ...]:
    """The outlines of one level as GeoJSON Features with properties `{"geoid", "name"}` only.

    Town features carry the 10-digit 2020 GEOID (county-based), counties their 5-digit county
    GEOID, planning regions their 5-digit 2022 region GEOID.
    """
    name, id_key, name_key = _BOUNDARY_FILES[level]
    collection = json.loads(_read_text(_GEO, name))
    return tuple(
        {
            "type": "Feature",
            "properties": {
                "geoid": str(feature["properties"][id_key]),
                "name": str(feature["properties"][name_key]),
            },
            "geometry": {
                "type": feature["geometry"]["type"],
                "coordinates": _rounded(feature["geometry"]["coordinates"]),
            },
        }
        for feature in collection["features"]
    )


def _rounded(coordinates: Any) -> Any:
    if coordinates and isinstance(coordinates[0], (int, float)):
        return [round(value, _DECIMALS) for value in coordinates]
    return [_rounded(part) for part in coordinates]
