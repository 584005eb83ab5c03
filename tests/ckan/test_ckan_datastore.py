"""CKAN DataStore over the query service: datastore_search and /datastore/dump."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

COVID = "28fr-iqnx"
COVID_ROWS = 39_884
GRANTS = "5w85-2euh"
RACE = "7rne-efic"


def search(client: TestClient, status: int = 200, **params: Any) -> dict[str, Any]:
    response = client.post("/api/3/action/datastore_search", json=params)
    assert response.status_code == status, response.text
    body = response.json()
    return dict(body["result"] if status == 200 else body["error"])


def test_fields_records_total_and_links(demo: TestClient) -> None:
    found = search(demo, resource_id=COVID, limit=3)
    assert found["fields"][:4] == [
        {"id": "_id", "type": "int"},
        {"id": "last_update_date", "type": "timestamp"},
        {"id": "town_number", "type": "numeric"},
        {"id": "town", "type": "text"},
    ]
    assert found["total"] == COVID_ROWS
    assert [record["_id"] for record in found["records"]] == [1, 2, 3]
    first = found["records"][0]
    assert first["town"] == "Sharon" and first["total_cases"] == 1
    assert first["last_update_date"].startswith("2020-03-24T00:00:00")
    assert "offset=3" in found["_links"]["next"]
    assert found["_links"]["start"].startswith("/api/3/action/datastore_search?")


def test_limit_defaults_to_100(demo: TestClient) -> None:
    assert len(search(demo, resource_id=COVID)["records"]) == 100
    assert search(demo, resource_id=COVID, limit=0)["records"] == []


def test_get_parameters_work_too(demo: TestClient) -> None:
    response = demo.get(
        "/api/action/datastore_search",
        params={"resource_id": COVID, "filters": '{"town": "Avon"}', "limit": "1"},
    )
    assert response.status_code == 200
    assert response.json()["result"]["records"][0]["town"] == "Avon"


def test_filters_fields_sort_and_q(demo: TestClient) -> None:
    hartford = search(
        demo,
        resource_id=COVID,
        filters={"town": "Hartford"},
        fields=["town", "total_cases"],
        sort="total_cases desc",
        limit=2,
    )
    assert [f["id"] for f in hartford["fields"]] == ["town", "total_cases"]
    assert hartford["total"] == 236
    cases = [record["total_cases"] for record in hartford["records"]]
    assert cases == sorted(cases, reverse=True)
    several = search(demo, resource_id=COVID, filters={"town": ["Avon", "Bethel"]}, limit=0)
    assert several["total"] == 2 * 236
    numbered = search(demo, resource_id=COVID, filters={"town_number": [1, "2"]}, limit=0)
    assert numbered["total"] == 2 * 236
    assert (
        search(demo, resource_id=COVID, q="hartford", limit=0)["total"] == 4 * 236
    )  # East, New, West


def test_filter_values_are_data_not_query_text(demo: TestClient) -> None:
    sneaky = "Hartford' OR town != 'x"
    assert search(demo, resource_id=COVID, filters={"town": sneaky}, limit=0)["total"] == 0
    assert search(demo, resource_id=COVID, filters={"town": [sneaky]}, limit=0)["total"] == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"fields": ["town", "nope"]}, "fields"),
        ({"filters": {"town); drop": "x"}}, "filters"),
        ({"sort": "town; select 1"}, "sort"),
        ({"filters": {"town_number": ["one"]}}, "filters"),
        ({"filters": "town=Avon"}, "filters"),
        ({"limit": -1}, "limit"),
        ({"records_format": "csv"}, "records_format"),
    ],
)
def test_bad_parameters_are_validation_errors(
    demo: TestClient, params: dict[str, Any], field: str
) -> None:
    problem = search(demo, 409, resource_id=COVID, **params)
    assert problem["__type"] == "Validation Error"
    assert field in problem


def test_access_rules_hold(demo: TestClient) -> None:
    assert search(demo, 403, resource_id="rybz-nyjw")["__type"] == "Authorization Error"
    assert search(demo, 404, resource_id="zzzz-zzzz")["__type"] == "Not Found Error"
    assert search(demo, 409)["resource_id"] == ["Missing value"]


def test_lists_format_and_no_total(demo: TestClient) -> None:
    found = search(
        demo,
        resource_id=COVID,
        fields="_id,town",
        records_format="lists",
        include_total=False,
        limit=2,
    )
    assert found["records"] == [[1, "Sharon"], [2, "Cheshire"]]
    assert "total" not in found


def test_paging_yields_every_row_once(demo: TestClient) -> None:
    seen: list[int] = []
    offset = 0
    while True:
        page = search(demo, resource_id=COVID, fields=["_id"], limit=8000, offset=offset)
        ids = [record["_id"] for record in page["records"]]
        if not ids:
            break
        seen += ids
        offset += len(ids)
    assert len(seen) == COVID_ROWS
    assert sorted(seen) == list(range(1, COVID_ROWS + 1))


def test_paging_in_a_requested_order_is_stable(demo: TestClient) -> None:
    # 7,660 grants over 239 towns: the order has many ties, which `_id` breaks.
    seen: list[int] = []
    for offset in range(0, 7660, 1000):
        page = search(
            demo, resource_id=GRANTS, fields="_id", sort="town_name desc", limit=1000, offset=offset
        )
        seen += [record["_id"] for record in page["records"]]
        assert page["total"] == 7660
    assert len(seen) == len(set(seen)) == 7660


def test_dump_streams_the_whole_resource_as_csv(demo: TestClient) -> None:
    response = demo.get(f"/datastore/dump/{RACE}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert f'filename="{RACE}.csv"' in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    assert len(rows) == 1206 + 1
    assert rows[0] == [field["id"] for field in search(demo, resource_id=RACE)["fields"][1:]]


def test_dump_keeps_the_access_rules(demo: TestClient) -> None:
    denied = demo.get("/datastore/dump/rybz-nyjw")
    assert denied.status_code == 403
    assert denied.json()["error"]["__type"] == "Authorization Error"
    assert demo.get("/datastore/dump/zzzz-zzzz").status_code == 404
    wrong = demo.get(f"/datastore/dump/{COVID}", params={"format": "xml"})
    assert wrong.status_code == 409
    assert json.loads(wrong.text)["success"] is False
