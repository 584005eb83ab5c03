"""Classification pages: the questionnaire and the field table, driven as a browser would,
with their errors shown on the page and the roles enforced."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from steward.accounts.policy import SYSTEM
from steward.catalog import service as catalog
from steward.catalog.schemas import FieldUpdate
from steward.classification import service

from .conftest import PEOPLE_CSV, TOWNS_CSV, World, csrf_of

PAGE = "/console/d/town-0001/classification"
SignIn = Callable[[TestClient, str], None]
ANSWERS = {
    "q_person_level": "no",
    "q_direct_identifiers": "no",
    "q_quasi_identifiers": "no",
    "q_special_statute": "no",
    "q_legal_restriction": "no",
    "confidentiality": "low",
    "integrity": "moderate",
    "availability": "low",
    "rationale": "Counts and rates by town; no person-level data.",
}


def test_anonymous_visitors_are_sent_to_sign_in(world: World, app_client: TestClient) -> None:
    world.dataset("town-0001", TOWNS_CSV)
    response = app_client.get(PAGE, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=%2Fconsole%2Fd%2Ftown-0001")


def test_a_steward_answers_the_questionnaire(
    world: World, app_client: TestClient, sign_in: SignIn
) -> None:
    world.dataset("town-0001", TOWNS_CSV)
    sign_in(app_client, "steward@dph.ct.gov")
    page = app_client.get(PAGE)
    assert page.status_code == 200
    html = page.text
    assert "No classification assessment yet." in html
    assert "<legend>1. Does each row describe one person" in html
    # Steward's suggestions are chosen before the first assessment: an aggregate table.
    assert 'id="q-person_level-no" name="q_person_level" value="no"' in html
    assert 'value="no" aria-describedby="hint-person_level" checked' in html
    assert "name suggests a place, in an aggregate table" in html
    saved = app_client.post(PAGE, data={**ANSWERS, "csrf_token": csrf_of(html)},
                            follow_redirects=False)  # fmt: skip
    assert saved.status_code == 303
    result = app_client.get(saved.headers["location"]).text
    assert "The assessment was recorded." in result
    assert "No classification assessment yet." not in result
    assert "Counts and rates by town; no person-level data." in result
    assert "by steward@dph.ct.gov" in result and ">Public</span>" in result
    assert "<dt>May be made public</dt><dd>Yes</dd>" in result


def test_a_missing_answer_is_shown_on_the_page_with_the_answers_kept(
    world: World, app_client: TestClient, sign_in: SignIn
) -> None:
    world.dataset("town-0001", TOWNS_CSV)
    sign_in(app_client, "steward@dph.ct.gov")
    token = csrf_of(app_client.get(PAGE).text)
    partial = {k: v for k, v in ANSWERS.items() if k != "q_special_statute"}
    response = app_client.post(PAGE, data={**partial, "csrf_token": token, "rationale": "Mine"})
    assert response.status_code == 400
    assert "missing: special_statute" in response.text
    assert ">Mine</textarea>" in response.text
    low = {**ANSWERS, "q_direct_identifiers": "yes", "q_person_level": "yes"}
    response = app_client.post(PAGE, data={**low, "csrf_token": token})
    assert response.status_code == 400
    assert "confidentiality impact must be at least moderate for Personal data" in response.text


def test_a_steward_confirms_a_field_from_the_table_and_by_its_questions(
    world: World, app_client: TestClient, sign_in: SignIn
) -> None:
    world.dataset("ppl0-0001", PEOPLE_CSV)
    page = "/console/d/ppl0-0001/classification"
    sign_in(app_client, "steward@dph.ct.gov")
    html = app_client.get(page).text
    assert "values look like SSNs (100% of 4 sampled)" in html
    token = csrf_of(html)
    confirmed = app_client.post(
        f"{page}/fields/ssn",
        data={"level": "private", "reason": "tax records", "csrf_token": token},
        follow_redirects=False,
    )
    assert confirmed.status_code == 303
    html = app_client.get(confirmed.headers["location"]).text
    assert "The classification of field <code>ssn</code> was recorded." in html
    assert "Private by steward@dph.ct.gov" in html and "tax records" in html
    questions = app_client.get(f"{page}/fields/diagnosis")
    assert questions.status_code == 200
    assert "Steward proposes <strong>Personal</strong>" in questions.text
    answers = {
        "q_direct_identifiers": "no",
        "q_quasi_identifiers": "no",
        "q_special_statute": "no",
        "q_legal_restriction": "no",
        "csrf_token": csrf_of(questions.text),
    }
    done = app_client.post(f"{page}/fields/diagnosis", data=answers, follow_redirects=False)
    assert done.status_code == 303
    partial = {k: v for k, v in answers.items() if k != "q_legal_restriction"}
    refused = app_client.post(f"{page}/fields/diagnosis", data=partial)
    assert refused.status_code == 400 and "missing: legal_restriction" in refused.text
    assert app_client.get(f"{page}/fields/shoe").status_code == 404


def test_analysts_see_but_cannot_assess(
    world: World, app_client: TestClient, sign_in: SignIn
) -> None:
    world.dataset("town-0001", TOWNS_CSV)
    sign_in(app_client, "analyst@dph.ct.gov")
    page = app_client.get(PAGE)
    assert page.status_code == 200
    assert "Record the assessment" not in page.text and "Confirm or override" not in page.text
    token = csrf_of(page.text)  # the sign-out form
    refused = app_client.post(PAGE, data={**ANSWERS, "csrf_token": token})
    assert refused.status_code == 403
    sign_in(app_client, "steward@opm.ct.gov")
    assert app_client.get(PAGE).status_code == 403


def test_a_form_without_its_csrf_token_is_refused(
    world: World, app_client: TestClient, sign_in: SignIn
) -> None:
    world.dataset("town-0001", TOWNS_CSV)
    sign_in(app_client, "steward@dph.ct.gov")
    assert app_client.post(PAGE, data=ANSWERS).status_code == 403
    with world.database.session() as session:
        assert service.statuses(session, ["town-0001"]) == {"town-0001": "missing"}


def test_the_field_select_never_starts_looser_than_the_dictionary(
    world: World, app_client: TestClient, sign_in: SignIn
) -> None:
    world.dataset("town-0001", TOWNS_CSV)
    with world.database.session() as session:
        update = FieldUpdate(classification="personal")
        catalog.update_field(session, SYSTEM, "town-0001", "town", update)
    sign_in(app_client, "steward@dph.ct.gov")
    html = app_client.get(PAGE).text
    row = html[html.index('id="field-town"') : html.index('id="field-year"')]
    assert "name suggests a place, in an aggregate table" in row  # proposed Public
    assert '<option value="personal" selected>' in row
    assert '<option value="public" selected>' not in row
