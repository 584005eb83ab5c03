"""Quality fixtures: the demo catalog loaded once per process, and a small fresh store where a
test creates a dataset and ingests CSV text as versions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from steward.accounts.policy import SYSTEM
from steward.app import create_app
from steward.catalog import service, versions
from steward.catalog.schemas import AgencyCreate, DatasetCreate, VersionPublic
from steward.classification.service import record_public_assessment
from steward.config import Settings
from steward.db import Database
from steward.demo.loader import load_demo

Ingest = Callable[[str], VersionPublic]


@pytest.fixture(scope="session")
def demo_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    data_dir = tmp_path_factory.mktemp("quality-demo") / "data"
    settings = Settings(data_dir=data_dir, _env_file=None)  # type: ignore[call-arg]
    settings.ensure_data_dir()
    database = Database(settings.resolved_database_url)
    database.migrate()
    load_demo(database, settings.data_dir)
    database.dispose()
    return settings


@pytest.fixture(scope="session")
def demo_db(demo_settings: Settings) -> Iterator[Database]:
    database = Database(demo_settings.resolved_database_url)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def demo_client(demo_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(demo_settings)) as client:
        yield client


@pytest.fixture
def store(database: Database, settings: Settings) -> Database:
    """The root fixture's migrated store (SQLite, and PostgreSQL when configured) with agency
    `dph` and a published dataset `qual-0001` (daily updates) that has no data yet; apps built
    from `settings` use the same store."""
    settings.database_url = database.url
    with database.session() as session:
        service.create_agency(
            session, SYSTEM, AgencyCreate(slug="dph", name="Department of Public Health")
        )
        service.create_dataset(
            session,
            SYSTEM,
            DatasetCreate(
                id="qual-0001",
                agency="dph",
                title="Town counts",
                update_frequency="R/P1D",
            ),
        )
    return database


@pytest.fixture
def ingest(store: Database, settings: Settings, tmp_path: Path) -> Ingest:
    """Ingest CSV text into `qual-0001` as a new version (published after the first)."""
    counter = iter(range(1, 1000))

    def load(text: str) -> VersionPublic:
        source = tmp_path / f"upload-{next(counter)}.csv"
        source.write_text(text, encoding="utf-8")
        with store.session() as session:
            version = versions.ingest_version(
                session, SYSTEM, settings.data_dir, "qual-0001", source, created_by="test"
            )
            dataset = service.load_dataset(session, "qual-0001")
            if dataset.status == "draft" and service.current_version(dataset) is not None:
                if dataset.access_level == "public":  # the publish gate wants an assessment
                    record_public_assessment(session, "qual-0001", "Aggregate test data.")
                service.set_status(session, SYSTEM, "qual-0001", "published")
        return version

    return load
