"""Audit log fixtures: two agencies, a dataset of each, one person in each role, on SQLite and on
PostgreSQL; the CLI run on that store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from steward.accounts import service as accounts
from steward.accounts.policy import SYSTEM, Actor
from steward.accounts.schemas import RoleGrant, TokenCreate, UserCreate
from steward.app import create_app
from steward.catalog import service as catalog
from steward.catalog.schemas import AgencyCreate, DatasetCreate
from steward.cli.main import app as cli_app
from steward.config import Settings
from steward.db import Database

PEOPLE = {
    "cdo@ct.gov": [("cdo", None)],
    "ado@dph.ct.gov": [("ado", "dph")],
    "steward@dph.ct.gov": [("steward", "dph")],
    "analyst@dph.ct.gov": [("analyst", "dph")],
    "ado@dss.ct.gov": [("ado", "dss")],
}


@dataclass
class World:
    database: Database
    settings: Settings
    actors: dict[str, Actor]


@pytest.fixture
def world(database: Database, settings: Settings) -> World:
    settings.database_url = database.url
    with database.session() as session:
        for slug, name in (("dph", "Department of Public Health"), ("dss", "Social Services")):
            catalog.create_agency(session, SYSTEM, AgencyCreate(slug=slug, name=name))
        for email, roles in PEOPLE.items():
            grants = [RoleGrant.model_validate({"role": r, "agency": a}) for r, a in roles]
            accounts.create_user(session, SYSTEM, UserCreate(email=email, name="N", roles=grants))
        for dataset_id, agency in (("dphx-0001", "dph"), ("dssx-0001", "dss")):
            values = {"id": dataset_id, "agency": agency, "title": f"Data {dataset_id}"}
            catalog.create_dataset(session, SYSTEM, DatasetCreate.model_validate(values))
        actors = {email: accounts.actor_by_email(session, email) for email in PEOPLE}
    return World(database, settings, actors)


@pytest.fixture
def app_client(world: World) -> Iterator[TestClient]:
    with TestClient(create_app(world.settings)) as client:
        yield client


@pytest.fixture
def bearer(world: World) -> Callable[[str], dict[str, str]]:
    def headers(email: str) -> dict[str, str]:
        with world.database.session() as session:
            actor = accounts.actor_by_email(session, email)
            token = accounts.create_token(session, actor, TokenCreate(name="test")).token
        return {"Authorization": f"Bearer {token}"}

    return headers


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
