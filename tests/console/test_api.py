"""The catalog write API: every route, its role, its errors as JSON 4xx, and uploads streamed to
disk under a size limit."""

from __future__ import annotations

from typing import Any

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from steward.app import create_app

World = Any  # conftest.py's World
GOOD_CSV = b"Town,Count\nAndover,1\nHartford,5\nAshford,7\n"


def _versions(client: TestClient, dataset_id: str) -> list[int]:
    return [v["number"] for v in client.get(f"/api/v1/datasets/{dataset_id}/versions").json()]


def test_agencies_are_added_by_the_cdo_and_edited_by_their_ado(
    app_client: TestClient, web_world: World, bearer: Any
) -> None:
    body = {"slug": "dss", "name": "Department of Social Services"}
    assert app_client.post("/api/v1/agencies", json=body).status_code == 401
    steward = bearer(web_world, "steward")
    assert app_client.post("/api/v1/agencies", json=body, headers=steward).status_code == 403
    cdo = bearer(web_world, "cdo")
    created = app_client.post("/api/v1/agencies", json=body, headers=cdo)
    assert created.status_code == 201 and created.json()["slug"] == "dss"
    again = app_client.post("/api/v1/agencies", json=body, headers=cdo)
    assert again.status_code == 409 and "exists" in again.json()["error"]["message"]
    bad = app_client.post("/api/v1/agencies", json={"slug": "Bad Slug", "name": "x"}, headers=cdo)
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid"

    change = {"abbreviation": "DPH", "website": "https://portal.ct.gov/dph"}
    ado = bearer(web_world, "ado")
    assert app_client.patch("/api/v1/agencies/dph", json=change, headers=steward).status_code == 403
    assert app_client.patch("/api/v1/agencies/opm", json=change, headers=ado).status_code == 403
    edited = app_client.patch("/api/v1/agencies/dph", json=change, headers=ado)
    assert edited.status_code == 200
    assert edited.json() == {
        "slug": "dph",
        "name": "Public Health",
        "abbreviation": "DPH",
        "website": "https://portal.ct.gov/dph",
        "description": None,
    }
    renamed = app_client.patch("/api/v1/agencies/dph", json={"slug": "x"}, headers=ado)
    assert renamed.status_code == 400  # the slug is permanent: unknown keys are refused


def test_a_steward_creates_and_edits_datasets_of_their_agency_only(
    app_client: TestClient, web_world: World, bearer: Any
) -> None:
    steward = bearer(web_world, "steward")
    body = {"agency": "dph", "title": "Births by town", "keywords": ["Births", "towns"]}
    created = app_client.post("/api/v1/datasets", json=body, headers=steward)
    assert created.status_code == 201
    dataset = created.json()
    assert (dataset["status"], dataset["agency"], dataset["keywords"]) == (
        "draft",
        "dph",
        ["births", "towns"],
    )
    elsewhere = {**body, "agency": "opm"}
    assert app_client.post("/api/v1/datasets", json=elsewhere, headers=steward).status_code == 403
    no_title = app_client.post("/api/v1/datasets", json={"agency": "dph"}, headers=steward)
    assert no_title.status_code == 400 and "title" in no_title.json()["error"]["message"]

    url = f"/api/v1/datasets/{dataset['id']}"
    change = {"contact_email": "births@ct.gov", "update_frequency": "R/P1Y"}
    patched = app_client.patch(url, json=change, headers=steward)
    assert patched.status_code == 200 and patched.json()["contact_email"] == "births@ct.gov"
    cleared = app_client.patch(url, json={"contact_email": None}, headers=steward)
    assert cleared.json()["contact_email"] is None and cleared.json()["update_frequency"] == "R/P1Y"
    no_title = app_client.patch(url, json={"title": None}, headers=steward)
    assert no_title.status_code == 400 and "title" in no_title.json()["error"]["message"]
    bad = app_client.patch(url, json={"update_frequency": "sometimes"}, headers=steward)
    assert bad.status_code == 400

    analyst = bearer(web_world, "analyst")
    assert app_client.patch(url, json={"title": "Mine"}, headers=analyst).status_code == 403
    other = bearer(web_world, "opm")
    assert app_client.patch(url, json={"title": "Mine"}, headers=other).status_code == 403
    assert app_client.patch(url, json={"title": "Mine"}).status_code == 401
    cdo = bearer(web_world, "cdo")
    assert app_client.patch(url, json={"title": "Births by town, 2024"}, headers=cdo).is_success
    missing = app_client.patch("/api/v1/datasets/zzzz-9999", json={}, headers=cdo)
    assert missing.status_code == 404


