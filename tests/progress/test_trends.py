"""Key figures across reporting periods: two periods opened with different data between them give
trends (state-wide and per agency) and each report's change since the previous period's, through
the service, the API, the pages, the PDFs and the CLI."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from fastapi.testclient import TestClient

from steward.accounts.policy import SYSTEM
from steward.catalog import service as catalog
from steward.progress import reports, service
from steward.progress.schemas import PeriodCreate, Trend

from .conftest import PERIOD, Run, World
from .test_service import read_pdf

EARLIER = PeriodCreate(
    name="FY 2025", starts_on=date(2024, 7, 1), ends_on=date(2025, 6, 30), due_on=date(2099, 9, 30)
)


def two_periods(world: World) -> tuple[int, int]:
    """FY 2025 opened while dphp-0pop is retired, FY 2026 after it is published again: dph has
    2 then 3 datasets through the API, the state 3 then 4."""
    with world.database.session() as session:
        catalog.set_status(session, SYSTEM, "dphp-0pop", "retired")
        earlier = service.open_period(session, world.cdo, world.settings, EARLIER).id
        catalog.set_status(session, SYSTEM, "dphp-0pop", "published")
        later = service.open_period(session, world.cdo, world.settings, PERIOD).id
    return earlier, later


def series(trends: list[Trend], key: str) -> list[tuple[str, float | None]]:
    trend = next(t for t in trends if t.key == key)
    return [(point.period, point.value) for point in trend.points]


def test_trends_and_changes_follow_the_stored_figures(world: World) -> None:
    earlier, later = two_periods(world)
    with world.database.session() as session:
        board = service.dashboard(session, world.cdo, world.settings)
        drill = service.agency_dashboard(session, world.ado, world.settings, "dph")
        first = reports.get_report(session, world.ado, world.settings, earlier, "dph")
        second = reports.get_report(session, world.analyst, world.settings, later, "dph")
        state_before = reports.state_report(session, world.cdo, earlier)
        state_after = reports.state_report(session, world.cdo, later)
    assert series(board.trends, "api_datasets") == [("FY 2025", 3.0), ("FY 2026", 4.0)]
    assert series(drill.trends, "api_datasets") == [("FY 2025", 2.0), ("FY 2026", 3.0)]
    assert {t.goal for t in board.trends} == {"manage", "publish", "quality", "respond", "use"}
    assert first.previous_period is None and first.changes == []
    assert second.previous_period == "FY 2025"
    moved = {change.key: change for change in second.changes}
    assert moved["api_datasets"].text == "+1 dataset since FY 2025"
    assert (moved["api_datasets"].previous, moved["api_datasets"].current) == (2.0, 3.0)
    assert moved["usage_views"].text == "no change since FY 2025"
    assert series(state_before.trends, "api_datasets") == [("FY 2025", 3.0)]
    assert series(state_after.trends, "api_datasets") == [("FY 2025", 3.0), ("FY 2026", 4.0)]
    assert state_before.changes == []
    state_moved = {change.key: change.text for change in state_after.changes}
    assert state_moved["api_datasets"] == "+1 dataset since FY 2025"


def test_a_submitted_report_is_compared_with_what_it_signed_off(world: World) -> None:
    """A later period compares with the earlier report's stored figures, not today's."""
    earlier, later = two_periods(world)
    with world.database.session() as session:
        catalog.set_status(session, SYSTEM, "28fr-iqnx", "retired")
        reports.refresh_report(session, world.ado, world.settings, later, "dph")
        shown = reports.get_report(session, world.ado, world.settings, later, "dph")
        earlier_now = reports.get_report(session, world.ado, world.settings, earlier, "dph")
    assert earlier_now.figures.figure("api_datasets").value == 2
    moved = {change.key: change.text for change in shown.changes}
    assert moved["api_datasets"] == "no change since FY 2025"


def test_the_pdfs_show_the_trends_and_changes(world: World) -> None:
    _, later = two_periods(world)
    with world.database.session() as session:
        _, agency_pdf = reports.report_pdf(session, world.ado, world.settings, later, "dph")
        _, state_pdf = reports.state_pdf(session, world.cdo, later)
    text, _ = read_pdf(agency_pdf)
    assert "Since FY 2025" in text and "+1 dataset" in text
    assert "Changes are counted since the report of FY 2025" in text
    text, images = read_pdf(state_pdf)
    assert "Key figures by reporting period" in text and "FY 2025" in text
    assert "Datasets available through the API by reporting period (all agencies)" in text
    assert images >= 5  # usage, four comparisons, and the trends measured twice


SignIn = Callable[[TestClient, str], str]


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_the_pages_and_the_api_show_the_trends(
    world: World, app_client: TestClient, sign_in: SignIn
) -> None:
    _, later = two_periods(world)
    sign_in(app_client, "cdo@ct.gov")
    board = app_client.get("/console/dashboard").text
    assert 'id="trends-by-period"' in board and 'id="chart-trend-api_datasets"' in board
    assert '<tr data-trend="api_datasets">' in board
    state = app_client.get(f"/console/progress/{later}").text
    assert 'id="chart-trend-api_datasets"' in state and "+1 dataset since FY 2025" in state
    board_json = app_client.get("/api/v1/dashboard").json()
    api = next(t for t in board_json["trends"] if t["key"] == "api_datasets")
    assert [p["value"] for p in api["points"]] == [3.0, 4.0]
    sign_in(app_client, "ado@dph.ct.gov")
    drill = app_client.get("/console/dashboard/agencies/dph").text
    assert 'id="chart-trend-api_datasets"' in drill
    report = app_client.get(f"/console/progress/{later}/dph").text
    assert '<th scope="col">Since FY 2025</th>' in report and "+1 dataset since FY 2025" in report
    shown = app_client.get(f"/api/v1/progress/periods/{later}/reports/dph").json()
    assert shown["previous_period"] == "FY 2025"


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_one_period_gives_a_table_and_no_chart(
    world: World, app_client: TestClient, sign_in: SignIn
) -> None:
    with world.database.session() as session:
        service.open_period(session, world.cdo, world.settings, PERIOD)
    sign_in(app_client, "cdo@ct.gov")
    board = app_client.get("/console/dashboard").text
    assert '<tr data-trend="api_datasets">' in board and "chart-trend-" not in board


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_the_cli_prints_the_trends(world: World, steward: Run) -> None:
    _, later = two_periods(world)
    out = steward("progress", "dashboard", as_="cdo@ct.gov")
    assert "Key figures by reporting period:" in out
    assert "Datasets available through the API: FY 2025 3 · FY 2026 4" in out
    out = steward("progress", "dashboard", "--agency", "dph", as_="ado@dph.ct.gov")
    assert "Datasets available through the API: FY 2025 2 · FY 2026 3" in out
    out = steward("progress", "report", "show", str(later), "dph", as_="analyst@dph.ct.gov")
    assert "Since the report of FY 2025:" in out and "+1 dataset since FY 2025" in out
