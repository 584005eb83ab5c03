"""The Connecticut metadata standard as a scored checklist, per dataset and state-wide."""

from __future__ import annotations

import csv
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from steward.accounts.policy import SYSTEM
from steward.catalog import service as catalog
from steward.catalog.schemas import DatasetPublic, DatasetUpdate, FieldPublic, FieldUpdate
from steward.db import Database
from steward.demo.loader import DATA_DIR
from steward.metadata.completeness import CATEGORIES, CHECKS, NOT_SCORED, TOTAL_WEIGHT, evaluate
from steward.metadata.coverage import GEOGRAPHIC_UNITS

STANDARD = DATA_DIR / "inventory" / "ct_open_data_metadata_schema.csv"


def _portal_rows() -> dict[str, dict[str, str]]:
    with STANDARD.open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["platform"].startswith("CT Open")]
    return {row["field"]: row for row in rows}


def _menu(field: str) -> list[str]:
    values = _portal_rows()[field]["permitted_values"]
    return [value.strip() for value in values.split(":", 1)[1].split(",")]


def test_every_field_of_the_portal_standard_is_scored_or_explained() -> None:
    scored = {check.standard_field for check in CHECKS}
    assert set(_portal_rows()) == (scored - {""}) | set(NOT_SCORED)


def test_weights_total_one_hundred() -> None:
    assert TOTAL_WEIGHT == 100


def test_the_permitted_lists_are_the_standards() -> None:
    assert list(CATEGORIES) == _menu("Category")
    units = [unit for unit, _words in GEOGRAPHIC_UNITS]
    assert set(units) == set(_menu("Geographic Unit")) - {"Other"}


def _field(description: str) -> FieldPublic:
    return FieldPublic(
        name="town",
        label="Town",
        type="text",
        description=description,
        format=None,
        position=1,
        classification="public",
        standard=None,
    )


def test_complete_metadata_meets_the_standard(make: Callable[..., DatasetPublic]) -> None:
    result = evaluate(make(fields=[_field("Town name.")]))
    assert result.score == 100 and result.meets_standard and result.missing == []


@pytest.mark.parametrize(
    ("change", "gap"),
    [
        ({"title": "Towns"}, "title"),
        ({"description": "Each row is a town."}, "description"),
        ({"category": "Health"}, "category"),
        ({"keywords": ["towns"]}, "keywords"),
        ({"spatial_coverage": "Connecticut"}, "geographic_unit"),
        ({"temporal_coverage": "recent years"}, "temporal_coverage"),
        ({"source_system": None}, "attribution"),
        ({"contact_email": None}, "contact_email"),
        ({"update_frequency": None}, "update_frequency"),
        ({"license": "Not specified"}, "license"),
        ({"fields": [_field("")]}, "field_descriptions"),
        ({"fields": []}, "field_descriptions"),
    ],
)
def test_each_required_gap_fails_the_standard(
    make: Callable[..., DatasetPublic], change: dict[str, object], gap: str
) -> None:
    result = evaluate(make(**{"fields": [_field("Town name.")], **change}))
    assert result.missing == [gap]
    assert not result.meets_standard and result.score < 100


def test_recommended_gaps_lower_the_score_only(make: Callable[..., DatasetPublic]) -> None:
    result = evaluate(
        make(
            fields=[_field("Town name.")],
            landing_page=None,
            description=" ".join(["Town population estimates for planning."] * 6),
        )
    )
    assert result.meets_standard
    assert result.missing == ["row_label", "source_link"] and result.score == 90
    hints = {check.id: check.hint for check in result.checks}
    assert hints["source_link"].startswith("steward dataset update abcd-1234 ")


def test_a_demo_dataset_through_the_api(demo_api: TestClient) -> None:
    body = demo_api.get("/api/v1/datasets/28fr-iqnx/completeness").json()
    assert body["dataset_id"] == "28fr-iqnx" and body["missing"] == ["license"]
    assert body["meets_standard"] is False and 0 < body["score"] < 100
    assert len(body["checks"]) == len(CHECKS)
    assert demo_api.get("/api/v1/datasets/nope-0000/completeness").status_code == 404


def test_the_report_counts_open_datasets_only(demo_api: TestClient) -> None:
    report = demo_api.get("/api/v1/metadata/report").json()
    agencies = {agency["agency"]: agency for agency in report["agencies"]}
    assert agencies["ocme"]["public_datasets"] == 0 and agencies["ocme"]["percent"] is None
    listed = [d["id"] for agency in report["agencies"] for d in agency["datasets"]]
    assert "rybz-nyjw" not in listed  # non-public: an inventory entry, not open data
    assert report["public_datasets"] == len(listed) == 4
    for agency in report["agencies"]:
        meeting = sum(d["meets_standard"] for d in agency["datasets"])
        assert agency["meeting_standard"] == meeting


def test_filling_in_a_missing_field_raises_the_agency_percentage(
    client: TestClient, seed: Callable[..., DatasetPublic]
) -> None:
    seed()
    unlicensed = seed(license="Not specified")
    undescribed = seed(agency="opm", undescribed=("town",))
    seed(agency="opm", access_level="non-public", license=None)  # not counted

    def percents() -> dict[str, float | None]:
        report = client.get("/api/v1/metadata/report").json()
        return {"state": report["percent"]} | {
            a["agency"]: a["percent"] for a in report["agencies"]
        }

    assert percents() == {"state": 33.3, "dph": 50.0, "opm": 0.0}
    database: Database = client.app.state.database  # type: ignore[attr-defined]
    with database.session() as session:
        catalog.update_dataset(session, SYSTEM, unlicensed.id, DatasetUpdate(license="CC BY 4.0"))
    assert percents() == {"state": 66.7, "dph": 100.0, "opm": 0.0}
    with database.session() as session:
        catalog.update_field(
            session, SYSTEM, undescribed.id, "town", FieldUpdate(description="Town.")
        )
    assert percents() == {"state": 100.0, "dph": 100.0, "opm": 100.0}
