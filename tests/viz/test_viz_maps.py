"""Choropleths by town, county and planning region, and the path from query rows to a map."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest

from steward.errors import Invalid
from steward.query.translate import FieldInfo, compile_query, parse_soda_params
from steward.viz.maps import MapResult, choropleth, map_soql, resolve_town_values
from steward.viz.reference import boundaries
from steward.viz.scales import NO_DATA_LABEL
from steward.viz.towns import TownMatch, detect_town_field, town_index

Rows = Callable[[str], tuple[dict[str, str], ...]]
Column = Callable[[str, str], list[str | None]]


def shapes(svg: str) -> int:
    return svg.count('aria-roledescription="geoshape"')


@pytest.fixture(scope="module")
def population(rows: Rows) -> dict[str, float]:
    """2020 population by town as the file has it: 169 towns plus the state total."""
    return {
        row["Town"]: float(row["Value"])
        for row in rows("population")
        if row["Year"] == "2020" and row["Measure Type"] == "Number"
    }


@pytest.fixture(scope="module")
def town_map(population: dict[str, float]) -> MapResult:
    values = {name: value for name, value in population.items() if name != "Andover"}
    return choropleth(values, "town", "Population, 2020", "Population")


# ---------------------------------------------------------------- SoQL


def test_map_soql_groups_by_the_town_field() -> None:
    params = map_soql("town", "sum", "total_cases")
    assert params == {
        "$select": "town AS label, sum(total_cases) AS value",
        "$where": "town IS NOT NULL",
        "$group": "town",
        "$order": "label",
        "$limit": "50000",
    }
    fields = [
        FieldInfo(name="town", type="text", column="town"),
        FieldInfo(name="total_cases", type="number", column="total_cases"),
    ]
    sql = compile_query(parse_soda_params(list(params.items()), fields), fields).sql
    assert 'GROUP BY "dataset"."town"' in sql


def test_map_soql_counts_and_rejects_bad_names() -> None:
    assert map_soql("town_number")["$select"] == "town_number AS label, count(*) AS value"
    with pytest.raises(Invalid):
        map_soql("town) OR (1=1")
    with pytest.raises(Invalid):
        map_soql("town", "sum")


# ---------------------------------------------------------------- town level


def test_town_map_draws_every_town_with_a_legend(town_map: MapResult) -> None:
    assert shapes(town_map.svg) == 169
    assert ">Population</text>" in town_map.svg  # legend title
    assert f">{NO_DATA_LABEL}</text>" in town_map.svg
    assert town_map.legend.no_data and len(town_map.legend.classes) == 5
    for entry in town_map.legend.classes:
        assert f">{entry.label}</text>" in town_map.svg
    assert town_map.unmatched == ["Connecticut"]


def test_town_map_table_is_every_town_by_name(town_map: MapResult) -> None:
    names = [name for name, _ in town_map.table]
    assert names == sorted(town.name for town in town_index().towns)
    assert dict(town_map.table)["Andover"] is None
    assert dict(town_map.table)["Bridgeport"] == 148_698


def test_town_map_text_alternative(town_map: MapResult) -> None:
    root = ET.fromstring(town_map.svg)
    assert root.get("role") == "img" and root.get("aria-labelledby")
    assert root.find("{http://www.w3.org/2000/svg}title").text == "Population, 2020"  # type: ignore[union-attr]
    assert "Highest: Bridgeport (148,698); lowest: Union (784)" in town_map.description
    assert "1 town without data" in town_map.description


def test_town_map_spec_inlines_its_geometry(town_map: MapResult) -> None:
    spec = town_map.spec
    assert len(spec["data"]["values"]) == 169 and spec["mark"]["type"] == "geoshape"
    assert spec["projection"]["type"] == "mercator"
    assert '"url"' not in json.dumps(spec)
    shades = {feature["properties"]["shade"] for feature in spec["data"]["values"]}
    assert shades == {entry.label for entry in town_map.legend.classes} | {NO_DATA_LABEL}


def test_every_boundary_belongs_to_a_known_area() -> None:
    index = town_index()
    towns = {feature["properties"]["geoid"] for feature in boundaries("town")}
    assert towns == {town.geoid_2020 for town in index.towns}
    counties = {feature["properties"]["geoid"] for feature in boundaries("county")}
    assert counties == {town.county_geoid for town in index.towns}
    regions = {feature["properties"]["geoid"] for feature in boundaries("region")}
    assert regions == {town.region_geoid for town in index.towns}


# ---------------------------------------------------------------- county and region levels


@pytest.mark.parametrize(("level", "areas"), [("county", 8), ("region", 9)])
def test_aggregated_levels_draw_their_outlines(
    population: dict[str, float], level: str, areas: int
) -> None:
    result = choropleth(population, level, measure_label="Residents")
    assert shapes(result.svg) == areas and len(result.table) == areas
    assert ">Residents</text>" in result.svg and not result.legend.no_data
    assert sum(value or 0 for _, value in result.table) == pytest.approx(
        sum(value for name, value in population.items() if name != "Connecticut")
    )
    assert all(known == total for known, total in result.coverage.values())
    assert "total of town values" in result.description


def test_county_sum_and_mean() -> None:
    values = {"Andover": 10.0, "Bolton": 20.0, "Hartford": 5.0}
    summed = dict(choropleth(values, "county").table)
    assert summed["Tolland County"] == 30 and summed["Hartford County"] == 5
    assert summed["Windham County"] is None
    averaged = choropleth(values, "county", aggregate="mean")
    assert dict(averaged.table)["Tolland County"] == 15
    assert averaged.coverage["Tolland County"] == (2, 13)
    assert "Tolland County (2 of 13)" in averaged.description
    assert averaged.legend.no_data and f">{NO_DATA_LABEL}</text>" in averaged.svg


def test_region_names_are_the_planning_region_names() -> None:
    result = choropleth({"Bridgeport": 1.0}, "region")
    assert dict(result.table)["Greater Bridgeport Planning Region"] == 1
    assert result.coverage["Greater Bridgeport Planning Region"] == (1, 6)


# ---------------------------------------------------------------- unmatched and edge cases


def test_variants_resolve_and_strangers_are_reported() -> None:
    result = choropleth({"Rockville": 2.0, "VERNON": 3.0, "Springfield": 9.0, "Connecticut": 1.0})
    assert dict(result.table)["Vernon"] == 5
    assert result.unmatched == ["Connecticut", "Springfield"]


def test_a_map_with_no_values_is_all_grey() -> None:
    result = choropleth({}, "region", measure_label="Cases")
    assert result.legend.classes == () and result.legend.no_data
    assert "No planning region has data" in result.description
    assert shapes(result.svg) == 9


@pytest.mark.parametrize(("level", "aggregate"), [("state", "sum"), ("town", "median")])
def test_bad_level_or_aggregate(level: str, aggregate: str) -> None:
    with pytest.raises(Invalid):
        choropleth({"Avon": 1.0}, level, aggregate=aggregate)


# ---------------------------------------------------------------- query rows -> town values


def test_resolve_names_combines_variants_and_reports_the_rest() -> None:
    match = TownMatch("name", 1.0, 1, 1, 1)
    rows = [
        {"label": "VERNON", "value": 3},
        {"label": "ROCKVILLE", "value": "4"},
        {"label": "HOUSTON", "value": 1},
        {"label": "AVON", "value": None},
        {"label": None, "value": 8},
    ]
    values, unmatched = resolve_town_values(rows, match)
    assert values == {"Vernon": 7.0}
    assert unmatched == ["HOUSTON"]
    assert resolve_town_values(rows, match, combine="mean")[0] == {"Vernon": 3.5}
    with pytest.raises(Invalid):
        resolve_town_values(rows, match, combine="max")


def test_opm_grants_by_town_code_end_to_end(rows: Rows, column: Column) -> None:
    match = detect_town_field(column("opm_grants", "Town Code"), "town_code Town Code")
    assert match is not None
    totals: dict[str, float] = {}
    for row in rows("opm_grants"):
        amount = float(row["Grant Amount"].replace("$", "").replace(",", ""))
        totals[row["Town Code"]] = totals.get(row["Town Code"], 0.0) + amount
    query_rows = [{"label": code, "value": total} for code, total in totals.items()]
    values, unmatched = resolve_town_values(query_rows, match)
    assert len(values) == 169 and len(unmatched) == 70
    result = choropleth(values, "town", measure_label="Grants ($)")
    assert not result.legend.no_data and result.unmatched == []
