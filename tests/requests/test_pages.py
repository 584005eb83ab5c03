"""Data request pages: the public form (CSRF, hidden field, per-address limit, errors shown on
the page), the requester's private page, the public list, and the console for the ADO."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from .conftest import Clock, World, csrf_of, eastern

SignIn = Callable[[TestClient, str], None]
FORM = {
    "requester_name": "Pat Reyes",
    "requester_email": "pat.reyes@example.org",
    "organization": "Hartford Health Equity Project",
    "requester_kind": "nonprofit",
    "title": "Clinic inspections by town",
    "description": "Every inspection of a licensed clinic since 2015, with its town.",
    "purpose": "To map where inspections find problems most often.",
    "period": "2015 to 2025",
    "data_format": "CSV",
    "agency": "dph",
    "website": "",
}


def file_form(client: TestClient, **changes: str):  # type: ignore[no-untyped-def]
    token = csrf_of(client.get("/requests/new").text)
    return client.post(
        "/requests", data={**FORM, **changes, "csrf_token": token}, follow_redirects=False
    )


@pytest.fixture
def filed(app_client: TestClient) -> str:
    """The private path of a request filed through the form."""
    answer = file_form(app_client)
    assert answer.status_code == 303, answer.text
    return answer.headers["location"].split("?")[0]


def test_the_form_says_it_is_not_a_foi_request(world: World, app_client: TestClient) -> None:
    page = app_client.get("/requests/new?dataset=clin-0001")
    assert page.status_code == 200
    assert "This is not a Freedom of Information Act request" in page.text
    assert 'href="https://portal.ct.gov/foi"' in page.text
    assert 'name="website"' in page.text  # the field people leave empty
    assert '<option value="dph" selected>' in page.text  # the dataset's agency
    assert 'value="clin-0001"' in page.text


def test_the_foi_address_is_a_setting(world: World, clock: Clock) -> None:
    from steward.app import create_app

    world.settings.request_foi_url = "https://foi.example.gov/process"
    app = create_app(world.settings)
    with TestClient(app) as client:
        assert 'href="https://foi.example.gov/process"' in client.get("/requests/new").text


def test_filing_on_the_form_leads_to_the_private_page(app_client: TestClient, filed: str) -> None:
    page = app_client.get(filed + "?sent=1")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["x-robots-tag"] == "noindex"
    assert "your request #1 was sent to Department of Public Health" in page.text
    assert "July 10, 2026" in page.text  # acknowledgement due
    assert "To map where inspections" in page.text
    assert app_client.get("/requests/follow/nothing-here-at-all-0000").status_code == 404


def test_the_form_refuses_without_its_token(app_client: TestClient) -> None:
    app_client.get("/requests/new")
    answer = app_client.post("/requests", data=FORM, follow_redirects=False)
    assert answer.status_code == 403


def test_problems_are_shown_on_the_form(app_client: TestClient) -> None:
    answer = file_form(app_client, requester_email="not an email")
    assert answer.status_code == 400
    assert "Your email: Value error, is not an email address" in answer.text
    assert 'id="rq-requester_email" name="requester_email"' in answer.text
    assert 'value="Clinic inspections by town"' in answer.text  # what was typed stays
    assert 'aria-invalid="true"' in answer.text
    unknown = file_form(app_client, agency="nope")
    assert unknown.status_code == 400 and "there is no agency" in unknown.text


def test_the_hidden_field_and_the_address_limit(app_client: TestClient) -> None:
    assert file_form(app_client, website="http://spam.example").status_code == 400
    codes = [file_form(app_client).status_code for _ in range(6)]
    assert codes == [303] * 5 + [429]
    assert "too many submissions" in file_form(app_client).text


def test_the_public_list_and_page(app_client: TestClient, filed: str) -> None:
    listing = app_client.get("/requests")
    assert listing.status_code == 200
    assert "Clinic inspections by town" in listing.text
    assert "How promptly agencies answer" in listing.text
    for private in ("Pat Reyes", "pat.reyes", "Hartford Health", "map where"):
        assert private not in listing.text
    one = app_client.get("/requests/1")
    assert "Clinic inspections by town" in one.text and "a nonprofit organization" in one.text
    assert "Pat Reyes" not in one.text
    assert app_client.get("/requests?agency=ocme").text.count("Clinic inspections") == 0


def test_the_ado_works_the_request_in_the_console(
    app_client: TestClient, filed: str, sign_in: SignIn, clock: Clock
) -> None:
    assert app_client.get("/console/requests", follow_redirects=False).status_code == 303
    sign_in(app_client, "ado@dph.ct.gov")
    queue = app_client.get("/console/requests")
    assert "Clinic inspections by town" in queue.text and "Pat Reyes" in queue.text
    clock.now = eastern(2026, 7, 13)
    assert "overdue" in app_client.get("/console/requests?overdue=1").text
    detail = app_client.get("/console/requests/1")
    assert "pat.reyes@example.org" in detail.text
    token = csrf_of(detail.text)
    declined = app_client.post(
        "/console/requests/1", data={"csrf_token": token, "action": "decline"}
    )
    assert declined.status_code == 400
    assert "needs a reason" in declined.text
    ack = app_client.post(
        "/console/requests/1",
        data={"csrf_token": token, "action": "acknowledge", "note": "Looking"},
        follow_redirects=False,
    )
    assert ack.status_code == 303
    done = app_client.get(ack.headers["location"])
    assert "The request was acknowledged" in done.text
    assert "Looking" in done.text
    again = app_client.post(
        "/console/requests/1", data={"csrf_token": token, "action": "acknowledge"}
    )
    assert again.status_code == 409
    referred = app_client.post(
        "/console/requests/1",
        data={"csrf_token": token, "action": "refer", "agency": "ocme"},
        follow_redirects=False,
    )
    assert referred.status_code == 303
    assert app_client.get("/console/requests/1").status_code == 403  # ocme holds it now
    outbox = app_client.get("/console/requests/outbox")
    assert "Data request #1: Clinic inspections by town" in outbox.text
    assert "No mail server is configured" in outbox.text


def test_people_without_the_ado_role_are_kept_out(
    app_client: TestClient, filed: str, sign_in: SignIn
) -> None:
    sign_in(app_client, "steward@dph.ct.gov")
    assert app_client.get("/console/requests").status_code == 403
    assert app_client.get("/console/requests/1").status_code == 403
    assert app_client.get("/console/requests/outbox").status_code == 403


def test_the_dataset_page_links_to_requests_and_use_cases(app_client: TestClient) -> None:
    page = app_client.get("/d/clin-0001")
    assert page.status_code == 200
    assert 'href="/requests/new?dataset=clin-0001"' in page.text
    assert 'href="/d/clin-0001/use-cases/new"' in page.text
    assert "No use cases have been shared yet." in page.text
