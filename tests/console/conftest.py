"""The console's world: agencies dph and opm, a dataset of each (dph's with data), and one person
per role. Built on the root `database` fixture, so every test here runs on SQLite and, when
configured, on PostgreSQL; apps built from `settings` use the same store."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from steward.accounts import credentials
from steward.accounts import service as accounts
from steward.accounts.models import User
from steward.accounts.policy import ANONYMOUS, SYSTEM, Actor
from steward.accounts.schemas import RoleGrant, TokenCreate, UserCreate
from steward.app import create_app
from steward.catalog import service, versions
from steward.catalog.schemas import AgencyCreate, DatasetCreate
from steward.config import Settings
from steward.db import Database

PASSWORD = "console-password-1"
CSV = "Town,Count\nAndover,1\nHartford,5\n"
DPH_DATASET = "cons-0001"  # dph, public access, has a version
OPM_DATASET = "cons-0002"  # opm, no data
PEOPLE = {
    "analyst": ("analyst@dph.ct.gov", "dph", "analyst"),
    "steward": ("steward@dph.ct.gov", "dph", "steward"),
    "ado": ("ado@dph.ct.gov", "dph", "ado"),
    "cdo": ("cdo@ct.gov", None, "cdo"),
    "opm": ("steward@opm.ct.gov", "opm", "steward"),
}
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class World:
    database: Database
    settings: Settings
    actors: dict[str, Actor]
    dph: str = DPH_DATASET
    opm: str = OPM_DATASET
    csv: str = CSV
    password: str = PASSWORD

    def actor(self, who: str) -> Actor:
        return ANONYMOUS if who == "anonymous" else self.actors[who]


def build_world(database: Database, settings: Settings, passwords: bool) -> World:
    settings.database_url = database.url
    source = settings.data_dir / "towns.csv"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(CSV)
    with database.session() as session:
        service.create_agency(session, SYSTEM, AgencyCreate(slug="dph", name="Public Health"))
        service.create_agency(session, SYSTEM, AgencyCreate(slug="opm", name="Policy and Mgmt"))
        data = DatasetCreate(id=DPH_DATASET, agency="dph", title="Town counts of something")
        service.create_dataset(session, SYSTEM, data)
        other = DatasetCreate(id=OPM_DATASET, agency="opm", title="Grants by town")
        service.create_dataset(session, SYSTEM, other)
        versions.ingest_version(session, SYSTEM, settings.data_dir, DPH_DATASET, source)
        for email, agency, role in PEOPLE.values():
            grant = RoleGrant(role=role, agency=agency)  # type: ignore[arg-type]
            user = UserCreate(
                email=email, name=email.split("@")[0].title(), agency=agency, roles=[grant]
            )
            created = accounts.create_user(session, SYSTEM, user)
            account = session.get(User, created.id)
            if passwords and account is not None:  # one argon2 hash for all: it is slow on purpose
                account.password_hash = _password_hash()
        actors = {
            key: accounts.actor_by_email(session, email) for key, (email, *_) in PEOPLE.items()
        }
    return World(database, settings, actors)


@cache
def _password_hash() -> str:
    return credentials.hash_password(PASSWORD)


@pytest.fixture
def world(database: Database, settings: Settings, snapshots: Any) -> World:
    return _copied_world(database, settings, snapshots, passwords=False)


@pytest.fixture
def web_world(database: Database, settings: Settings, snapshots: Any) -> World:
    return _copied_world(database, settings, snapshots, passwords=True)


def _copied_world(database: Database, settings: Settings, snapshots: Any, passwords: bool) -> World:
    """`build_world` once per process and backend, then a copy (tests/conftest.py's snapshots)."""
    settings.database_url = database.url
    actors = snapshots.restore_or_build(
        f"console-{passwords}",
        database,
        settings,
        lambda: build_world(database, settings, passwords).actors,
    )
    return World(database, settings, actors)


@pytest.fixture
def app_client(web_world: World) -> Iterator[TestClient]:
    with TestClient(create_app(web_world.settings)) as client:
        yield client


def _sign_in(client: TestClient, who: str) -> str:
    """Sign `client` in as one of PEOPLE through the real form; returns a CSRF token for forms."""
    client.cookies.clear()
    login = client.get("/login")
    token = CSRF_INPUT.search(login.text)
    assert token is not None
    email = PEOPLE[who][0]
    form = {"email": email, "password": PASSWORD, "csrf_token": token.group(1), "next": "/console"}
    response = client.post("/login", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    return csrf_of(client.get("/account").text)


def csrf_of(page: str) -> str:
    found = CSRF_META.search(page) or CSRF_INPUT.search(page)
    assert found is not None
    return found.group(1)


def _bearer(world: World, who: str) -> dict[str, str]:
    """An API token of one of PEOPLE, as request headers."""
    with world.database.session() as session:
        created = accounts.create_token(session, world.actors[who], TokenCreate(name="test"))
    return {"Authorization": f"Bearer {created.token}"}


def uploads_left(settings: Settings) -> list[Path]:
    folder = settings.data_dir / "uploads"
    return sorted(folder.iterdir()) if folder.exists() else []


SignIn = Callable[[TestClient, str], str]
Bearer = Callable[[World, str], dict[str, str]]


@pytest.fixture
def sign_in() -> SignIn:
    """`sign_in(client, "steward")` signs in through /login; returns the CSRF token for forms."""
    return _sign_in


@pytest.fixture
def bearer() -> Bearer:
    """`bearer(world, "cdo")`: headers with a fresh API token of that person."""
    return _bearer


@pytest.fixture
def leftovers() -> Callable[[Settings], list[Path]]:
    """Files left in the uploads folder (there should never be any after a request)."""
    return uploads_left
