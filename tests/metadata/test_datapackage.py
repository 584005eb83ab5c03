"""Frictionless Data Packages: the descriptor, and the zip that `frictionless validate` accepts."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import frictionless
import pytest
from fastapi.testclient import TestClient

from steward.catalog.schemas import DatasetPublic, FieldPublic
from steward.demo.loader import read_catalog
from steward.metadata.datapackage import TIMESTAMP_FORMAT, field_descriptor

PUBLIC_DEMO = [
    entry["id"]
    for entry in read_catalog()["datasets"]
    if entry["access_level"] == "public" and entry["classification"] not in {"personal", "private"}
]


def _unzip(client: TestClient, dataset_id: str, folder: Path) -> tuple[dict[str, Any], bytes]:
    response = client.get(f"/api/v1/datasets/{dataset_id}/datapackage.zip")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert "datapackage.zip" in response.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == sorted([f"{dataset_id}.csv", "datapackage.json"])
        archive.extractall(folder)
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    return package, (folder / f"{dataset_id}.csv").read_bytes()


def _validate(folder: Path) -> frictionless.Report:
    report = frictionless.validate(folder / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])
    assert report.stats["errors"] == 0
    return report


@pytest.mark.parametrize("dataset_id", PUBLIC_DEMO)
def test_every_public_demo_dataset_zips_into_a_valid_package(
    demo_api: TestClient, dataset_id: str, tmp_path: Path
) -> None:
    package, csv = _unzip(demo_api, dataset_id, tmp_path)
    report = _validate(tmp_path)
    dataset = demo_api.get(f"/api/v1/datasets/{dataset_id}").json()
    assert report.tasks[0].stats["rows"] == dataset["row_count"]
    resource = package["resources"][0]
    assert resource["bytes"] == len(csv) and resource["hash"].startswith("sha256:")
    # The zip carries the very file the CSV distribution serves.
    assert demo_api.get(f"/api/views/{dataset_id}/rows.csv").content == csv


def test_the_descriptor_route_describes_the_csv_download(
    demo_api: TestClient, tmp_path: Path
) -> None:
    package, _csv = _unzip(demo_api, "28fr-iqnx", tmp_path)
    served = demo_api.get("/api/v1/datasets/28fr-iqnx/datapackage.json").json()
    resource = served["resources"][0]
    assert resource["path"] == "http://testserver/api/views/28fr-iqnx/rows.csv?accessType=DOWNLOAD"
    zipped = package["resources"][0]
    for key in ("path", "bytes", "hash"):
        zipped.pop(key)
    resource.pop("path")
    assert served == package
    types = {field["name"]: field["type"] for field in resource["schema"]["fields"]}
    assert types["last_update_date"] == "datetime" and types["town_number"] == "integer"
    assert resource["schema"]["missingValues"] == [""]
    assert "licenses" not in served  # "Not specified" names no license


def test_population_values_are_numbers_and_licensed(demo_api: TestClient) -> None:
    served = demo_api.get("/api/v1/datasets/dphp-0pop/datapackage.json").json()
    fields = {field["name"]: field for field in served["resources"][0]["schema"]["fields"]}
    assert fields["value"]["type"] == "number" and fields["year"]["type"] == "integer"
    assert fields["fips"]["type"] == "string" and fields["fips"]["description"]
    assert served["licenses"][0]["name"] == "PDDL-1.0"
    assert served["contributors"][0]["title"] == "Department of Public Health"


@pytest.mark.parametrize("suffix", ["datapackage.json", "datapackage.zip"])
def test_a_non_public_dataset_has_no_package(demo_api: TestClient, suffix: str) -> None:
    response = demo_api.get(f"/api/v1/datasets/rybz-nyjw/{suffix}")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_every_stored_type_validates(
    client: TestClient, seed: Callable[..., DatasetPublic], tmp_path: Path
) -> None:
    dataset = seed()
    package, csv = _unzip(client, dataset.id, tmp_path)
    _validate(tmp_path)
    fields = {f["name"]: f for f in package["resources"][0]["schema"]["fields"]}
    assert {name: field["type"] for name, field in fields.items()} == {
        "town": "string",
        "year": "integer",
        "population": "integer",
        "share": "number",
        "counted": "boolean",
        "measured_at": "datetime",
        "location": "string",
    }
    assert fields["measured_at"]["format"] == TIMESTAMP_FORMAT
    assert "pattern" in fields["location"]["constraints"]
    assert b"2020-07-01T13:45:10.250" in csv and b"POINT (-72.68 41.76)" in csv


def test_a_wrong_cell_fails_validation(
    client: TestClient, seed: Callable[..., DatasetPublic], tmp_path: Path
) -> None:
    """The schema is strict enough to catch a file that does not match it."""
    dataset = seed()
    _unzip(client, dataset.id, tmp_path)
    path = tmp_path / f"{dataset.id}.csv"
    path.write_bytes(path.read_bytes().replace(b"2020-07-01T13:45:10.250", b"07/01/2020"))
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    for key in ("bytes", "hash"):
        descriptor["resources"][0].pop(key)
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    report = frictionless.validate(tmp_path / "datapackage.json")
    assert not report.valid
    assert [error[0] for error in report.flatten(["type"])] == ["type-error"]


def _field(name: str, type_: str) -> FieldPublic:
    return FieldPublic(
        name=name,
        label=name.title(),
        type=type_,
        description="",
        format=None,
        position=1,
        classification="public",
        standard=None,
    )


@pytest.mark.parametrize(
    ("soql", "physical", "expected"),
    [
        ("text", "VARCHAR", "string"),
        ("number", "BIGINT", "integer"),
        ("number", "DOUBLE", "number"),
        ("number", None, "number"),
        ("checkbox", "BOOLEAN", "boolean"),
        ("floating_timestamp", "TIMESTAMP", "datetime"),
        ("calendar_date", "TIMESTAMP", "date"),
        ("point", "STRUCT(longitude DOUBLE, latitude DOUBLE)", "string"),
    ],
)
def test_soql_types_map_to_table_schema_types(
    soql: str, physical: str | None, expected: str
) -> None:
    descriptor = field_descriptor(_field("x", soql), physical)
    assert descriptor["type"] == expected
    assert "description" not in descriptor  # an empty description is left out
