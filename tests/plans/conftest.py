"""Plans and assessments fixtures: three agencies, a few dph datasets (one already published),
one person in each role, on SQLite and on PostgreSQL, and clients signed in as each of them."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from steward.accounts import service as accounts
from steward.accounts.policy import SYSTEM, Actor
from steward.accounts.schemas import TokenCreate
from steward.app import create_app
from steward.catalog import service as catalog
from steward.catalog import versions
from steward.catalog.schemas import DatasetCreate
from steward.cli.main import app as cli_app
from steward.config import Settings
from steward.db import Database

PASSWORD = "plans-password-1"
AGENCIES = [
    ("dph", "Department of Public Health"),
    ("ocme", "Office of the Chief Medical Examiner"),
    ("opm", "Office of Policy and Management"),
]
PEOPLE = {
    "cdo@ct.gov": [("cdo", None)],
    "ado@dph.ct.gov": [("ado", "dph")],
    "steward@dph.ct.gov": [("steward", "dph")],
    "analyst@dph.ct.gov": [("analyst", "dph")],
    "steward@opm.ct.gov": [("steward", "opm")],
}
# Not `public`: publishing a public dataset needs a classification assessment first, which is
# another slice's concern; these datasets' rows stay closed, their publication is what counts.
RESTRICTED = "restricted public"
CSV = "year,count\n2024,3\n2025,4\n"


@dataclass
class World:
    database: Database
    settings: Settings
    cdo: Actor
    ado: Actor
    steward: Actor
    analyst: Actor
    outsider: Actor  # a steward of another agency

    def dataset(self, dataset_id: str, agency: str = "dph", **metadata: Any) -> str:
        """A dataset with one version, ready to publish (as the system)."""
        with self.database.session() as session:
            values = {
                "id": dataset_id,
                "agency": agency,
                "title": f"Dataset {dataset_id}",
                "access_level": RESTRICTED,
                **metadata,
            }
            catalog.create_dataset(session, SYSTEM, DatasetCreate.model_validate(values))
        source = self.settings.data_dir.parent / f"{dataset_id}.csv"
        source.write_text(CSV, encoding="utf-8")
        with self.database.session() as session:
            versions.ingest_version(session, SYSTEM, self.settings.data_dir, dataset_id, source)
        return dataset_id

    def publish(self, dataset_id: str) -> None:
        with self.database.session() as session:
            catalog.set_status(session, SYSTEM, dataset_id, "published")


@pytest.fixture
def world(database: Database, settings: Settings, snapshots: Any, seed: Any) -> World:
    settings.database_url = database.url

    def build() -> dict[str, Actor]:
        actors: dict[str, Actor] = seed(database, AGENCIES, PEOPLE)
        made = _world(database, settings, actors)
        made.dataset("plan-0001", title="Lead poisoning cases by town", update_frequency="R/P1Y")
        made.dataset("plan-0002", title="Licensed clinics")
        made.publish("plan-0002")
        made.dataset("plan-0003", agency="opm", title="Grants to towns")
        return actors

    # `snapshots` is tests/conftest.py's: the world is built once per process and copied.
    return _world(
        database, settings, snapshots.restore_or_build("plans", database, settings, build)
    )


def _world(database: Database, settings: Settings, actors: dict[str, Actor]) -> World:
    return World(
        database,
        settings,
        cdo=actors["cdo@ct.gov"],
        ado=actors["ado@dph.ct.gov"],
        steward=actors["steward@dph.ct.gov"],
        analyst=actors["analyst@dph.ct.gov"],
        outsider=actors["steward@opm.ct.gov"],
    )


@pytest.fixture
def app_client(world: World) -> Iterator[TestClient]:
    with TestClient(create_app(world.settings)) as client:
        yield client


@pytest.fixture
def bearer(world: World) -> Callable[[str], dict[str, str]]:
    """`bearer(email)`: headers carrying a fresh API token of that user."""

    def headers(email: str) -> dict[str, str]:
        with world.database.session() as session:
            actor = accounts.actor_by_email(session, email)
            token = accounts.create_token(session, actor, TokenCreate(name="test")).token
        return {"Authorization": f"Bearer {token}"}

    return headers


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


@pytest.fixture
def sign_in(world: World) -> Callable[[TestClient, str], None]:
    """`sign_in(client, email)`: the client signs in through the login form."""

    def run(client: TestClient, email: str) -> None:
        with world.database.session() as session:
            accounts.reset_password(session, SYSTEM, email, PASSWORD)
        client.cookies.clear()
        token = csrf_of(client.get("/login").text)
        data = {"email": email, "password": PASSWORD, "csrf_token": token, "next": "/"}
        response = client.post("/login", data=data, follow_redirects=False)
        assert response.status_code == 303, response.text

    return run


Run = Callable[..., str]


@pytest.fixture
def steward(world: World) -> Run:
    """`steward(*args, as_=EMAIL, ok=True)` runs the CLI on the world's store."""
    runner = CliRunner()

    def run(*args: str, as_: str | None = None, ok: bool = True) -> str:
        root = ["--data-dir", str(world.settings.data_dir), "--database-url", world.database.url]
        acting = ["--as", as_] if as_ else []
        result = runner.invoke(cli_app, [*root, *acting, *args])
        assert (result.exit_code == 0) is ok, result.output
        return result.output

    return run
