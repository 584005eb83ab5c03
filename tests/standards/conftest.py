"""Shared fixtures for the standards tests: the demo data files and a small store."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from steward.accounts.policy import SYSTEM
from steward.catalog import service
from steward.catalog.schemas import AgencyCreate, DatasetCreate
from steward.config import Settings
from steward.db import Database

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "src" / "steward" / "demo" / "data" / "datasets"
FIXTURES = ROOT / "tests" / "fixtures" / "standards"
ADRD = DATA / "accidental_drug_related_deaths_2012-2017_rybz-nyjw.csv"
OPM = DATA / "opm_municipal_grants_2010-2015_5w85-2euh.csv"
COVID_TOWNS = DATA / "covid19_tests_cases_deaths_by_town_28fr-iqnx.csv"
COVID_RACE = DATA / "covid19_cases_deaths_by_race_ethnicity_7rne-efic.csv"


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def store(settings: Settings) -> Iterator[Database]:
    """A migrated SQLite store with agency `ocme` and an empty draft dataset `adrd-0001`."""
    settings.ensure_data_dir()
    database = Database(settings.resolved_database_url)
    database.migrate()
    with database.session() as session:
        service.create_agency(session, SYSTEM, AgencyCreate(slug="ocme", name="Medical Examiner"))
        service.create_agency(session, SYSTEM, AgencyCreate(slug="dph", name="Public Health"))
        service.create_dataset(
            session, SYSTEM, DatasetCreate(title="Deaths", agency="ocme", id="adrd-0001")
        )
    yield database
    database.dispose()
