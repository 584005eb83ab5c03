"""Usage counts: which requests count, how they are stored, and what they order."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect

from steward.accounts.policy import SYSTEM
from steward.app import create_app
from steward.catalog import service, versions
from steward.catalog.schemas import AgencyCreate, DatasetCreate
from steward.classification.service import record_public_assessment
from steward.config import Settings
from steward.db import Database
from steward.usage.models import DatasetUsage
from steward.usage.service import UsageTally, totals
from steward.usage.visitors import VisitorKeys, is_bot
from steward.web.usage import Found, classify, find


@pytest.mark.parametrize(
    "path, expected",
    [
        ("/d/abcd-1234", ("abcd-1234", "views")),
        ("/d/abcd-1234/download.csv", ("abcd-1234", "downloads")),
        ("/api/views/abcd-1234/rows.csv", ("abcd-1234", "downloads")),
        ("/resource/abcd-1234.json", ("abcd-1234", "api_calls")),
        ("/api/v1/datasets/abcd-1234/query", ("abcd-1234", "api_calls")),
        ("/d/abcd-1234/chart.vl.json", None),
        ("/browse", None),
    ],
)
def test_paths_are_classified(path: str, expected: tuple[str, str] | None) -> None:
    assert classify(path) == expected


def test_only_counts_are_stored(database: Database) -> None:
    columns = {c["name"] for c in inspect(database.engine).get_columns("dataset_usage")}
    assert columns == {
        "dataset_id",
        "day",
        "views",
        "downloads",
        "api_calls",
        "rows_served",
        "unique_visitors_estimate",
        "visitors_sketch",  # registers of the day's sketch, dropped once the day is over
    }
    detail = {c["name"] for c in inspect(database.engine).get_columns("dataset_usage_detail")}
    assert detail == {"dataset_id", "day", "kind", "detail", "count"}


def seed(database: Database, tmp_path: Path, data_dir: Path) -> list[str]:
    source = tmp_path / "t.csv"
    source.write_text("town,n\nAndover,1\n")
    ids = []
    with database.session() as session:
        service.create_agency(session, SYSTEM, AgencyCreate(slug="dph", name="DPH"))
        for title in ["Alpha", "Beta"]:
            dataset_id = service.create_dataset(
                session, SYSTEM, DatasetCreate(agency="dph", title=title)
            ).id
            versions.ingest_version(session, SYSTEM, data_dir, dataset_id, source, created_by="t")
            record_public_assessment(session, dataset_id, "Counts by town.")
            service.set_status(session, SYSTEM, dataset_id, "published")
            ids.append(dataset_id)
    return ids


def test_tally_flushes_by_upsert_and_drops_unknown_datasets(
    database: Database, tmp_path: Path
) -> None:
    alpha, beta = seed(database, tmp_path, tmp_path / "d")
    tally = UsageTally()
    for _ in range(3):
        tally.add(beta, "views")
    tally.add(alpha, "downloads")
    tally.add("zzzz-0000", "views")
    assert tally.flush(database) == 5
    tally.add(beta, "views")
    tally.flush(database)
    with database.session() as session:
        counted = {t.dataset_id: (t.views, t.downloads, t.api_calls) for t in totals(session)}
        assert counted == {beta: (4, 0, 0), alpha: (0, 1, 0)}
        ordered = service.list_datasets(session, order="views").results
        assert [d.id for d in ordered] == [beta, alpha]


def test_requests_are_counted_and_reported(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", _env_file=None)  # type: ignore[call-arg]
    with TestClient(create_app(settings)) as client:
        alpha, _beta = seed(client.app.state.database, tmp_path, settings.data_dir)  # type: ignore[attr-defined]
        client.get(f"/d/{alpha}")
        client.get(f"/resource/{alpha}.json")
        client.get(f"/resource/{alpha}.json?$where=bad syntax(")  # 400: not counted
        client.get(f"/d/{alpha}/download.csv")
        client.app.state.usage.flush(client.app.state.database)  # type: ignore[attr-defined]
        report = client.get("/api/v1/usage").json()
    assert report == [
        {"dataset_id": alpha, "views": 1, "downloads": 1, "api_calls": 1},
    ]


@pytest.mark.parametrize(
    "path, query, expected",
    [
        ("/d/abcd-1234/download.XLSX", "", Found("abcd-1234", "downloads", "xlsx")),
        ("/api/views/abcd-1234/rows.json", "", Found("abcd-1234", "downloads", "json")),
        (
            "/api/v1/datasets/abcd-1234/versions/3/download",
            "",
            Found("abcd-1234", "downloads", "csv"),
        ),
        (
            "/api/v1/datasets/abcd-1234/datapackage.zip",
            "",
            Found("abcd-1234", "downloads", "datapackage"),
        ),
        ("/datastore/dump/abcd-1234", "bom=true", Found("abcd-1234", "downloads", "csv")),
        ("/resource/abcd-1234", "", Found("abcd-1234", "api_calls", "soda")),
        (
            "/api/v1/datasets/abcd-1234/query",
            "format=csv",
            Found("abcd-1234", "api_calls", "native"),
        ),
        ("/api/action/datastore_search", "", Found(None, "api_calls", "ckan")),
        ("/api/3/action/package_show", "", None),
        ("/datastore/dump/abcd-1234/extra", "", None),
    ],
)
def test_what_a_path_counts_as(path: str, query: str, expected: Found | None) -> None:
    assert find(path, query) == expected


def test_visitors_merge_across_flushes_and_old_sketches_are_dropped(
    database: Database, tmp_path: Path
) -> None:
    alpha, _beta = seed(database, tmp_path, tmp_path / "d")
    day = datetime(2026, 3, 2, 12, tzinfo=UTC)
    keys = VisitorKeys(lambda: b"fixed key for this test, 32 byte")
    tally = UsageTally()
    for who in ("one", "two", "one"):
        visitor = keys.digest(day.date(), who, "Firefox")
        tally.add(alpha, "views", day, visitor=visitor, rows=0)
    tally.flush(database, today=day.date())
    tally.add(
        alpha,
        "api_calls",
        day,
        detail="soda",
        rows=40,
        visitor=keys.digest(day.date(), "two", "Firefox"),
    )
    tally.add(
        alpha,
        "api_calls",
        day,
        detail="soda",
        rows=2,
        visitor=keys.digest(day.date(), "three", "Firefox"),
    )
    tally.flush(database, today=day.date())

    def stored() -> tuple[int, int, bytes | None]:
        with database.session() as session:
            row = session.get(DatasetUsage, (alpha, day.date()))
            assert row is not None
            return row.unique_visitors_estimate, row.rows_served, row.visitors_sketch

    estimate, rows, sketch = stored()
    assert (estimate, rows) == (3, 42) and sketch is not None and len(sketch) == 4096
    tally.flush(database, today=day.date() + timedelta(days=1))
    assert stored()[2] is not None  # yesterday may still get late counts
    tally.flush(database, today=day.date() + timedelta(days=2))
    assert stored() == (3, 42, None)  # only the estimate is left


def test_the_visitor_key_changes_with_the_day() -> None:
    keys = VisitorKeys()
    monday, tuesday = date(2026, 3, 2), date(2026, 3, 3)
    first = keys.digest(monday, "203.0.113.5", "Firefox")
    assert keys.digest(monday, "203.0.113.5", "Firefox") == first
    assert keys.digest(monday, "203.0.113.6", "Firefox") != first
    next_day = keys.digest(tuesday, "203.0.113.5", "Firefox")
    assert next_day != first
    assert keys.digest(monday, "203.0.113.5", "Firefox") not in (first, next_day)  # key gone


@pytest.mark.parametrize(
    "agent, bot",
    [
        ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", True),
        ("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", True),
        ("facebookexternalhit/1.1", True),
        ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2)", True),
        ("", True),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126 Safari/537.36",
            False,
        ),
        ("Mozilla/5.0 (Linux; Android 10; CUBOT X30) AppleWebKit/537.36 Chrome/120 Mobile", False),
        ("curl/8.5.0", False),
        ("python-requests/2.32.3", False),
        ("sodapy/2.2.0", False),
    ],
)
def test_bots_are_told_apart(agent: str, bot: bool) -> None:
    assert is_bot(agent) is bot
