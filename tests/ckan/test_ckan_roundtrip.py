"""Steward's CKAN answers are a catalog another Steward can harvest (same ids, same agencies)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from steward.accounts.policy import SYSTEM
from steward.catalog import service
from steward.catalog.schemas import AgencyCreate
from steward.config import Settings
from steward.db import Database
from steward.harvest.detect import parse_document
from steward.harvest.service import HarvestOptions, harvest_catalog


def test_package_search_output_harvests_into_another_store(
    demo: TestClient, settings: Settings
) -> None:
    answer = demo.get("/api/3/action/package_search", params={"rows": 1000})
    catalog = parse_document(answer.content)
    assert catalog.format == "ckan" and len(catalog.records) == 5
    settings.ensure_data_dir()
    database = Database(settings.resolved_database_url)
    database.migrate()
    with database.session() as session:
        for slug, name in [("dph", "Public Health"), ("ocme", "Medical Examiner"), ("opm", "OPM")]:
            service.create_agency(session, SYSTEM, AgencyCreate(slug=slug, name=name))
        report = harvest_catalog(session, catalog, "ckan", HarvestOptions())
    assert report.created == 5
    assert {outcome.method for outcome in report.agencies} == {"slug"}
    with database.session() as session:
        covid = service.get_dataset(session, "28fr-iqnx")
        assert covid.agency == "dph" and covid.status == "draft"
        assert covid.update_frequency == "R/P1D"
        assert service.get_dataset(session, "rybz-nyjw").access_level == "non-public"
    database.dispose()
