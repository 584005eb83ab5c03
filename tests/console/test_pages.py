"""The console pages through the test client: signed in through the real /login form, every
form posted with its CSRF token, errors shown on the page with their status."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from steward.catalog import versions

World = Any  # conftest.py's World
GOOD_CSV = b"Town,Count\nAndover,1\nHartford,5\nAshford,7\n"


def _error_box(page: str) -> str:
    found = re.search(r'<div class="error-box" role="alert"><p>(.*?)</p></div>', page, re.S)
    return found.group(1) if found else ""


def test_the_console_needs_a_sign_in(app_client: TestClient) -> None:
    response = app_client.get("/console", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fconsole"
    edit = app_client.get("/console/d/cons-0001", follow_redirects=False)
    assert edit.headers["location"] == "/login?next=%2Fconsole%2Fd%2Fcons-0001"


def test_a_steward_sees_their_agencys_datasets_with_where_each_stands(
    app_client: TestClient, sign_in: Any
) -> None:
    sign_in(app_client, "steward")
    page = app_client.get("/console")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    html = page.text
    assert "Public Health" in html and "Policy and Mgmt" not in html
    assert '<a href="/console/d/cons-0001">Town counts of something</a>' in html
    assert "cons-0002" not in html
    assert "Assessment missing" in html and 'href="/console/d/cons-0001/classification"' in html
    assert 'href="/console/datasets/new?agency=dph"' in html
    assert 'href="/console/agencies/dph/people"' in html
    assert 'href="/console/inventory"' in html and 'href="/account#tokens"' in html
    assert "Add an agency" not in html


def test_the_cdo_sees_every_agency_and_adds_one(app_client: TestClient, sign_in: Any) -> None:
    token = sign_in(app_client, "cdo")
    html = app_client.get("/console").text
    assert "Public Health" in html and "Policy and Mgmt" in html and "Add an agency" in html
    form = {"csrf_token": token, "slug": "dss", "name": "Department of Social Services"}
    added = app_client.post("/console/agencies", data=form, follow_redirects=False)
    assert (added.status_code, added.headers["location"]) == (303, "/console/agencies/dss/people")
    again = app_client.post("/console/agencies", data=form)
    assert again.status_code == 409 and "exists" in _error_box(again.text)
    assert 'value="Department of Social Services"' in again.text  # what was typed stays
    bad = app_client.post("/console/agencies", data={**form, "slug": "Not A Slug"})
    assert bad.status_code == 400 and "slug" in _error_box(bad.text)


def test_a_steward_creates_a_dataset_from_the_form(app_client: TestClient, sign_in: Any) -> None:
    token = sign_in(app_client, "steward")
    form_page = app_client.get("/console/datasets/new?agency=dph")
    assert form_page.status_code == 200
    assert '<option value="dph" selected>Public Health</option>' in form_page.text
    assert "Policy and Mgmt" not in form_page.text
    assert app_client.get("/console/datasets/new?agency=opm").status_code == 403
    form = {
        "csrf_token": token,
        "agency": "dph",
        "title": "Births by town and year",
        "description": "Each row is a town and year.",
        "category": "Health and Human Services",
        "keywords": "births, towns, Vital Statistics",
        "access_level": "public",
        "contact_email": "not-an-email",
        "id": "",
    }
    refused = app_client.post("/console/datasets/new", data=form)
    assert refused.status_code == 400
    assert _error_box(refused.text) == "contact_email: not an email address"
    assert 'value="Births by town and year"' in refused.text
    form["contact_email"] = "births@ct.gov"
    created = app_client.post("/console/datasets/new", data=form, follow_redirects=False)
    assert created.status_code == 303
    location = created.headers["location"]
    assert re.fullmatch(r"/console/d/[a-z0-9]{4}-[a-z0-9]{4}\?done=created", location)
    page = app_client.get(location).text
    assert "The dataset was created as a draft" in page
    dataset_id = location.split("/")[3].split("?")[0]
    data = app_client.get(f"/api/v1/datasets/{dataset_id}").json()
    assert (data["agency"], data["status"], data["keywords"]) == (
        "dph",
        "draft",
        ["births", "towns", "vital statistics"],
    )


def test_forms_without_the_csrf_token_change_nothing(
    app_client: TestClient, web_world: World, sign_in: Any, leftovers: Any
) -> None:
    sign_in(app_client, "steward")
    form = {"agency": "dph", "title": "Sneaky dataset here"}
    assert app_client.post("/console/datasets/new", data=form).status_code == 403
    assert app_client.post("/console/d/cons-0001", data={"title": "Renamed"}).status_code == 403
    forged = {**form, "csrf_token": "0" * 64}
    assert app_client.post("/console/datasets/new", data=forged).status_code == 403
    upload = app_client.post(
        "/console/d/cons-0001/versions", files={"file": ("t.csv", GOOD_CSV)}, data={}
    )
    assert upload.status_code == 403
    assert leftovers(web_world.settings) == []
    assert (
        app_client.get("/api/v1/datasets/cons-0001").json()["title"] == "Town counts of something"
    )
    assert app_client.get("/api/v1/datasets?q=sneaky").json()["count"] == 0


def test_the_metadata_form_saves_and_empties(app_client: TestClient, sign_in: Any) -> None:
    token = sign_in(app_client, "steward")
    page = app_client.get("/console/d/cons-0001").text
    assert 'name="title" value="Town counts of something"' in page
    form = {
        "csrf_token": token,
        "title": "Town counts of something",
        "description": "Each row is a town.",
        "keywords": "towns, counts, something",
        "license": "Public Domain",
        "access_level": "public",
        "update_frequency": "R/P1M",
        "landing_page": "https://portal.ct.gov/dph",
        "contact_email": "",
    }
    saved = app_client.post("/console/d/cons-0001", data=form, follow_redirects=False)
    assert saved.status_code == 303
    assert saved.headers["location"] == "/console/d/cons-0001?done=metadata#metadata"
    data = app_client.get("/api/v1/datasets/cons-0001").json()
    assert (data["license"], data["update_frequency"], data["keywords"]) == (
        "Public Domain",
        "R/P1M",
        ["towns", "counts", "something"],
    )
    emptied = app_client.post("/console/d/cons-0001", data={**form, "landing_page": ""})
    assert emptied.status_code == 200 and "The metadata was saved." in emptied.text
    assert app_client.get("/api/v1/datasets/cons-0001").json()["landing_page"] is None
    refused = app_client.post("/console/d/cons-0001", data={**form, "update_frequency": "often"})
    assert refused.status_code == 400 and "update_frequency" in _error_box(refused.text)
    assert app_client.get("/api/v1/datasets/cons-0001").json()["update_frequency"] == "R/P1M"


def test_the_dictionary_form_saves_every_field_at_once(
    app_client: TestClient, sign_in: Any
) -> None:
    token = sign_in(app_client, "steward")
    page = app_client.get("/console/d/cons-0001").text
    assert 'name="description.town"' in page and 'name="classification.count"' in page
    form = {
        "csrf_token": token,
        "label.town": "Town",
        "description.town": "Connecticut town name",
        "format.town": "",
        "standard.town": "ct_town",
        "classification.town": "public",
        "label.count": "Count",
        "description.count": "Cases reported",
        "classification.count": "public",
    }
    saved = app_client.post("/console/d/cons-0001/fields", data=form, follow_redirects=False)
    assert saved.headers["location"] == "/console/d/cons-0001?done=fields#dictionary"
    fields = {f["name"]: f for f in app_client.get("/api/v1/datasets/cons-0001/fields").json()}
    assert fields["town"]["description"] == "Connecticut town name"
    assert (fields["town"]["standard"], fields["count"]["description"]) == (
        "ct_town",
        "Cases reported",
    )
    bad = {**form, "label.count": "", "description.town": "Changed"}
    refused = app_client.post("/console/d/cons-0001/fields", data=bad)
    assert refused.status_code == 400 and "label" in _error_box(refused.text)
    assert 'name="description.town" rows="2">Changed</textarea>' in refused.text
    fields = {f["name"]: f for f in app_client.get("/api/v1/datasets/cons-0001/fields").json()}
    assert fields["town"]["description"] == "Connecticut town name"  # all or nothing


def test_a_file_uploads_through_the_plain_form(
    app_client: TestClient, web_world: World, sign_in: Any, leftovers: Any
) -> None:
    token = sign_in(app_client, "steward")
    page = app_client.get("/console/d/cons-0001").text
    assert 'enctype="multipart/form-data"' in page and '<script src="/static/console.js"' in page
    assert page.index('name="csrf_token"', page.index('id="upload"')) < page.index('name="file"')
    form = {"csrf_token": token, "notes": "March counts", "skip_bad_rows": "1"}
    files = {"file": ("march.csv", GOOD_CSV + b"Bolton,1,extra\n", "text/csv")}
    uploaded = app_client.post(
        "/console/d/cons-0001/versions", data=form, files=files, follow_redirects=False
    )
    assert uploaded.status_code == 303, uploaded.text
    assert uploaded.headers["location"] == "/console/d/cons-0001?done=v2#versions"
    page = app_client.get(uploaded.headers["location"]).text
    assert "Version 2 was loaded." in page and "march.csv" in page and "Skipped 1" in page
    with web_world.database.session() as session:
        (current,) = [v for v in versions.list_versions(session, "cons-0001") if v.is_current]
    assert (current.number, current.row_count, current.notes.startswith("March counts")) == (
        2,
        3,
        True,
    )
    assert leftovers(web_world.settings) == []


def test_a_bad_upload_is_explained_on_the_page(
    app_client: TestClient, web_world: World, sign_in: Any, leftovers: Any
) -> None:
    token = sign_in(app_client, "steward")
    url = "/console/d/cons-0001/versions"
    ragged = app_client.post(
        url, data={"csrf_token": token}, files={"file": ("t.csv", GOOD_CSV + b"Bolton,1,2\n")}
    )
    assert ragged.status_code == 400 and "line 5" in _error_box(ragged.text)
    odd = app_client.post(url, data={"csrf_token": token}, files={"file": ("t.doc", GOOD_CSV)})
    assert odd.status_code == 400 and "cannot tell the format" in _error_box(odd.text)
    web_world.settings.upload_max_bytes = 1_000
    big = app_client.post(
        url, data={"csrf_token": token}, files={"file": ("t.csv", GOOD_CSV * 500)}
    )
    assert big.status_code == 413 and "larger than this site accepts" in _error_box(big.text)
    assert [v["number"] for v in app_client.get("/api/v1/datasets/cons-0001/versions").json()] == [
        1
    ]
    assert leftovers(web_world.settings) == []


def test_the_publish_gate_reason_is_shown_on_the_page(app_client: TestClient, sign_in: Any) -> None:
    token = sign_in(app_client, "steward")
    gated = app_client.post("/console/d/cons-0001/publish", data={"csrf_token": token})
    assert gated.status_code == 409
    assert "no classification assessment yet" in _error_box(gated.text)
    closed = {
        "csrf_token": token,
        "title": "Town counts of something",
        "access_level": "non-public",
    }
    app_client.post("/console/d/cons-0001", data=closed)
    published = app_client.post(
        "/console/d/cons-0001/publish", data={"csrf_token": token}, follow_redirects=False
    )
    assert published.headers["location"] == "/console/d/cons-0001?done=published#publication"
    page = app_client.get(published.headers["location"]).text
    assert "The dataset is published." in page and ">Unpublish</button>" in page
    retired = app_client.post("/console/d/cons-0001/unpublish", data={"csrf_token": token})
    assert retired.status_code == 200 and "unpublished (retired)" in retired.text
    assert app_client.get("/api/v1/datasets/cons-0001").json()["status"] == "retired"


def test_an_analyst_looks_but_cannot_change(app_client: TestClient, sign_in: Any) -> None:
    token = sign_in(app_client, "analyst")
    page = app_client.get("/console/d/cons-0001").text
    assert "changing it needs the steward role" in page and "<fieldset disabled>" in page
    assert 'action="/console/d/cons-0001/publish"' not in page
    assert 'name="file"' not in page
    refused = app_client.post("/console/d/cons-0001", data={"csrf_token": token, "title": "Mine"})
    assert refused.status_code == 403
    assert app_client.get("/console/d/cons-0002").status_code == 403  # another agency's
    assert app_client.get("/console/datasets/new").status_code == 403


def test_an_ado_manages_the_agencys_people(app_client: TestClient, sign_in: Any) -> None:
    token = sign_in(app_client, "ado")
    page = app_client.get("/console/agencies/dph/people").text
    assert "steward@dph.ct.gov" in page and "Add a person" in page and "Agency details" in page
    person = {"csrf_token": token, "email": "new@dph.ct.gov", "name": "New Person"}
    person |= {"role": "steward", "password": "a-first-password"}
    added = app_client.post("/console/agencies/dph/people", data=person, follow_redirects=False)
    assert added.headers["location"] == "/console/agencies/dph/people?done=added"
    listed = app_client.get(added.headers["location"]).text
    assert "The person was added." in listed and "new@dph.ct.gov" in listed
    again = app_client.post("/console/agencies/dph/people", data=person)
    assert again.status_code == 409 and "already holds" in _error_box(again.text)
    assert "a-first-password" not in again.text

    revoke = {"csrf_token": token, "email": "new@dph.ct.gov", "role": "steward"}
    revoked = app_client.post("/console/agencies/dph/people/revoke", data=revoke)
    assert revoked.status_code == 200 and "The role was taken back." in revoked.text
    missing = app_client.post("/console/agencies/dph/people/revoke", data=revoke)
    assert missing.status_code == 404
    off = {"csrf_token": token, "email": "new@dph.ct.gov", "active": "0"}
    deactivated = app_client.post("/console/agencies/dph/people/active", data=off)
    assert deactivated.status_code == 200 and "deactivated" in deactivated.text
    myself = app_client.post(
        "/console/agencies/dph/people/active", data={**off, "email": "ado@dph.ct.gov"}
    )
    assert myself.status_code == 409 and "yourself" in _error_box(myself.text)

    details = {"csrf_token": token, "name": "Public Health", "abbreviation": "DPH"}
    saved = app_client.post("/console/agencies/dph", data=details)
    assert saved.status_code == 200 and "details were saved" in saved.text
    assert app_client.post("/console/agencies/opm", data=details).status_code == 403


def test_people_are_visible_to_analysts_and_managed_only_by_the_ado(
    app_client: TestClient, sign_in: Any
) -> None:
    token = sign_in(app_client, "analyst")
    page = app_client.get("/console/agencies/dph/people")
    assert page.status_code == 200 and "ado@dph.ct.gov" in page.text
    assert "Add a person" not in page.text and "Take back" not in page.text
    person = {"csrf_token": token, "email": "x@dph.ct.gov", "name": "X", "role": "analyst"}
    assert app_client.post("/console/agencies/dph/people", data=person).status_code == 403
    token = sign_in(app_client, "opm")
    assert app_client.get("/console/agencies/dph/people").status_code == 403
    person["csrf_token"] = token
    assert app_client.post("/console/agencies/dph/people", data=person).status_code == 403
