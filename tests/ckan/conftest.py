"""The demo catalog loaded once for the CKAN tests, a test client and a real server over it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from steward.app import create_app
from steward.config import Settings
from steward.db import Database
from steward.demo.loader import load_demo


@pytest.fixture(scope="session")
def ckan_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    data_dir = tmp_path_factory.mktemp("ckan-demo") / "data"
    settings = Settings(data_dir=data_dir, _env_file=None)  # type: ignore[call-arg]
    settings.ensure_data_dir()
    database = Database(settings.resolved_database_url)
    database.migrate()
    load_demo(database, settings.data_dir)
    database.dispose()
    return settings


@pytest.fixture(scope="session")
def ckan_app(ckan_settings: Settings) -> FastAPI:
    return create_app(ckan_settings)


@pytest.fixture(scope="session")
def demo(ckan_app: FastAPI) -> Iterator[TestClient]:
    """A client over the demo catalog; tests must not change it (use `client` to write)."""
    with TestClient(ckan_app) as client:
        yield client


@pytest.fixture(scope="session")
def ckan_server(ckan_app: FastAPI, live_server: Any) -> Iterator[str]:
    """Base URL of a real uvicorn server over the demo catalog, for ckanapi."""
    with live_server(ckan_app) as base:
        yield base
