"""Comparisons between versions: rows by key, schema changes, distribution shifts."""

from __future__ import annotations

from fastapi.testclient import TestClient

from steward.app import create_app
from steward.config import Settings
from steward.db import Database
from steward.quality import declarations, service

from .conftest import Ingest

V1 = "Town,Year,Cases,Rate\nAndover,2020,5,1.5\nAnsonia,2020,7,2.5\nAshford,2020,9,3.5\n"
V2 = "Town,Year,Cases,Note\nAndover,2020,5,x\nAnsonia,2020,70,y\nAvon,2020,90,z\n"


def test_rows_fields_and_shifts_between_versions(
    store: Database, ingest: Ingest, settings: Settings
) -> None:
    ingest(V1)
    with store.session() as session:
        declarations.update_settings(session, "qual-0001", key_fields=["town", "year"])
    ingest(V2)
    with store.session() as session:
        stored = service.get_quality(session, "qual-0001", 2, public=False).comparison
    assert stored is not None
    assert (stored.rows_added, stored.rows_removed, stored.rows_changed) == (1, 1, 1)
    assert stored.key_fields == ["town", "year"]
    changes = {(c.name, c.change) for c in stored.schema_changes}
    assert changes == {("rate", "removed"), ("note", "added")}
    cases = next(shift for shift in stored.shifts if shift.name == "cases")
    assert cases.flagged and cases.mean_before == 7 and cases.mean_after == 55
    year = next(shift for shift in stored.shifts if shift.name == "year")
    assert not year.flagged
    with TestClient(create_app(settings)) as client:
        live = client.get("/api/v1/datasets/qual-0001/compare?from=1&to=2").json()
        assert live == stored.model_dump(mode="json")
        assert client.get("/api/v1/datasets/qual-0001/compare?from=1&to=5").status_code == 404
        assert client.get("/api/v1/datasets/qual-0001/compare?from=1").status_code == 400
        page = client.get("/d/qual-0001/quality?version=2").text
        assert "1 added, 1 removed, 1 changed" in page


def test_without_a_key_only_counts_are_compared(store: Database, ingest: Ingest) -> None:
    ingest(V1)
    ingest(V1 + "Avon,2020,1,1.0\n")
    with store.session() as session:
        found = service.get_quality(session, "qual-0001", 2, public=False).comparison
    assert found is not None
    assert (found.rows_before, found.rows_after, found.rows_added) == (3, 4, None)
    assert found.schema_changes == []
