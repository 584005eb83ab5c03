"""The field proposer on the demo's real files and on made-up person-level rows."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from steward.classification.propose import (
    SAMPLE_SIZE,
    DatasetProposal,
    FieldFacts,
    detect,
    propose,
)
from steward.store.names import derive_names

from .conftest import PEOPLE_CSV

DEMO = Path(__file__).resolve().parents[2] / "src" / "steward" / "demo" / "data" / "datasets"
OCME = DEMO / "accidental_drug_related_deaths_2012-2017_rybz-nyjw.csv"
PUBLIC_FILES = {
    "28fr-iqnx": "covid19_tests_cases_deaths_by_town_28fr-iqnx.csv",
    "7rne-efic": "covid19_cases_deaths_by_race_ethnicity_7rne-efic.csv",
    "dphp-0pop": "dph_population_by_town_1996-2020_ctdata.csv",
    "5w85-2euh": "opm_municipal_grants_2010-2015_5w85-2euh.csv",
}


def facts_of(text: str) -> list[FieldFacts]:
    """Fields as the proposer sees them: names as ingest derives them, up to 1,000 rows."""
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    step = max(1, len(body) // SAMPLE_SIZE)
    sample = body[::step][:SAMPLE_SIZE]
    return [
        FieldFacts(name, label=label, sample=[row[i] if i < len(row) else None for row in sample])
        for i, (name, label) in enumerate(zip(derive_names(header), header, strict=True))
    ]


def proposal_of(path: Path) -> DatasetProposal:
    return propose(facts_of(path.read_text(encoding="utf-8-sig")))


def test_the_medical_examiners_deaths_are_proposed_personal() -> None:
    result = proposal_of(OCME)
    by_name = {field.name: field for field in result.fields}
    assert result.level == "personal"
    assert result.person_level == "yes"
    expected = {
        "casenumber": "record_number",
        "age": "age",
        "race": "race",
        "sex": "sex",
        "residence_city": "residence_place",
        "residence_county": "residence_place",
        "death_city": "event_place",
        "death_county": "event_place",
        "injuryplace": "event_place",
        "location": "event_place",
    }
    for name, kind in expected.items():
        assert (by_name[name].level, by_name[name].kind) == ("personal", kind), name
        assert by_name[name].reason
    assert "values look like case numbers (100% of 1,000 sampled)" in by_name["casenumber"].reason
    assert by_name["heroin"].level == "public"
    assert result.reasons[0] == "direct identifiers: casenumber"
    assert result.suggested_answers == {
        "person_level": "yes",
        "direct_identifiers": "yes",
        "quasi_identifiers": "yes",
    }


@pytest.mark.parametrize("dataset_id", sorted(PUBLIC_FILES))
def test_the_public_demo_datasets_propose_no_personal_field(dataset_id: str) -> None:
    result = proposal_of(DEMO / PUBLIC_FILES[dataset_id])
    assert [field.name for field in result.fields if field.level != "public"] == []
    assert (result.level, result.person_level) == ("public", "no")


def test_covid_by_town_keeps_its_town_public_as_an_aggregate() -> None:
    result = proposal_of(DEMO / PUBLIC_FILES["28fr-iqnx"])
    town = next(field for field in result.fields if field.name == "town")
    assert town.kind == "place" and "aggregate" in town.reason


def test_every_direct_identifier_is_found() -> None:
    result = propose(facts_of(PEOPLE_CSV))
    kinds = {field.name: field.kind for field in result.fields}
    assert kinds == {
        "case_number": "record_number",
        "first_name": "person_name",
        "last_name": "person_name",
        "ssn": "ssn",
        "date_of_birth": "birth_date",
        "street_address": "street_address",
        "phone": "phone",
        "email": "email",
        "age": "age",
        "sex": "sex",
        "race": "race",
        "residence_town": "residence_place",
        "visit_date": "event_date",
        "diagnosis": "health_detail",
    }
    assert {field.level for field in result.fields} == {"personal"}


@pytest.mark.parametrize(
    ("name", "values", "kind", "words"),
    [
        ("id_text", ["123-45-6789"] * 98 + ["", "unknown", "x"], "ssn", "SSNs (98% of 100"),
        ("contact", ["a@b.org", "c@d.gov", "e@f.com"], "email", "email addresses (100% of 3"),
        ("where", ["12 Main St", "4 Elm Street Apt 2", "9 Oak Ave"], "street_address", "street"),
        ("num", ["(860) 555-0101", "860-555-0102", "203.555.0104"], "phone", "phone numbers"),
        ("ref", ["13-16336", "12-18447", "14-1", "15-77"], "record_number", "case numbers"),
    ],
)
def test_values_alone_reveal_identifiers(
    name: str, values: list[str], kind: str, words: str
) -> None:
    found, reason = detect(FieldFacts(name, sample=values))
    assert found == kind
    assert words in reason and "name suggests" not in reason


def test_repeated_codes_are_not_taken_for_case_numbers() -> None:
    assert detect(FieldFacts("period", sample=["20-21", "20-21", "21-22", "21-22"]))[0] is None


@pytest.mark.parametrize(
    "name",
    ["total_cases", "case_rate", "age_adjusted_rate", "percentage", "grant_name", "town_name"],
)
def test_harmless_names_are_not_direct_identifiers(name: str) -> None:
    kind, _ = detect(FieldFacts(name))
    assert kind not in {"record_number", "person_name", "age", "ssn"}


@given(st.lists(st.sampled_from(["age", "sex", "race", "town", "total", "ssn", "notes"])))
def test_a_direct_identifier_always_makes_the_dataset_personal(names: list[str]) -> None:
    fields = [FieldFacts(name, type="number" if name == "total" else "text") for name in names]
    result = propose([*fields, FieldFacts("ssn")])
    assert result.level == "personal"
    assert all(p.level == "personal" for p in result.fields if p.name == "ssn")
