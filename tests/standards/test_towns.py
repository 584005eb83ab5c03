"""Town matching against real agency data: the acceptance checks of the standards issue."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from steward.standards.geography import normalize_town_fips, normalize_town_number, town_by_code
from steward.standards.profile import default_profile
from steward.standards.registry import get_element
from steward.standards.towns import town_matcher

from .conftest import ADRD, COVID_TOWNS, FIXTURES, OPM, read_rows

TOWNS = default_profile().towns
BOROUGHS = {
    "Borough of Bantam": "Litchfield",
    "Borough of Danielson": "Killingly",
    "Borough of Fenwick": "Old Saybrook",
    "Borough of Jewett City": "Griswold",
    "Borough of Woodmont": "Milford",
    "Borough Groton Long Pt": "Groton",
}


def test_the_profile_holds_169_towns_8_counties_and_9_regions() -> None:
    profile = default_profile()
    assert len(TOWNS) == 169 and [town.number for town in TOWNS] == list(range(1, 170))
    assert len(profile.counties) == 8 and len(profile.regions) == 9
    assert len({town.geoid for town in TOWNS}) == len({town.geoid_alt for town in TOWNS}) == 169


@pytest.mark.parametrize(
    ("value", "town"),
    [
        ("GROTON", "Groton"),
        ("Groton (City of)", "Groton"),
        ("So. Windsor", "South Windsor"),
        ("Vernon-Rockville", "Vernon"),
        ("Danielson", "Killingly"),
        ("Town of Vernon, CT 06066", "Vernon"),
        ("STAFFORD SPGS", "Stafford"),
        ("06340", "Groton"),
        ("6103", "Hartford"),
        ("New Fairfeild", "New Fairfield"),
        ("Berlin: Kensington F.D.", "Berlin"),
        ("Center Groton F.D.", "Groton"),
        ("Borough Groton Long Pt", "Groton"),
        ("Northford", "North Branford"),
        ("  west   haven ", "West Haven"),
    ],
)
def test_spellings_resolve_to_their_town(value: str, town: str) -> None:
    outcome = town_matcher().match(value)
    assert (outcome.status, outcome.normalized) == ("matched", town)
    assert outcome.code == default_profile().town_named(town).geoid


@pytest.mark.parametrize(
    "value",
    ["Springfield", "Springfield, MA", "Providence RI", "Fall River", "Port Chester", "02903"],
)
def test_places_in_other_states_are_flagged_never_forced(value: str) -> None:
    outcome = town_matcher().match(value)
    assert outcome.status == "out_of_state" and outcome.normalized is None


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("Mystic", "review"),
        ("Sakem", "review"),
        ("N HAVEN", "review"),
        ("Hartford County", "invalid"),
        ("UNKNOWN", "invalid"),
        ("", "invalid"),
        ("99999", "invalid"),
        ("xq", "invalid"),
    ],
)
def test_uncertain_values_are_not_matched(value: str, status: str) -> None:
    assert town_matcher().match(value).status == status


def _adrd_values() -> set[str]:
    rows = read_rows(ADRD)
    return {row[column] for row in rows for column in ("Residence City", "Death City")}


def test_medical_examiner_sample_precision_100_recall_at_least_98() -> None:
    """`adrd_towns.csv`: every distinct residence and death city of the medical examiner's file
    (461 values), each checked by hand against the row's state and county: the town it is in,
    or out_of_state, review (ambiguous) or invalid."""
    with (FIXTURES / "adrd_towns.csv").open(encoding="utf-8", newline="") as handle:
        expected = {row["value"]: row["expected"] for row in csv.DictReader(handle)}
    assert len(expected) >= 200 and set(expected) == _adrd_values() - {""}
    statuses = {"out_of_state", "review", "invalid"}
    tally: Counter[str] = Counter()
    wrong = []
    for value, truth in expected.items():
        outcome = town_matcher().match(value)
        if outcome.matched:
            tally["matched"] += 1
            if outcome.normalized != truth:
                wrong.append((value, truth, outcome.normalized))
        if truth not in statuses:
            tally["towns"] += 1
            tally["found"] += outcome.matched and outcome.normalized == truth
        if truth == "out_of_state":
            tally["abroad"] += 1
            tally["flagged"] += outcome.status == "out_of_state"
    assert wrong == []  # precision 100%: nothing silently mapped to a wrong town
    assert tally["found"] / tally["towns"] >= 0.98
    assert tally["flagged"] / tally["abroad"] >= 0.95


def test_opm_grant_town_names_resolve_to_the_fips_of_their_town_code() -> None:
    rows = read_rows(OPM)
    pairs = {(int(row["Town Code"]), row["Town Name"]) for row in rows}
    towns = [(code, name) for code, name in pairs if code <= 169]
    assert len({code for code, _name in towns}) == 169
    for code, name in towns:
        outcome = town_matcher().match(name)
        assert outcome.matched, name
        assert outcome.code == TOWNS[code - 1].geoid, name
    districts = [(code, name) for code, name in pairs if code > 169 and name]
    for _code, name in districts:  # fire and sewer districts, boroughs: their town or nothing
        outcome = town_matcher().match(name)
        if outcome.matched:
            town = BOROUGHS.get(name) or outcome.normalized
            assert town == outcome.normalized, name
            assert name in BOROUGHS or town.upper() in name.upper(), name


def test_covid_town_numbers_and_names_resolve_to_the_same_fips() -> None:
    rows = read_rows(COVID_TOWNS)
    pairs = {(row["Town number"], row["Town"]) for row in rows}
    assert len(pairs) == 169
    for number, name in pairs:
        by_number = normalize_town_number(number)
        by_name = town_matcher().match(name)
        assert by_number.matched and by_name.matched
        assert by_number.code == by_name.code == TOWNS[int(number) - 1].geoid


@pytest.mark.parametrize("alt", [False, True], ids=["2020", "2022"])
def test_every_town_round_trips_name_fips_name(alt: bool) -> None:
    element = get_element("ct_town_fips_2022" if alt else "ct_town_fips")
    for town in TOWNS:
        code = town.geoid_alt if alt else town.geoid
        assert get_element("ct_town").normalize(town.name).code == town.geoid
        assert element.normalize(town.geoid).normalized == code
        assert element.normalize(town.geoid_alt).normalized == code
        assert element.normalize(code.lstrip("0")).normalized == code
        found = town_by_code(code)
        assert found is not None and found.name == town.name
        assert town_matcher().match(found.name).normalized == town.name


def test_town_codes_reject_what_is_not_a_code() -> None:
    assert normalize_town_fips("59").status == "invalid"  # a town number, not a FIPS code
    assert normalize_town_number("170").status == "invalid"
    assert normalize_town_number("059").code == TOWNS[58].geoid
