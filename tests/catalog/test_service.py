"""Catalog use cases against a fresh SQLite store."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from steward.accounts.policy import SYSTEM
from steward.catalog import service, versions
from steward.catalog.schemas import (
    DATASET_ID_PATTERN,
    AgencyCreate,
    DatasetCreate,
    DatasetUpdate,
    FieldUpdate,
)
from steward.classification.service import record_public_assessment
from steward.db import Database
from steward.errors import Conflict, Invalid, NotFound

CSV = (
    "Town,FIPS,Total cases ,Report date\n"
    "Hartford,0901137000,10,03/24/2020\n"
    "Andover,0901301080,2,03/25/2020\n"
)


def add_agency(database: Database, slug: str = "dph") -> None:
    with database.session() as session:
        service.create_agency(session, SYSTEM, AgencyCreate(slug=slug, name=f"Agency {slug}"))


def add_dataset(database: Database, **extra: object) -> str:
    with database.session() as session:
        data = DatasetCreate.model_validate({"agency": "dph", "title": "COVID by town", **extra})
        return service.create_dataset(session, SYSTEM, data).id


def test_agency_slug_and_name_are_unique(database: Database) -> None:
    add_agency(database)
    with pytest.raises(Conflict), database.session() as session:
        service.create_agency(session, SYSTEM, AgencyCreate(slug="dph", name="Another"))
    with database.session() as session:
        assert [agency.slug for agency in service.list_agencies(session)] == ["dph"]


def test_bad_agency_slug_is_rejected() -> None:
    with pytest.raises(ValidationError):
        AgencyCreate(slug="Not A Slug", name="x")


def test_dataset_gets_a_socrata_style_id_and_starts_as_draft(database: Database) -> None:
    add_agency(database)
    dataset_id = add_dataset(database, keywords=["COVID-19", " covid-19 ", "Town"])
    with database.session() as session:
        dataset = service.get_dataset(session, dataset_id)
    assert DATASET_ID_PATTERN.match(dataset.id)
    assert dataset.status == "draft"
    assert dataset.keywords == ["covid-19", "town"]
    assert dataset.row_count is None


def test_dataset_with_unknown_agency_is_not_found(database: Database) -> None:
    with pytest.raises(NotFound, match="no agency"), database.session() as session:
        service.create_dataset(session, SYSTEM, DatasetCreate(agency="nope", title="x"))


@pytest.mark.parametrize(
    "field, value",
    [
        ("id", "ABCD-1234"),
        ("update_frequency", "daily"),
        ("access_level", "secret"),
        ("classification", "confidential"),
        ("contact_email", "not-an-email"),
    ],
)
def test_bad_metadata_is_rejected(field: str, value: str) -> None:
    with pytest.raises(ValidationError):
        DatasetCreate.model_validate({"agency": "dph", "title": "x", field: value})


def test_duplicate_id_conflicts(database: Database) -> None:
    add_agency(database)
    add_dataset(database, id="abcd-1234")
    with pytest.raises(Conflict):
        add_dataset(database, id="abcd-1234")


def test_update_changes_only_given_fields(database: Database) -> None:
    add_agency(database)
    dataset_id = add_dataset(database, description="old", category="Health")
    with database.session() as session:
        updated = service.update_dataset(
            session, SYSTEM, dataset_id, DatasetUpdate(description="new", update_frequency="R/P1W")
        )
    assert (updated.description, updated.category, updated.update_frequency) == (
        "new",
        "Health",
        "R/P1W",
    )


def test_search_matches_words_in_title_description_keywords_and_agency(database: Database) -> None:
    add_agency(database)
    add_dataset(database, title="COVID tests by town", keywords=["pandemic"])
    add_dataset(database, title="Municipal grants", description="OPM grants 100% paid")
    with database.session() as session:

        def titles(q: str) -> list[str]:
            return [d.title for d in service.list_datasets(session, q=q).results]

        assert titles("covid") == ["COVID tests by town"]
        assert titles("PANDEMIC") == ["COVID tests by town"]
        assert titles("grants 100%") == ["Municipal grants"]
        assert titles("agency dph") == ["COVID tests by town", "Municipal grants"]
        assert titles("50%") == []
        assert titles("covid grants") == []


def test_paging_counts_everything_and_rejects_bad_pages(database: Database) -> None:
    add_agency(database)
    for number in range(5):
        add_dataset(database, title=f"Dataset {number}")
    with database.session() as session:
        page = service.list_datasets(session, offset=3, limit=2)
        assert page.count == 5
        assert [d.title for d in page.results] == ["Dataset 3", "Dataset 4"]
        with pytest.raises(Invalid):
            service.list_datasets(session, limit=0)


def test_ingest_twice_makes_version_two_and_keeps_version_one(
    database: Database, tmp_path: Path
) -> None:
    add_agency(database)
    dataset_id = add_dataset(database)
    source = tmp_path / "cases.csv"
    source.write_text(CSV)
    data_dir = tmp_path / "data"
    with database.session() as session:
        first = versions.ingest_version(
            session, SYSTEM, data_dir, dataset_id, source, created_by="t"
        )
    source.write_text(CSV + "Ansonia,0900901220,5,03/26/2020\n")
    with database.session() as session:
        second = versions.ingest_version(
            session, SYSTEM, data_dir, dataset_id, source, created_by="t"
        )
    assert (first.number, first.row_count, second.number, second.row_count) == (1, 2, 2, 3)
    with database.session() as session:
        listed = versions.list_versions(session, dataset_id)
        _old, old_path = versions.version_file(session, data_dir, dataset_id, 1)
        dataset = service.get_dataset(session, dataset_id)
    assert [(v.number, v.is_current) for v in listed] == [(1, False), (2, True)]
    assert old_path.name == "v1.parquet" and old_path.is_file()
    assert (dataset.row_count, dataset.current_version) == (3, 2)


def test_ingest_builds_the_dictionary_and_keeps_edits_across_versions(
    database: Database, tmp_path: Path
) -> None:
    add_agency(database)
    dataset_id = add_dataset(database)
    source = tmp_path / "cases.csv"
    source.write_text(CSV)
    data_dir = tmp_path / "data"
    with database.session() as session:
        versions.ingest_version(session, SYSTEM, data_dir, dataset_id, source, created_by="t")
        service.update_field(
            session,
            SYSTEM,
            dataset_id,
            "town",
            FieldUpdate(description="CT town", standard="CT town"),
        )
    with database.session() as session:
        fields = {f.name: f for f in service.list_fields(session, dataset_id)}
    assert list(fields) == ["town", "fips", "total_cases", "report_date"]
    assert fields["total_cases"].label == "Total cases"
    assert (fields["fips"].type, fields["total_cases"].type) == ("text", "number")
    assert fields["report_date"].type == "floating_timestamp"
    source.write_text("Town,Total cases \nHartford,11\n")
    with database.session() as session:
        versions.ingest_version(session, SYSTEM, data_dir, dataset_id, source, created_by="t")
        fields = {f.name: f for f in service.list_fields(session, dataset_id)}
    assert list(fields) == ["town", "total_cases"]
    assert fields["town"].description == "CT town"


def test_failed_ingest_leaves_the_current_version_serving(
    database: Database, tmp_path: Path
) -> None:
    add_agency(database)
    dataset_id = add_dataset(database)
    source = tmp_path / "cases.csv"
    source.write_text(CSV)
    data_dir = tmp_path / "data"
    with database.session() as session:
        versions.ingest_version(session, SYSTEM, data_dir, dataset_id, source, created_by="t")
    source.write_text("Town,FIPS\nHartford,1,extra\n")
    with pytest.raises(Invalid, match="line 2"), database.session() as session:
        versions.ingest_version(session, SYSTEM, data_dir, dataset_id, source, created_by="t")
    with database.session() as session:
        assert [v.number for v in versions.list_versions(session, dataset_id)] == [1]
    assert sorted(p.name for p in (data_dir / "datasets" / dataset_id).glob("*.parquet")) == [
        "v1.parquet"
    ]


def test_publish_needs_data_and_follows_the_lifecycle(database: Database, tmp_path: Path) -> None:
    add_agency(database)
    dataset_id = add_dataset(database)
    with pytest.raises(Conflict, match="no data"), database.session() as session:
        service.set_status(session, SYSTEM, dataset_id, "published")
    source = tmp_path / "cases.csv"
    source.write_text(CSV)
    with database.session() as session:
        versions.ingest_version(
            session, SYSTEM, tmp_path / "data", dataset_id, source, created_by="t"
        )
        record_public_assessment(session, dataset_id, "Counts by town.")  # the publish gate
        published = service.set_status(session, SYSTEM, dataset_id, "published")
        assert published.published_at is not None
        with pytest.raises(Conflict):
            service.set_status(session, SYSTEM, dataset_id, "draft")
        assert service.set_status(session, SYSTEM, dataset_id, "retired").status == "retired"


def test_unknown_dataset_and_field_are_not_found(database: Database) -> None:
    add_agency(database)
    dataset_id = add_dataset(database)
    with database.session() as session:
        with pytest.raises(NotFound):
            service.get_dataset(session, "zzzz-9999")
        with pytest.raises(NotFound):
            service.update_field(session, SYSTEM, dataset_id, "nope", FieldUpdate(description="x"))


def _blocking_check(session: object, dataset: object, version: object, path: Path) -> object:
    from steward.catalog.hooks import Verdict

    return Verdict(block=True, notes="rule failed: total_cases must not be negative")


def test_a_blocking_check_keeps_the_previous_version_current(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from steward.catalog import hooks

    add_agency(database)
    dataset_id = add_dataset(database)
    source = tmp_path / "cases.csv"
    source.write_text(CSV)
    data_dir = tmp_path / "data"
    with database.session() as session:
        versions.ingest_version(session, SYSTEM, data_dir, dataset_id, source, created_by="t")
    monkeypatch.setattr(hooks, "CHECK", [f"{__name__}:_blocking_check"])
    with database.session() as session:
        blocked = versions.ingest_version(
            session, SYSTEM, data_dir, dataset_id, source, created_by="t"
        )
    assert not blocked.is_current and "rule failed" in blocked.notes
    with database.session() as session:
        assert service.get_dataset(session, dataset_id).current_version == 1
        assert versions.version_file(session, data_dir, dataset_id, 2)[1].is_file()
