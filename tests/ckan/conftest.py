"""The demo catalog loaded once for the CKAN tests, a test client and a real server over it."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def ckan_server(ckan_app: FastAPI) -> Iterator[str]:
    """Base URL of a real uvicorn server over the demo catalog, for ckanapi."""
    port = _free_port()
    config = uvicorn.Config(ckan_app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
