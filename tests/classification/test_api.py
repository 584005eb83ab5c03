"""Classification API: the public questionnaire; reading, assessing and confirming fields with
the right role; clear 4xx answers for bad input; the publish route gated."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from .conftest import PEOPLE_CSV, TOWNS_CSV, World

NO = {
    "person_level": "no",
    "direct_identifiers": "no",
    "quasi_identifiers": "no",
    "special_statute": "no",
    "legal_restriction": "no",
}
BODY = {
    "answers": NO,
    "rationale": "Counts by town.",
    "confidentiality": "low",
    "integrity": "low",
    "availability": "low",
}
Bearer = Callable[[str], dict[str, str]]


def test_the_questionnaire_is_public(app_client: TestClient) -> None:
    response = app_client.get("/api/v1/classification/questionnaire")
    assert response.status_code == 200
    body = response.json()
    assert [q["id"] for q in body["dataset"]] == list(NO)
    assert body["dataset"][0]["options"][0] == {"value": "yes", "label": "Yes"}
    assert {level["value"] for level in body["levels"]} == {
        "public",
        "protected",
        "personal",
        "private",
    }


def test_reading_needs_the_analyst_role_in_the_agency(
    world: World, app_client: TestClient, bearer: Bearer
) -> None:
    world.dataset("ppl0-0001", PEOPLE_CSV)
    url = "/api/v1/datasets/ppl0-0001/classification"
    assert app_client.get(url).status_code == 401
    assert app_client.get(url, headers=bearer("steward@opm.ct.gov")).status_code == 403
    response = app_client.get(url, headers=bearer("analyst@dph.ct.gov"))
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["publishable"], body["proposal"]["level"]) == (
        "missing",
        False,
        "personal",
    )
    ssn = next(field for field in body["fields"] if field["name"] == "ssn")
    assert ssn["proposal"]["kind"] == "ssn" and ssn["decision"] is None
    assert app_client.get("/api/v1/datasets/nope-0000/classification",
                          headers=bearer("cdo@ct.gov")).status_code == 404  # fmt: skip


def test_a_steward_records_an_assessment_and_confirms_fields(
    world: World, app_client: TestClient, bearer: Bearer
) -> None:
    world.dataset("town-0001", TOWNS_CSV)
    url = "/api/v1/datasets/town-0001/classification"
    steward = bearer("steward@dph.ct.gov")
    assert app_client.post(url, json=BODY, headers=bearer("analyst@dph.ct.gov")).status_code == 403
    created = app_client.post(url, json=BODY, headers=steward)
    assert created.status_code == 201, created.text
    assert (created.json()["level"], created.json()["assessed_by"]) == (
        "public",
        "steward@dph.ct.gov",
    )
    field = app_client.put(
        f"{url}/fields/town", json={"level": "public", "reason": "169 towns"}, headers=steward
    )
    assert field.status_code == 200 and field.json()["proposed_level"] == "public"
    history = app_client.get(f"{url}/history", headers=bearer("analyst@dph.ct.gov")).json()
    assert len(history["assessments"]) == 1 and history["field_decisions"][0]["reason"] == (
        "169 towns"
    )
    shown = app_client.get(url, headers=steward).json()
    assert (shown["status"], shown["publishable"]) == ("current", True)
    public = app_client.get("/api/v1/datasets/town-0001").json()
    assert public["classification"] == "public" and "answers" not in public


def test_bad_input_gets_a_clear_400_or_404(
    world: World, app_client: TestClient, bearer: Bearer
) -> None:
    world.dataset("town-0001", TOWNS_CSV)
    url = "/api/v1/datasets/town-0001/classification"
    steward = bearer("steward@dph.ct.gov")
    missing = app_client.post(
        url, json={**BODY, "answers": {"person_level": "no"}}, headers=steward
    )
    assert missing.status_code == 400
    assert "missing: direct_identifiers" in missing.json()["error"]["message"]
    wrong = app_client.post(url, json={**BODY, "confidentiality": "huge"}, headers=steward)
    assert wrong.status_code == 400 and "confidentiality" in wrong.json()["error"]["message"]
    extra = app_client.post(url, json={**BODY, "level": "public"}, headers=steward)
    assert extra.status_code == 400
    assert app_client.post(url, content=b"{", headers=steward).status_code == 400
    both = app_client.put(
        f"{url}/fields/town", json={"level": "public", "answers": NO}, headers=steward
    )
    assert both.status_code == 400 and "either a level or" in both.json()["error"]["message"]
    level = app_client.put(f"{url}/fields/town", json={"level": "secret"}, headers=steward)
    assert level.status_code == 400
    unknown = app_client.put(f"{url}/fields/shoe", json={"level": "public"}, headers=steward)
    assert unknown.status_code == 404


def test_the_publish_route_is_gated_until_assessed(
    world: World, app_client: TestClient, bearer: Bearer
) -> None:
    world.dataset("town-0001", TOWNS_CSV)
    steward = bearer("steward@dph.ct.gov")
    refused = app_client.post("/api/v1/datasets/town-0001/publish", headers=steward)
    assert refused.status_code == 409
    assert "no classification assessment yet" in refused.json()["error"]["message"]
    url = "/api/v1/datasets/town-0001/classification"
    assert app_client.post(url, json=BODY, headers=steward).status_code == 201
    published = app_client.post("/api/v1/datasets/town-0001/publish", headers=steward)
    assert published.status_code == 200 and published.json()["status"] == "published"
