"""The bundled Connecticut reference files, each read once per process.

Everything comes from `steward.demo`'s `data/` folder (provenance in `data/SOURCES.md`) through
`importlib.resources`, so it works from a wheel as well as from a source checkout. Callers get
immutable tuples and copy what they change.
"""

from __future__ import annotations

import csv
import io
import json
from functools import cache
from importlib.resources import files
from typing import Any, Literal

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
    """The 169 rows of `geo/ct_towns.csv`, every column as text (ids keep leading zeros)."""
    reader = csv.DictReader(io.StringIO(_read_text(_GEO, "ct_towns.csv")))
    return tuple(dict(row) for row in reader)


@cache
def name_variants() -> dict[str, str]:
    """`standards/ctnamecleaner.csv`: upper-case spelling -> upper-case town name."""
    reader = csv.DictReader(io.StringIO(_read_text("standards", "ctnamecleaner.csv")))
    return {row["name"].strip(): row["realname"].strip() for row in reader if row["name"].strip()}


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
