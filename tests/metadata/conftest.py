"""The demo catalog loaded once per test process for the metadata tests, and a `seed` factory
adding small published datasets to the fresh store of the root `client` fixture."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from steward.accounts.policy import SYSTEM
from steward.app import create_app
from steward.catalog import service, versions
from steward.catalog.schemas import AgencyCreate, DatasetCreate, DatasetPublic, FieldUpdate
from steward.classification.service import record_public_assessment
from steward.config import Settings
from steward.db import Database
from steward.demo.loader import load_demo

# Metadata that meets the Connecticut standard; tests override one piece at a time.
COMPLETE: dict[str, object] = {
    "title": "Town Population Estimates by Year",
    "description": (
        "Each row is one estimate of the number of people living in one Connecticut town in "
        "one year, as published by the Department of Public Health for use as denominators "
        "of rates in state programs, with the town's name and the year of the estimate."
    ),
    "category": "Health and Human Services",
    "keywords": ["population", "towns", "estimates"],
    "license": "Public Domain",
    "update_frequency": "R/P1Y",
    "temporal_coverage": "2019/2020",
    "spatial_coverage": "Connecticut, by town",
    "source_system": "DPH annual town population estimates",
    "landing_page": "https://portal.ct.gov/dph",
    "contact_name": "DPH Data Team",
    "contact_email": "dph.data@ct.gov",
}
# Every stored type: text, integer and decimal numbers, checkbox, timestamp (with and without a
# time of day), point, and blanks in each.
CSV = (
    "Town,Year,Population,Share,Counted,Measured At,Location\n"
    "Andover,2019,3236,0.09,true,2019-07-01T08:00:00,POINT (-72.37 41.73)\n"
    'Hartford,2020,121054,3.4,false,2020-07-01T13:45:10.250,"POINT (-72.68 41.76)"\n'
    "Ansonia,2020,,,,,\n"
)
Seed = Callable[..., DatasetPublic]


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder = tmp_path_factory.mktemp("metadata-demo") / "data"
    settings = Settings(data_dir=folder, _env_file=None)  # type: ignore[call-arg]
    settings.ensure_data_dir()
    database = Database(settings.resolved_database_url)
    database.migrate()
    load_demo(database, settings.data_dir)
    database.dispose()
    return settings


@pytest.fixture(scope="session")
def demo_api(demo_store: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(demo_store)) as client:
        yield client


@pytest.fixture
def seed(client: TestClient, tmp_path: Path) -> Seed:
    """`seed(agency=..., undescribed=(...), **metadata)` adds a published dataset."""
    database: Database = client.app.state.database  # type: ignore[attr-defined]
    data_dir: Path = client.app.state.settings.data_dir  # type: ignore[attr-defined]
    source = tmp_path / "towns.csv"
    source.write_text(CSV)

    def add(
        *, agency: str = "dph", undescribed: tuple[str, ...] = (), **extra: object
    ) -> DatasetPublic:
        with database.session() as session:
            if agency not in {known.slug for known in service.list_agencies(session)}:
                name = f"Agency {agency.upper()}"
                service.create_agency(session, SYSTEM, AgencyCreate(slug=agency, name=name))
            data = DatasetCreate.model_validate({**COMPLETE, "agency": agency, **extra})
            dataset_id = service.create_dataset(session, SYSTEM, data).id
            versions.ingest_version(
                session, SYSTEM, data_dir, dataset_id, source, created_by="test"
            )
            for field in service.list_fields(session, dataset_id):
                if field.name not in undescribed:
                    text = FieldUpdate(description=f"The {field.label.lower()}.")
                    service.update_field(session, SYSTEM, dataset_id, field.name, text)
            if data.access_level in (None, "public"):  # the publish gate wants an assessment
                record_public_assessment(session, dataset_id, "Aggregate test data.")
            return service.set_status(session, SYSTEM, dataset_id, "published")

    return add


@pytest.fixture
def make() -> Callable[..., DatasetPublic]:
    """A `DatasetPublic` built in memory: the complete metadata, then the overrides."""
    from datetime import UTC, datetime

    from steward.catalog.schemas import FieldPublic

    def build(*, fields: list[FieldPublic] | None = None, **overrides: object) -> DatasetPublic:
        moment = datetime(2024, 5, 1, 12, 30, tzinfo=UTC)
        values: dict[str, object] = {
            **COMPLETE,
            "id": "abcd-1234",
            "agency": "dph",
            "agency_name": "Department of Public Health",
            "access_level": "public",
            "classification": "public",
            "status": "published",
            "created_at": moment,
            "modified_at": moment,
            "published_at": moment,
            "row_count": 3,
            "current_version": 1,
            "data_updated_at": moment,
            "fields": fields if fields is not None else [],
        }
        values.update(overrides)
        return DatasetPublic.model_validate(values)

    return build
