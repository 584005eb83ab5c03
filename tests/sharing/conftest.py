"""Sharing fixtures: the Department of Public Health (dph) provides a non-public dataset of
generated people; the Department of Social Services (dss) receives it under an agreement.

The clock is frozen through `agreements.today` (the date agreements are judged by), so a test
can step past an agreement's end date.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
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
from steward.sharing import agreements
from steward.sharing.schemas import AgreementCreate, StatusChange

PASSWORD = "sharing-password-1"
PEOPLE = {
    "cdo@ct.gov": [("cdo", None)],
    "ado@dph.ct.gov": [("ado", "dph")],
    "analyst@dph.ct.gov": [("analyst", "dph")],
    "ado@dss.ct.gov": [("ado", "dss")],
    "analyst@dss.ct.gov": [("analyst", "dss")],
    "other@dss.ct.gov": [("analyst", "dss")],
}
AGENCIES = [
    ("dph", "Department of Public Health"),
    ("dss", "Department of Social Services"),
    ("opm", "Office of Policy and Management"),
]
DATASET = "dph0-0001"
PUBLIC = "dph0-0002"
FIRST = ["Ana", "Ben", "Cara", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivan", "June"]
LAST = ["Lopez", "Smith", "Nguyen", "Okafor", "Kowalski", "Brown", "Rossi", "Cohen"]
TOWNS = ["Hartford", "New Haven", "Bridgeport", "Stamford"]
TODAY = date(2026, 3, 1)
END = date(2026, 6, 30)


def people_csv(count: int = 60, seed: int = 7) -> str:
    """Generated people: an id, names, a birth date, a town, a diagnosis code, an SSN."""
    rng = random.Random(seed)
    lines = ["person_id,first_name,last_name,birth_date,town,diagnosis,ssn"]
    for number in range(1, count + 1):
        born = date(1950 + rng.randrange(60), 1 + rng.randrange(12), 1 + rng.randrange(28))
        ssn = f"{rng.randrange(100, 900)}-{rng.randrange(10, 99)}-{rng.randrange(1000, 9999)}"
        lines.append(
            f"P{number:04d},{rng.choice(FIRST)},{rng.choice(LAST)},{born.isoformat()},"
            f"{rng.choice(TOWNS)},D{rng.randrange(10, 99)},{ssn}"
        )
    return "\n".join(lines) + "\n"


@dataclass
class World:
    database: Database
    settings: Settings
    actors: dict[str, Actor]
    clock: dict[str, date]

    def actor(self, email: str) -> Actor:
        return self.actors[email]

    def agreement(self, **changes: Any) -> int:
        """An agreement dph -> dss sharing two fields of the people dataset, made active."""
        values: dict[str, Any] = {
            "title": "Program evaluation of home visiting",
            "kind": "dsa",
            "provider": "dph",
            "recipient_agency": "dss",
            "purposes": ["Evaluate the home visiting program"],
            "prohibited_uses": "No re-identification or contact of individuals.",
            "legal_authorities": ["state_statute"],
            "state_statute": "C.G.S. 4-67aa",
            "effective_date": "2026-01-01",
            "end_date": END.isoformat(),
            "datasets": [{"dataset_id": DATASET, "fields": ["town", "diagnosis"]}],
            "authorized_users": ["analyst@dss.ct.gov"],
            "program": "home-visiting",
            "consent_purpose": "research",
            **changes,
        }
        with self.database.session() as session:
            made = agreements.create_agreement(
                session, SYSTEM, AgreementCreate.model_validate(values)
            )
            for status in ("legal_review", "signed", "active"):
                agreements.change_status(session, SYSTEM, made.id, StatusChange(status=status))
        return made.id

    def token(self, email: str) -> dict[str, str]:
        with self.database.session() as session:
            actor = accounts.actor_by_email(session, email)
            token = accounts.create_token(session, actor, TokenCreate(name="test")).token
        return {"Authorization": f"Bearer {token}"}


def _dataset(world: World, dataset_id: str, access: str, csv_text: str) -> None:
    with world.database.session() as session:
        values = {
            "id": dataset_id,
            "agency": "dph",
            "title": f"People {dataset_id}",
            "access_level": access,
        }
        catalog.create_dataset(session, SYSTEM, DatasetCreate.model_validate(values))
    source = world.settings.data_dir.parent / f"{dataset_id}.csv"
    source.write_text(csv_text, encoding="utf-8")
    with world.database.session() as session:
        versions.ingest_version(session, SYSTEM, world.settings.data_dir, dataset_id, source)


@pytest.fixture
def world(
    database: Database,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    snapshots: Any,  # tests/conftest.py's Snapshots
    seed: Any,  # tests/conftest.py's seed_store
) -> World:
    settings.database_url = database.url
    clock = {"today": TODAY}
    monkeypatch.setattr(agreements, "today", lambda: clock["today"])

    def build() -> dict[str, Actor]:
        actors: dict[str, Actor] = seed(database, AGENCIES, PEOPLE)
        _dataset(World(database, settings, actors, clock), DATASET, "non-public", people_csv())
        return actors

    actors = snapshots.restore_or_build("sharing", database, settings, build)
    return World(database, settings, actors, clock)


@pytest.fixture
def client(world: World) -> Iterator[TestClient]:
    with TestClient(create_app(world.settings)) as test_client:
        yield test_client


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


@pytest.fixture
def sign_in(world: World) -> Callable[[TestClient, str], None]:
    def run(client: TestClient, email: str) -> None:
        with world.database.session() as session:
            accounts.reset_password(session, SYSTEM, email, PASSWORD)
        client.cookies.clear()
        token = csrf_of(client.get("/login").text)
        form = {"csrf_token": token, "email": email, "password": PASSWORD, "next": "/account"}
        answer = client.post("/login", data=form, follow_redirects=False)
        assert answer.status_code == 303, answer.text

    return run
