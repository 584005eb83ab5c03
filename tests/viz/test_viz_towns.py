"""Town lookups by name, variant, number and GEOID, and spotting town columns in real data."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from steward.viz.reference import name_variants, town_rows
from steward.viz.towns import (
    HINTED_MIN_SHARE,
    MIN_SHARE,
    Town,
    detect_town_field,
    town_index,
)

Column = Callable[[str, str], list[str | None]]
TOWNS = town_index().towns


def test_the_index_holds_169_towns_numbered_1_to_169() -> None:
    assert len(TOWNS) == 169
    assert [town.number for town in TOWNS] == list(range(1, 170))
    assert len({town.county_geoid for town in TOWNS}) == 8
    assert len({town.region_geoid for town in TOWNS}) == 9


@pytest.mark.parametrize("town", TOWNS, ids=lambda town: town.name)
def test_every_town_round_trips_by_each_key(town: Town) -> None:
    index = town_index()
    assert index.by_name(town.name) is town
    assert index.by_name(f"  {town.name.upper()}  ") is town
    assert index.by_name(town.name.lower().replace(" ", "   ")) is town
    assert index.by_number(town.number) is town
    assert index.by_number(f"{town.number:03d}") is town
    assert index.by_number(float(town.number)) is town
    assert index.by_geoid(town.geoid_2020) is town
    assert index.by_geoid(int(town.geoid_2020)) is town  # leading zero lost to a number type
    assert index.by_geoid(town.geoid_2022) is town
    assert index.by_fips(town.cousub_fips) is town
    assert index.by_code(town.cousub_fips) is town
    assert index.get(town.name) is town


@pytest.mark.parametrize(
    ("spelling", "town"),
    [
        ("Vernon-Rockville", "Vernon"),
        ("VERNON-ROCKVILLE", "Vernon"),
        ("Rockville", "Vernon"),
        ("vernon / rockville", "Vernon"),
        ("MYSTIC", "Stonington"),
        ("Groton, CT", "Groton"),
        ("Town of Hartford", "Hartford"),
        ("W. Hartford", "West Hartford"),
        ("cos cob", "Greenwich"),
    ],
)
def test_variant_spellings_resolve(spelling: str, town: str) -> None:
    found = town_index().by_name(spelling)
    assert found is not None and found.name == town


def test_every_ctnamecleaner_spelling_resolves_to_its_town() -> None:
    index = town_index()
    for spelling, real in name_variants().items():
        found = index.by_name(spelling)
        assert found is not None and found.name.upper() == real, spelling


@pytest.mark.parametrize(
    "value", ["Connecticut", "Springfield", "", None, 0, 170, "170", True, 1.5, "0900104721"]
)
def test_things_that_are_not_towns_do_not_resolve(value: object) -> None:
    index = town_index()
    assert index.by_name(value) is None
    assert index.by_number(value) is None
    assert index.by_code(value) is None


def test_get_wants_the_canonical_name() -> None:
    with pytest.raises(KeyError):
        town_index().get("Rockville")


@given(st.sampled_from(TOWNS), st.lists(st.booleans(), min_size=40, max_size=40))
def test_names_resolve_in_any_letter_case(town: Town, upper: list[bool]) -> None:
    mixed = "".join(
        c.upper() if flip else c.lower() for c, flip in zip(town.name, upper, strict=False)
    )
    assert town_index().by_name(mixed) is town


def test_reference_rows_keep_leading_zeros() -> None:
    andover = town_rows()[0]
    assert andover["cousub_fips"] == "01080" and andover["town_geoid_2020"] == "0901301080"


# ---------------------------------------------------------------- detect_town_field on real data


def test_population_town_names_with_the_state_total(column: Column) -> None:
    match = detect_town_field(column("population", "Town"))
    assert match is not None
    assert (match.kind, match.matched, match.distinct, match.towns) == ("name", 169, 170, 169)
    assert match.unmatched == ("Connecticut",)
    assert match.share == pytest.approx(169 / 170)


def test_population_fips_column_is_a_geoid_field(column: Column) -> None:
    match = detect_town_field(column("population", "FIPS"), "fips FIPS")
    assert match is not None and match.kind == "geoid"
    assert match.towns == 169 and match.unmatched == ("09",)  # the state's own FIPS code


def test_population_year_is_not_a_town_field(column: Column) -> None:
    assert detect_town_field(column("population", "Year"), "year Year") is None


def test_covid_town_number_needs_the_hint(column: Column) -> None:
    numbers = [int(value) for value in column("covid_towns", "Town number") if value]
    match = detect_town_field(numbers, "town_number")
    assert match is not None
    assert (match.kind, match.share, match.towns, match.unmatched) == ("number", 1.0, 169, ())
    assert detect_town_field(numbers, "Town number") is not None  # the label works as well
    assert detect_town_field(numbers) is None  # 1..169 alone could be anything
    assert detect_town_field(numbers, "cases") is None


def test_covid_town_names(column: Column) -> None:
    match = detect_town_field(column("covid_towns", "Town"), "town")
    assert match is not None and (match.kind, match.share) == ("name", 1.0)


def test_opm_town_code_is_detected_with_district_codes_unmatched(column: Column) -> None:
    """Decision: OPM's "Town Code" holds the 169 town codes plus 70 fire/sewer district and
    borough codes (301-888). A field named as a town code with every town present is a town
    field; the district codes are reported, and the map shows the towns."""
    codes = column("opm_grants", "Town Code")
    match = detect_town_field(codes, "town_code Town Code")
    assert match is not None and match.kind == "number"
    assert (match.matched, match.distinct, match.towns) == (169, 239, 169)
    assert HINTED_MIN_SHARE <= match.share < MIN_SHARE
    assert len(match.unmatched) == 70
    assert all(int(code) > 169 for code in match.unmatched)
    assert detect_town_field(codes) is None


def test_opm_camel_case_hint_counts_as_a_town_code(column: Column) -> None:
    match = detect_town_field(column("opm_grants", "Town Code"), "TownCode")
    assert match is not None and match.kind == "number"


def test_mixed_residence_city_needs_a_hint(column: Column) -> None:
    values = column("drug_deaths", "Residence City")
    match = detect_town_field(values, "residence_city Residence City")
    assert match is not None and match.kind == "name"
    assert 0.7 < match.share < MIN_SHARE
    assert "HOUSTON" in match.unmatched and "VERNON-ROCKVILLE" not in match.unmatched
    assert detect_town_field(values) is None


def test_death_city_is_detected_without_a_hint(column: Column) -> None:
    match = detect_town_field(column("drug_deaths", "Death City"))
    assert match is not None and match.kind == "name" and match.share > 0.95


@pytest.mark.parametrize("name", ["Residence County", "Sex", "Race", "Location"])
def test_other_drug_death_columns_are_not_towns(column: Column, name: str) -> None:
    assert detect_town_field(column("drug_deaths", name), name) is None
    assert detect_town_field(column("drug_deaths", name)) is None


def test_county_names_alone_are_not_taken_for_towns() -> None:
    counties = ["Fairfield", "Hartford", "Litchfield", "Middlesex", "New Haven", "New London"]
    assert detect_town_field([*counties, "Tolland", "Windham"]) is None
    assert detect_town_field(counties, "town") is not None  # unless the field says so


@pytest.mark.parametrize("values", [[], [None, "", "  "], ["1", "2"]])
def test_empty_or_meaningless_columns(values: list[object]) -> None:
    assert detect_town_field(values) is None


def test_a_match_resolves_values_of_its_kind() -> None:
    match = detect_town_field(["0900104720", "0900108070", "0900108980"])
    assert match is not None and match.kind == "geoid"
    town = match.resolve("0900108070")
    assert town is not None and town.name == "Bridgeport"
