"""Acceptance (#10 part 3): an analyst of dss with an active agreement reads exactly the two
fields it names of a dph non-public dataset, through the same SoQL API; nothing else; not after
the end date; every query audited with its purpose."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from steward.accounts.policy import SYSTEM
from steward.audit.models import AuditEntry
from steward.sharing import grants
from steward.sharing.schemas import AgreementUpdate

from .conftest import DATASET, END, World

PURPOSE = {"X-Steward-Purpose": "Quarterly evaluation tables"}


@dataclass
class Read:
    actor: str
    dataset_id: str | None
    details: dict[str, Any]


def reads(world: World, action: str = "data.read") -> list[Read]:
    with world.database.session() as session:
        query = select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.seq)
        return [Read(e.actor, e.dataset_id, json.loads(e.details)) for e in session.scalars(query)]


def test_the_two_named_fields_and_nothing_else(world: World, client: TestClient) -> None:
    agreement = world.agreement()
    auth = world.token("analyst@dss.ct.gov")
    url = f"/resource/{DATASET}.json"
    answer = client.get(url, params={"$select": "town, diagnosis"}, headers={**auth, **PURPOSE})
    assert answer.status_code == 200, answer.text
    rows = answer.json()
    assert len(rows) == 60 and set(rows[0]) == {"town", "diagnosis"}
    assert answer.headers["cache-control"] == "private, no-store"
    # without $select: the granted fields
    assert set(client.get(url, headers=auth).json()[0]) == {"town", "diagnosis"}
    counted = client.get(url, params={"$select": "town, count(*)", "$group": "town"}, headers=auth)
    assert counted.status_code == 200 and sum(int(r["count"]) for r in counted.json()) == 60
    for params in (
        {"$select": "town, ssn"},
        {"$select": "*"},
        {"$where": "ssn like '1%'"},
        {"$order": "last_name"},
        {"$select": "town, count(*)", "$group": "first_name, town"},
        {"last_name": "Smith"},
        {"$query": "SELECT town WHERE birth_date > '2000-01-01'"},
    ):
        refused = client.get(url, params=params, headers=auth)
        assert refused.status_code == 403, (params, refused.text)
        message = refused.json()["message"]
        assert any(name in message for name in ("ssn", "last_name", "first_name", "birth_date"))
    native = client.get(
        f"/api/v1/datasets/{DATASET}/query", params={"$select": "ssn"}, headers=auth
    )
    assert native.status_code == 403 and "ssn" in native.json()["error"]["message"]
    ok = client.get(f"/api/v1/datasets/{DATASET}/query", params={"$limit": "3"}, headers=auth)
    assert ok.status_code == 200 and ok.json()["fields"] == ["town", "diagnosis"]

    logged = reads(world)
    assert len(logged) == 4  # the refused queries read nothing
    first = logged[0]
    assert first.actor == "analyst@dss.ct.gov" and first.dataset_id == DATASET
    assert first.details["purpose"] == "Quarterly evaluation tables"
    assert first.details["agreement_id"] == agreement
    assert first.details["fields"] == ["town", "diagnosis"] and first.details["row_count"] == 60
    assert "$select=town, diagnosis" in first.details["query"]
    assert logged[-1].details["row_count"] == 3


def test_the_day_after_the_end_date_the_query_is_refused(world: World, client: TestClient) -> None:
    world.agreement()
    auth = {**world.token("analyst@dss.ct.gov"), **PURPOSE}
    url = f"/resource/{DATASET}.json?$select=town"
    world.clock["today"] = END
    assert client.get(url, headers=auth).status_code == 200
    world.clock["today"] = END + timedelta(days=1)
    refused = client.get(url, headers=auth)
    assert refused.status_code == 403
    assert "expired" in refused.json()["message"]
    assert len(reads(world)) == 1


def test_no_purpose_no_data(world: World, client: TestClient) -> None:
    world.agreement()
    auth = world.token("analyst@dss.ct.gov")
    refused = client.get(f"/resource/{DATASET}.json", headers=auth)
    assert refused.status_code == 403 and "purpose" in refused.json()["message"]
    mine = client.get("/api/v1/grants/mine", headers=auth).json()
    opened = client.post(
        f"/api/v1/grants/{mine[0]['id']}/use", json={"purpose": "Build the Q1 tables"}, headers=auth
    )
    assert opened.status_code == 201, opened.text
    assert client.get(f"/resource/{DATASET}.json", headers=auth).status_code == 200
    assert reads(world)[0].details["purpose"] == "Build the Q1 tables"


def test_others_and_the_public_get_nothing(world: World, client: TestClient) -> None:
    world.agreement()
    url = f"/resource/{DATASET}.json?$select=town"
    assert client.get(url, headers=PURPOSE).status_code == 403
    other = client.get(url, headers={**world.token("other@dss.ct.gov"), **PURPOSE})
    assert other.status_code == 403 and "no data sharing agreement" in other.json()["message"]


def test_suspension_and_termination_revoke_at_once(world: World, client: TestClient) -> None:
    agreement = world.agreement()
    auth = {**world.token("analyst@dss.ct.gov"), **PURPOSE}
    url = f"/resource/{DATASET}.json?$select=town"
    assert client.get(url, headers=auth).status_code == 200
    with world.database.session() as session:
        (grant,) = grants.agency_grants(session, SYSTEM, "dph")
        grants.suspend(session, world.actor("ado@dph.ct.gov"), grant.id, "review")
    assert "suspended" in client.get(url, headers=auth).json()["message"]
    with world.database.session() as session:
        grants.resume(session, world.actor("ado@dph.ct.gov"), grant.id)
    assert client.get(url, headers=auth).status_code == 200
    ado = world.token("ado@dph.ct.gov")
    ended = client.post(
        f"/api/v1/agreements/{agreement}/status", json={"status": "terminated"}, headers=ado
    )
    assert ended.status_code == 200, ended.text
    assert "terminated" in client.get(url, headers=auth).json()["message"]


def test_the_row_filter_narrows_every_query(world: World, client: TestClient) -> None:
    agreement = world.agreement()
    with world.database.session() as session:
        from steward.sharing import agreements

        change = {
            "datasets": [
                {
                    "dataset_id": DATASET,
                    "fields": ["town", "diagnosis"],
                    "row_filter": "town = 'Hartford'",
                }
            ]
        }
        agreements.update_agreement(
            session, SYSTEM, agreement, AgreementUpdate.model_validate(change)
        )
    auth = {**world.token("analyst@dss.ct.gov"), **PURPOSE}
    rows = client.get(f"/resource/{DATASET}.json", headers=auth).json()
    assert rows and {r["town"] for r in rows} == {"Hartford"}
    other = client.get(
        f"/resource/{DATASET}.json", params={"$where": "town = 'Stamford'"}, headers=auth
    ).json()
    assert other == []
