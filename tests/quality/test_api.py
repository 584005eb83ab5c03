"""The quality API: the profile interface outside checks rely on, access rules, errors."""

from __future__ import annotations

from fastapi.testclient import TestClient

from steward.accounts.policy import SYSTEM
from steward.app import create_app
from steward.catalog import service as catalog
from steward.catalog.schemas import FieldUpdate
from steward.config import Settings
from steward.db import Database
from steward.quality import declarations, service
from steward.quality.schemas import RuleCreate

from .conftest import Ingest

FIELD_KEYS = {"name", "type", "null_count", "distinct_count", "min", "max", "top_values"}


def test_the_profile_interface(demo_client: TestClient) -> None:
    body = demo_client.get("/api/v1/datasets/28fr-iqnx/profile").json()
    assert body["row_count"] == 39884
    assert all(set(field) >= FIELD_KEYS for field in body["fields"])
    town = next(field for field in body["fields"] if field["name"] == "town")
    assert (town["type"], town["null_count"], town["distinct_count"]) == ("text", 0, 169)
    assert (town["min"], town["max"]) == ("Andover", "Woodstock")
    assert town["top_values"][0] == {"value": "Andover", "count": 236}
    date = next(field for field in body["fields"] if field["name"] == "last_update_date")
    assert (date["min"], date["max"]) == ("2020-03-24T00:00:00", "2021-01-12T00:00:00")
    assert demo_client.get("/api/v1/datasets/28fr-iqnx/profile?version=1").json() == body


def test_profile_errors(demo_client: TestClient) -> None:
    assert demo_client.get("/api/v1/datasets/rybz-nyjw/profile").status_code == 403
    assert demo_client.get("/api/v1/datasets/28fr-iqnx/profile?version=9").status_code == 404
    assert demo_client.get("/api/v1/datasets/nope-0000/profile").status_code == 404
    bad = demo_client.get("/api/v1/datasets/28fr-iqnx/profile?version=zero")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid"
    assert demo_client.get("/api/v1/datasets/28fr-iqnx/profile?version=0").status_code == 400


def test_quality_report_of_a_restricted_dataset_hides_rows(demo_client: TestClient) -> None:
    body = demo_client.get("/api/v1/datasets/rybz-nyjw/quality").json()
    assert body["score"]["parts"][0]["name"] == "completeness"
    assert body["comparison"] is None
    assert demo_client.get("/api/v1/datasets/rybz-nyjw/compare?from=1&to=1").status_code == 403
    assert demo_client.get("/d/rybz-nyjw/quality").status_code == 200
    assert "only for datasets whose rows are public" in demo_client.get("/d/rybz-nyjw/quality").text


def test_personal_fields_never_appear(store: Database, ingest: Ingest, settings: Settings) -> None:
    ingest("Town,Name,Cases\nAndover,Ann Smith,5\nAnsonia,Bo Lee,7\n")
    with store.session() as session:
        catalog.update_field(
            session, SYSTEM, "qual-0001", "name", FieldUpdate(classification="personal")
        )
        rule = RuleCreate(kind="allowed_values", fields=["town"], values=["Andover"])
        declarations.add_rule(session, "qual-0001", rule, "test")
        service.check_again(session, settings.data_dir, "qual-0001")
    with TestClient(create_app(settings)) as client:
        profile = client.get("/api/v1/datasets/qual-0001/profile").json()
        assert [field["name"] for field in profile["fields"]] == ["town", "cases"]
        (result,) = client.get("/api/v1/datasets/qual-0001/quality").json()["results"]
        assert result["samples"] == [{":id": 2, "town": "Ansonia", "cases": 7}]
        rules = client.get("/api/v1/datasets/qual-0001/rules").json()
        assert rules["rules"][0]["params"] == {"values": ["Andover"], "ignore_case": False}
        assert "Bo Lee" not in client.get("/d/qual-0001/quality").text
