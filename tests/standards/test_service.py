"""Decisions, normalization on ingest and conformance reports against a real store."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from steward.accounts.policy import SYSTEM
from steward.catalog import service as catalog
from steward.catalog import versions
from steward.catalog.schemas import FieldUpdate
from steward.config import Settings
from steward.db import Database
from steward.errors import Invalid, NotAuthorized, NotFound
from steward.standards import service
from steward.standards.conformance import conformance_report, declared_element
from steward.standards.ingest import METADATA_KEY
from steward.standards.schemas import DecisionCreate

from .conftest import ADRD, read_rows


def ingest(store: Database, settings: Settings, source: Path = ADRD) -> str:
    with store.session() as session:
        version = versions.ingest_version(
            session, SYSTEM, settings.data_dir, "adrd-0001", source, created_by="test"
        )
    return version.notes


def decide(store: Database, value: str, **given: str) -> None:
    data = DecisionCreate.model_validate(
        {"agency": "ocme", "element": "ct_town", "value": value, **given}
    )
    with store.session() as session:
        service.record_decision(session, data, "tester")


def test_a_decision_is_remembered_per_agency_and_reused(store: Database) -> None:
    decide(store, "N HAVEN", target="north haven", note="checked with the office")
    decide(store, "Nissequogue", status="out_of_state")
    with store.session() as session:
        ocme = service.normalize_values(session, "ct_town", ["n  haven", "Nissequogue"], "ocme")
        other = service.normalize_values(session, "ct_town", ["N HAVEN"], "dph")
        listed = service.list_decisions(session, agency="ocme")
    assert [(r.status, r.normalized) for r in ocme] == [
        ("matched", "North Haven"),
        ("out_of_state", None),
    ]
    assert other[0].status == "review"  # another agency's data is not affected
    assert [d.value for d in listed] == ["N HAVEN", "Nissequogue"]
    decide(store, "N HAVEN", target="New Haven")  # a later decision replaces the earlier one
    with store.session() as session:
        assert (
            service.normalize_values(session, "ct_town", ["N HAVEN"], "ocme")[0].normalized
            == "New Haven"
        )
        service.forget_decision(session, "ocme", "ct_town", "n haven")
        assert (
            service.normalize_values(session, "ct_town", ["N HAVEN"], "ocme")[0].status == "review"
        )


@pytest.mark.parametrize(
    ("given", "error"),
    [
        ({"target": "Springfield"}, Invalid),
        ({"status": "matched"}, Invalid),
        ({"status": "invalid", "target": "Groton"}, Invalid),
        ({"target": "Groton", "agency": "nobody"}, NotFound),
        ({"target": "Groton", "element": "ct_towns"}, NotFound),
    ],
)
def test_bad_decisions_are_refused(store: Database, given: dict[str, str], error: type) -> None:
    with pytest.raises(error):
        decide(store, "GROTN", **given)
    with store.session() as session:
        assert service.list_decisions(session) == []


def test_normalization_on_ingest_adds_companions_and_keeps_the_original(
    store: Database, settings: Settings
) -> None:
    with store.session() as session:
        for field in ("residence_city", "death_city"):
            service.normalize_on_ingest(session, "adrd-0001", field, "ct_town", "tester")
    notes = ingest(store, settings)
    assert "Normalized death_city as ct_town into death_city_town, death_city_town_fips" in notes
    assert "value(s) to review" in notes and "'MYSTIC' -> Stonington" in notes
    with store.session() as session:
        version, path = versions.version_file(session, settings.data_dir, "adrd-0001")
        fields = {field.name: field for field in catalog.load_dataset(session, "adrd-0001").fields}
    table = pq.read_table(path)
    source = [row["Residence City"] or None for row in read_rows(ADRD)]
    assert table.column("residence_city").to_pylist() == source  # untouched
    rows = table.select(
        [
            "residence_city",
            "residence_city_town",
            "residence_city_town_fips",
            "residence_city_town_status",
        ]
    ).to_pylist()
    by_value = {row["residence_city"]: row for row in rows}
    assert by_value["DANIELSON"]["residence_city_town"] == "Killingly"
    assert by_value["DANIELSON"]["residence_city_town_fips"] == "0901540500"
    assert by_value["Fall River"]["residence_city_town_status"] == "out_of_state"
    assert by_value["Fall River"]["residence_city_town"] is None
    assert by_value[None]["residence_city_town_status"] is None
    assert "residence_city_town_status" in [column["name"] for column in version.schema]
    assert fields["residence_city"].standard is None  # opted in before the field existed
    with store.session() as session:
        report = conformance_report(session, settings.data_dir, "adrd-0001", public=False)
    declared = {field.field: field.element for field in report.fields if field.element}
    assert declared == {"residence_city": "ct_town", "death_city": "ct_town"}
    assert all(field.normalized_on_ingest for field in report.fields if field.element)
    assert "death_city_town" not in {field.field for field in report.fields}  # companions
    assert json.loads(pq.read_schema(path).metadata[METADATA_KEY])[0]["field"] == "death_city"


def test_decisions_apply_on_the_next_ingest(store: Database, settings: Settings) -> None:
    with store.session() as session:
        service.normalize_on_ingest(session, "adrd-0001", "death_city", "ct_town", "tester")
    decide(store, "MYSTIC", target="Stonington")
    decide(store, "Mystic", target="Stonington")
    notes = ingest(store, settings)
    assert "'MYSTIC'" not in notes and "'N HAVEN' -> New Haven" in notes


def test_a_companion_name_clash_fails_the_ingest_whole(
    store: Database, settings: Settings, tmp_path: Path
) -> None:
    source = tmp_path / "clash.csv"
    source.write_text("Death City,death_city_town\nGROTON,x\n")
    with store.session() as session:
        service.normalize_on_ingest(session, "adrd-0001", "death_city", "ct_town", "tester")
    with pytest.raises(Invalid, match="death_city_town"):
        ingest(store, settings, source)
    with store.session() as session:
        assert versions.list_versions(session, "adrd-0001") == []
    assert list((settings.data_dir / "datasets" / "adrd-0001").glob("*.parquet")) == []


def test_opting_in_checks_the_field_and_can_be_undone(store: Database, settings: Settings) -> None:
    ingest(store, settings)
    with store.session() as session:
        with pytest.raises(Invalid, match="no field"):
            service.normalize_on_ingest(session, "adrd-0001", "nowhere", "ct_town", "t")
        with pytest.raises(NotFound):
            service.normalize_on_ingest(session, "adrd-0001", "sex", "gender", "t")
        settings_now = service.normalize_on_ingest(session, "adrd-0001", "sex", "sex", "t")
        assert [(s.field, s.element) for s in settings_now] == [("sex", "sex")]
        assert service.stop_normalizing(session, "adrd-0001", "sex") == []
        with pytest.raises(NotFound):
            service.stop_normalizing(session, "adrd-0001", "sex")
    assert service.parse_assignment("death_city=ct_town") == ("death_city", "ct_town")
    with pytest.raises(Invalid):
        service.parse_assignment("death_city")


def test_the_conformance_report_of_a_version(store: Database, settings: Settings) -> None:
    ingest(store, settings)
    with store.session() as session:
        catalog.update_field(
            session, SYSTEM, "adrd-0001", "death_city", FieldUpdate(standard="ct_town death place")
        )
        catalog.update_field(
            session, SYSTEM, "adrd-0001", "race", FieldUpdate(standard="race_ethnicity_spd15")
        )
        with pytest.raises(NotAuthorized):  # a draft: its rows (and so its values) are not public
            conformance_report(session, settings.data_dir, "adrd-0001")
        report = conformance_report(session, settings.data_dir, "adrd-0001", public=False, top=3)
    fields = {field.field: field for field in report.fields}
    death = fields["death_city"]
    assert report.version == 1 and report.declared_fields == 2
    assert death.element == "ct_town" and death.rows == 4081 and death.blank == 4
    assert death.percent_normalizable is not None and death.percent_normalizable > 99
    assert death.valid < death.normalizable  # upper-case names normalize but are not the form
    assert [value.value for value in death.top_invalid] == ["N HAVEN", "MYSTIC", "Mystic"]
    assert death.top_invalid[0].suggestion == "New Haven"
    assert fields["race"].percent_normalizable == 100.0
    assert [s.element for s in fields["residence_city"].suggestions] == ["ct_town"]
    assert fields["sex"].suggestions[0].element == "sex"


def test_declared_elements_are_read_from_the_dictionary_standard() -> None:
    assert declared_element("ct_town") == "ct_town"
    assert declared_element("us_zip5 mailing address ZIP") == "us_zip5"
    assert declared_element("CT town name (169 towns)") is None
    assert declared_element(None) is None


def test_the_registry_and_one_element() -> None:
    registry = service.registry()
    assert registry.profile.towns == 169 and registry.profile.abbreviation == "CT"
    detail = service.element_detail("ct_planning_region")
    assert detail.values is not None and len(detail.values) == 9
    assert service.element_detail("email").values is None


def test_decisions_and_settings_on_each_database(database: Database) -> None:
    """The same writes on SQLite and PostgreSQL (the unique keys and the upsert)."""
    from steward.catalog.schemas import AgencyCreate, DatasetCreate

    with database.session() as session:
        catalog.create_agency(session, SYSTEM, AgencyCreate(slug="ocme", name="Medical Examiner"))
        catalog.create_dataset(
            session, SYSTEM, DatasetCreate(title="D", agency="ocme", id="adrd-0001")
        )
        data = DecisionCreate(agency="ocme", element="ct_town", value="So Windsr", target="06074")
        service.record_decision(session, data, "a")
        service.record_decision(session, data.model_copy(update={"target": "Windsor"}), "b")
        service.normalize_on_ingest(session, "adrd-0001", "city", "ct_town", "a")
        service.normalize_on_ingest(session, "adrd-0001", "city", "ct_county", "b")
    with database.session() as session:
        [decision] = service.list_decisions(session)
        assert (decision.normalized, decision.decided_by) == ("Windsor", "b")
        [setting] = service.normalization_settings(session, "adrd-0001")
        assert (setting.field, setting.element) == ("city", "ct_county")
