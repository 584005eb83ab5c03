"""SODA 2.x compatibility through HTTP, on the real demo catalog."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from steward.app import create_app
from steward.config import Settings

COVID = "28fr-iqnx"
ADRD = "rybz-nyjw"
POPULATION = "dphp-0pop"
GRANTS = "5w85-2euh"


def test_default_limit_is_exactly_1000_and_rows_come_in_id_order(demo_client: TestClient) -> None:
    rows = demo_client.get(f"/resource/{COVID}.json").json()
    assert len(rows) == 1000
    again = demo_client.get(f"/resource/{COVID}.json?$select=:id,town&$limit=3").json()
    assert [row[":id"] for row in again] == ["1", "2", "3"]


def test_json_encoding_follows_socrata(demo_client: TestClient) -> None:
    response = demo_client.get(
        f"/resource/{COVID}.json",
        params={"$where": "town = 'Andover'", "$order": "last_update_date", "$limit": "1"},
    )
    row = response.json()[0]
    assert row["town"] == "Andover"
    assert row["last_update_date"] == "2020-03-24T00:00:00.000"
    assert isinstance(row["town_number"], str) and row["town_number"] == "1"
    assert "people_tested" not in row  # null in the earliest reports: left out
    fields = json.loads(response.headers["X-SODA2-Fields"])
    types = json.loads(response.headers["X-SODA2-Types"])
    assert dict(zip(fields, types, strict=True))["last_update_date"] == "floating_timestamp"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Content-Type"].startswith("application/json")


def test_leading_zeros_survive(demo_client: TestClient) -> None:
    rows = demo_client.get(
        f"/resource/{POPULATION}.json", params={"town": "Andover", "$limit": "1"}
    ).json()
    assert rows[0]["fips"] == "0901301080"


def test_csv_has_a_header_of_field_names_and_optional_bom(demo_client: TestClient) -> None:
    response = demo_client.get(
        f"/resource/{GRANTS}.csv", params={"$select": "town_name, grant_amount", "$limit": "2"}
    )
    assert response.headers["Content-Type"].startswith("text/csv")
    lines = response.text.splitlines()
    assert lines[0] == "town_name,grant_amount" and len(lines) == 3
    bom = demo_client.get(f"/resource/{GRANTS}.csv", params={"$limit": "1", "$$bom": "true"})
    assert bom.content.startswith(b"\xef\xbb\xbf")


def test_accept_header_negotiates_the_format(demo_client: TestClient) -> None:
    response = demo_client.get(f"/resource/{GRANTS}?$limit=1", headers={"Accept": "text/csv"})
    assert response.headers["Content-Type"].startswith("text/csv")


def test_etag_gives_304(demo_client: TestClient) -> None:
    first = demo_client.get(f"/resource/{COVID}.json?$limit=5")
    again = demo_client.get(
        f"/resource/{COVID}.json?$limit=5", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304
    other = demo_client.get(
        f"/resource/{COVID}.json?$limit=6", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert other.status_code == 200
    assert "Last-Modified" in first.headers


def test_non_public_dataset_rows_are_refused(demo_client: TestClient) -> None:
    for path in (f"/resource/{ADRD}.json", f"/api/views/{ADRD}/rows.csv"):
        response = demo_client.get(path, params={"$select": "*"})
        assert response.status_code == 403
        body = response.json()
        assert body["error"] is True and body["code"] == "permission_denied"


def test_personal_fields_are_not_in_view_metadata(demo_client: TestClient) -> None:
    view = demo_client.get(f"/api/views/{ADRD}.json").json()
    names = {column["fieldName"] for column in view["columns"]}
    assert "casenumber" not in names and "age" not in names


@pytest.mark.parametrize(
    "params",
    [
        {"$where": "1=1) UNION SELECT * FROM read_csv('/etc/passwd'"},
        {"$select": "read_csv('/etc/passwd')"},
        {"$where": "town = 'unbalanced"},
        {"$select": "x" * 10_000},
        {"$limit": "-1"},
        {"$limit": "10000000"},
        {"$offset": "ten"},
        {"$order": "no_such_field"},
        {"nonexistent": "1"},
        {"$where": "-" * 5000 + "1 = 1"},
        {"$where": "(" * 6000 + "1=1" + ")" * 6000 + " AND (" * 100},
    ],
)
def test_hostile_queries_get_a_soda_400(demo_client: TestClient, params: dict[str, str]) -> None:
    response = demo_client.get(f"/resource/{COVID}.json", params=params)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["error"] is True and body["message"]


def test_unknown_dataset_is_404_in_soda_shape(demo_client: TestClient) -> None:
    response = demo_client.get("/resource/zzzz-0000.json")
    assert response.status_code == 404
    assert response.json()["error"] is True


def test_view_metadata_and_columns(demo_client: TestClient) -> None:
    view = demo_client.get(f"/api/views/{COVID}.json").json()
    assert view["id"] == COVID and view["attribution"] == "Department of Public Health"
    town = next(column for column in view["columns"] if column["fieldName"] == "town")
    assert town["dataTypeName"] == "text" and town["name"] == "Town"
    columns = demo_client.get(f"/api/views/{COVID}/columns.json").json()
    assert [c["fieldName"] for c in columns] == [c["fieldName"] for c in view["columns"]]


def test_full_csv_export_has_every_row(demo_client: TestClient) -> None:
    response = demo_client.get(f"/api/views/{COVID}/rows.csv?accessType=DOWNLOAD")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    lines = response.text.rstrip("\r\n").split("\r\n")
    assert len(lines) == 39_884 + 1


def test_rows_json_export(demo_client: TestClient) -> None:
    body = demo_client.get(f"/api/views/{GRANTS}/rows.json").json()
    assert body["meta"]["view"]["id"] == GRANTS
    assert len(body["data"]) == 7_660


def test_discovery_paging_reaches_result_set_size(demo_client: TestClient) -> None:
    first = demo_client.get("/api/catalog/v1", params={"limit": 2}).json()
    total = first["resultSetSize"]
    seen = [r["resource"]["id"] for r in first["results"]]
    offset = 2
    while offset < total:
        page = demo_client.get("/api/catalog/v1", params={"limit": 2, "offset": offset}).json()
        seen += [r["resource"]["id"] for r in page["results"]]
        offset += 2
    assert len(seen) == len(set(seen)) == total == 5
    covid = demo_client.get("/api/catalog/v1", params={"q": "covid town"}).json()
    assert COVID in [r["resource"]["id"] for r in covid["results"]]
    assert GRANTS not in [r["resource"]["id"] for r in covid["results"]]
    picked = demo_client.get("/api/catalog/v1", params={"ids": [GRANTS, ADRD]}).json()
    assert sorted(r["resource"]["id"] for r in picked["results"]) == sorted([GRANTS, ADRD])
    other = demo_client.get("/api/catalog/v1", params={"domains": "data.ny.gov"}).json()
    assert other["resultSetSize"] == 0


def test_legacy_views_listing(demo_client: TestClient) -> None:
    views = demo_client.get("/api/views.json").json()
    assert {view["id"] for view in views} == {COVID, ADRD, POPULATION, GRANTS, "7rne-efic"}


def test_rate_limit_answers_429_with_the_soda_body(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "d", rate_limit_anonymous=2, _env_file=None)  # type: ignore[call-arg]
    with TestClient(create_app(settings)) as client:
        statuses = [client.get("/api/catalog/v1").status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
        body = client.get("/api/catalog/v1").json()
        assert body["error"] is True and body["code"] == "too_many_requests"
        with_token = client.get("/api/catalog/v1", headers={"X-App-Token": "abc"})
        assert with_token.status_code == 200


def test_native_query_returns_typed_json(demo_client: TestClient) -> None:
    body = demo_client.get(
        f"/api/v1/datasets/{COVID}/query",
        params={
            "$select": "town, max(total_cases) AS most",
            "$group": "town",
            "$order": "most DESC",
            "$limit": "1",
        },
    ).json()
    assert body["fields"] == ["town", "most"] and body["types"] == ["text", "number"]
    assert isinstance(body["rows"][0]["most"], int | float)


@pytest.mark.parametrize("fmt", ["csv", "parquet", "arrow"])
def test_native_query_formats(demo_client: TestClient, fmt: str) -> None:
    response = demo_client.get(
        f"/api/v1/datasets/{GRANTS}/query", params={"$limit": "3", "format": fmt}
    )
    assert response.status_code == 200 and len(response.content) > 0