def test_the_data_dictionary_is_edited_one_field_or_several_at_once(
    app_client: TestClient, web_world: World, bearer: Any
) -> None:
    steward = bearer(web_world, "steward")
    base = f"/api/v1/datasets/{web_world.dph}/fields"
    one = app_client.patch(f"{base}/town", json={"description": "CT town"}, headers=steward)
    assert one.status_code == 200 and one.json()["description"] == "CT town"
    assert app_client.patch(f"{base}/nope", json={}, headers=steward).status_code == 404
    wrong = app_client.patch(f"{base}/town", json={"classification": "secret"}, headers=steward)
    assert wrong.status_code == 400
    analyst = bearer(web_world, "analyst")
    assert app_client.patch(f"{base}/town", json={}, headers=analyst).status_code == 403

    both = {"town": {"label": "Town name"}, "nope": {"description": "x"}}
    assert app_client.patch(base, json=both, headers=steward).status_code == 404
    assert app_client.get(base).json()[0]["label"] == "Town"  # all or nothing
    both = {"town": {"label": "Town name"}, "count": {"description": "How many"}}
    saved = app_client.patch(base, json=both, headers=steward)
    assert [(f["name"], f["label"], f["description"]) for f in saved.json()] == [
        ("town", "Town name", "CT town"),
        ("count", "Count", "How many"),
    ]


def test_a_csv_uploads_as_a_new_version_through_the_ingest_path(
    app_client: TestClient, web_world: World, bearer: Any, leftovers: Any
) -> None:
    steward = bearer(web_world, "steward")
    url = f"/api/v1/datasets/{web_world.dph}/versions"
    files = {"file": ("../../Town counts (2024).csv", GOOD_CSV, "text/csv")}
    form = {"notes": "Third town added", "skip_bad_rows": "false"}
    response = app_client.post(url, files=files, data=form, headers=steward)
    assert response.status_code == 201, response.text
    version = response.json()
    assert (version["number"], version["row_count"], version["is_current"]) == (2, 3, True)
    assert version["source_filename"] == "Town counts (2024).csv"  # a label, never a path
    assert (version["created_by"], version["notes"]) == ("steward@dph.ct.gov", "Third town added")
    assert _versions(app_client, web_world.dph) == [1, 2]
    assert leftovers(web_world.settings) == []
    stored = web_world.settings.data_dir / "datasets" / web_world.dph / "v2.parquet"
    assert pq.read_table(stored).column("town").to_pylist() == ["Andover", "Hartford", "Ashford"]


def test_bad_rows_are_skipped_only_when_asked(
    app_client: TestClient, web_world: World, bearer: Any
) -> None:
    steward = bearer(web_world, "steward")
    url = f"/api/v1/datasets/{web_world.dph}/versions"
    ragged = GOOD_CSV + b"Bolton,2,extra\n"
    refused = app_client.post(url, files={"file": ("t.csv", ragged)}, headers=steward)
    assert refused.status_code == 400 and "line 5" in refused.json()["error"]["message"]
    form = {"skip_bad_rows": "true"}
    kept = app_client.post(url, files={"file": ("t.csv", ragged)}, data=form, headers=steward)
    assert kept.status_code == 201 and "Skipped 1" in kept.json()["notes"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("towns.csv", b"\x00\x01\x02\xff" * 64, ""),
        ("towns.exe", GOOD_CSV, "cannot tell the format"),
        ("towns.csv", b"", "empty"),
    ],
    ids=["not-a-table", "unknown-format", "empty"],
)
def test_a_bad_file_gives_400_and_leaves_nothing_behind(
    app_client: TestClient,
    web_world: World,
    bearer: Any,
    leftovers: Any,
    name: str,
    content: bytes,
    message: str,
) -> None:
    steward = bearer(web_world, "steward")
    url = f"/api/v1/datasets/{web_world.dph}/versions"
    response = app_client.post(url, files={"file": (name, content)}, headers=steward)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid" and message in error["message"] and error["message"]
    assert _versions(app_client, web_world.dph) == [1]
    assert leftovers(web_world.settings) == []
    folder = web_world.settings.data_dir / "datasets" / web_world.dph
    assert sorted(path.name for path in folder.glob("*.parquet")) == ["v1.parquet"]


def test_an_upload_must_be_a_multipart_form_with_one_file(
    app_client: TestClient, web_world: World, bearer: Any
) -> None:
    steward = bearer(web_world, "steward")
    url = f"/api/v1/datasets/{web_world.dph}/versions"
    raw = app_client.post(url, content=GOOD_CSV, headers={**steward, "Content-Type": "text/csv"})
    assert raw.status_code == 400 and "multipart" in raw.json()["error"]["message"]
    no_file = app_client.post(url, data={"notes": "x"}, files={"other": ("", b"")}, headers=steward)
    assert no_file.status_code == 400
    nothing = (  # what a browser sends when no file was chosen
        b'--B\r\nContent-Disposition: form-data; name="file"; filename=""\r\n'
        b"Content-Type: application/octet-stream\r\n\r\n\r\n--B--\r\n"
    )
    form = {**steward, "Content-Type": "multipart/form-data; boundary=B"}
    unchosen = app_client.post(url, content=nothing, headers=form)
    assert unchosen.status_code == 400 and "choose a file" in unchosen.json()["error"]["message"]
    two = [("file", ("a.csv", GOOD_CSV)), ("file", ("b.csv", GOOD_CSV))]
    assert app_client.post(url, files=two, headers=steward).status_code == 400


