"""Freshness from the data's own last date, the dataset page badge and the CDO summary."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from steward.db import Database
from steward.quality import declarations, service, summary
from steward.quality.freshness import assess, coverage_end, last_date

from .conftest import Ingest

LOADED = datetime(2026, 6, 1, tzinfo=UTC)


def test_the_covid_town_dataset_is_overdue_by_its_last_date(demo_db: Database) -> None:
    with demo_db.session() as session:
        fresh = service.dataset_freshness(session, "28fr-iqnx")
        report = summary.freshness_report(session)
    assert fresh.status == "overdue"
    assert (fresh.basis, fresh.basis_field) == ("data", "last_update_date")
    assert fresh.last_date == datetime(2021, 1, 12)
    assert fresh.expected_by == datetime(2021, 1, 14)
    dph = next(agency for agency in report.agencies if agency.agency == "dph")
    covid = next(item for item in dph.items if item.id == "28fr-iqnx")
    assert covid.freshness.status == "overdue"
    assert dph.overdue >= 1 and dph.scheduled == dph.datasets == 3
    assert report.scheduled == 5 and report.percent_on_schedule == 0.0


def test_page_badge_and_cdo_summary_agree(demo_client: TestClient) -> None:
    fresh = demo_client.get("/api/v1/datasets/28fr-iqnx/freshness").json()
    page = demo_client.get("/d/28fr-iqnx").text
    assert f'<span class="badge overdue">{fresh["label"]}</span>' in page
    assert "Newest data: January 12, 2021 (latest <code>last_update_date</code>)" in page
    cdo = demo_client.get("/api/v1/quality/freshness").json()
    listed = [item for agency in cdo["agencies"] for item in agency["items"]]
    assert next(item for item in listed if item["id"] == "28fr-iqnx")["freshness"] == fresh


def test_coverage_is_used_without_a_date_field(demo_db: Database) -> None:
    with demo_db.session() as session:
        fresh = service.dataset_freshness(session, "dphp-0pop")
    assert (fresh.basis, fresh.last_date) == ("coverage", datetime(2020, 12, 31))


@pytest.mark.parametrize(
    ("days_after", "status"),
    [(1.5, "on_schedule"), (2.05, "due"), (3, "overdue")],
)
def test_on_time_due_overdue_from_a_data_date(days_after: float, status: str) -> None:
    last = datetime(2024, 1, 10)
    now = datetime.fromtimestamp(last.timestamp() + days_after * 86400)
    assert assess("R/P1D", last, "data", now=now).status == status


def test_a_load_date_allows_one_period() -> None:
    last = datetime(2024, 1, 10)
    assert assess("R/P1W", last, "loaded", now=datetime(2024, 1, 16)).status == "on_schedule"
    overdue = assess("R/P1W", last, "loaded", now=datetime(2024, 1, 27))
    assert (overdue.status, overdue.label) == ("overdue", "overdue by 10 days")
    assert assess("irregular", last, "loaded").status == "unscheduled"
    assert assess("R/P1D", None, None).status == "no_data"


def test_last_date_prefers_data_then_coverage_then_load() -> None:
    profile = {
        "fields": [
            {"name": "reported", "type": "floating_timestamp", "max": "2025-03-01T00:00:00"},
            {"name": "due", "type": "floating_timestamp", "max": "2030-01-01T00:00:00"},
            {"name": "year", "type": "number", "max": 2024},
        ]
    }
    capped = last_date(profile, None, "2000/2001", LOADED)
    assert capped == (datetime(2026, 6, 1), "data", "due")  # a future date counts as the load
    assert last_date(profile, "reported", None, LOADED)[0] == datetime(2025, 3, 1)
    assert last_date(profile, "year", None, LOADED)[0] == datetime(2024, 12, 31)
    assert last_date(None, None, "2019-07-01/2020-06", LOADED)[:2] == (
        datetime(2020, 6, 30),
        "coverage",
    )
    assert last_date(None, None, "ongoing", LOADED)[1] == "loaded"
    assert coverage_end("2020-02") == datetime(2020, 2, 29)


def test_a_declared_date_field_is_used(store: Database, ingest: Ingest) -> None:
    ingest("Year,Reported,Cases\n2019,01/05/2020,1\n2020,02/01/2020,2\n")
    with store.session() as session:
        declarations.update_settings(session, "qual-0001", date_field="year")
        fresh = service.dataset_freshness(session, "qual-0001")
    assert (fresh.basis_field, fresh.last_date) == ("year", datetime(2020, 12, 31))
