"""Account fixtures: people with roles in a small store (SQLite, and PostgreSQL when configured),
an app over the same store, and helpers that sign a browser-like client in through /login."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from httpx2 import Response  # what starlette's TestClient answers with

from steward.accounts import credentials, service
from steward.accounts.policy import SYSTEM
from steward.accounts.schemas import RoleGrant, UserCreate, UserPublic
from steward.app import create_app
from steward.catalog import service as catalog
from steward.catalog.schemas import AgencyCreate
from steward.config import Settings
from steward.db import Database

PASSWORD = "matrix-password-1"
AGENCIES = {"dph": "Department of Public Health", "opm": "Office of Policy and Management"}
CSRF_PATTERN = re.compile(
    r'<meta name="csrf-token" content="([^"]+)"|name="csrf_token" value="([^"]+)"'
)

AddUser = Callable[..., UserPublic]


def grants(roles: list[str]) -> list[RoleGrant]:
    """`steward@dph` / `cdo` -> role grants, as the CLI spells them."""
    found = []
    for text in roles:
        role, _, agency = text.partition("@")
        found.append(RoleGrant.model_validate({"role": role, "agency": agency or None}))
    return found


def add_user(
    database: Database,
    email: str,
    roles: list[str],
    *,
    name: str | None = None,
    password: str | None = PASSWORD,
    agency: str | None = None,
) -> UserPublic:
    """A user made by the local operator (the system actor), as `steward user add` would."""
    home = agency or next((r.partition("@")[2] for r in roles if "@" in r), None)
    data = UserCreate(
        email=email,
        name=name or email.split("@")[0].replace(".", " ").title(),
        agency=home,
        password=password,
        roles=grants(roles),
    )
    with database.session() as session:
        return service.create_user(session, SYSTEM, data)


def csrf_of(html: str) -> str:
    """The CSRF token a page offers: its `<meta name="csrf-token">` or a form's hidden field."""
    found = CSRF_PATTERN.search(html)
    assert found is not None, "the page carries no CSRF token"
    return found.group(1) or found.group(2)


def sign_in(
    client: TestClient, email: str, password: str = PASSWORD, next_url: str = "/account"
) -> Response:
    """Post the real sign-in form (with the token it carries); the answer is not followed."""
    token = csrf_of(client.get("/login").text)
    form = {"csrf_token": token, "email": email, "password": password, "next": next_url}
    return client.post("/login", data=form, follow_redirects=False)


def page_token(client: TestClient, path: str = "/account") -> str:
    return csrf_of(client.get(path).text)


REAL_HASHER = credentials._hasher
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(autouse=True)
def fast_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 at a test cost: these tests sign in hundreds of times. `real_argon2` undoes it
    for the tests about the hash itself."""
    monkeypatch.setattr(credentials, "_hasher", FAST_HASHER)


@pytest.fixture
def real_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(credentials, "_hasher", REAL_HASHER)


@pytest.fixture
def store(database: Database, settings: Settings) -> Database:
    """The root fixture's store with agencies dph and opm; apps built from `settings` use it."""
    settings.database_url = database.url
    with database.session() as session:
        for slug, name in AGENCIES.items():
            catalog.create_agency(session, SYSTEM, AgencyCreate(slug=slug, name=name))
    return database


@pytest.fixture
def people(store: Database) -> dict[str, UserPublic]:
    """One person per role: analyst, steward and ADO of dph, an ADO of opm and the CDO."""
    emails = {
        "analyst": ("analyst@dph.ct.gov", ["analyst@dph"]),
        "steward": ("steward@dph.ct.gov", ["steward@dph"]),
        "ado": ("ado@dph.ct.gov", ["ado@dph"]),
        "opm_ado": ("ado@opm.ct.gov", ["ado@opm"]),
        "cdo": ("cdo@ct.gov", ["cdo"]),
    }
    return {key: add_user(store, email, roles) for key, (email, roles) in emails.items()}


@pytest.fixture
def web(store: Database, settings: Settings) -> Iterator[TestClient]:
    """A browser-like client of an app over `store` (cookies kept between requests)."""
    with TestClient(create_app(settings)) as client:
        yield client
