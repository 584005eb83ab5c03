"""Harvesting the real 2017 data.ct.gov catalog into a store: counts, agencies, idempotence."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select

from steward.accounts.policy import SYSTEM
from steward.catalog import service
from steward.catalog.models import Agency, Dataset
from steward.catalog.schemas import DatasetCreate, DatasetUpdate
from steward.db import Database
from steward.harvest.models import HarvestLink
from steward.harvest.records import ParsedCatalog
from steward.harvest.schemas import HarvestReport
from steward.harvest.service import HarvestOptions, harvest_catalog

SOURCE = "data_ct_gov_catalog_2017_axibase.csv"


def run(database: Database, catalog: ParsedCatalog, **options: object) -> HarvestReport:
    with database.session() as session:
        return harvest_catalog(session, catalog, SOURCE, HarvestOptions(**options))  # type: ignore[arg-type]


def count(database: Database, model: type) -> int:
    with database.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_the_2017_catalog_imports_307_drafts_then_changes_nothing(
    store: Database, snapshot: ParsedCatalog
) -> None:
    first = run(store, snapshot, agency_default="opm")
    assert (first.records, first.created, first.skipped, first.failed) == (307, 307, 0, 0)
    assert count(store, Dataset) == 307
    with store.session() as session:
        dataset = service.get_dataset(session, "igy9-udjm")  # the 4x4 is kept as the id
        assert dataset.status == "draft" and dataset.row_count is None
        assert dataset.landing_page == "https://data.ct.gov/d/igy9-udjm"
        assert dataset.keywords == ["census", "population", "housing"]
        assert [(f.name, f.type) for f in dataset.fields][:2] == [
            ("municipality", "text"),
            ("population", "number"),
        ]
    again = run(store, snapshot, agency_default="opm")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 307)
    assert count(store, Dataset) == 307
    assert count(store, HarvestLink) == 307


def test_agency_report_on_the_2017_catalog(store: Database, snapshot: ParsedCatalog) -> None:
    report = run(store, snapshot, agency_default="opm", dry_run=True)
    by_name = {outcome.name: outcome for outcome in report.agencies}
    assert by_name[""].method == "blank" and by_name[""].datasets == 63
    assert by_name["CT Department of Social Services"].agency == "dss"
    assert by_name["CT Dept of Social Services"].agency == "dss"
    assert by_name["DSS"].method == "abbreviation"
    assert by_name["Departmet of Motor Vehicles"].agency == "dmv"
    assert by_name["Department of Transportations"].agency == "dot"
    assert by_name["CT DPH: Community Health and Prevention Section"].agency == "dph"
    assert (
        by_name["Department of Children and Families, Office for Research and Evaluation"].agency
        == "dcf"
    )
    unmatched = {outcome.name: outcome.datasets for outcome in report.unmatched}
    assert unmatched["City of Stamford"] == 2
    assert "Internal Revenue Service" in unmatched  # not the Department of Revenue Services
    assert "U.S. Dept.of Agriculture Food and Nutrition Service" in unmatched
    assert sum(unmatched.values()) == 29
    assert sum(o.datasets for o in report.agencies) == 307
    traffic = next(item for item in report.items if item.source_id == "25bh-kn7t")
    assert (traffic.action, traffic.agency) == ("created", "dot")


def test_without_a_default_unmatched_and_blank_publishers_are_skipped(
    store: Database, snapshot: ParsedCatalog
) -> None:
    report = run(store, snapshot, dry_run=True)
    assert report.skipped == 63 + 29
    assert report.created == 307 - 92
    assert count(store, Dataset) == 0  # a dry run writes nothing


def test_create_agencies_makes_one_agency_per_unmatched_publisher(
    store: Database, snapshot: ParsedCatalog
) -> None:
    subset = ParsedCatalog(
        "axibase",
        [r for r in snapshot.records if (r.agency and "Aging" in r.agency) or r.agency == "State"],
    )
    report = run(store, subset, create_agencies=True, agency_default="opm")
    [created] = report.created_agencies  # the two spellings of one agency become one
    assert created.name in {"Department on Aging", "State Department of Aging"}
    with store.session() as session:
        assert session.scalar(select(Agency).where(Agency.slug == created.slug)) is not None
    outcomes = {o.name: (o.method, o.agency) for o in report.agencies}
    assert {outcomes["Department on Aging"], outcomes["State Department of Aging"]} == {
        ("created", created.slug),
        ("fuzzy", created.slug),
    }
    assert outcomes["State"] == ("unmatched", "opm")  # no distinctive words: never an agency


def test_a_changed_source_updates_and_an_unchanged_one_keeps_local_edits(
    store: Database, snapshot: ParsedCatalog
) -> None:
    records = snapshot.records[:3]
    run(store, ParsedCatalog("axibase", records), agency_default="opm")
    first, second = records[0].preferred_id, records[1].preferred_id
    assert first and second
    with store.session() as session:
        service.update_dataset(
            session, SYSTEM, second, DatasetUpdate(description="Edited by a steward")
        )
    changed = [replace(records[0], title="Renamed at the source"), *records[1:]]
    report = run(store, ParsedCatalog("axibase", changed), agency_default="opm")
    assert [item.action for item in report.items] == ["updated", "unchanged", "unchanged"]
    with store.session() as session:
        assert service.get_dataset(session, first).title == "Renamed at the source"
        assert service.get_dataset(session, second).description == "Edited by a steward"


def test_a_dataset_already_in_the_catalog_is_linked_not_changed(
    store: Database, snapshot: ParsedCatalog
) -> None:
    with store.session() as session:
        service.create_dataset(
            session,
            SYSTEM,
            DatasetCreate(id="5w85-2euh", title="Municipal Grants (ours)", agency="opm"),
        )
    grants = [r for r in snapshot.records if r.preferred_id == "5w85-2euh"]
    report = run(store, ParsedCatalog("axibase", grants), agency_default="opm")
    assert report.items[0].action == "existing"
    assert run(store, ParsedCatalog("axibase", grants), agency_default="opm").existing == 1
    with store.session() as session:
        assert service.get_dataset(session, "5w85-2euh").title == "Municipal Grants (ours)"


def test_an_id_taken_by_another_sources_dataset_gets_a_new_id(
    store: Database, snapshot: ParsedCatalog
) -> None:
    record = snapshot.records[0]
    run(store, ParsedCatalog("axibase", [record]), agency_default="opm")
    other = replace(record, source_key="ckan:some-other-portal-package", title="Another portal")
    report = run(store, ParsedCatalog("ckan", [other]), agency_default="opm")
    assert report.created == 1
    assert report.items[0].dataset_id not in {None, record.preferred_id}
    assert count(store, Dataset) == 2


def test_a_record_the_catalog_rejects_fails_alone(store: Database, snapshot: ParsedCatalog) -> None:
    bad = replace(snapshot.records[0], title="   ")
    good = snapshot.records[1]
    report = run(store, ParsedCatalog("axibase", [bad, good, good]), agency_default="opm")
    assert [item.action for item in report.items] == ["failed", "created"]
    assert "title" in report.items[0].message
    assert report.not_datasets == [f"{good.source_id}: listed twice; the first entry was used"]


def test_an_unknown_default_agency_is_an_error(store: Database, snapshot: ParsedCatalog) -> None:
    from steward.errors import NotFound

    try:
        run(store, snapshot, agency_default="nope")
    except NotFound as error:
        assert "nope" in error.message
    else:  # pragma: no cover
        raise AssertionError("expected NotFound")
