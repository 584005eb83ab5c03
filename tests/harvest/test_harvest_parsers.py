"""The pure catalog parsers and the format detection."""

from __future__ import annotations

import csv
import doctest
import io
import json
from pathlib import Path
from typing import Any

import pytest

from steward.errors import Invalid
from steward.harvest import agencies, axibase, records
from steward.harvest.detect import parse_document
from steward.harvest.records import ParsedCatalog

SNAPSHOT = (
    Path(__file__).resolve().parents[1]
    / "fixtures"
    / "harvest"
    / ("data_ct_gov_catalog_2017_axibase.csv")
)


@pytest.mark.parametrize("module", [records, axibase, agencies])
def test_doctests(module: Any) -> None:
    assert doctest.testmod(module).failed == 0


def test_the_catalog_export_csv(snapshot: ParsedCatalog) -> None:
    assert snapshot.format == "axibase" and len(snapshot.records) == 307
    assert len({record.source_key for record in snapshot.records}) == 307
    traffic = next(r for r in snapshot.records if r.source_id == "25bh-kn7t")
    assert traffic.title == "2011 Final ADT Counts for the State Road Network"
    assert traffic.agency == "Department of Transportations"
    assert traffic.category == "Transportation"
    assert traffic.keywords == ("traffic", "counts", "adt", "dot")
    assert traffic.description.startswith("2011 Final ADT Counts")
    assert [(f.name, f.type) for f in traffic.fields[:2]] == [("town", "number"), ("route", "text")]
    types = {f.type for r in snapshot.records for f in r.fields}
    assert types <= {"text", "number", "floating_timestamp"}
    money = [f for r in snapshot.records for f in r.fields if f.format == "money"]
    assert money and all(f.type == "number" for f in money)


def test_column_counts_match_the_export(snapshot: ParsedCatalog) -> None:
    rows = csv.DictReader(io.StringIO(SNAPSHOT.read_text(encoding="utf-8")))
    declared = {row["dataset_id"]: int(row["column_count"]) for row in rows}
    assert {r.source_id: len(r.fields) for r in snapshot.records} == declared


DATA_JSON: dict[str, Any] = {
    "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
    "dataset": [
        {
            "title": "COVID-19 Tests, Cases, and Deaths (By Town)",
            "description": "Daily counts by town.",
            "identifier": "https://data.ct.gov/api/views/28fr-iqnx",
            "keyword": ["covid-19", "Towns"],
            "publisher": {"name": "Department of Public Health"},
            "contactPoint": {"fn": "DPH Data Team", "hasEmail": "mailto:dph.data@ct.gov"},
            "accessLevel": "public",
            "accrualPeriodicity": "R/P1D",
            "temporal": "2020-03-24/2021-01-12",
            "theme": ["Health and Human Services"],
            "landingPage": "https://data.ct.gov/d/28fr-iqnx",
            "modified": "2021-01-13",
        },
        {
            "title": "Licensed Child Care",
            "identifier": "urn:oec:child-care",
            "publisher": {"name": "Office of Early Childhood"},
            "accessLevel": "restricted public",
            "accrualPeriodicity": "irregular",
            "spatial": {"type": "Polygon"},
        },
        {"description": "no title"},
    ],
}


def test_dcat_us_data_json() -> None:
    catalog = parse_document(json.dumps(DATA_JSON).encode())
    assert catalog.format == "dcat"
    covid, care = catalog.records
    assert (covid.source_key, covid.preferred_id) == ("4x4:28fr-iqnx", "28fr-iqnx")
    assert covid.contact_email == "dph.data@ct.gov"
    assert covid.keywords == ("covid-19", "towns")
    assert (covid.update_frequency, covid.category) == ("R/P1D", "Health and Human Services")
    assert (care.source_key, care.preferred_id) == ("dcat:urn:oec:child-care", None)
    assert (care.access_level, care.spatial_coverage) == ("restricted public", None)
    assert catalog.skipped == ["dataset 3: no title"]


VIEWS: list[dict[str, Any]] = [
    {
        "id": "vnar-mt35",
        "name": "2010 Population By Town",
        "attribution": "Office of Policy and Management",
        "category": "Government",
        "tags": ["population", "census"],
        "license": {"name": "Public Domain"},
        "rowsUpdatedAt": 1423064016,
        "viewType": "tabular",
        "displayType": "table",
        "metadata": {"custom_fields": {"Common Core": {"Frequency": "Annually"}}},
        "columns": [
            {"fieldName": ":id", "name": "ID", "dataTypeName": "meta_data"},
            {"fieldName": "town", "name": "TOWN", "dataTypeName": "text", "description": "Town"},
            {"fieldName": "_2010_pop", "name": "2010 Population", "dataTypeName": "number"},
            {"fieldName": "where", "name": "Where", "dataTypeName": "location"},
        ],
    },
    {"id": "abcd-1234", "name": "Filtered", "modifyingViewUid": "vnar-mt35", "columns": []},
    {"id": "wxyz-9876", "name": "A chart", "displayType": "chart", "columns": []},
]


