"""Shared fixtures: a fresh store per test, the app built by a factory, optional PostgreSQL."""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from steward.app import create_app
from steward.config import Settings
from steward.db import Database

REQUIRE_ALL = os.environ.get("STEWARD_REQUIRE_ALL_TESTS") == "1"


def skip_or_fail(reason: str) -> None:
    """Skip with the reason on a developer machine; in CI a missing service is a failure."""
    if REQUIRE_ALL:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", _env_file=None)  # type: ignore[call-arg]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, settings: Settings) -> Iterator[Database]:
    """A migrated metadata store; every repository test runs on SQLite and on PostgreSQL."""
    settings.ensure_data_dir()
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_url")
    else:
        url = settings.resolved_database_url
    database = Database(url)
    database.migrate()
    yield database
    database.dispose()


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL database, created for the test and dropped after it."""
    base = os.environ.get("STEWARD_TEST_POSTGRES_URL")
    if not base:
        skip_or_fail("STEWARD_TEST_POSTGRES_URL is not set (a PostgreSQL URL to test against)")
    assert base is not None
    admin_url = "postgresql+psycopg://" + base.split("://", 1)[1]
    name = f"steward_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def _serving(app: FastAPI) -> Iterator[str]:
    """A real uvicorn server for `app` on a free loopback port; yields its base URL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz").status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.05)
    try:
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server() -> Callable[[FastAPI], AbstractContextManager[str]]:
    """`with live_server(app) as base_url:` runs a real server, for clients and browsers."""
    return _serving
