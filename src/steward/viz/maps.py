"""Server-side choropleth maps of Connecticut by town, county or planning region.

The page finds the town field with `detect_town_field`, runs `map_soql(...)` through the query
service, turns the `label`/`value` rows into town values with `resolve_town_values(rows, match)`
and draws them with `choropleth(values, level, title, measure_label)`.

At the county and planning-region levels town values are combined with `aggregate`: "sum" for
counts and totals, "mean" for rates and averages. Never sum rates: a county's case rate is not the
sum of its towns' rates, and even "mean" is an unweighted mean of the towns (not weighted by
population), so label such maps accordingly.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import altair as alt

from steward.errors import Invalid
from steward.viz.reference import LEVELS, Level, boundaries
from steward.viz.render import CONFIG, render_svg
from steward.viz.scales import (
    NO_DATA_COLOUR,
    NO_DATA_LABEL,
    ColourClass,
    class_of,
    colour_classes,
    format_number,
    to_number,
)
from steward.viz.soql import MAX_GROUPS, field_ref, measure_expression
from steward.viz.towns import Town, TownMatch, as_label, town_index

Aggregate = Literal["sum", "mean"]
AGGREGATES: tuple[Aggregate, ...] = ("sum", "mean")
_NOUNS = {
    "town": ("town", "towns"),
    "county": ("county", "counties"),
    "region": ("planning region", "planning regions"),
}
_DATA_NAME = "areas"


@dataclass(frozen=True)
class MapLegend:
    """The legend as drawn: a title, colour classes low to high, and whether "No data" shows."""

    title: str
    classes: tuple[ColourClass, ...]
    no_data: bool
    no_data_label: str = NO_DATA_LABEL
    no_data_colour: str = NO_DATA_COLOUR


@dataclass(frozen=True)
class MapResult:
    """A drawn map.

    `table` has every area of the level, sorted by name, with its value or None (no data).
    `coverage` (county and region levels only) maps an area to (towns with a value, towns in it).
    `unmatched` lists the given keys that are not Connecticut towns. `spec` shares its
    geometry with the process-wide boundary cache: serialise it, do not modify it.
    """

    level: Level
    title: str
    description: str
    spec: dict[str, Any]
    svg: str
    table: list[tuple[str, float | None]]
    legend: MapLegend
    unmatched: list[str] = field(default_factory=list)
    coverage: dict[str, tuple[int, int]] = field(default_factory=dict)


def map_soql(
    town_field: str, measure: str = "count", measure_field: str | None = None
) -> dict[str, str]:
    """The SoQL parameters that aggregate a measure by the town field (`label`, `value` rows).

    >>> map_soql("town", "sum", "total_cases")["$select"]
    'town AS label, sum(total_cases) AS value'
    """
    town = field_ref(town_field)
    return {
        "$select": f"{town} AS label, {measure_expression(measure, measure_field)} AS value",
        "$where": f"{town} IS NOT NULL",
        "$group": town,
        "$order": "label",
        "$limit": str(MAX_GROUPS),
    }


def resolve_town_values(
    rows: Iterable[Mapping[str, object]], match: TownMatch, *, combine: Aggregate = "sum"
) -> tuple[dict[str, float], list[str]]:
    """Town values keyed by canonical town name, and the labels that are not towns (sorted).

    Several labels can name one town ("VERNON", "ROCKVILLE"); their values are combined with
    `combine` ("sum" for counts and sums; "mean", unweighted, for averages). Rows whose value is
    None are skipped, so the town shows as "no data" unless another label gives it a value.
    """
    _check_aggregate(combine)
    found: dict[str, list[float]] = defaultdict(list)
    unmatched: set[str] = set()
    for row in rows:
        label = as_label(row.get("label"))
        if label is None:
            continue
        town = match.resolve(label)
        value = to_number(row.get("value"))
        if town is None:
            unmatched.add(label)
        elif value is not None:
            found[town.name].append(value)
    return {name: _combine(values, combine) for name, values in found.items()}, sorted(unmatched)


def choropleth(
    values: Mapping[str, float | None],
    level: Level = "town",
    title: str = "",
    measure_label: str = "Value",
    *,
    aggregate: Aggregate = "sum",
) -> MapResult:
    """A map of `values` (town name -> number) shaded in quantile classes, with a legend.

    Keys are resolved like any town name (canonical names are fastest); keys that are not towns
    come back in `unmatched`. At "county" and "region" level town values are combined with
    `aggregate` (see the module docstring: do not sum rates).
    """
    if level not in LEVELS:
        raise Invalid(f"Unknown map level {level!r}; use one of {', '.join(LEVELS)}")
    _check_aggregate(aggregate)
    towns, unmatched = _town_values(values, aggregate)
    areas, coverage = _area_values(towns, level, aggregate)
    present = [value for value in areas.values() if value is not None]
    legend = MapLegend(measure_label, tuple(colour_classes(present)), len(present) < len(areas))
    features = _features(level, areas, legend)
    noun = _NOUNS[level][0]
    title = title or f"{measure_label} by {noun}"
    description = _describe(level, areas, measure_label, legend, aggregate)
    description += _coverage_note(coverage)
    spec = _spec(features, legend, title, description)
    svg = render_svg(spec, title=title, description=description)
    table = sorted(areas.items())
    return MapResult(level, title, description, spec, svg, table, legend, unmatched, coverage)


def area_name(town: Town, level: Level) -> str:
    """The name of the area a town is in: the town, "Hartford County", "Capitol Planning Region"."""
    if level == "county":
        return f"{town.county_name} County"
    return town.region_name if level == "region" else town.name


def _check_aggregate(aggregate: str) -> None:
    if aggregate not in AGGREGATES:
        raise Invalid(f"Unknown aggregate {aggregate!r}; use sum or mean")


def _combine(values: Sequence[float], how: Aggregate) -> float:
    return sum(values) if how == "sum" else sum(values) / len(values)


def _town_values(
    values: Mapping[str, float | None], aggregate: Aggregate
) -> tuple[dict[str, float], list[str]]:
    index = town_index()
    found: dict[str, list[float]] = defaultdict(list)
    unmatched = []
    for key, raw in values.items():
        town = index.by_name(key)
        value = to_number(raw)
        if town is None:
            unmatched.append(key)
        elif value is not None:
            found[town.name].append(value)
    return {name: _combine(items, aggregate) for name, items in found.items()}, sorted(unmatched)


def _area_values(
    towns: Mapping[str, float], level: Level, aggregate: Aggregate
) -> tuple[dict[str, float | None], dict[str, tuple[int, int]]]:
    """Values per area of the level (None: no data), and per-area town coverage."""
    index = town_index()
    if level == "town":
        return {town.name: towns.get(town.name) for town in index.towns}, {}
    members: dict[str, list[Town]] = defaultdict(list)
    for town in index.towns:
        members[area_name(town, level)].append(town)
    areas: dict[str, float | None] = {}
    coverage: dict[str, tuple[int, int]] = {}
    for name, area_towns in sorted(members.items()):
        known = [towns[town.name] for town in area_towns if town.name in towns]
        areas[name] = _combine(known, aggregate) if known else None
        coverage[name] = (len(known), len(area_towns))
    return areas, coverage


def _area_by_geoid(level: Level) -> dict[str, str]:
    index = town_index()
    if level == "town":
        return {town.geoid_2020: town.name for town in index.towns}
    attribute = "county_geoid" if level == "county" else "region_geoid"
    return {getattr(town, attribute): area_name(town, level) for town in index.towns}


def _features(
    level: Level, areas: Mapping[str, float | None], legend: MapLegend
) -> list[dict[str, Any]]:
    names = _area_by_geoid(level)
    features = []
    for feature in boundaries(level):
        name = names[feature["properties"]["geoid"]]
        value = areas.get(name)
        shade = NO_DATA_LABEL if value is None else class_of(value, legend.classes).label
        properties = {"name": name, "value": value, "shade": shade}
        features.append({**feature, "properties": properties})
    return features


def _spec(
    features: list[dict[str, Any]], legend: MapLegend, title: str, description: str
) -> dict[str, Any]:
    domain = [entry.label for entry in legend.classes]
    colours = [entry.colour for entry in legend.classes]
    if legend.no_data:
        domain.append(NO_DATA_LABEL)
        colours.append(NO_DATA_COLOUR)
    colour = alt.Color(
        "properties.shade:N",
        scale=alt.Scale(domain=domain, range=colours),
        legend=alt.Legend(title=legend.title, symbolType="square", symbolSize=200),
    )
    chart = (
        alt.Chart(alt.NamedData(name=_DATA_NAME))
        .mark_geoshape(stroke="#4d4d4d", strokeWidth=0.5)
        .encode(color=colour)
        .project(type="mercator")
        .properties(width=620, height=400, title=title, description=description)
    )
    spec: dict[str, Any] = chart.to_dict()
    spec["data"] = {"values": features}  # inlined after to_dict: Altair would deep-copy it slowly
    spec["config"] = copy.deepcopy(CONFIG)
    return spec


def _coverage_note(coverage: Mapping[str, tuple[int, int]]) -> str:
    partial = [
        f"{name} ({known} of {total})"
        for name, (known, total) in sorted(coverage.items())
        if 0 < known < total
    ]
    return f" Towns with data, where not all: {'; '.join(partial)}." if partial else ""


def _describe(
    level: Level,
    areas: Mapping[str, float | None],
    measure_label: str,
    legend: MapLegend,
    aggregate: Aggregate,
) -> str:
    noun, plural = _NOUNS[level]
    text = f"Map of Connecticut's {len(areas)} {plural} shaded by {measure_label}"
    if level != "town":
        text += f" ({'total' if aggregate == 'sum' else 'unweighted mean'} of town values)"
    present = {name: value for name, value in areas.items() if value is not None}
    if not present:
        return f"{text}. No {noun} has data."
    high = max(present, key=lambda name: (present[name], name))
    low = min(present, key=lambda name: (present[name], name))
    text += (
        f" in {len(legend.classes)} classes. Highest: {high} ({format_number(present[high])}); "
        f"lowest: {low} ({format_number(present[low])})."
    )
    missing = len(areas) - len(present)
    if missing:
        text += f" {missing} {noun if missing == 1 else plural} without data."
    return text
