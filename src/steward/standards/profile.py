"""A state profile: the state's geography as configuration data, read from a folder.

The folder holds `profile.toml` (the state's name, abbreviation and FIPS code, which files hold
what, and the headers of their columns) and the files it names. Connecticut's is bundled in
`steward/profiles/ct/`; another state writes a folder of the same shape and loads it with
`load_profile(path)`, without changing code.

>>> ct = default_profile()
>>> ct.abbreviation, len(ct.towns), len(ct.counties), len(ct.regions)
('CT', 169, 8, 9)
>>> ct.town_named("Groton").geoid, ct.town_named("Groton").geoid_alt
('0901134250', '0918034250')
"""

from __future__ import annotations

import csv
import io
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from steward.errors import Invalid

BUNDLED = "ct"


@dataclass(frozen=True)
class Town:
    """A town (county subdivision) with its codes; `geoid_alt` is the other code system."""

    name: str
    number: int
    cousub_fips: str
    geoid: str
    geoid_alt: str
    county_name: str
    county_geoid: str
    region_name: str
    region_geoid: str


@dataclass(frozen=True)
class Area:
    """A county or a region: its name, GEOID and the names it is also known by."""

    name: str
    geoid: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Override:
    """A known spelling that must not be trusted as it stands (see `variant_overrides.csv`)."""

    status: str  # "matched" (a corrected town), "review" or "out_of_state"
    town: str | None
    note: str


@dataclass(frozen=True)
class StateProfile:
    name: str
    abbreviation: str
    fips: str
    town_term: str
    region_term: str
    code_labels: dict[str, str]
    towns: tuple[Town, ...]
    variants: dict[str, str] = field(repr=False)
    extra_variants: dict[str, str] = field(repr=False)
    overrides: dict[str, Override] = field(repr=False)
    zip_towns: dict[str, str] = field(repr=False)
    counties: tuple[Area, ...] = ()
    regions: tuple[Area, ...] = ()
    sources: tuple[str, ...] = ()

    def town_named(self, name: str) -> Town:
        """The town with exactly this canonical name; KeyError otherwise."""
        for town in self.towns:
            if town.name == name:
                return town
        raise KeyError(name)


class _Folder:
    """Reads the files a profile names, relative to its folder or inside a package."""

    def __init__(self, root: Traversable) -> None:
        self.root = root

    def resource(self, reference: str) -> Traversable:
        package, sep, path = reference.partition(":")
        if sep and "/" not in package:
            return files(package).joinpath(*path.split("/"))
        return self.root.joinpath(*reference.split("/"))

    def rows(self, reference: str | None) -> list[dict[str, str]]:
        if not reference:
            return []
        try:
            text = self.resource(reference).read_text(encoding="utf-8-sig")
        except (OSError, ModuleNotFoundError) as exc:
            raise Invalid(f"state profile file {reference!r} cannot be read: {exc}") from exc
        return [dict(row) for row in csv.DictReader(io.StringIO(text))]


