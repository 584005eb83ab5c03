"""The inventory console pages with plain form posts (no JavaScript): what each role is offered,
errors shown next to their fields, and the workflow buttons."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from steward.inventory import service
from steward.inventory.schemas import CycleCreate

SignIn = Callable[[TestClient, str], None]
PAGE = "/console/inventory/2026/dph"
ENTRY_FORM = {
    "name": "Childhood lead screening",
    "description": "Blood lead tests of children under six.",
    "criterion_D": "yes",
    "criterion_D_justification": "Lead prevention is core to the mission",
    "classification": "personal",
    "contains_phi": "yes",
    "access_level": "non-public",
    "access_reason": "Health records of children",
    "open_data_status": "not publishable",
    "not_publishable_reason": "Identifies children; aggregates are published elsewhere",
    "update_frequency": "quarterly",
}


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found
    return found.group(1)


def _post(client: TestClient, page: str, url: str, data: dict[str, str]):  # type: ignore[no-untyped-def]
    token = _csrf(client.get(page).text)
    return client.post(url, data={**data, "csrf_token": token}, follow_redirects=False)


@pytest.fixture
def opened(world):  # type: ignore[no-untyped-def]
    with world.database.session() as session:
        service.open_cycle(session, world.cdo, CycleCreate(year=2026, due_date="2026-03-31"))  # type: ignore[arg-type]
    return world


def test_a_visitor_is_sent_to_sign_in(app_client: TestClient) -> None:
    response = app_client.get("/console/inventory", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fconsole%2Finventory"


def test_the_cdo_opens_a_cycle_from_the_form(app_client: TestClient, sign_in: SignIn) -> None:
    sign_in(app_client, "cdo@ct.gov")
    page = app_client.get("/console/inventory")
    assert "Open a cycle" in page.text and "No inventory cycle has been opened yet" in page.text
    bad = _post(app_client, "/console/inventory", "/console/inventory/cycles", {"year": "26"})
    assert bad.status_code == 400 and 'aria-invalid="true"' in bad.text
    assert "give a year (2000 to 2100) and a due date" in bad.text
    done = _post(
        app_client,
        "/console/inventory",
        "/console/inventory/cycles",
        {"year": "2026", "due_date": "2026-03-31"},
    )
    assert (done.status_code, done.headers["location"]) == (303, "/console/inventory/2026")
    board = app_client.get("/console/inventory/2026")
    assert "2026 high-value data inventory" in board.text
    assert "Department of Public Health" in board.text and "Overdue agencies" in board.text
    again = _post(
        app_client,
        "/console/inventory",
        "/console/inventory/cycles",
        {"year": "2026", "due_date": "2026-03-31"},
    )
    assert again.status_code == 409


def test_forms_without_the_csrf_token_are_refused(
    opened,
    app_client: TestClient,
    sign_in: SignIn,  # type: ignore[no-untyped-def]
) -> None:
    sign_in(app_client, "steward@dph.ct.gov")
    response = app_client.post(f"{PAGE}/assets", data=ENTRY_FORM, follow_redirects=False)
    assert response.status_code == 403
    assert "No entries yet" in app_client.get(PAGE).text


def test_an_entry_with_problems_shows_them_by_its_fields(
    opened,
    app_client: TestClient,
    sign_in: SignIn,  # type: ignore[no-untyped-def]
) -> None:
    sign_in(app_client, "steward@dph.ct.gov")
    form = {**ENTRY_FORM, "criterion_D_justification": "", "access_reason": ""}
    response = _post(app_client, f"{PAGE}/assets/new", f"{PAGE}/assets", form)
    assert response.status_code == 400
    html = response.text
    assert '<a href="#f-criterion_D_justification">criterion D is marked yes' in html
    assert 'id="err-access_reason"' in html
    assert re.search(
        r'id="f-access_reason"[^>]*aria-describedby="hint-access_reason err-access_reason"', html
    )
    assert 'value="Childhood lead screening"' in html  # what was typed is kept
    assert re.search(r'id="f-criterion_D" name="criterion_D" value="yes" checked', html)


def test_stewards_add_and_ados_submit_and_the_cdo_reviews(
    opened,
    app_client: TestClient,
    sign_in: SignIn,  # type: ignore[no-untyped-def]
) -> None:
    sign_in(app_client, "analyst@dph.ct.gov")
    page = app_client.get(PAGE).text
    assert "Add an entry" not in page and "Submit inventory" not in page
    assert "/api/v1/inventory/cycles/2026/agencies/dph/export?format=csv" in page

    sign_in(app_client, "steward@dph.ct.gov")
    added = _post(app_client, f"{PAGE}/assets/new", f"{PAGE}/assets", ENTRY_FORM)
    assert (added.status_code, added.headers["location"]) == (303, f"{PAGE}?done=added")
    page = app_client.get(f"{PAGE}?done=added").text
    assert "The entry was added." in page and "Childhood lead screening" in page
    assert "Submit inventory" not in page  # stewards edit; only the ADO submits

    sign_in(app_client, "ado@dph.ct.gov")
    assert "Submit inventory" in app_client.get(PAGE).text
    submitted = _post(app_client, PAGE, f"{PAGE}/submit", {"comment": ""})
    assert submitted.headers["location"] == f"{PAGE}?done=submitted"
    assert "Add an entry" not in app_client.get(PAGE).text

    sign_in(app_client, "cdo@ct.gov")
    page = app_client.get(PAGE).text
    assert "Accept inventory" in page and "Return to the agency" in page
    empty = _post(app_client, PAGE, f"{PAGE}/return", {"comment": ""})
    assert empty.status_code == 400 and "needs a comment" in empty.text
    _post(app_client, PAGE, f"{PAGE}/return", {"comment": "Name the custodian"})

    sign_in(app_client, "ado@dph.ct.gov")
    page = app_client.get(PAGE).text
    assert "Returned by the Chief Data Officer" in page and "Name the custodian" in page
    asset_url = re.search(rf'href="({PAGE}/assets/\d+)"', page)
    assert asset_url
    form = {**ENTRY_FORM, "custodian": "DPH IT"}
    saved = _post(app_client, asset_url.group(1), asset_url.group(1), form)
    assert saved.headers["location"] == f"{PAGE}?done=saved"
    _post(app_client, PAGE, f"{PAGE}/submit", {"comment": "Added it"})

    sign_in(app_client, "cdo@ct.gov")
    accepted = _post(app_client, PAGE, f"{PAGE}/accept", {"comment": ""})
    assert accepted.headers["location"] == f"{PAGE}?done=accepted"
    page = app_client.get(PAGE).text
    assert 'inventory-accepted">accepted' in page
    history = page.split('id="history"')[1]
    assert "custodian" in history and "DPH IT" in history and "Name the custodian" in history
    entry = app_client.get(asset_url.group(1)).text
    assert "cannot change now" in entry and "Lead prevention is core to the mission" in entry


def test_a_spreadsheet_imports_from_the_page(
    opened,
    app_client: TestClient,
    sign_in: SignIn,  # type: ignore[no-untyped-def]
) -> None:
    sign_in(app_client, "steward@dph.ct.gov")
    token = _csrf(app_client.get(PAGE).text)
    bad = "Asset name,Classification,Access level,Open data status\nWells,public,public,planned\n"
    response = app_client.post(
        f"{PAGE}/import",
        data={"csrf_token": token},
        files={"file": ("wells.csv", bad.encode(), "text/csv")},
        follow_redirects=False,
    )
    assert response.status_code == 400
    assert (
        "<li>row 2: the open-data status is planned, so give the planned date</li>" in response.text
    )
    good = bad.replace("planned", "published")
    response = app_client.post(
        f"{PAGE}/import",
        data={"csrf_token": token},
        files={"file": ("wells.csv", good.encode(), "text/csv")},
        follow_redirects=True,
    )
    assert "The file was imported: 1 added, 0 changed, 0 removed." in response.text


def test_a_catalogued_dataset_prefills_the_form(
    opened,
    app_client: TestClient,
    sign_in: SignIn,  # type: ignore[no-untyped-def]
) -> None:
    sign_in(app_client, "steward@dph.ct.gov")
    page = app_client.get(PAGE).text
    assert '<option value="hvd0-0001">Vital records: births (hvd0-0001)</option>' in page
    form = app_client.get(f"{PAGE}/assets/new", params={"dataset": "hvd0-0001"}).text
    assert 'value="Vital records: births"' in form
    assert 'value="Electronic Vital Records System"' in form
    assert re.search(r'name="access_level" value="non-public" checked', form)
    assert app_client.get(f"{PAGE}/assets/new", params={"dataset": "hvd0-0003"}).status_code == 400
    sign_in(app_client, "analyst@dph.ct.gov")
    assert app_client.get(f"{PAGE}/assets/new").status_code == 403