def test_uploads_are_refused_before_reading_for_who_may_not(
    web_world: World, bearer: Any, leftovers: Any
) -> None:
    counting = _Chunked(create_app(web_world.settings))
    with TestClient(counting) as client:
        url = f"/api/v1/datasets/{web_world.dph}/versions"
        files = {"file": ("towns.csv", GOOD_CSV * 1000)}
        assert client.post(url, files=files).status_code == 401
        assert (
            client.post(url, files=files, headers=bearer(web_world, "analyst")).status_code == 403
        )
        assert client.post(url, files=files, headers=bearer(web_world, "opm")).status_code == 403
    assert counting.delivered == 0
    assert leftovers(web_world.settings) == []


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
def test_an_upload_over_the_limit_is_refused_without_reading_it_all(
    web_world: World, bearer: Any, leftovers: Any, declared: bool
) -> None:
    web_world.settings.upload_max_bytes = 100_000
    counting = _Chunked(create_app(web_world.settings), keep_length=declared)
    big = GOOD_CSV * 40_000  # 1.7 MB
    with TestClient(counting) as client:
        url = f"/api/v1/datasets/{web_world.dph}/versions"
        steward = bearer(web_world, "steward")
        response = client.post(url, files={"file": ("big.csv", big)}, headers=steward)
        assert response.status_code == 413
        assert (
            "larger than this site accepts (100,000 bytes)" in response.json()["error"]["message"]
        )
        assert counting.delivered <= 100_000 + 2 * _Chunked.SIZE
        small = client.post(url, files={"file": ("small.csv", GOOD_CSV)}, headers=steward)
        assert small.status_code == 201
    assert leftovers(web_world.settings) == []


def test_publish_and_unpublish(app_client: TestClient, web_world: World, bearer: Any) -> None:
    steward = bearer(web_world, "steward")
    url = f"/api/v1/datasets/{web_world.dph}"
    assert (
        app_client.post(f"{url}/publish", headers=bearer(web_world, "analyst")).status_code == 403
    )
    assert app_client.post(f"{url}/publish").status_code == 401
    gated = app_client.post(f"{url}/publish", headers=steward)
    assert gated.status_code == 409  # public access, and no classification assessment yet
    assert "assessment" in gated.json()["error"]["message"]
    app_client.patch(url, json={"access_level": "non-public"}, headers=steward)
    published = app_client.post(f"{url}/publish", headers=steward)
    assert published.status_code == 200 and published.json()["status"] == "published"
    twice = app_client.post(f"{url}/publish", headers=steward)
    assert twice.status_code == 409 and "published" in twice.json()["error"]["message"]
    retired = app_client.post(f"{url}/unpublish", headers=steward)
    assert retired.status_code == 200 and retired.json()["status"] == "retired"
    empty = app_client.post(
        f"/api/v1/datasets/{web_world.opm}/publish", headers=bearer(web_world, "opm")
    )
    assert empty.status_code == 409 and "no data" in empty.json()["error"]["message"]


def test_a_browser_session_must_send_the_csrf_token_to_write(
    app_client: TestClient, web_world: World, sign_in: Any
) -> None:
    token = sign_in(app_client, "steward")
    url = f"/api/v1/datasets/{web_world.dph}"
    assert app_client.patch(url, json={"license": "CC BY 4.0"}).status_code == 403
    done = app_client.patch(url, json={"license": "CC BY 4.0"}, headers={"X-CSRF-Token": token})
    assert done.status_code == 200 and done.json()["license"] == "CC BY 4.0"


class _Chunked:
    """Feeds the app its request body 64 KiB at a time, as a network would, and counts what the
    app actually read; without `keep_length` the Content-Length header is dropped (chunked)."""

    SIZE = 64 * 1024

    def __init__(self, app: ASGIApp, keep_length: bool = True) -> None:
        self.app, self.keep_length, self.delivered = app, keep_length, 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if not self.keep_length:
            scope = {**scope, "headers": [h for h in scope["headers"] if h[0] != b"content-length"]}
        pending = bytearray()
        state = {"more": True, "finished": False}

        async def chunked() -> Message:
            if state["finished"]:
                return await receive()
            while not pending and state["more"]:
                message = await receive()
                pending.extend(message.get("body", b""))
                state["more"] = message.get("more_body", False)
            piece = bytes(pending[: self.SIZE])
            del pending[: self.SIZE]
            self.delivered += len(piece)
            more = bool(pending) or bool(state["more"])
            state["finished"] = not more
            return {"type": "http.request", "body": piece, "more_body": more}

        await self.app(scope, chunked, send)
