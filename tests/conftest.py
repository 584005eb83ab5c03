"""Shared fixtures: a fresh store per test, the app built by a factory, optional PostgreSQL."""

from __future__ import annotations

import copy
import os
import shutil
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from steward.accounts import service as accounts
from steward.accounts.policy import SYSTEM, Actor
from steward.accounts.schemas import RoleGrant, UserCreate
from steward.app import create_app
from steward.catalog import service as catalog
from steward.catalog.schemas import AgencyCreate
from steward.config import Settings
from steward.db import Database

T = TypeVar("T")

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
    """A migrated metadata store; every repository test runs on SQLite and on PostgreSQL.

    The store starts as a copy of one migrated once per test process (`migrated_sqlite` /
    `migrated_postgres_url`); `migrate()` then finds it at head. The migrations themselves run
    from empty when that copy is made and in tests/db.
    """
    settings.ensure_data_dir()
    if request.param == "postgres":
        url = request.getfixturevalue("migrated_postgres_url")
    else:
        url = settings.resolved_database_url
        seed_sqlite(settings, request.getfixturevalue("migrated_sqlite"))
    database = Database(url)
    database.migrate()
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store migrated to head once per test process, copied by `seed_sqlite`."""
    path = tmp_path_factory.mktemp("migrated") / "steward.db"
    database = Database(f"sqlite:///{path}")
    database.migrate()
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.dispose()
    return path


def seed_sqlite(settings: Settings, migrated: Path) -> None:
    """Start the settings' SQLite store as a copy of the migrated one (when it has none yet)."""
    target = settings.data_dir / "steward.db"
    if settings.database_url or target.exists():
        return
    settings.ensure_data_dir()
    shutil.copyfile(migrated, target)


class Snapshots:
    """Stores built once per test process and copied for each test that asks for them.

    `restore_or_build(name, database, settings, build)` runs `build()` (which fills the store and
    returns the values a fixture needs, e.g. the actors) the first time per name and backend,
    then saves the store (the data directory, and on PostgreSQL a template database); later
    calls replace the test's store with a copy and return a deep copy of the saved values.
    Every test still gets a store of its own.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.saved: dict[tuple[str, str], tuple[Path, str | None, Any]] = {}

    def restore_or_build(
        self, name: str, database: Database, settings: Settings, build: Callable[[], T]
    ) -> T:
        backend = "postgres" if database.url.startswith("postgresql") else "sqlite"
        key = (name, backend)
        if key in self.saved:
            directory, template, values = self.saved[key]
            database.dispose()
            if template:
                _recreate_database(database.url, template)
            shutil.rmtree(settings.data_dir)
            shutil.copytree(directory, settings.data_dir)
            return copy.deepcopy(values)  # type: ignore[no-any-return]
        values = build()
        database.dispose()
        directory = self.root / f"{len(self.saved)}-{backend}"
        shutil.copytree(settings.data_dir, directory)
        template = None
        if backend == "postgres":
            template = f"steward_snap_{uuid.uuid4().hex[:12]}"
            _copy_database(database.url, template)
        self.saved[key] = (directory, template, copy.deepcopy(values))
        return values

    def drop(self) -> None:
        for _directory, template, _values in self.saved.values():
            if template:
                _admin(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')


def _admin(*statements: str) -> None:
    """Run statements on the PostgreSQL server outside a transaction (CREATE/DROP DATABASE)."""
    admin = create_engine(_admin_url(), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            for statement in statements:
                connection.execute(text(statement))
    finally:
        admin.dispose()


def _copy_database(url: str, name: str) -> None:
    _admin(f'CREATE DATABASE "{name}" TEMPLATE "{url.rsplit("/", 1)[1]}"')


def _recreate_database(url: str, template: str) -> None:
    name = url.rsplit("/", 1)[1]
    _admin(
        f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
        f'CREATE DATABASE "{name}" TEMPLATE "{template}"',
    )


@pytest.fixture(scope="session")
def snapshots(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Snapshots]:
    """The per-process cache of built stores (see `Snapshots`)."""
    saved = Snapshots(tmp_path_factory.mktemp("snapshots"))
    yield saved
    saved.drop()


People = Mapping[str, Sequence[tuple[str, str | None]]]
Seed = Callable[[Database, Sequence[tuple[str, str]], People], dict[str, Actor]]


def seed_store(
    database: Database, agencies: Sequence[tuple[str, str]], people: People
) -> dict[str, Actor]:
    """Add agencies `(slug, name)` and people `{email: [(role, agency slug or None)]}` (no
    password: hashing one is slow on purpose; tests that sign in set one); return their actors."""
    with database.session() as session:
        for slug, name in agencies:
            catalog.create_agency(session, SYSTEM, AgencyCreate(slug=slug, name=name))
        for email, roles in people.items():
            grants = [RoleGrant.model_validate({"role": r, "agency": a}) for r, a in roles]
            data = UserCreate(email=email, name=email.split("@")[0].title(), roles=grants)
            accounts.create_user(session, SYSTEM, data)
        return {email: accounts.actor_by_email(session, email) for email in people}


@pytest.fixture(scope="session")
def seed() -> Seed:
    """`seed(database, agencies, people)`: see `seed_store`."""
    return seed_store


@pytest.fixture
def client(settings: Settings, migrated_sqlite: Path) -> Iterator[TestClient]:
    seed_sqlite(settings, migrated_sqlite)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def _admin_url() -> str:
    base = os.environ.get("STEWARD_TEST_POSTGRES_URL")
    if not base:
        skip_or_fail("STEWARD_TEST_POSTGRES_URL is not set (a PostgreSQL URL to test against)")
    assert base is not None
    return "postgresql+psycopg://" + base.split("://", 1)[1]


@contextmanager
def _throwaway_database(template: str | None = None) -> Iterator[str]:
    """A new PostgreSQL database (a copy of `template` when given), dropped afterwards."""
    name = f"steward_test_{uuid.uuid4().hex[:12]}"
    from_template = f' TEMPLATE "{template}"' if template else ""
    _admin(f'CREATE DATABASE "{name}"{from_template}')
    try:
        yield _admin_url().rsplit("/", 1)[0] + "/" + name
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A throwaway, empty PostgreSQL database, created for the test and dropped after it."""
    with _throwaway_database() as url:
        yield url


@pytest.fixture(scope="session")
def _postgres_template() -> Iterator[str]:
    """A PostgreSQL database migrated to head once per test process (a template to copy)."""
    with _throwaway_database() as url:
        database = Database(url)
        database.migrate()
        database.dispose()
        yield url.rsplit("/", 1)[1]


@pytest.fixture
def migrated_postgres_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A throwaway PostgreSQL database already migrated to head (copied from a template)."""
    _admin_url()  # skips, or fails in CI, before the template is made
    template = request.getfixturevalue("_postgres_template")
    with _throwaway_database(template) as url:
        yield url


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
