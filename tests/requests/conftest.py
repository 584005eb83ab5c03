"""Data request fixtures: three agencies, one person in each role (and the ADO of another
agency), on SQLite and on PostgreSQL; an app over the same store with a clock the test sets;
helpers to sign a client in and read a page's CSRF token.

The clocks count in Connecticut's calendar, with one extra closed day configured
(`EXTRA_HOLIDAY`, Tuesday, July 7, 2026) on top of the bundled holidays (Independence Day 2026
is observed on Friday, July 3).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from steward.accounts import service as accounts
from steward.accounts.policy import SYSTEM, Actor
from steward.app import create_app
from steward.catalog import service as catalog
from steward.catalog.schemas import DatasetCreate
from steward.config import Settings
from steward.db import Database
from steward.requests.schemas import DataRequestCreate

EASTERN = ZoneInfo("America/New_York")
EXTRA_HOLIDAY = date(2026, 7, 7)
PASSWORD = "requests-password-1"
PEOPLE = {
    "cdo@ct.gov": [("cdo", None)],
    "ado@dph.ct.gov": [("ado", "dph")],
    "steward@dph.ct.gov": [("steward", "dph")],
    "analyst@dph.ct.gov": [("analyst", "dph")],
    "ado@ocme.ct.gov": [("ado", "ocme")],
}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def eastern(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    """A moment in Connecticut's time zone (aware)."""
    return datetime(year, month, day, hour, minute, tzinfo=EASTERN)


@dataclass
class World:
    database: Database
    settings: Settings
    cdo: Actor
    ado: Actor
    steward: Actor
    analyst: Actor
    ocme_ado: Actor


@pytest.fixture
def world(database: Database, settings: Settings, seed: Any) -> World:
    settings.database_url = database.url
    settings.request_extra_holidays = [EXTRA_HOLIDAY]
    agencies = [
        ("dph", "Department of Public Health"),
        ("ocme", "Office of the Chief Medical Examiner"),
        ("opm", "Office of Policy and Management"),
    ]
    actors = seed(database, agencies, PEOPLE)  # tests/conftest.py's seed_store
    with database.session() as session:
        catalog.create_dataset(
            session, SYSTEM, DatasetCreate(id="clin-0001", agency="dph", title="Clinics")
        )
        catalog.create_dataset(
            session, SYSTEM, DatasetCreate(id="dead-0001", agency="ocme", title="Deaths")
        )
    return World(
        database,
        settings,
        cdo=actors["cdo@ct.gov"],
        ado=actors["ado@dph.ct.gov"],
        steward=actors["steward@dph.ct.gov"],
        analyst=actors["analyst@dph.ct.gov"],
        ocme_ado=actors["ado@ocme.ct.gov"],
    )


@pytest.fixture
def make_request() -> Callable[..., DataRequestCreate]:
    """A valid request to dph; keyword arguments change fields."""

    def make(**changes: Any) -> DataRequestCreate:
        values: dict[str, Any] = {
            "requester_name": "Pat Reyes",
            "requester_email": "pat.reyes@example.org",
            "organization": "Hartford Health Equity Project",
            "requester_kind": "nonprofit",
            "title": "Clinic inspections by town",
            "description": "Every inspection of a licensed clinic since 2015, with its town.",
            "purpose": "To map where inspections find problems most often.",
            "period": "2015 to 2025",
            "granularity": "one row per inspection",
            "data_format": "CSV",
            "frequency": "Once",
            "agency": "dph",
        }
        values.update(changes)
        return DataRequestCreate.model_validate(values)

    return make


@dataclass
class Clock:
    """The app's clock, set by the test (`app.state.clock`)."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(eastern(2026, 7, 1))


@pytest.fixture
def app(world: World, clock: Clock) -> FastAPI:
    built = create_app(world.settings)
    built.state.clock = clock
    return built


@pytest.fixture
def app_client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


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
