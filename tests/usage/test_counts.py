"""Usage counts match the requests made (views, downloads by format, API calls by family, rows
served, unique visitors), bots are left out of views and downloads, and afterwards no table
holds the client address or the user agent of any request."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import MetaData, select

from steward.accounts.policy import SYSTEM
from steward.app import create_app
from steward.catalog import service, versions
from steward.catalog.schemas import AgencyCreate, DatasetCreate
from steward.classification.service import record_public_assessment
from steward.config import Settings
from steward.usage import visitors

ADDRESS_A, ADDRESS_B = "203.0.113.77", "198.51.100.23"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0 UsageTestA"
SAFARI = "Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 Version/17.5 Safari/605.1.15 UsageTestB"
CURL = "curl/8.5.0-usagetest"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html) UsageTestC"
ROWS = "town,n\nAndover,1\nAnsonia,2\nAshford,3\n"


@pytest.fixture
def app(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> FastAPI:
    # A fixed visitor key makes the estimate of a handful of visitors deterministic (with a
    # random one, two of them share a bucket about once in a thousand runs).
    monkeypatch.setattr(visitors.secrets, "token_bytes", lambda n: b"k" * n)
    return create_app(settings)


@pytest.fixture
def dataset_id(app: FastAPI, settings: Settings, tmp_path: Path) -> str:
    source = tmp_path / "towns.csv"
    source.write_text(ROWS)
    with app.state.database.session() as session:
        service.create_agency(session, SYSTEM, AgencyCreate(slug="dph", name="DPH"))
        made = service.create_dataset(session, SYSTEM, DatasetCreate(agency="dph", title="Towns"))
        versions.ingest_version(session, SYSTEM, settings.data_dir, made.id, source)
        record_public_assessment(session, made.id, "Counts by town; nothing about people.")
        service.set_status(session, SYSTEM, made.id, "published")
    return made.id


@pytest.fixture
def clients(app: FastAPI) -> Iterator[dict[str, TestClient]]:
    """Two people at two addresses, each client with its own user agent."""
    with TestClient(app, client=(ADDRESS_A, 50000)) as first:
        yield {
            "a-firefox": TestClient(
                app, client=(ADDRESS_A, 50001), headers={"user-agent": FIREFOX}
            ),
            "a-safari": TestClient(app, client=(ADDRESS_A, 50002), headers={"user-agent": SAFARI}),
            "b-firefox": TestClient(
                app, client=(ADDRESS_B, 50003), headers={"user-agent": FIREFOX}
            ),
            "b-curl": TestClient(app, client=(ADDRESS_B, 50004), headers={"user-agent": CURL}),
            "bot": TestClient(app, client=(ADDRESS_B, 50005), headers={"user-agent": GOOGLEBOT}),
            "lifespan": first,
        }


def ok(client: TestClient, method: str, url: str, **extra: Any) -> None:
    answer = client.request(method, url, **extra)
    assert answer.status_code == 200, f"{url}: {answer.status_code} {answer.text[:200]}"


def test_counts_match_the_requests_and_no_table_keeps_who_asked(
    app: FastAPI, clients: dict[str, TestClient], dataset_id: str
) -> None:
    d = dataset_id
    # 4 views by people, 2 by a crawler (not counted)
    for name in ("a-firefox", "a-firefox", "a-safari", "b-firefox", "bot", "bot"):
        ok(clients[name], "GET", f"/d/{d}")
    # downloads: csv x4 (page, SODA export, CKAN dump), xlsx x1, json x2, parquet x1
    for name, url in [
        ("a-firefox", f"/d/{d}/download.csv"),
        ("a-firefox", f"/d/{d}/download.csv"),
        ("b-curl", f"/api/views/{d}/rows.csv"),
        ("b-curl", f"/datastore/dump/{d}"),
        ("a-safari", f"/d/{d}/download.xlsx"),
        ("a-safari", f"/d/{d}/download.json"),
        ("b-curl", f"/api/views/{d}/rows.json"),
        ("b-curl", f"/api/v1/datasets/{d}/versions/1/download?format=parquet"),
    ]:
        ok(clients[name], "GET", url)
    ok(clients["bot"], "GET", f"/d/{d}/download.csv")  # a crawler's download: not counted
    # API calls: SODA x3 (one by the crawler: API calls count whatever the agent), native x1,
    # CKAN x2; rows served 3 + 1 + 3 + 2 + 2 + 1
    ok(clients["b-curl"], "GET", f"/resource/{d}.json")
    ok(clients["b-curl"], "GET", f"/resource/{d}.json?$limit=1")
    ok(clients["bot"], "GET", f"/resource/{d}.csv")
    ok(clients["b-curl"], "GET", f"/api/v1/datasets/{d}/query?$where=n>1")
    ok(clients["b-curl"], "GET", f"/api/3/action/datastore_search?resource_id={d}&limit=2")
    ok(clients["b-curl"], "POST", "/api/3/action/datastore_search", json={"id": d, "limit": 1})
    # not counted: a failed query, a 304, another page of the dataset
    assert clients["b-curl"].get(f"/resource/{d}.json?$where=oops(").status_code == 400
    etag = clients["b-curl"].get(f"/resource/{d}.json?$limit=0").headers["etag"]
    not_modified = clients["b-curl"].get(
        f"/resource/{d}.json?$limit=0", headers={"if-none-match": etag}
    )
    assert not_modified.status_code == 304
    ok(clients["a-firefox"], "GET", f"/d/{d}/quality")

    app.state.usage.flush(app.state.database)
    report = clients["lifespan"].get(f"/api/v1/datasets/{d}/usage").json()
    today = datetime.now(UTC).date().isoformat()
    (day,) = [day for day in report["days"] if day["date"] == today]
    assert day == {
        "date": today,
        "views": 4,
        "downloads": 8,
        "api_calls": 7,  # the $limit=0 call that set up the 304 counts too
        "rows_served": 3 + 1 + 3 + 2 + 2 + 1 + 0,
        # (A, Firefox), (A, Safari), (B, Firefox), (B, curl); the crawler is not a visitor
        "unique_visitors_estimate": 4,
        "downloads_by_format": {"csv": 4, "json": 2, "parquet": 1, "xlsx": 1},
        "api_calls_by_family": {"ckan": 2, "native": 1, "soda": 4},
    }
    assert report["totals"]["views"] == 4 and report["totals"]["downloads_by_format"]["csv"] == 4
    assert len(report["days"]) == 30

    leaks = _search_every_table(app, [ADDRESS_A, ADDRESS_B, FIREFOX, SAFARI, CURL, GOOGLEBOT])
    assert leaks == []


def _search_every_table(app: FastAPI, needles: list[str]) -> list[str]:
    """Every cell of every table, as text (binary columns decoded too), searched for needles;
    the user agents are searched also by their distinctive fragments."""
    fragments = [*needles, "UsageTestA", "UsageTestB", "usagetest", "UsageTestC", "Googlebot"]
    found = []
    metadata = MetaData()
    engine = app.state.database.engine
    metadata.reflect(engine)
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            for row in connection.execute(select(table)):
                for column, value in zip(table.columns, row, strict=True):
                    text = value.decode("latin-1") if isinstance(value, bytes) else str(value or "")
                    found += [
                        f"{table.name}.{column.name}" for needle in fragments if needle in text
                    ]
    return found


def test_the_usage_api_range_and_errors(clients: dict[str, TestClient], dataset_id: str) -> None:
    client = clients["lifespan"]
    ranged = client.get(f"/api/v1/datasets/{dataset_id}/usage?start=2026-01-30&end=2026-02-02")
    assert [day["date"] for day in ranged.json()["days"]] == [
        "2026-01-30",
        "2026-01-31",
        "2026-02-01",
        "2026-02-02",
    ]
    assert ranged.json()["totals"]["views"] == 0
    backwards = client.get(f"/api/v1/datasets/{dataset_id}/usage?start=2026-02-02&end=2026-01-30")
    assert backwards.status_code == 400
    too_long = client.get(f"/api/v1/datasets/{dataset_id}/usage?start=2024-01-01&end=2026-01-01")
    assert too_long.status_code == 400 and "366" in too_long.text
    assert client.get(f"/api/v1/datasets/{dataset_id}/usage?start=yesterday").status_code == 400
    assert client.get("/api/v1/datasets/zzzz-0000/usage").status_code == 404
