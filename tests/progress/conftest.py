"""Progress fixtures: the demo catalog (three agencies, five published datasets), one person in
each role, a data request to dph, on SQLite and on PostgreSQL; clients and the CLI."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from steward.accounts import service as accounts
from steward.accounts.policy import SYSTEM, Actor
from steward.accounts.schemas import RoleGrant, UserCreate
from steward.app import create_app
from steward.cli.main import app as cli_app
from steward.config import Settings
from steward.db import Database
from steward.demo.loader import load_demo
from steward.inventory import assets as inventory_assets
from steward.inventory import service as inventory
from steward.inventory.schemas import AssetCreate, CycleCreate
from steward.progress.schemas import PeriodCreate
from steward.requests import service as requests
from steward.requests.schemas import DataRequestCreate

PASSWORD = "progress-password-1"
PEOPLE = {
    "cdo@ct.gov": [("cdo", None)],
    "ado@dph.ct.gov": [("ado", "dph")],
    "analyst@dph.ct.gov": [("analyst", "dph")],
    "ado@opm.ct.gov": [("ado", "opm")],
}
REQUEST_TITLE = "Clinic inspections by town"
PERIOD = PeriodCreate(
    name="FY 2026", starts_on=date(2025, 7, 1), ends_on=date(2026, 6, 30), due_on=date(2099, 9, 30)
)


@dataclass
class World:
    database: Database
    settings: Settings
    cdo: Actor
    ado: Actor
    analyst: Actor
    other_ado: Actor  # the ADO of opm

    def inventory(self, year: int = 2026) -> None:
        """Open a cycle with one dph asset (as the system), not submitted yet."""
        asset = {
            "name": "Licensed clinics",
            "criteria": {"A": {"applies": True, "justification": "Runs the licensing programme"}},
            "classification": "public",
            "access_level": "public",
            "open_data_status": "planned",
            "planned_date": date(2027, 3, 1),
        }
        with self.database.session() as session:
            inventory.open_cycle(
                session, SYSTEM, CycleCreate(year=year, due_date=date(year, 3, 31))
            )
            inventory_assets.add_asset(
                session, SYSTEM, year, "dph", AssetCreate.model_validate(asset)
            )


@pytest.fixture
def world(database: Database, settings: Settings, snapshots: Any) -> World:
    settings.database_url = database.url

    def build() -> dict[str, Actor]:
        load_demo(database, settings.data_dir)
        with database.session() as session:
            for email, roles in PEOPLE.items():
                grants = [RoleGrant.model_validate({"role": r, "agency": a}) for r, a in roles]
                data = UserCreate(email=email, name=email.split("@")[0].title(), roles=grants)
                accounts.create_user(session, SYSTEM, data)
            actors = {email: accounts.actor_by_email(session, email) for email in PEOPLE}
            filed = DataRequestCreate.model_validate(
                {
                    "requester_name": "Pat Reyes",
                    "requester_email": "pat.reyes@example.org",
                    "requester_kind": "nonprofit",
                    "title": REQUEST_TITLE,
                    "description": "Every inspection of a licensed clinic since 2015, by town.",
                    "purpose": "To map where inspections find problems most often.",
                    "agency": "dph",
                }
            )
            requests.file_request(session, SYSTEM, filed, settings)
        return actors

    # `snapshots` is tests/conftest.py's: the demo is loaded once per process and copied.
    actors = snapshots.restore_or_build("progress", database, settings, build)
    return World(
        database,
        settings,
        cdo=actors["cdo@ct.gov"],
        ado=actors["ado@dph.ct.gov"],
        analyst=actors["analyst@dph.ct.gov"],
        other_ado=actors["ado@opm.ct.gov"],
    )


@pytest.fixture
def app_client(world: World) -> Iterator[TestClient]:
    with TestClient(create_app(world.settings)) as client:
        yield client


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


@pytest.fixture
def sign_in(world: World) -> Callable[[TestClient, str], str]:
    """`sign_in(client, email)`: signs in through the login form; returns a CSRF token."""

    def run(client: TestClient, email: str) -> str:
        with world.database.session() as session:
            accounts.reset_password(session, SYSTEM, email, PASSWORD)
        client.cookies.clear()
        token = csrf_of(client.get("/login").text)
        data = {"email": email, "password": PASSWORD, "csrf_token": token, "next": "/"}
        response = client.post("/login", data=data, follow_redirects=False)
        assert response.status_code == 303, response.text
        return csrf_of(client.get("/account").text)

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
