"""Facet counts are cached per catalog version: every committed change shows up at once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from steward.accounts.policy import SYSTEM
from steward.catalog import listing, search, service, versions
from steward.catalog.schemas import (
    AgencyCreate,
    AgencyUpdate,
    DatasetCreate,
    DatasetUpdate,
    FieldUpdate,
)
from steward.classification.service import record_public_assessment
from steward.db import Database

EVERYTHING = service.DatasetFilter()


def seed(database: Database, tmp_path: Path) -> dict[str, str]:
    ids = {}
    with database.session() as session:
        service.create_agency(session, SYSTEM, AgencyCreate(slug="dph", name="Public Health"))
        service.create_agency(session, SYSTEM, AgencyCreate(slug="opm", name="Policy"))
        for key, agency, category in [
            ("covid", "dph", "Health and Human Services"),
            ("births", "dph", "Health and Human Services"),
            ("grants", "opm", "Government"),
        ]:
            data = DatasetCreate(agency=agency, title=key.title(), category=category)
            ids[key] = service.create_dataset(session, SYSTEM, data).id
    source = tmp_path / "amounts.csv"
    source.write_text("Amount,Count\n1,2\n")
    with database.session() as session:
        versions.ingest_version(session, SYSTEM, tmp_path / "d", ids["grants"], source)
    return ids


def counts(database: Database, where: service.DatasetFilter = EVERYTHING) -> service.Facets:
    with database.session() as session:
        return service.facet_counts(session, where)


def test_counts_are_reused_until_the_catalog_changes(database: Database, tmp_path: Path) -> None:
    seed(database, tmp_path)
    first = counts(database)
    assert first.agency == [("dph", "Public Health", 2), ("opm", "Policy", 1)]
    assert counts(database) is first  # from the cache, so the tests below can see it go stale
    with database.session() as session:
        data = DatasetCreate(agency="opm", title="Budget", category="Government")
        service.create_dataset(session, SYSTEM, data)
    after = counts(database)
    assert after.agency == [("dph", "Public Health", 2), ("opm", "Policy", 2)]
    assert after.category == [("Government", 2), ("Health and Human Services", 2)]


def test_an_edited_dataset_is_counted_under_its_new_values(
    database: Database, tmp_path: Path
) -> None:
    ids = seed(database, tmp_path)
    assert counts(database).category == [("Health and Human Services", 2), ("Government", 1)]
    with database.session() as session:
        change = DatasetUpdate(category="Government", keywords=["budget"])
        service.update_dataset(session, SYSTEM, ids["covid"], change)
    after = counts(database)
    assert after.category == [("Government", 2), ("Health and Human Services", 1)]
    assert after.keyword == [("budget", 1)]


def test_a_field_that_becomes_a_town_field_is_counted(database: Database, tmp_path: Path) -> None:
    ids = seed(database, tmp_path)
    assert counts(database).has_town == 0
    with database.session() as session:
        town = FieldUpdate(standard="ct_town")
        service.update_field(session, SYSTEM, ids["grants"], "amount", town)
    assert counts(database).has_town == 1


def test_a_renamed_agency_is_counted_under_its_new_name(database: Database, tmp_path: Path) -> None:
    seed(database, tmp_path)
    assert ("opm", "Policy", 1) in counts(database).agency
    with database.session() as session:
        service.update_agency(session, SYSTEM, "opm", AgencyUpdate(name="Policy and Management"))
    assert ("opm", "Policy and Management", 1) in counts(database).agency


def test_published_counts_follow_publication(database: Database, tmp_path: Path) -> None:
    ids = seed(database, tmp_path)
    published = service.DatasetFilter(status="published")
    assert counts(database, published).agency == []
    with database.session() as session:
        record_public_assessment(session, ids["grants"], "Grants to towns.")  # the publish gate
        service.set_status(session, SYSTEM, ids["grants"], "published")
    assert counts(database, published).agency == [("opm", "Policy", 1)]


def test_uncommitted_changes_are_counted_only_by_their_own_session(
    database: Database, tmp_path: Path
) -> None:
    seed(database, tmp_path)
    before = counts(database)
    with pytest.raises(RuntimeError), database.session() as session:
        data = DatasetCreate(agency="opm", title="Budget", category="Government")
        service.create_dataset(session, SYSTEM, data)
        assert ("opm", "Policy", 2) in service.facet_counts(session, EVERYTHING).agency
        raise RuntimeError("roll back")
    assert counts(database) == before


def test_changes_made_by_another_process_show_up_within_the_ttl(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = seed(database, tmp_path)
    counts(database)
    other = Database(database.url)  # no session, so no flush hook: as another process would
    try:
        with other.engine.begin() as connection:
            connection.execute(
                text("UPDATE dataset SET category = 'Business' WHERE id = :id"),
                {"id": ids["covid"]},
            )
    finally:
        other.dispose()
    assert ("Business", 1) not in counts(database).category  # not seen yet: the documented limit
    monkeypatch.setattr(listing, "FACET_CACHE_TTL_S", 0.0)
    assert ("Business", 1) in counts(database).category


def test_a_search_runs_once_for_its_page_and_its_facets(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(database, tmp_path)
    calls: list[str | None] = []
    original: Callable[..., Any] = search.ranked_ids

    def ranked_ids(session: Any, q: str | None) -> list[str] | None:
        calls.append(q)
        return original(session, q)

    monkeypatch.setattr(search, "ranked_ids", ranked_ids)
    where = service.DatasetFilter(q="health")
    with database.session() as session:
        page = service.list_datasets(session, where=where, order="relevance", limit=1)
        facets = service.facet_counts(session, where)
    assert calls == ["health"]
    assert page.count == 2
    assert facets.agency == [("dph", "Public Health", 2)]
