"""A store holding Connecticut's agencies, and the 2017 data.ct.gov catalog snapshot."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from steward.accounts.policy import SYSTEM
from steward.catalog import service
from steward.catalog.schemas import AgencyCreate
from steward.config import Settings
from steward.db import Database
from steward.harvest.detect import parse_document
from steward.harvest.records import ParsedCatalog

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "harvest"
SNAPSHOT = FIXTURES / "data_ct_gov_catalog_2017_axibase.csv"
AGENCIES = FIXTURES / "ct_agencies.csv"


def agency_rows() -> list[dict[str, str]]:
    with AGENCIES.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def store(settings: Settings) -> Iterator[Database]:
    """A fresh SQLite store with the state's agencies registered."""
    settings.ensure_data_dir()
    database = Database(settings.resolved_database_url)
    database.migrate()
    with database.session() as session:
        for row in agency_rows():
            service.create_agency(session, SYSTEM, AgencyCreate.model_validate(row))
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def snapshot() -> ParsedCatalog:
    return parse_document(SNAPSHOT.read_bytes(), portal="https://data.ct.gov")
