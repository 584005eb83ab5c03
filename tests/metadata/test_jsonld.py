"""schema.org `Dataset` JSON-LD for search engines."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from steward.catalog.schemas import DatasetPublic, FieldPublic
from steward.metadata import STATE_NAME
from steward.metadata.jsonld import dataset_jsonld


def _field(name: str, type_: str, description: str, classification: str = "public") -> FieldPublic:
    return FieldPublic(
        name=name,
        label=name.replace("_", " ").title(),
        type=type_,
        description=description,
        format="count" if type_ == "number" else None,
        position=1,
        classification=classification,
        standard=None,
    )


def test_a_public_dataset_has_every_property_search_engines_read(
    make: Callable[..., DatasetPublic],
) -> None:
    fields = [
        _field("town", "text", "Town name."),
        _field("cases", "number", "Cumulative cases."),
        _field("name", "text", "Name of the person.", classification="personal"),
    ]
    document = dataset_jsonld(make(fields=fields), "https://data.example.gov")
    assert document["@context"] == "https://schema.org/" and document["@type"] == "Dataset"
    assert document["url"] == document["identifier"] == "https://data.example.gov/d/abcd-1234"
    assert document["license"] == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert document["creator"]["@type"] == "GovernmentOrganization"
    assert document["publisher"]["parentOrganization"]["name"] == STATE_NAME
    assert document["temporalCoverage"] == "2019/2020"
    assert document["spatialCoverage"] == {"@type": "Place", "name": "Connecticut, by town"}
    assert document["dateModified"] == "2024-05-01T12:30:00Z"
    assert document["isAccessibleForFree"] is True
    downloads = {d["encodingFormat"]: d for d in document["distribution"]}
    assert set(downloads) == {"text/csv", "application/json", "application/vnd.apache.parquet"}
    assert all(d["@type"] == "DataDownload" for d in downloads.values())
    # Personal fields are left out of variableMeasured; numbers carry their unit.
    assert document["variableMeasured"] == [
        {
            "@type": "PropertyValue",
            "name": "Town",
            "propertyID": "town",
            "description": "Town name.",
        },
        {
            "@type": "PropertyValue",
            "name": "Cases",
            "propertyID": "cases",
            "description": "Cumulative cases.",
            "unitText": "count",
        },
    ]


def test_a_non_public_dataset_has_no_downloads(make: Callable[..., DatasetPublic]) -> None:
    document = dataset_jsonld(
        make(access_level="non-public", temporal_coverage="2015 - present"), "https://x.gov"
    )
    assert "distribution" not in document
    assert document["conditionsOfAccess"].startswith("Non-public")
    assert document["temporalCoverage"] == "2015/.."


def test_the_route_serves_json_ld_with_the_agency_website(demo_api: TestClient) -> None:
    response = demo_api.get("/api/v1/datasets/dphp-0pop/jsonld")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    document = response.json()
    assert document["creator"]["url"] == "https://portal.ct.gov/dph"
    assert len(document["variableMeasured"]) == 6
    assert demo_api.get("/api/v1/datasets/nope-0000/jsonld").status_code == 404
