"""The inventory API: a whole cycle with API tokens, clear 4xx answers, files in and out."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from fastapi.testclient import TestClient

API = "/api/v1/inventory"
DPH = f"{API}/cycles/2026/agencies/dph"
Bearer = Callable[[str], dict[str, str]]
ENTRY = {
    "name": "Restaurant inspections",
    "description": "Food service inspections by local health departments.",
    "criteria": {
        "C": {"applies": True, "justification": "Diners look up results"},
        "F": {"applies": True, "justification": "Among the most requested"},
    },
    "classification": "public",
    "access_level": "public",
    "open_data_status": "planned",
    "planned_date": "2026-09-01",
    "update_frequency": "weekly",
}


def test_a_whole_cycle_through_the_api(app_client: TestClient, bearer: Bearer) -> None:
    cdo, ado = bearer("cdo@ct.gov"), bearer("ado@dph.ct.gov")
    steward = bearer("steward@dph.ct.gov")
    opened = app_client.post(
        f"{API}/cycles", json={"year": 2026, "due_date": "2026-03-31"}, headers=cdo
    )
    assert opened.status_code == 201 and len(opened.json()["submissions"]) == 3
    added = app_client.post(f"{DPH}/assets", json=ENTRY, headers=steward)
    assert added.status_code == 201, added.text
    asset = added.json()
    assert (asset["high_value"], asset["criteria_met"]) == (True, ["C", "F"])
    assert app_client.post(f"{DPH}/submit", headers=ado).json()["status"] == "submitted"
    returned = app_client.post(
        f"{DPH}/return", json={"comment": "Give a legal authority"}, headers=cdo
    )
    assert returned.json()["review_comment"] == "Give a legal authority"
    patch = {"legal_authority": "CGS § 19a-36h"}
    changed = app_client.patch(f"{DPH}/assets/{asset['id']}", json=patch, headers=steward)
    assert changed.status_code == 200 and changed.json()["legal_authority"] == "CGS § 19a-36h"
    assert (
        app_client.post(f"{DPH}/submit", json={"comment": "Done"}, headers=ado).status_code == 200
    )
    accepted = app_client.post(f"{DPH}/accept", headers=cdo)
    assert accepted.json()["status"] == "accepted"
    history = app_client.get(f"{DPH}/history", headers=bearer("analyst@dph.ct.gov")).json()
    assert [h["action"] for h in history] == [
        "accepted",
        "submitted",
        "updated",
        "returned",
        "submitted",
        "added",
        "opened",
    ]
    exported = app_client.get(f"{DPH}/export", params={"format": "csv"}, headers=ado)
    assert (
        exported.headers["content-disposition"] == 'attachment; filename="inventory-2026-dph.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [(r["Asset name"], r["Legal authority"]) for r in rows] == [
        ("Restaurant inspections", "CGS § 19a-36h")
    ]
    board = app_client.get(f"{API}/cycles/2026/dashboard", headers=cdo).json()
    assert board["status_counts"]["accepted"] == 1 and board["high_value_count"] == 1


def test_roles_are_enforced_with_401_and_403(app_client: TestClient, bearer: Bearer) -> None:
    cdo = bearer("cdo@ct.gov")
    app_client.post(f"{API}/cycles", json={"year": 2026, "due_date": "2026-03-31"}, headers=cdo)
    anonymous = app_client.get(DPH)
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == "authentication_required"
    outsider = bearer("steward@opm.ct.gov")
    assert app_client.get(DPH, headers=outsider).status_code == 403
    assert (
        app_client.post(
            f"{DPH}/assets", json=ENTRY, headers=bearer("analyst@dph.ct.gov")
        ).status_code
        == 403
    )
    assert app_client.post(f"{DPH}/submit", headers=bearer("steward@dph.ct.gov")).status_code == 403
    assert (
        app_client.get(f"{API}/cycles/2026/dashboard", headers=bearer("ado@dph.ct.gov")).status_code
        == 403
    )
    assert app_client.get(f"{API}/cycles/2026/data.json", headers=outsider).status_code == 403
    assert app_client.get(f"{API}/cycles", headers=outsider).status_code == 200


def test_bad_input_gets_a_clear_400(app_client: TestClient, bearer: Bearer) -> None:
    cdo = bearer("cdo@ct.gov")
    bad_year = app_client.post(f"{API}/cycles", json={"year": 26, "due_date": "soon"}, headers=cdo)
    assert bad_year.status_code == 400 and bad_year.json()["error"]["code"] == "invalid"
    app_client.post(f"{API}/cycles", json={"year": 2026, "due_date": "2026-03-31"}, headers=cdo)
    body = {**ENTRY, "criteria": {"E": {"applies": True}}, "open_data_status": "not publishable"}
    refused = app_client.post(f"{DPH}/assets", json=body, headers=cdo)
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error["message"] == (
        "criterion E is marked yes but has no justification; "
        "the open-data status is not publishable, so give the reason"
    )
    assert [e["field"] for e in error["data"]["errors"]] == [
        "criterion_E_justification",
        "not_publishable_reason",
    ]
    unknown = app_client.post(f"{DPH}/assets", json={**ENTRY, "colour": "red"}, headers=cdo)
    assert unknown.status_code == 400
    assert app_client.get(f"{API}/cycles/2030", headers=cdo).status_code == 404
    assert app_client.get(f"{API}/cycles/99999999999", headers=cdo).status_code == 400
    assert app_client.get(f"{DPH}/assets/999", headers=cdo).status_code == 404
    assert app_client.get(f"{DPH}/export", params={"format": "pdf"}, headers=cdo).status_code == 400
    assert app_client.post(f"{DPH}/return", json={"comment": "x"}, headers=cdo).status_code == 409


def test_import_by_upload_lists_errors_by_row(app_client: TestClient, bearer: Bearer) -> None:
    cdo, steward = bearer("cdo@ct.gov"), bearer("steward@dph.ct.gov")
    app_client.post(f"{API}/cycles", json={"year": 2026, "due_date": "2026-03-31"}, headers=cdo)
    good = (
        "Asset name,Classification,Access level,Open data status,"
        "Criterion G: Public demand,Criterion G justification\n"
        "Beach water quality,public,public,published,yes,Asked for at hearings\n"
    )
    files = {"file": ("dph.csv", good.encode(), "text/csv")}
    imported = app_client.post(f"{DPH}/import", files=files, headers=steward)
    assert imported.status_code == 200, imported.text
    assert imported.json() == {"rows": 1, "added": 1, "updated": 0, "removed": 0}
    bad = good + "Radon tests,public,public,published,yes,\n"
    files = {"file": ("dph.csv", bad.encode(), "text/csv")}
    refused = app_client.post(f"{DPH}/import", files=files, headers=steward)
    assert refused.status_code == 400
    assert refused.json()["error"]["data"]["errors"] == [
        "row 3: criterion G is marked yes but has no justification"
    ]
    listed = app_client.get(f"{DPH}/assets", headers=steward).json()
    assert [a["name"] for a in listed] == ["Beach water quality"]
    xlsx = app_client.get(f"{DPH}/export", params={"format": "xlsx"}, headers=steward)
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    files = {"file": ("dph.xlsx", xlsx.content, "application/octet-stream")}
    again = app_client.post(f"{DPH}/import", files=files, data={"replace": "true"}, headers=steward)
    assert again.json() == {"rows": 1, "added": 0, "updated": 0, "removed": 0}


def test_catalogued_datasets_are_offered_and_prefilled(
    app_client: TestClient, bearer: Bearer
) -> None:
    cdo = bearer("cdo@ct.gov")
    app_client.post(f"{API}/cycles", json={"year": 2026, "due_date": "2026-03-31"}, headers=cdo)
    offered = app_client.get(f"{DPH}/candidates", headers=bearer("analyst@dph.ct.gov")).json()
    assert [c["id"] for c in offered] == ["hvd0-0002", "hvd0-0001"]
    body = {
        "dataset_id": "hvd0-0001",
        "open_data_status": "not publishable",
        "not_publishable_reason": "Identifies people",
    }
    added = app_client.post(f"{DPH}/assets", json=body, headers=cdo).json()
    assert (added["name"], added["access_level"]) == ("Vital records: births", "non-public")
    document = app_client.get(f"{API}/cycles/2026/data.json", headers=cdo).json()
    assert [d["identifier"] for d in document["dataset"]] == ["http://testserver/d/hvd0-0001"]
    assert app_client.delete(f"{DPH}/assets/{added['id']}", headers=cdo).status_code == 204
    assert app_client.get(f"{DPH}/assets", headers=cdo).json() == []
