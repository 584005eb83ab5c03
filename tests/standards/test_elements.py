"""The other elements: race and ethnicity, language, dates, sex, email, phone, address, county,
planning region, ZIP code; and the registry that publishes them."""

from __future__ import annotations

import pytest

from steward.errors import NotFound
from steward.standards.race import SPD15, from_1997, parse_spd15, to_1997
from steward.standards.registry import all_elements, get_element

from .conftest import ADRD, COVID_RACE, read_rows


def normalize(element: str, value: str) -> tuple[str, str | None, str | None]:
    outcome = get_element(element).normalize(value)
    return outcome.status, outcome.normalized, outcome.code


def test_the_registry_lists_every_element_of_the_issue() -> None:
    ids = {element.id for element in all_elements()}
    assert ids >= {
        "ct_town", "ct_town_fips", "ct_county", "ct_planning_region", "us_zip5", "us_address",
        "race_ethnicity_spd15", "race_1997", "ethnicity_1997", "language_iso639_3", "sex",
        "date_iso8601", "email", "phone_us",
    }  # fmt: skip
    for element in all_elements():
        assert element.definition and element.provenance and element.companions
    with pytest.raises(NotFound):
        get_element("ct_towns")


def test_spd15_has_seven_minimum_categories_including_mena() -> None:
    assert len(SPD15) == 7 and SPD15["MENA"] == "Middle Eastern or North African"


def test_every_dph_covid_race_value_maps_to_spd15() -> None:
    values = {row["Race/ethnicity"] for row in read_rows(COVID_RACE)}
    assert len(values) >= 8
    outcomes = {value: parse_spd15(value) for value in values}
    assert [value for value, outcome in outcomes.items() if not outcome.matched] == []
    assert outcomes["NH Asian or Pacific Islander"].code == "ASIAN|NHPI"
    assert outcomes["Hispanic"].code == "HISP" and outcomes["NH White"].code == "WHITE"
    for value in values:  # the 1997 standard too
        assert get_element("ethnicity_1997").normalize(value).matched, value
        assert get_element("race_1997").normalize(value).matched, value


def test_medical_examiner_race_values_map_to_spd15() -> None:
    values = {row["Race"] for row in read_rows(ADRD)} - {""}
    codes = {value: parse_spd15(value).code for value in values}
    assert None not in codes.values()
    assert codes["Hispanic, White"] == "HISP;WHITE"
    assert codes["Asian, Other"] == codes["Asian Indian"] == codes["Chinese"] == "ASIAN"
    assert codes["Native American, Other"] == "AIAN" and codes["Hawaiian"] == "NHPI"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("Black or African American", "BLACK"),
        ("Arab", "MENA"),
        ("Multiracial", "MULTI"),
        ("Unknown", "UNK"),
        ("White, Unknown", "WHITE"),
        ("Non-Hispanic White", "WHITE"),
        ("Black/African American; Hispanic", "BLACK;HISP"),
    ],
)
def test_race_synonyms(value: str, code: str) -> None:
    assert parse_spd15(value).code == code


def test_the_bridge_between_1997_and_2024() -> None:
    assert to_1997("MENA") == ("WHITE", "NHISP")
    assert to_1997("HISP") == ("UNK", "HISP")
    assert to_1997("BLACK;HISP;WHITE") == ("BLACK;WHITE", "HISP")
    assert from_1997("WHITE", "HISP") == "HISP;WHITE"
    assert from_1997("UNK", "HISP") == "HISP"
    assert get_element("race_ethnicity_spd15").notes  # the bridge is published


@pytest.mark.parametrize(
    ("value", "code"),
    [("Spanish", "spa"), ("Haitian Creole", "hat"), ("es", "spa"), ("spa", "spa"),
     ("en-US", "eng"), ("Mandarin", "cmn"), ("ASL", "ase"), ("Unknown", "und"),
     ("Portuguese", "por"), ("español", "spa")],
)  # fmt: skip
def test_languages_become_iso_639_3(value: str, code: str) -> None:
    status, _name, found = normalize("language_iso639_3", value)
    assert (status, found) == ("matched", code)


def test_unknown_or_ambiguous_languages_are_not_matched() -> None:
    assert normalize("language_iso639_3", "Creole")[0] == "review"
    assert normalize("language_iso639_3", "Zzqxv")[0] == "invalid"
    assert normalize("language_iso639_3", "zz")[0] == "invalid"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("03/24/2020", ("matched", "2020-03-24")),
        ("2020-03-24T00:00:00.000", ("matched", "2020-03-24")),
        ("Mar 24, 2020", ("matched", "2020-03-24")),
        ("24-MAR-2020", ("matched", "2020-03-24")),
        ("2020/3/24", ("matched", "2020-03-24")),
        ("2020-03", ("matched", "2020-03")),
        ("3/24/2020 11:30 PM", ("matched", "2020-03-24T23:30:00")),
        ("3/24/20", ("review", "2020-03-24")),
        ("24/03/2020", ("review", "2020-03-24")),
        ("2/30/2020", ("invalid", None)),
        ("soon", ("invalid", None)),
    ],
)
def test_dates_become_iso_8601(value: str, expected: tuple[str, str | None]) -> None:
    assert normalize("date_iso8601", value)[:2] == expected


def test_sex_email_and_phone() -> None:
    assert normalize("sex", "FEMALE") == ("matched", "Female", "F")
    assert normalize("sex", "Other")[0] == "review"
    assert normalize("email", "mailto:Pat@Example.ORG")[:2] == ("matched", "Pat@example.org")
    assert normalize("email", "pat@@example")[0] == "invalid"
    assert normalize("phone_us", "+1 (860) 555-0123") == (
        "matched",
        "(860) 555-0123",
        "+18605550123",
    )
    assert normalize("phone_us", "555-0123")[0] == "review"
    assert normalize("phone_us", "(060) 555-0123")[0] == "invalid"


def test_addresses_follow_publication_28_and_get_their_town() -> None:
    status, line, code = normalize("us_address", "55 Elm Street, Mystic, Connecticut 06355")
    assert status == "matched" and line == "55 ELM ST, MYSTIC, CT 06355"
    assert code is not None and code.startswith("09")
    assert normalize("us_address", "1 Main St, Boston, MA 02108")[0] == "out_of_state"
    assert normalize("us_address", "12 Oak Ave")[0] == "review"
    outcome = get_element("us_address").normalize("no such thing here")
    assert outcome.status == "invalid" and outcome.reason


def test_counties_regions_and_zip_codes() -> None:
    assert normalize("ct_county", "NEW LONDON") == ("matched", "New London County", "09011")
    assert normalize("ct_county", "Westchester")[0] == "out_of_state"
    assert normalize("ct_planning_region", "RiverCOG")[2] == "09130"
    assert normalize("ct_planning_region", "09190")[1] == "Western Connecticut Planning Region"
    assert normalize("us_zip5", "06103-1234") == ("matched", "06103", "06103")
    assert normalize("us_zip5", "00000")[0] == "invalid"
    assert normalize("us_zip5", "ABCDE")[0] == "invalid"


def test_validation_means_already_in_standard_form() -> None:
    town = get_element("ct_town")
    assert town.validate("Groton") and not town.validate("GROTON")
    assert not town.validate(None) and not town.validate("Springfield")