def load_profile(folder: Path | Traversable) -> StateProfile:
    """Read the profile in `folder` (a directory holding `profile.toml`)."""
    root = folder if isinstance(folder, Traversable) else Path(folder)
    try:
        config = tomllib.loads(root.joinpath("profile.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise Invalid(f"no readable profile.toml in {folder}: {exc}") from exc
    reader = _Folder(root)
    state, names, columns = config["state"], config["files"], config.get("columns", {})
    towns = _towns(reader.rows(names["towns"]), columns.get("towns", {}))
    by_name = {town.name.upper(): town.name for town in towns}
    return StateProfile(
        name=state["name"],
        abbreviation=state["abbreviation"].upper(),
        fips=state["fips"],
        town_term=state.get("town_term", "town"),
        region_term=state.get("region_term", "region"),
        code_labels=dict(config.get("codes", {})),
        towns=towns,
        variants=_variants(
            reader.rows(names.get("variants")), columns.get("variants", {}), by_name
        ),
        extra_variants=_variants(reader.rows(names.get("extra_variants")), {}, by_name),
        overrides=_overrides(reader.rows(names.get("overrides")), by_name),
        zip_towns=_zip_towns(
            reader.rows(names.get("zcta_towns")), columns.get("zcta_towns", {}), by_name
        ),
        counties=_areas(towns, "county"),
        regions=_regions(towns, reader.rows(names.get("region_aliases"))),
        sources=tuple(str(value) for value in names.values()),
    )


def _column(columns: dict[str, str], key: str) -> str:
    return columns.get(key, key)


def _towns(rows: list[dict[str, str]], columns: dict[str, str]) -> tuple[Town, ...]:
    def get(row: dict[str, str], key: str) -> str:
        return row.get(_column(columns, key), "").strip()

    towns = [
        Town(
            name=get(row, "name"),
            number=int(get(row, "number") or position),
            cousub_fips=get(row, "cousub_fips"),
            geoid=get(row, "geoid"),
            geoid_alt=get(row, "geoid_alt") or get(row, "geoid"),
            county_name=get(row, "county_name"),
            county_geoid=get(row, "county_geoid"),
            region_name=get(row, "region_name"),
            region_geoid=get(row, "region_geoid"),
        )
        for position, row in enumerate(rows, start=1)
    ]
    if not towns:
        raise Invalid("the state profile lists no towns")
    return tuple(sorted(towns, key=lambda town: town.number))


def _variants(
    rows: list[dict[str, str]], columns: dict[str, str], towns: dict[str, str]
) -> dict[str, str]:
    """Upper-case spelling -> canonical town name (rows naming no known town are left out)."""
    name_key, town_key = _column(columns, "name"), _column(columns, "town")
    found: dict[str, str] = {}
    for row in rows:
        spelling = " ".join(row.get(name_key, "").upper().split())
        town = towns.get(row.get(town_key, "").strip().upper())
        if spelling and town:
            found[spelling] = town
    return found


def _overrides(rows: list[dict[str, str]], towns: dict[str, str]) -> dict[str, Override]:
    return {
        " ".join(row["name"].upper().split()): Override(
            status=row["status"].strip(),
            town=towns.get(row.get("town", "").strip().upper()),
            note=row.get("note", "").strip(),
        )
        for row in rows
        if row.get("name", "").strip()
    }


def _zip_towns(
    rows: list[dict[str, str]], columns: dict[str, str], towns: dict[str, str]
) -> dict[str, str]:
    zip_key, town_key = _column(columns, "zip"), _column(columns, "town")
    found: dict[str, str] = {}
    for row in rows:
        town = towns.get(row.get(town_key, "").strip().upper())
        code = row.get(zip_key, "").strip().zfill(5)
        if town and code.isdigit():
            found[code] = town
    return found


def _areas(towns: tuple[Town, ...], level: str) -> tuple[Area, ...]:
    seen: dict[str, str] = {}
    for town in towns:
        name, geoid = getattr(town, f"{level}_name"), getattr(town, f"{level}_geoid")
        if name and geoid:
            seen.setdefault(geoid, name)
    return tuple(Area(name, geoid) for geoid, name in sorted(seen.items()))


def _regions(towns: tuple[Town, ...], alias_rows: list[dict[str, str]]) -> tuple[Area, ...]:
    aliases: dict[str, list[str]] = {}
    for row in alias_rows:
        aliases.setdefault(row.get("region_geoid", "").strip(), []).append(row["alias"].strip())
    return tuple(
        Area(area.name, area.geoid, tuple(aliases.get(area.geoid, [])))
        for area in _areas(towns, "region")
    )


@cache
def default_profile() -> StateProfile:
    """The bundled Connecticut profile, read once per process."""
    return load_profile(files("steward").joinpath("profiles").joinpath(BUNDLED))


def profile_summary(profile: StateProfile) -> dict[str, Any]:
    """What the registry publishes about the profile's reference data."""
    return {
        "state": profile.name,
        "abbreviation": profile.abbreviation,
        "fips": profile.fips,
        "towns": len(profile.towns),
        "counties": len(profile.counties),
        "regions": len(profile.regions),
        "known_variants": len(profile.variants) + len(profile.extra_variants),
        "zip_codes": len(profile.zip_towns),
        "files": list(profile.sources),
    }
