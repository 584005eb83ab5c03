"""CKAN Action API over the demo catalog: envelope, errors, packages, organizations, groups."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from steward.accounts.policy import SYSTEM
from steward.catalog import service
from steward.catalog.schemas import AgencyCreate, DatasetCreate
from steward.config import Settings
from steward.db import Database

PUBLISHED = ["28fr-iqnx", "5w85-2euh", "7rne-efic", "dphp-0pop", "rybz-nyjw"]


def result(client: TestClient, action: str, **params: Any) -> Any:
    response = client.get(f"/api/3/action/{action}", params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["success"] is True
    assert body["help"].endswith(f"/api/3/action/help_show?name={action}")
    return body["result"]


def error(client: TestClient, action: str, status: int, **params: Any) -> dict[str, Any]:
    response = client.get(f"/api/3/action/{action}", params=params)
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is False
    return dict(body["error"])


def test_status_show_answers_in_ckans_envelope(demo: TestClient) -> None:
    status = result(demo, "status_show")
    assert status["api_version"] == 3
    assert "datastore" in status["extensions"]


@pytest.mark.parametrize("prefix", ["/api/3/action", "/api/action"])
def test_get_and_post_json_give_the_same_answer(demo: TestClient, prefix: str) -> None:
    got = demo.get(f"{prefix}/package_search", params={"q": "covid", "rows": "2"}).json()
    posted = demo.post(f"{prefix}/package_search", json={"q": "covid", "rows": 2}).json()
    form = demo.post(
        f"{prefix}/package_search",
        content="q=covid&rows=2",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    ).json()
    assert got["result"] == posted["result"] == form["result"]
    assert got["result"]["count"] == 3


def test_package_list_lists_published_datasets_by_name(demo: TestClient) -> None:
    assert result(demo, "package_list") == PUBLISHED
    assert result(demo, "package_list", limit=2, offset=1) == PUBLISHED[1:3]


def test_package_show_maps_a_public_dataset(demo: TestClient) -> None:
    package = result(demo, "package_show", id="28fr-iqnx")
    assert package["name"] == package["id"] == "28fr-iqnx"
    assert package["title"] == "COVID-19 Tests, Cases, and Deaths (By Town)"
    assert package["organization"]["name"] == "dph"
    assert package["organization"]["title"] == "Department of Public Health"
    assert package["state"] == "active"
    assert any(tag["name"] == "covid-19" for tag in package["tags"])
    assert package["groups"][0]["name"] == "health-and-human-services"
    extras = {extra["key"]: extra["value"] for extra in package["extras"]}
    assert extras["access_level"] == "public"
    assert extras["update_frequency"] == "R/P1D"
    [resource] = package["resources"]
    assert package["num_resources"] == 1
    assert resource["id"] == "28fr-iqnx"
    assert resource["format"] == "CSV"
    assert resource["datastore_active"] is True
    assert resource["url"].endswith("/api/views/28fr-iqnx/rows.csv?accessType=DOWNLOAD")
    assert package["metadata_modified"] and "+" not in package["metadata_modified"]


def test_non_public_datasets_are_listed_without_resources(demo: TestClient) -> None:
    package = result(demo, "package_show", id="rybz-nyjw")
    assert package["resources"] == [] and package["num_resources"] == 0
    extras = {extra["key"]: extra["value"] for extra in package["extras"]}
    assert extras["access_level"] == "non-public"
    assert extras["classification"] == "personal"
    assert error(demo, "resource_show", 403, id="rybz-nyjw")["__type"] == "Authorization Error"


def test_resource_show(demo: TestClient) -> None:
    resource = result(demo, "resource_show", id="7rne-efic")
    assert resource["package_id"] == "7rne-efic"
    assert error(demo, "resource_show", 404, id="zzzz-zzzz")["__type"] == "Not Found Error"


def test_errors_use_ckans_types_and_codes(demo: TestClient) -> None:
    missing = error(demo, "package_show", 404, id="zzzz-zzzz")
    assert missing["__type"] == "Not Found Error"
    invalid = error(demo, "package_search", 409, rows="many")
    assert invalid["__type"] == "Validation Error"
    assert invalid["rows"] == ["Invalid integer"]
    assert error(demo, "package_show", 409)["id"] == ["Missing value"]
    unknown = demo.get("/api/3/action/package_delete_everything")
    assert unknown.status_code == 400
    assert unknown.json()["success"] is False


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]"])
def test_bad_post_bodies_are_validation_errors(demo: TestClient, body: bytes) -> None:
    response = demo.post(
        "/api/action/package_search", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 409
    assert response.json()["error"]["__type"] == "Validation Error"


def test_package_search_words_ranks_and_pages(demo: TestClient) -> None:
    found = result(demo, "package_search", q="covid")
    assert found["count"] == 3
    assert found["results"][0]["name"] in {"28fr-iqnx", "7rne-efic"}
    assert len(result(demo, "package_search")["results"]) == 5  # rows defaults to 10
    first = result(demo, "package_search", rows=2, sort="name asc")
    second = result(demo, "package_search", rows=2, start=2, sort="name asc")
    names = [p["name"] for p in first["results"] + second["results"]]
    assert names == PUBLISHED[:4]
    assert len(result(demo, "package_search", rows=5000)["results"]) == 5  # capped at 1000
    assert error(demo, "package_search", 409, rows=-1)["__type"] == "Validation Error"


def test_package_search_fq_on_organization_tags_and_format(demo: TestClient) -> None:
    covid = result(demo, "package_search", fq="organization:dph tags:covid-19")
    assert sorted(p["name"] for p in covid["results"]) == ["28fr-iqnx", "7rne-efic"]
    csv = result(demo, "package_search", fq="res_format:CSV", rows=100)
    assert "rybz-nyjw" not in {p["name"] for p in csv["results"]}
    assert csv["count"] == 4
    not_dph = result(demo, "package_search", fq='-organization:dph groups:"government"')
    assert [p["name"] for p in not_dph["results"]] == ["5w85-2euh"]
    assert result(demo, "package_search", q="tags:covid-19 cases")["count"] == 2
    assert error(demo, "package_search", 409, fq="maintainer:bob")["__type"] == "Validation Error"


def test_package_search_sorts(demo: TestClient) -> None:
    by_title = result(demo, "package_search", sort="title_string asc")["results"]
    titles = [p["title"].lower() for p in by_title]
    assert titles == sorted(titles)
    newest = result(demo, "package_search", sort="metadata_modified desc")["results"]
    stamps = [p["metadata_modified"] for p in newest]
    assert stamps == sorted(stamps, reverse=True)
    assert error(demo, "package_search", 409, sort="views_recent desc")["__type"]


def test_package_search_facets(demo: TestClient) -> None:
    found = result(
        demo,
        "package_search",
        rows=0,
        **{"facet.field": json.dumps(["organization", "res_format", "tags", "groups"])},
    )
    assert found["results"] == []
    assert found["facets"]["organization"] == {"dph": 3, "ocme": 1, "opm": 1}
    assert found["facets"]["res_format"] == {"CSV": 4}
    items = found["search_facets"]["organization"]["items"]
    assert items[0] == {"name": "dph", "display_name": "Department of Public Health", "count": 3}
    assert found["facets"]["groups"]["health-and-human-services"] == 4
    assert found["facets"]["tags"]["covid-19"] == 2
    bad = error(demo, "package_search", 409, **{"facet.field": '["maintainer"]'})
    assert bad["__type"] == "Validation Error"


def test_organizations(demo: TestClient) -> None:
    assert result(demo, "organization_list") == ["dph", "ocme", "opm"]
    orgs = result(demo, "organization_list", all_fields="true", sort="package_count desc")
    assert (orgs[0]["name"], orgs[0]["package_count"]) == ("dph", 3)
    dph = result(demo, "organization_show", id="dph", include_datasets="true")
    assert dph["title"] == "Department of Public Health"
    assert sorted(p["name"] for p in dph["packages"]) == ["28fr-iqnx", "7rne-efic", "dphp-0pop"]
    assert error(demo, "organization_show", 404, id="nope")["__type"] == "Not Found Error"


def test_groups_are_categories_and_tags_are_keywords(demo: TestClient) -> None:
    assert result(demo, "group_list") == ["government", "health-and-human-services"]
    groups = result(demo, "group_list", all_fields=True)
    assert groups[1]["title"] == "Health and Human Services"
    assert groups[1]["package_count"] == 4
    shown = result(demo, "group_show", id="government", include_datasets=True)
    assert [p["name"] for p in shown["packages"]] == ["5w85-2euh"]
    tags = result(demo, "tag_list")
    assert "covid-19" in tags and tags == sorted(tags)
    assert result(demo, "tag_list", query="covid") == ["covid-19"]


def _database(settings: Settings) -> Database:
    database = Database(settings.resolved_database_url)
    database.migrate()
    return database


def test_drafts_are_listed_only_when_asked(client: TestClient, settings: Settings) -> None:
    database = _database(settings)
    with database.session() as session:
        service.create_agency(
            session, SYSTEM, AgencyCreate(slug="dss", name="Department of Social Services")
        )
        service.create_dataset(
            session, SYSTEM, DatasetCreate(id="abcd-1234", title="SNAP Recipients", agency="dss")
        )
    database.dispose()
    assert result(client, "package_list") == []
    assert result(client, "package_list", include_drafts="true") == ["abcd-1234"]
    draft = result(client, "package_show", id="abcd-1234")
    assert draft["state"] == "draft" and draft["resources"] == []
    found = result(client, "package_search", q="snap", include_drafts=True)
    assert [p["name"] for p in found["results"]] == ["abcd-1234"]
    assert result(client, "organization_list", all_fields=True)[0]["package_count"] == 0
