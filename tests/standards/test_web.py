"""The standards API and pages, on the demo catalog."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from steward.accounts.policy import SYSTEM
from steward.app import create_app
from steward.catalog import service as catalog
from steward.catalog.schemas import FieldUpdate
from steward.config import Settings
from steward.db import Database
from steward.demo.loader import load_demo


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("standards") / "data", _env_file=None)  # type: ignore[call-arg]
    settings.ensure_data_dir()
    database = Database(settings.resolved_database_url)
    database.migrate()
    load_demo(database, settings.data_dir)
    with database.session() as session:
        catalog.update_field(session, SYSTEM, "28fr-iqnx", "town", FieldUpdate(standard="ct_town"))
    database.dispose()
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def test_normalize_answers_the_documented_shape_in_order(client: TestClient) -> None:
    values = ["GROTON", "So. Windsor", "Springfield, MA", "Sakem", "", None]
    response = client.post("/api/v1/standards/ct_town/normalize", json={"values": values})
    assert response.status_code == 200
    body = response.json()
    assert [item["value"] for item in body] == values
    assert all(
        set(item) == {"value", "status", "normalized", "code", "confidence"} for item in body
    )
    assert body[0] == {
        "value": "GROTON",
        "status": "matched",
        "normalized": "Groton",
        "code": "0901134250",
        "confidence": 1.0,
    }
    assert [item["status"] for item in body] == [
        "matched", "matched", "out_of_state", "review", "invalid", "invalid",
    ]  # fmt: skip
    assert body[3]["normalized"] == "Salem" and 0 < body[3]["confidence"] < 1


def test_normalize_with_detail_and_with_an_agency(client: TestClient) -> None:
    response = client.post(
        "/api/v1/standards/race_ethnicity_spd15/normalize?detail=true",
        json={"values": ["NH Black", "Martian"], "agency": "dph"},
    )
    body = response.json()
    assert body[0]["code"] == "BLACK" and body[1]["reason"] == "not in the synonym table"


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/api/v1/standards/nope/normalize", {"values": ["x"]}, 404),
        ("/api/v1/standards/ct_town/normalize", {"values": "x"}, 400),
        ("/api/v1/standards/ct_town/normalize", {"vals": ["x"]}, 400),
        ("/api/v1/standards/ct_town/normalize", {"values": ["x"] * 10_001}, 400),
        ("/api/v1/standards/ct_town/normalize", {"values": ["x"], "agency": "nobody"}, 404),
        ("/api/v1/standards/suggest", {"values": 3}, 400),
    ],
)
def test_bad_requests_get_json_errors(
    client: TestClient, path: str, body: object, status: int
) -> None:
    response = client.post(path, json=body)
    assert response.status_code == status
    assert "message" in response.json()["error"]


def test_the_registry_and_an_element(client: TestClient) -> None:
    registry = client.get("/api/v1/standards").json()
    assert registry["profile"]["towns"] == 169
    assert len(registry["elements"]) >= 14
    town = client.get("/api/v1/standards/ct_town").json()
    assert len(town["values"]) == 169 and town["values"][0]["label"] == "Andover"
    assert client.get("/api/v1/standards/ct_townz").status_code == 404


def test_suggest(client: TestClient) -> None:
    response = client.post(
        "/api/v1/standards/suggest", json={"name": "Town", "values": ["Andover", "Ansonia"]}
    )
    assert [item["element"] for item in response.json()] == ["ct_town"]


def test_conformance_of_a_public_dataset_and_not_of_a_protected_one(client: TestClient) -> None:
    report = client.get("/api/v1/datasets/28fr-iqnx/conformance?top=3").json()
    town = next(field for field in report["fields"] if field["field"] == "town")
    assert town["element"] == "ct_town" and town["percent_valid"] == 100.0
    number = next(field for field in report["fields"] if field["field"] == "town_number")
    assert number["suggestions"][0]["element"] == "ct_town_number"
    assert client.get("/api/v1/datasets/rybz-nyjw/conformance").status_code == 403
    assert client.get("/api/v1/datasets/28fr-iqnx/conformance?version=9").status_code == 404
    assert client.get("/api/v1/datasets/nope-nope/conformance").status_code == 404


def test_pages(client: TestClient) -> None:
    page = client.get("/standards")
    assert page.status_code == 200 and "Connecticut town" in page.text
    assert 'href="/standards"' in page.text  # the navigation link
    element = client.get("/standards/ct_town", params={"values": "GROTON\nSakem"})
    assert element.status_code == 200
    assert "Salem" in element.text and "Andover" in element.text
    assert client.get("/standards/nope").status_code == 404
    too_many = client.get("/standards/ct_town", params={"values": "x\n" * 201})
    assert too_many.status_code == 400 and "text/html" in too_many.headers["content-type"]


def test_the_dataset_page_shows_conformance(client: TestClient) -> None:
    page = client.get("/d/28fr-iqnx")
    assert page.status_code == 200
    assert 'id="standards"' in page.text and "/standards/ct_town" in page.text
    assert "Suggested standards" in page.text
    hidden = client.get("/d/rybz-nyjw")
    assert hidden.status_code == 200 and "steward standards check" in hidden.text
