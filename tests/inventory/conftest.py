"""Inventory fixtures: a small state (three agencies, a few catalogued datasets) with one person
in each role, on SQLite and on PostgreSQL, and clients signed in as each of them."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from steward.accounts import service as accounts
from steward.accounts.policy import SYSTEM, Actor
from steward.accounts.schemas import RoleGrant, TokenCreate, UserCreate
from steward.app import create_app
from steward.catalog import service as catalog
from steward.catalog.schemas import AgencyCreate, DatasetCreate
from steward.config import Settings
from steward.db import Database
from steward.inventory.schemas import AssetCreate

PASSWORD = "inventory-password-1"
PEOPLE = {
    "cdo@ct.gov": [("cdo", None)],
    "ado@dph.ct.gov": [("ado", "dph")],
    "steward@dph.ct.gov": [("steward", "dph")],
    "analyst@dph.ct.gov": [("analyst", "dph")],
    "steward@opm.ct.gov": [("steward", "opm")],
}


@dataclass
class World:
    database: Database
    settings: Settings
    cdo: Actor
    ado: Actor
    steward: Actor
    analyst: Actor
    outsider: Actor  # a steward of another agency


def _catalog(session: Any) -> None:
    for slug, name in (
        ("dph", "Department of Public Health"),
        ("ocme", "Office of the Chief Medical Examiner"),
        ("opm", "Office of Policy and Management"),
    ):
        catalog.create_agency(session, SYSTEM, AgencyCreate(slug=slug, name=name))
    births = DatasetCreate(
        id="hvd0-0001",
        agency="dph",
        title="Vital records: births",
        description="Every birth registered in Connecticut.",
        access_level="non-public",
        classification="personal",
        spatial_coverage="Connecticut, by town",
        temporal_coverage="2012-2017",
        update_frequency="R/P1Y",
        source_system="Electronic Vital Records System",
        contact_name="State Registrar",
        contact_email="registrar@ct.gov",
        keywords=["births", "vital records"],
    )
    catalog.create_dataset(session, SYSTEM, births)
    catalog.create_dataset(
        session, SYSTEM, DatasetCreate(id="hvd0-0002", agency="dph", title="Clinics")
    )
    catalog.create_dataset(
        session, SYSTEM, DatasetCreate(id="hvd0-0003", agency="ocme", title="Deaths")
    )


@pytest.fixture
def world(database: Database, settings: Settings) -> World:
    settings.database_url = database.url
    with database.session() as session:
        _catalog(session)
        for email, roles in PEOPLE.items():
            grants = [RoleGrant(role=role, agency=agency) for role, agency in roles]  # type: ignore[arg-type]
            # No password here: hashing one costs a quarter second; `sign_in` sets it when needed.
            data = UserCreate(email=email, name=email.split("@")[0].title(), roles=grants)
            accounts.create_user(session, SYSTEM, data)
        actors = {email: accounts.actor_by_email(session, email) for email in PEOPLE}
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
def entry() -> Callable[..., AssetCreate]:
    """A complete, valid entry not in the catalog; keyword arguments change fields."""

    def make(**changes: Any) -> AssetCreate:
        values: dict[str, Any] = {
            "name": "Immunization registry",
            "description": "Doses given to Connecticut residents.",
            "system_of_record": "CT WiZ",
            "owner": "Immunization Program",
            "steward": "Registry manager",
            "custodian": "BITS",
            "legal_authority": "CGS § 19a-7h",
            "criteria": {
                "A": {"applies": True, "justification": "Runs the vaccine programme"},
                "H": {"applies": True, "justification": "CDC reporting"},
            },
            "classification": "protected",
            "contains_phi": True,
            "access_level": "restricted public",
            "access_reason": "Health records of individuals",
            "open_data_status": "planned",
            "planned_date": date(2027, 1, 15),
            "update_frequency": "monthly",
            "geographic_unit": "town",
            "temporal_coverage": "2019-2025",
        }
        values.update(changes)
        return AssetCreate.model_validate(values)

    return make


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
