"""The demo catalog loaded once per test process for the page tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from steward.app import create_app
from steward.config import Settings
from steward.db import Database
from steward.demo.loader import load_demo


@pytest.fixture(scope="session")
def portal_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    data_dir = tmp_path_factory.mktemp("portal") / "data"
    settings = Settings(data_dir=data_dir, _env_file=None)  # type: ignore[call-arg]
    settings.ensure_data_dir()
    database = Database(settings.resolved_database_url)
    database.migrate()
    load_demo(database, settings.data_dir)
    database.dispose()
    return settings


@pytest.fixture(scope="session")
def portal(portal_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(portal_settings)) as client:
        yield client
