"""Full-text search, relevance order and facets, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from steward.accounts.policy import SYSTEM
from steward.catalog import service, versions
from steward.catalog.schemas import AgencyCreate, DatasetCreate, FieldUpdate
from steward.db import Database


def seed(database: Database, tmp_path: Path) -> dict[str, str]:
    ids = {}
    with database.session() as session:
        service.create_agency(session, SYSTEM, AgencyCreate(slug="dph", name="Public Health"))
        service.create_agency(
            session, SYSTEM, AgencyCreate(slug="opm", name="Policy and Management")
        )
        for key, agency, title, extra in [
            ("covid", "dph", "COVID-19 cases by town", {"keywords": ["covid-19"]}),
            ("grants", "opm", "Municipal grants", {"description": "Payments to towns for covid"}),
            ("births", "dph", "Births", {"category": "Health and Human Services"}),
        ]:
            # Fixed ids without digits: a random id such as "1abc-..." would match the search
            # for "1" below on PostgreSQL, which searches the id too.
            fixed = f"{key[:4]}-test"
            data = DatasetCreate(
                id=fixed, agency=agency, title=title, update_frequency="R/P1D", **extra
            )
            ids[key] = service.create_dataset(session, SYSTEM, data).id
    source = tmp_path / "towns.csv"
    source.write_text("Town,Count\nAndover,1\n")
    with database.session() as session:
        versions.ingest_version(
            session, SYSTEM, tmp_path / "d", ids["births"], source, created_by="t"
        )
        service.update_field(
            session,
            SYSTEM,
            ids["births"],
            "count",
            FieldUpdate(description="live births to mothers"),
        )
    return ids


def test_search_covers_field_descriptions_and_ranks_titles_first(
    database: Database, tmp_path: Path
) -> None:
    ids = seed(database, tmp_path)
    with database.session() as session:
        hits = service.list_datasets(session, q="covid", order="relevance").results
        assert [d.id for d in hits] == [ids["covid"], ids["grants"]]
        by_title = service.list_datasets(session, q="covid", order="title").results
        assert [d.id for d in by_title] == [ids["covid"], ids["grants"]]
        titled = service.list_datasets(session, q="towns covid", order="title").results
        ranked = service.list_datasets(session, q="towns covid", order="relevance").results
        assert [d.title for d in titled] == sorted(d.title for d in titled)
        assert {d.id for d in ranked} == {d.id for d in titled}
        assert [d.id for d in service.list_datasets(session, q="mothers").results] == [
            ids["births"]
        ]
        assert [d.id for d in service.list_datasets(session, q="birth").results] == [ids["births"]]
        assert service.list_datasets(session, q="\"' OR 1=1 --").count == 0


def test_facets_count_the_matching_datasets(database: Database, tmp_path: Path) -> None:
    ids = seed(database, tmp_path)
    with database.session() as session:
        facets = service.facet_counts(session, service.DatasetFilter())
        assert facets.agency == [("dph", "Public Health", 2), ("opm", "Policy and Management", 1)]
        assert facets.update_frequency == [("R/P1D", 3)]
        assert facets.has_town == 1
        narrowed = service.facet_counts(session, service.DatasetFilter(q="covid"))
        assert sorted(narrowed.agency) == [
            ("dph", "Public Health", 1),
            ("opm", "Policy and Management", 1),
        ]
        town = service.list_datasets(session, where=service.DatasetFilter(has_town=True))
        assert [d.id for d in town.results] == [ids["births"]]
