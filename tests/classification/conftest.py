"""Classification fixtures: agencies with one person in each role, small datasets ingested
from CSV text, on SQLite and PostgreSQL; clients signed in through the login form."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from steward.accounts import service as accounts
from steward.accounts.policy import SYSTEM, Actor
from steward.accounts.schemas import TokenCreate
from steward.app import create_app
from steward.catalog import service as catalog
from steward.catalog import versions
from steward.catalog.schemas import DatasetCreate
from steward.config import Settings
from steward.db import Database

PASSWORD = "classify-password-1"
PEOPLE = {
    "cdo@ct.gov": [("cdo", None)],
    "ado@dph.ct.gov": [("ado", "dph")],
    "steward@dph.ct.gov": [("steward", "dph")],
    "analyst@dph.ct.gov": [("analyst", "dph")],
    "steward@opm.ct.gov": [("steward", "opm")],
}
# Person-level rows with every kind of direct identifier the proposer knows.
PEOPLE_CSV = "\n".join(
    [
        "Case Number,First Name,Last Name,SSN,Date of Birth,Street Address,Phone,Email,"
        "Age,Sex,Race,Residence Town,Visit Date,Diagnosis",
        "21-1001,Ann,Lee,123-45-6789,1980-01-02,12 Main St,(860) 555-0101,ann@example.org,"
        "41,F,White,Hartford,2021-03-01,Flu",
        "21-1002,Bob,Ray,234-56-7890,1975-05-06,4 Elm Street,860-555-0102,bob@example.org,"
        "46,M,Black,Bristol,2021-03-02,Asthma",
        "21-1003,Cy,Poe,345-67-8901,1990-09-10,77 Oak Ave,860.555.0103,cy@example.org,"
        "31,M,Asian,Salem,2021-03-04,Flu",
        "21-1004,Di,Fox,456-78-9012,2001-12-24,5 Pine Rd,(203) 555-0104,di@example.org,"
        "20,F,White,Kent,2021-03-09,Cold",
        "",
    ]
)
# An aggregate table: counts and rates by town.
TOWNS_CSV = """Town,Year,Total cases,Case rate
Hartford,2020,120,98.5
Bristol,2020,40,66.1
Salem,2020,3,71.0
Kent,2020,1,33.3
"""


@dataclass
class World:
    database: Database
    settings: Settings
    cdo: Actor
    ado: Actor
    steward: Actor
    analyst: Actor
    outsider: Actor  # a steward of another agency

    @property
    def data_dir(self) -> Path:
        return self.settings.data_dir

    def dataset(self, dataset_id: str, csv_text: str | None = None, **metadata: Any) -> str:
        """Create a dph dataset (as the system) and ingest `csv_text` as its first version."""
        with self.database.session() as session:
            values = {"id": dataset_id, "agency": "dph", "title": dataset_id, **metadata}
            catalog.create_dataset(session, SYSTEM, DatasetCreate.model_validate(values))
        if csv_text is not None:
            self.ingest(dataset_id, csv_text)
        return dataset_id

    def ingest(self, dataset_id: str, csv_text: str, name: str = "data.csv") -> None:
        source = self.settings.data_dir.parent / name
        source.write_text(csv_text, encoding="utf-8")
        with self.database.session() as session:
            versions.ingest_version(session, SYSTEM, self.data_dir, dataset_id, source)


@pytest.fixture
def world(database: Database, settings: Settings, seed: Any) -> World:
    settings.database_url = database.url
    agencies = [("dph", "Department of Public Health"), ("opm", "Office of Policy and Management")]
    actors = seed(database, agencies, PEOPLE)  # tests/conftest.py's seed_store
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
    """`sign_in(client, email)`: the user gets a password and signs in through the login form."""

    def run(client: TestClient, email: str) -> None:
        with world.database.session() as session:
            accounts.reset_password(session, SYSTEM, email, PASSWORD)
        client.cookies.clear()
        token = csrf_of(client.get("/login").text)
        data = {"email": email, "password": PASSWORD, "csrf_token": token, "next": "/"}
        response = client.post("/login", data=data, follow_redirects=False)
        assert response.status_code == 303, response.text

    return run
