"""Usage counts: which requests count, how they are stored, and what they order."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect

from steward.app import create_app
from steward.catalog import service, versions
from steward.catalog.schemas import AgencyCreate, DatasetCreate
from steward.config import Settings
from steward.db import Database
from steward.usage.service import UsageTally, totals
from steward.web.usage import classify


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
    assert columns == {"dataset_id", "day", "views", "downloads", "api_calls"}


def seed(database: Database, tmp_path: Path, data_dir: Path) -> list[str]:
    source = tmp_path / "t.csv"
    source.write_text("town,n\nAndover,1\n")
    ids = []
    with database.session() as session:
        service.create_agency(session, AgencyCreate(slug="dph", name="DPH"))
        for title in ["Alpha", "Beta"]:
            dataset_id = service.create_dataset(
                session, DatasetCreate(agency="dph", title=title)
            ).id
            versions.ingest_version(session, data_dir, dataset_id, source, created_by="t")
            service.set_status(session, dataset_id, "published")
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
