"""`/data.json`: DCAT-US v1.1 validated with the non-federal JSON Schema data.gov harvests with."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT4

from steward.catalog.schemas import DatasetPublic
from steward.metadata import STATE_NAME, dcat

SCHEMAS = Path(__file__).resolve().parents[1] / "fixtures" / "dcat"
CATALOG_SCHEMA = json.loads((SCHEMAS / "catalog.json").read_text(encoding="utf-8"))
DATASET_SCHEMA = json.loads((SCHEMAS / "dataset-non-federal.json").read_text(encoding="utf-8"))
# The harvester reads conformsTo to pick the v1.1 schema; any other value is a gather error.
HARVESTED_SCHEMA = "https://project-open-data.cio.gov/v1.1/schema"


def _format_checker() -> FormatChecker:
    """jsonschema's checker with `uri` enforced (its own needs an optional package)."""
    checker = FormatChecker()

    @checker.checks("uri")
    def _absolute_http(value: object) -> bool:
        if not isinstance(value, str):
            return True
        parts = urlsplit(value)
        return parts.scheme in {"http", "https"} and bool(parts.netloc)

    return checker


def _catalog_validator() -> Draft4Validator:
    dataset = DRAFT4.create_resource(DATASET_SCHEMA)
    registry = Registry().with_resources(
        [(f"{HARVESTED_SCHEMA}/dataset-non-federal.json", dataset)]
    )
    return Draft4Validator(
        CATALOG_SCHEMA, registry=registry.crawl(), format_checker=_format_checker()
    )


def _errors(validator: Draft4Validator, document: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(document)
    ]


@pytest.fixture(scope="module")
def data_json(demo_api: TestClient) -> dict[str, Any]:
    response = demo_api.get("/data.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    return body


def _entries(data_json: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {entry["identifier"].rsplit("/", 1)[1]: entry for entry in data_json["dataset"]}


def test_data_json_validates_against_the_non_federal_catalog_schema(
    data_json: dict[str, Any],
) -> None:
    assert _errors(_catalog_validator(), data_json) == []
    assert data_json["conformsTo"] == HARVESTED_SCHEMA
    assert data_json["@type"] == "dcat:Catalog"
    assert data_json["@id"] == "http://testserver/data.json"


def test_every_entry_passes_the_harvesters_own_check(data_json: dict[str, Any]) -> None:
    """As the data.gov harvester does: Draft 4 with format checks, one dataset at a time."""
    validator = Draft4Validator(DATASET_SCHEMA, format_checker=_format_checker())
    for entry in data_json["dataset"]:
        assert _errors(validator, entry) == [], entry["identifier"]
        assert "bureauCode" not in entry and "programCode" not in entry


def test_every_published_dataset_appears_once(
    demo_api: TestClient, data_json: dict[str, Any]
) -> None:
    published = demo_api.get("/api/v1/datasets", params={"status": "published"}).json()
    identifiers = [entry["identifier"] for entry in data_json["dataset"]]
    assert len(identifiers) == len(set(identifiers)) == published["count"]
    assert {i.rsplit("/", 1)[1] for i in identifiers} == {d["id"] for d in published["results"]}


def test_public_entries_offer_csv_json_parquet_and_the_api(data_json: dict[str, Any]) -> None:
    for dataset_id, entry in _entries(data_json).items():
        if entry["accessLevel"] != "public":
            continue
        assert "rights" not in entry
        formats = {item["format"]: item for item in entry["distribution"]}
        assert set(formats) == {"CSV", "JSON", "Parquet", "API"}
        assert formats["CSV"]["mediaType"] == "text/csv"
        assert formats["CSV"]["downloadURL"].endswith(
            f"/api/views/{dataset_id}/rows.csv?accessType=DOWNLOAD"
        )
        assert formats["JSON"]["downloadURL"].endswith(f"/resource/{dataset_id}.json")
        assert "/versions/1/download?format=parquet" in formats["Parquet"]["downloadURL"]
        assert formats["API"]["accessURL"].endswith(f"/resource/{dataset_id}.json")
        assert formats["API"]["conformsTo"] == "http://testserver/api-docs"
        assert entry["publisher"]["subOrganizationOf"]["name"] == STATE_NAME
        assert entry["contactPoint"]["hasEmail"].startswith("mailto:")
        assert entry["describedBy"].endswith(f"/api/v1/datasets/{dataset_id}/fields")


def test_a_non_public_entry_says_why_and_offers_no_download(data_json: dict[str, Any]) -> None:
    entry = _entries(data_json)["rybz-nyjw"]
    assert entry["accessLevel"] == "non-public"
    assert "personal" in entry["rights"] and len(entry["rights"]) <= 255
    assert "distribution" not in entry
    assert entry["temporal"] == "2012-01-01/2017-12-31"
    assert entry["accrualPeriodicity"] == "R/P1Y"


def test_licenses_become_urls_and_unknown_ones_are_left_out(data_json: dict[str, Any]) -> None:
    entries = _entries(data_json)
    assert entries["dphp-0pop"]["license"] == "https://opendatacommons.org/licenses/pddl/1-0/"
    assert entries["5w85-2euh"]["license"] == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert "license" not in entries["28fr-iqnx"]  # "Not specified"


def test_every_link_of_an_entry_resolves(demo_api: TestClient, data_json: dict[str, Any]) -> None:
    entry = _entries(data_json)["5w85-2euh"]
    urls = [entry["landingPage"], entry["describedBy"]]
    for item in entry["distribution"]:
        urls.append(item.get("downloadURL") or item["accessURL"])
    for url in urls:
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        assert demo_api.get(path).status_code == 200, url


def test_the_schema_catches_what_a_harvester_would_refuse(data_json: dict[str, Any]) -> None:
    validator = Draft4Validator(DATASET_SCHEMA, format_checker=_format_checker())
    broken = dict(data_json["dataset"][0])
    del broken["publisher"]
    broken["accrualPeriodicity"] = "daily"
    broken["contactPoint"] = {"fn": "X", "hasEmail": "x@ct.gov"}
    broken["landingPage"] = "/d/relative"
    problems = " ".join(_errors(validator, broken))
    for what in ("publisher", "daily", "mailto", "/d/relative"):
        assert what in problems


def test_keywords_fall_back_to_the_category_words(make: Callable[..., DatasetPublic]) -> None:
    entry = dcat.dataset_entry(make(keywords=[], category="Health and Human Services"), "http://x")
    assert entry["keyword"] == ["health", "human", "services"]
    assert dcat.dataset_entry(make(keywords=[], category=None), "http://x")["keyword"] == ["dph"]


def test_frequency_temporal_and_restricted_access(make: Callable[..., DatasetPublic]) -> None:
    entry = dcat.dataset_entry(
        make(
            update_frequency="P1M",
            temporal_coverage="2015 - present",
            access_level="restricted public",
            license="Not specified",
        ),
        "http://x",
    )
    assert entry["accrualPeriodicity"] == "R/P1M"
    assert entry["temporal"] == "2015-01-01/2024-05-01"  # runs to the data's last update
    assert entry["accessLevel"] == "restricted public"
    assert entry["rights"].startswith("Restricted public") and "distribution" not in entry
    assert "license" not in entry
    validator = Draft4Validator(DATASET_SCHEMA, format_checker=_format_checker())
    assert _errors(validator, entry) == []


def test_a_public_dataset_classified_personal_is_listed_as_non_public(
    make: Callable[..., DatasetPublic],
) -> None:
    entry = dcat.dataset_entry(make(classification="personal"), "http://x")
    assert entry["accessLevel"] == "non-public" and "distribution" not in entry
