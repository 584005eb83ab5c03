"""The demo catalog loaded once per test process, and a real server for client libraries."""

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
def demo_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = Settings(data_dir=tmp_path_factory.mktemp("demo") / "data", _env_file=None)  # type: ignore[call-arg]
    settings.ensure_data_dir()
    database = Database(settings.resolved_database_url)
    database.migrate()
    load_demo(database, settings.data_dir)
    database.dispose()
    return settings


@pytest.fixture(scope="session")
def demo_app(demo_settings: Settings) -> FastAPI:
    return create_app(demo_settings)


@pytest.fixture(scope="session")
def demo_client(demo_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(demo_app) as client:
        yield client


@pytest.fixture(scope="session")
def demo_server(demo_app: FastAPI, live_server: Any) -> Iterator[str]:
    """`host:port` of a real uvicorn server over the demo store, for sodapy and browsers."""
    with live_server(demo_app) as base:
        yield base.removeprefix("http://")