def test_socrata_views_json() -> None:
    catalog = parse_document(json.dumps(VIEWS).encode(), portal="https://data.ct.gov")
    assert catalog.format == "socrata"
    [view] = catalog.records
    assert view.landing_page == "https://data.ct.gov/d/vnar-mt35"
    assert view.update_frequency == "R/P1Y"
    assert view.source_modified == "2015-02-04T15:33:36Z"
    assert [(f.name, f.type, f.format) for f in view.fields] == [
        ("town", "text", None),
        ("_2010_population", "number", None),
        ("where", "point", "location"),
    ]
    assert len(catalog.skipped) == 2
    one = parse_document(json.dumps(VIEWS[0]).encode())  # /api/views/{id}.json
    assert one.records[0].source_key == "4x4:vnar-mt35"


def test_socrata_discovery_api() -> None:
    answer = {
        "results": [
            {
                "resource": {
                    "id": "28fr-iqnx",
                    "name": "COVID-19 by town",
                    "type": "dataset",
                    "attribution": "Department of Public Health",
                    "columns_name": ["Town", "Total cases "],
                    "columns_datatype": ["text", "number"],
                    "columns_description": ["", "Cumulative"],
                },
                "classification": {"domain_category": "Health", "domain_tags": ["covid-19"]},
                "permalink": "https://data.ct.gov/d/28fr-iqnx",
            },
            {"resource": {"id": "story-0001", "type": "story"}},
        ],
        "resultSetSize": 2,
    }
    catalog = parse_document(json.dumps(answer).encode())
    [record] = catalog.records
    assert record.landing_page == "https://data.ct.gov/d/28fr-iqnx"
    assert [(f.name, f.description) for f in record.fields] == [
        ("town", ""),
        ("total_cases", "Cumulative"),
    ]
    assert catalog.skipped == ["story-0001: not a dataset (story)"]


PACKAGE: dict[str, Any] = {
    "id": "0b3c9a4e-4a8e-4d55-9b86-5f7c0b1c2d3e",
    "name": "road-safety",
    "title": "Road Safety",
    "notes": "Crashes.",
    "state": "active",
    "organization": {"name": "dot", "title": "Department of Transportation"},
    "tags": [{"name": "Crashes"}],
    "groups": [{"name": "transportation", "title": "Transportation"}],
    "license_title": "Creative Commons Attribution",
    "extras": [{"key": "frequency", "value": "Monthly"}],
    "private": True,
    "resources": [
        {
            "id": "r1",
            "datastore_fields": [
                {"id": "_id", "type": "int"},
                {"id": "Crash Date", "type": "timestamp"},
                {"id": "count", "type": "int4", "info": {"notes": "crashes"}},
            ],
        }
    ],
}


def test_ckan_package_search_answer() -> None:
    answer = {"help": "", "success": True, "result": {"count": 1, "results": [PACKAGE]}}
    catalog = parse_document(json.dumps(answer).encode(), portal="https://data.example.gov")
    assert catalog.format == "ckan"
    [record] = catalog.records
    assert record.source_key == f"ckan:{PACKAGE['id']}" and record.preferred_id is None
    assert (record.agency, record.agency_slug) == ("Department of Transportation", "dot")
    assert (record.category, record.keywords) == ("Transportation", ("crashes",))
    assert (record.update_frequency, record.access_level) == ("R/P1M", "non-public")
    assert record.landing_page == "https://data.example.gov/dataset/road-safety"
    assert [(f.name, f.type, f.description) for f in record.fields] == [
        ("crash_date", "floating_timestamp", ""),
        ("count", "number", "crashes"),
    ]


def test_ckanapi_dump_json_lines() -> None:
    stewards = {**PACKAGE, "id": "28fr-iqnx", "name": "28fr-iqnx", "private": False}
    deleted = {**PACKAGE, "id": "x", "name": "gone", "state": "deleted"}
    lines = "\n".join(json.dumps(p) for p in [stewards, deleted]) + "\n"
    catalog = parse_document(lines.encode())
    [record] = catalog.records
    assert (record.source_key, record.preferred_id) == ("4x4:28fr-iqnx", "28fr-iqnx")
    assert record.access_level is None
    assert catalog.skipped == ["gone: deleted"]


def test_an_empty_search_answer_is_an_empty_catalog() -> None:
    answer = {"success": True, "result": {"count": 0, "results": []}}
    assert parse_document(json.dumps(answer).encode()).records == []


@pytest.mark.parametrize(
    ("data", "fmt", "message"),
    [
        (b"a,b\n1,2\n", "auto", "catalog export CSV"),
        (b'{"hello": "world"}', "auto", "not a catalog"),
        (b"{broken", "auto", "not valid JSON"),
        (json.dumps(DATA_JSON).encode(), "ckan", "not a ckan catalog"),
        (b"[]", "dcat", "not a dcat catalog"),
        (b"{}", "xml", "unknown format"),
    ],
)
def test_documents_that_are_not_catalogs(data: bytes, fmt: str, message: str) -> None:
    with pytest.raises(Invalid, match=message):
        parse_document(data, fmt=fmt)
