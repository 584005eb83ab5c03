"""The native /api/v1 catalog routes through HTTP."""

from __future__ import annotations

import io
from pathlib import Path

import pyarrow.parquet as pq
from fastapi.testclient import TestClient

from steward.accounts.policy import SYSTEM
from steward.catalog import service, versions
from steward.catalog.schemas import AgencyCreate, DatasetCreate, FieldUpdate
from steward.classification.service import record_public_assessment
from steward.db import Database

CSV = "Town,FIPS,Cases\nAndover,0901301080,2\nHartford,0900337000,10\n"


def seed(client: TestClient, tmp_path: Path, **extra: object) -> str:
    database: Database = client.app.state.database  # type: ignore[attr-defined]
    data_dir = client.app.state.settings.data_dir  # type: ignore[attr-defined]
    source = tmp_path / "towns.csv"
    source.write_text(CSV)
    with database.session() as session:
        if not service.list_agencies(session):
            service.create_agency(session, SYSTEM, AgencyCreate(slug="dph", name="Public Health"))
        data = DatasetCreate.model_validate({"agency": "dph", "title": "Towns", **extra})
        dataset_id = service.create_dataset(session, SYSTEM, data).id
        versions.ingest_version(session, SYSTEM, data_dir, dataset_id, source, created_by="test")
        if data.access_level in (None, "public"):  # the publish gate wants an assessment
            record_public_assessment(session, dataset_id, "Counts by town.")
        service.set_status(session, SYSTEM, dataset_id, "published")
    return dataset_id


def test_healthz(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


def test_list_includes_non_public_metadata(client: TestClient, tmp_path: Path) -> None:
    public_id = seed(client, tmp_path)
    hidden_id = seed(client, tmp_path, access_level="non-public", classification="personal")
    body = client.get("/api/v1/datasets").json()
    assert body["count"] == 2
    by_id = {item["id"]: item for item in body["results"]}
    assert by_id[public_id]["row_count"] == 2
    assert by_id[hidden_id]["access_level"] == "non-public"
    assert by_id[hidden_id]["classification"] == "personal"
    assert [f["name"] for f in by_id[public_id]["fields"]] == ["town", "fips", "cases"]


def test_show_fields_versions(client: TestClient, tmp_path: Path) -> None:
    dataset_id = seed(client, tmp_path)
    assert client.get(f"/api/v1/datasets/{dataset_id}").json()["agency"] == "dph"
    fields = client.get(f"/api/v1/datasets/{dataset_id}/fields").json()
    assert fields[1] == {
        "name": "fips",
        "label": "FIPS",
        "type": "text",
        "description": "",
        "format": None,
        "position": 2,
        "classification": "public",
        "standard": None,
    }
    listed = client.get(f"/api/v1/datasets/{dataset_id}/versions").json()
    assert [(v["number"], v["row_count"], v["is_current"]) for v in listed] == [(1, 2, True)]


def test_unknown_dataset_is_404_json(client: TestClient) -> None:
    response = client.get("/api/v1/datasets/zzzz-0000")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_bad_paging_is_400_json(client: TestClient) -> None:
    response = client.get("/api/v1/datasets?limit=0")
    assert response.status_code == 400
    assert "limit" in response.json()["error"]["message"]


def test_download_csv_keeps_leading_zeros(client: TestClient, tmp_path: Path) -> None:
    dataset_id = seed(client, tmp_path)
    response = client.get(f"/api/v1/datasets/{dataset_id}/versions/1/download")
    assert response.status_code == 200
    assert response.text.splitlines() == [
        '"town","fips","cases"',
        '"Andover","0901301080",2',
        '"Hartford","0900337000",10',
    ] or response.text.splitlines() == [
        "town,fips,cases",
        "Andover,0901301080,2",
        "Hartford,0900337000,10",
    ]


def test_download_parquet_leaves_out_personal_fields(client: TestClient, tmp_path: Path) -> None:
    dataset_id = seed(client, tmp_path)
    database: Database = client.app.state.database  # type: ignore[attr-defined]
    with database.session() as session:
        service.update_field(
            session, SYSTEM, dataset_id, "fips", FieldUpdate(classification="personal")
        )
    response = client.get(f"/api/v1/datasets/{dataset_id}/versions/1/download?format=parquet")
    assert response.status_code == 200
    table = pq.read_table(io.BytesIO(response.content))
    assert table.column_names == ["town", "cases"]


def test_non_public_rows_are_never_served(client: TestClient, tmp_path: Path) -> None:
    dataset_id = seed(client, tmp_path, access_level="non-public", classification="personal")
    response = client.get(f"/api/v1/datasets/{dataset_id}/versions/1/download")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_openapi_lists_the_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in [
        "/healthz",
        "/api/v1/datasets",
        "/api/v1/datasets/{dataset_id}",
        "/api/v1/datasets/{dataset_id}/fields",
        "/api/v1/datasets/{dataset_id}/versions",
    ]:
        assert path in paths
