"""The privacy API, pages and the public routes: a release made, approved and published over
HTTP is public like any dataset; the medical examiner's raw rows are served by no public route;
an extract is downloadable by the agency's stewards only and is k-anonymous."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from pycanon import anonymity

from steward.app import create_app

from .world import ME, PASSWORD, QUASI, RELEASE, World, case_numbers, make_world

PRIVACY = "/api/v1/privacy"
PUBLIC_ROUTES = [
    f"/resource/{ME}.json",
    f"/resource/{ME}.csv",
    f"/resource/{ME}.json?$select=casenumber",
    f"/resource/{ME}.geojson",
    f"/api/views/{ME}/rows.csv",
    f"/api/views/{ME}/rows.json",
    f"/api/v1/datasets/{ME}/query?$select=casenumber,age",
    f"/api/v1/datasets/{ME}/versions/1/download",
    f"/d/{ME}/download.csv",
    f"/d/{ME}/download.json",
    f"/d/{ME}/download.xlsx",
    f"/d/{ME}/download.geojson",
    f"/d/{ME}/chart.vl.json?x=residence_city",
    f"/api/3/action/datastore_search?resource_id={ME}",
    f"/api/3/action/datastore_search_sql?sql=SELECT%20*%20FROM%20%22{ME}%22",
    f"/datastore/dump/{ME}",
    f"/api/v1/datasets/{ME}/datapackage.zip",
]
PAGES_WITHOUT_ROWS = [
    f"/d/{ME}",
    "/data.json",
    f"/api/views/{ME}",
    f"/api/v1/datasets/{ME}",
    f"/api/3/action/package_show?id={ME}",
    f"/api/v1/datasets/{ME}/datapackage.json",
    f"/api/v1/datasets/{ME}/profile",
    f"/d/{ME}/quality",
]


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


@pytest.fixture
def client(world: World) -> Iterator[TestClient]:
    with TestClient(create_app(world.settings)) as test_client:
        yield test_client


def test_a_release_over_the_api_is_published_and_the_raw_rows_never_are(
    world: World, client: TestClient
) -> None:
    steward, ado = world.bearer("steward@ocme.ct.gov"), world.bearer("ado@ocme.ct.gov")
    analyst = world.bearer("analyst@ocme.ct.gov")
    assert client.post(f"{PRIVACY}/releases", json=RELEASE).status_code == 401
    sources = client.get(f"{PRIVACY}/sources", headers=steward).json()
    assert sources[0]["id"] == ME and sources[0]["access_level"] != "public"
    assert ["residence_city", "text"] in sources[0]["fields"]
    assert client.get(f"{PRIVACY}/sources", headers=analyst).json() == []
    assert client.get(f"{PRIVACY}/sources").status_code == 401
    assert client.post(f"{PRIVACY}/releases", json=RELEASE, headers=analyst).status_code == 403
    bad = client.post(f"{PRIVACY}/releases", json={**RELEASE, "policy": "nope"}, headers=steward)
    assert bad.status_code == 404 and "no policy" in bad.json()["error"]["message"]
    bad = client.post(f"{PRIVACY}/releases", json={**RELEASE, "tables": []}, headers=steward)
    assert bad.status_code in (400, 422)
    rated = {**RELEASE, "tables": [{**t, "percent": True} for t in RELEASE["tables"]]}
    negative = {**rated, "tables": [{**RELEASE["tables"][0], "rate_per": 0}]}
    assert client.post(f"{PRIVACY}/releases", json=negative, headers=steward).status_code == 400
    made = client.post(f"{PRIVACY}/releases", json=rated, headers=steward)
    assert made.status_code == 201, made.text
    release = made.json()
    assert release["passed"] and release["summary"]["secondary"] > 0
    assert release["summary"]["rates"]["columns"] == ["percent"]
    url = f"{PRIVACY}/releases/{release['id']}"
    detail = client.get(url + "?limit=5", headers=analyst).json()
    assert [t["name"] for t in detail["tables"]] == ["town_year", "region_race_sex"]
    assert "percent_status" in detail["tables"][1]["columns"]
    assert len(detail["tables"][0]["rows"]) == 5 and detail["audit"]["passed"]
    assert client.get(url).status_code == 401
    assert client.post(url + "/approve", headers=steward).status_code == 403
    assert client.post(url + "/publish", headers=steward).status_code == 409
    assert client.post(url + "/approve", headers=ado).json()["status"] == "approved"
    published = client.post(url + "/publish", headers=steward).json()
    public_id = published["published_dataset_id"]
    rows = client.get(f"/resource/{public_id}.json?$limit=5000").json()
    assert {row["table"] for row in rows} == {"town_year", "region_race_sex"}
    assert {"primary", "secondary", "published"} == {row["status"] for row in rows}
    assert all("count" not in row for row in rows if row["status"] != "published")
    assert client.get(f"/d/{public_id}").status_code == 200
    listed = client.get(f"{PRIVACY}/releases", headers=analyst).json()
    assert [item["id"] for item in listed] == [release["id"]]
    assert (
        client.get(f"{PRIVACY}/releases", headers=world.bearer("steward@dph.ct.gov")).json() == []
    )
    _no_raw_rows(client)


def _no_raw_rows(client: TestClient) -> None:
    numbers = case_numbers()
    pattern = re.compile("|".join(rf"(?<![\d-]){re.escape(n)}(?!\d)" for n in numbers))
    for path in PUBLIC_ROUTES:
        response = client.get(path)
        assert 400 <= response.status_code < 500, (path, response.status_code)
        assert not pattern.search(response.text), path
    for path in PAGES_WITHOUT_ROWS:
        response = client.get(path)
        assert response.status_code < 500, path
        assert not pattern.search(response.text), path
    catalog = client.get("/data.json").json()
    for entry in catalog["dataset"]:
        if ME in entry.get("identifier", "") or ME in entry.get("landingPage", ""):
            assert not entry.get("distribution"), entry


def test_an_extract_is_k_anonymous_and_only_for_the_agencys_stewards(
    world: World, client: TestClient
) -> None:
    steward = world.bearer("steward@ocme.ct.gov")
    body = {
        "dataset_id": ME,
        "title": "Research extract",
        "k": 5,
        "quasi": QUASI,
        "keep": ["fentanyl"],
        "identifier": "casenumber",
    }
    made = client.post(f"{PRIVACY}/extracts", json=body, headers=steward)
    assert made.status_code == 201, made.text
    extract = made.json()
    assert extract["passed"] and extract["summary"]["in_classes_under_k_after"] == 0
    url = f"{PRIVACY}/extracts/{extract['id']}.csv"
    assert client.get(url).status_code == 401
    assert client.get(url, headers=world.bearer("analyst@ocme.ct.gov")).status_code == 403
    assert client.get(url, headers=world.bearer("steward@dph.ct.gov")).status_code == 403
    download = client.get(url, headers=steward)
    assert download.status_code == 200
    frame = pd.read_csv(io.StringIO(download.text), dtype=str, keep_default_na=False)
    assert anonymity.k_anonymity(frame, list(QUASI)) >= 5
    assert len(frame) > 3500 and frame["pseudonym"].str.len().eq(20).all()
    assert not set(case_numbers()) & set(download.text.split())
    publish = client.post(
        f"{PRIVACY}/releases/{extract['id']}/approve", headers=world.bearer("ado@ocme.ct.gov")
    )
    assert publish.status_code == 200
    refused = client.post(f"{PRIVACY}/releases/{extract['id']}/publish", headers=steward)
    assert refused.status_code == 409 and "never published" in refused.json()["error"]["message"]


def test_policies_over_the_api_and_their_public_pages(world: World, client: TestClient) -> None:
    assert client.get(f"{PRIVACY}/policies").json()[0]["name"] == "cms"
    model = {"name": "ct_model", "rules": {"max_suppressed": 5, "symbol": "†"}}
    ado = world.bearer("ado@ocme.ct.gov")
    assert client.post(f"{PRIVACY}/policies", json=model, headers=ado).status_code == 403
    ocme = {**model, "name": "ocme_deaths", "agency": "ocme"}
    assert client.post(f"{PRIVACY}/policies", json=ocme, headers=ado).status_code == 201
    again = client.post(
        f"{PRIVACY}/policies", json={**ocme, "rules": {"max_suppressed": 9}}, headers=ado
    )
    assert again.json()["version"] == 2
    bad = client.post(
        f"{PRIVACY}/policies", json={**ocme, "rules": {"max_suppresed": 9}}, headers=ado
    )
    assert bad.status_code == 422 or bad.status_code == 400
    versions = client.get(f"{PRIVACY}/policies/ocme_deaths").json()
    assert [v["version"] for v in versions] == [1, 2]
    assert client.get(f"{PRIVACY}/policies/nope").status_code == 404
    page = client.get("/privacy/policies")
    assert page.status_code == 200 and "ocme_deaths" in page.text
    page = client.get("/privacy/policies/ocme_deaths")
    assert "counts of 1 to 9 are suppressed" in page.text, page.text[-3000:]
    page = client.get("/privacy/policies/cms")
    assert "CMS cell size suppression policy" in page.text


def _sign_in(client: TestClient, email: str) -> None:
    client.cookies.clear()
    token = _token(client.get("/login").text)
    form = {"email": email, "password": PASSWORD, "csrf_token": token, "next": "/"}
    assert client.post("/login", data=form, follow_redirects=False).status_code == 303


def _token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found
    return found.group(1)


def test_the_console_pages_make_approve_and_publish_a_release(
    world: World, client: TestClient
) -> None:
    _sign_in(client, "steward@ocme.ct.gov")
    form = client.get("/console/privacy/new").text
    assert f'<option value="{ME}"' in form and "<code>residence_city</code>" in form
    assert "<code>Residence City</code>" not in form
    data = {
        "csrf_token": _token(form),
        "dataset_id": ME,
        "title": "Deaths by town and year",
        "policy": "cms",
        "derive": "town=town:residence_city\nyear=year:date",
        "table1_name": "town_year",
        "table1": "town=ct_town_county, year",
        "table2_name": "region_sex",
        "table2": "town=ct_town_region:planning_region, sex",
        "table1_percent": "1",
        "table1_rate_per": "100000",
        "population_year": "2019",
    }
    bad = client.post("/console/privacy", data={**data, "table1": "nope"})
    assert bad.status_code == 400 and "no column" in bad.text
    assert 'name="table1_percent" value="1" checked' in bad.text
    worse = client.post("/console/privacy", data={**data, "table1_rate_per": "-3"})
    assert worse.status_code == 400 and "rate_per" in worse.text
    made = client.post("/console/privacy", data=data, follow_redirects=False)
    assert made.status_code == 303, made.text
    page = client.get(made.headers["location"])
    assert "secondary" in page.text and "complementary" in page.text
    assert "between 1 and 10" in page.text and "Approve the release" not in page.text
    assert 'id="release-rates"' in page.text and '<th scope="col">percent_status</th>' in page.text
    assert client.post(made.headers["location"] + "/approve", data={}).status_code == 403
    listed = client.get("/console/privacy")
    assert "Deaths by town and year" in listed.text
    _sign_in(client, "ado@ocme.ct.gov")
    page = client.get(made.headers["location"]).text
    assert "Approve the release" in page
    done = client.post(made.headers["location"] + "/approve", data={"csrf_token": _token(page)})
    assert "approved by ado@ocme.ct.gov" in done.text
    done = client.post(
        made.headers["location"] + "/publish", data={"csrf_token": _token(done.text)}
    )
    assert "the public dataset" in done.text
    rows = list(csv.DictReader(io.StringIO(_public_csv(client, done.text))))
    assert {row["table"] for row in rows} == {"town_year", "region_sex"}
    town_rows = [row for row in rows if row["table"] == "town_year"]
    assert any(row["percent_status"] == "published" and row["percent"] for row in town_rows)
    assert all(row["percent"] == "" for row in rows if row["table"] == "region_sex")
    hartford = next(r for r in town_rows if r["town"] == "Hartford" and r["year"] == "Total")
    assert hartford["rate_per_100000_status"] == "published"


def _public_csv(client: TestClient, html: str) -> str:
    found = re.search(r'href="/d/([a-z0-9]{4}-[a-z0-9]{4})"', html)
    assert found
    return client.get(f"/resource/{found.group(1)}.csv?$limit=5000").text
