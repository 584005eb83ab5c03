"""The sharing pages through the HTTP client (#10 part 6): drafting and editing with the form and
its checklist, the lifecycle, documents, import, grants suspended by the provider's ADO, the
analyst's "My grants", the public catalog and the permission answers."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from steward.sharing.models import Agreement

from .conftest import DATASET, World, csrf_of

SignIn = Callable[[TestClient, str], None]
ADO = "ado@dph.ct.gov"
ANALYST = "analyst@dss.ct.gov"
DRAFT: dict[str, Any] = {
    "title": "Home visiting outcomes",
    "kind": "dua",
    "provider": "dph",
    "recipient_agency": "dss",
    "authorized_users": "analyst@dss.ct.gov",
    f"fields.{DATASET}": ["town", "diagnosis"],
    "purposes": "Evaluate the home visiting program",
    "legal_authorities": ["ferpa_studies"],
    "data_level": "limited",
    "effective_date": "2026-01-01",
    "end_date": "2026-06-30",
}


def count_agreements(world: World) -> int:
    with world.database.session() as session:
        return session.scalar(select(func.count()).select_from(Agreement)) or 0


def post_form(client: TestClient, page: str, url: str, form: dict[str, Any]) -> Any:
    token = csrf_of(client.get(page).text)
    return client.post(url, data={"csrf_token": token, **form}, follow_redirects=False)


def draft(client: TestClient, **changes: Any) -> int:
    form = {**DRAFT, "op": "save", **changes}
    answer = post_form(client, "/console/sharing/new", "/console/sharing/new", form)
    assert answer.status_code == 303, answer.text
    found = re.search(r"/console/sharing/(\d+)\?done=created", answer.headers["location"])
    assert found
    return int(found.group(1))


def move(client: TestClient, agreement: int, status: str, note: str = "") -> Any:
    page = f"/console/sharing/{agreement}"
    return post_form(client, page, page + "/status", {"status": status, "note": note})


def test_drafting_form_checks_the_draft_then_saves_and_edits(
    world: World, client: TestClient, sign_in: SignIn
) -> None:
    sign_in(client, ADO)
    form = client.get("/console/sharing/new")
    assert form.status_code == 200
    assert f'name="fields.{DATASET}" value="diagnosis"' in form.text
    assert "FERPA 34 CFR 99.31(a)(6)" in form.text

    checked = post_form(
        client, "/console/sharing/new", "/console/sharing/new", {**DRAFT, "op": "check"}
    )
    assert checked.status_code == 200 and count_agreements(world) == 0
    # FERPA's four elements: the purpose (with the fields and the end date) is there, the
    # limit to the purpose, no re-disclosure and destruction are not
    missing = re.search(r"(\d+) of (\d+) required elements are missing", checked.text)
    assert missing and missing.groups() == ("5", "7")
    assert "Requires destruction when no longer needed" in checked.text

    agreement = draft(client)
    detail = client.get(f"/console/sharing/{agreement}?done=created")
    assert "The agreement was drafted" in detail.text
    assert "Home visiting outcomes" in detail.text and "town, diagnosis" in detail.text
    assert "<strong>Missing</strong>" in detail.text

    edit = f"/console/sharing/{agreement}/edit"
    assert "Evaluate the home visiting program" in client.get(edit).text
    complete = {
        **DRAFT,
        "op": "save",
        "prohibited_uses": "No re-identification or contact of individuals.",
        "redisclosure": "No re-disclosure; only the named analysts see the data.",
        "destruction_method": "Secure deletion",
        "destruction_due": "2026-09-30",
        "suppression_rule": "Cells under 11 suppressed",
        "signatories": "Ada Park; Commissioner; DPH; 2026-01-02\nBo Li; Commissioner; DSS",
    }
    saved = post_form(client, edit, edit, complete)
    assert saved.status_code == 303, saved.text
    detail = client.get(f"/console/sharing/{agreement}")
    assert "Every required element is there" in detail.text
    assert "Ada Park, Commissioner, DPH (signed 2026-01-02)" in detail.text

    # a refused edit shows the reason, keeps what was typed and changes nothing
    bad = {**complete, "end_date": "2025-12-01", "title": "Changed title"}
    refused = post_form(client, edit, edit, bad)
    assert refused.status_code == 400 and "end date is before the effective date" in refused.text
    assert 'value="Changed title"' in refused.text
    assert "Changed title" not in client.get(f"/console/sharing/{agreement}").text
    unknown = post_form(client, edit, edit, {**complete, "authorized_users": "nobody@ct.gov"})
    assert unknown.status_code == 400 and "no Steward user" in unknown.text

    # without the form's token nothing happens
    forged = client.post(edit, data={**complete, "title": "Forged"}, follow_redirects=False)
    assert forged.status_code == 403


def test_drafting_refuses_a_bad_form_and_nothing_is_saved(
    world: World, client: TestClient, sign_in: SignIn
) -> None:
    sign_in(client, ADO)
    page = "/console/sharing/new"
    both = post_form(client, page, page, {**DRAFT, "recipient_organization": "UConn"})
    assert both.status_code == 400 and "name the recipient" in both.text
    field = post_form(client, page, page, {**DRAFT, f"fields.{DATASET}": ["town", "nope"]})
    assert field.status_code == 400 and "has no field 'nope'" in unescape(field.text)
    assert count_agreements(world) == 0


def test_status_moves_with_notes_and_history(
    world: World, client: TestClient, sign_in: SignIn
) -> None:
    sign_in(client, ADO)
    agreement = draft(client)
    early = move(client, agreement, "active")
    assert early.status_code == 409 and "can move to" in early.text
    for status in ("legal_review", "signed", "active"):
        answer = move(client, agreement, status, f"to {status}")
        assert answer.status_code == 303, answer.text
    detail = client.get(f"/console/sharing/{agreement}").text
    assert "(signed → active): to active" in detail
    assert '<option value="terminated">Terminated</option>' in detail
    assert move(client, agreement, "bogus").status_code == 400

    listed = client.get("/console/sharing", params={"status": "active"}).text
    assert "Home visiting outcomes" in listed
    assert "Home visiting outcomes" not in client.get("/console/sharing?kind=mou").text
    assert client.get("/console/sharing?status=unknown").status_code == 400

    catalog = client.get("/agreements").text
    assert "Home visiting outcomes" in catalog and "analyst@dss" not in catalog


def test_documents_are_checked_and_downloadable(
    world: World, client: TestClient, sign_in: SignIn
) -> None:
    sign_in(client, ADO)
    agreement = draft(client)
    page = f"/console/sharing/{agreement}"

    def upload(name: str, content: bytes) -> Any:
        token = csrf_of(client.get(page).text)
        files = {"file": (name, content, "application/octet-stream")}
        data = {"csrf_token": token, "description": "Signed copy"}
        return client.post(page + "/documents", data=data, files=files, follow_redirects=False)

    wrong_type = upload("tool.exe", b"MZ\x90\x00")
    assert wrong_type.status_code == 400 and "attach a pdf" in wrong_type.text
    fake_pdf = upload("signed.pdf", b"not really a pdf")
    assert fake_pdf.status_code == 400 and "not a PDF file" in fake_pdf.text
    assert "No documents attached." in fake_pdf.text
    good = upload("../signed copy.pdf", b"%PDF-1.4\n%%EOF\n")
    assert good.status_code == 303
    detail = client.get(page).text
    found = re.search(
        rf'href="(/api/v1/agreements/{agreement}/documents/\d+)">signed copy.pdf', detail
    )
    assert found, detail
    assert client.get(found.group(1)).content == b"%PDF-1.4\n%%EOF\n"
    rendered = client.get(f"/api/v1/agreements/{agreement}/render?format=docx")
    assert rendered.status_code == 200 and rendered.content.startswith(b"PK")


def test_import_with_a_bad_row_imports_nothing(
    world: World, client: TestClient, sign_in: SignIn
) -> None:
    sign_in(client, ADO)
    page = "/console/sharing/import"

    def send(text: str) -> Any:
        token = csrf_of(client.get(page).text)
        files = {"file": ("agreements.csv", text.encode(), "text/csv")}
        return client.post(page, data={"csrf_token": token}, files=files, follow_redirects=False)

    header = "title,kind,provider,recipient_organization,end_date\n"
    bad = send(header + "Lead study,dsa,dph,UConn,2027-01-01\nBad one,xyz,dph,UConn,2027-01-01\n")
    assert bad.status_code == 400 and "Nothing was imported" in bad.text
    assert "row 3: kind" in bad.text
    assert count_agreements(world) == 0
    good = send(header + "Lead study,dsa,dph,UConn,2027-01-01\nAsthma,mou,dph,Yale,2027-01-01\n")
    assert good.status_code == 303 and "count=2" in good.headers["location"]
    listed = client.get(good.headers["location"]).text
    assert "2 agreement(s) were imported." in listed and "Asthma" in listed
    assert send("not,a,header\n1,2,3\n").status_code == 400


def test_the_provider_ado_suspends_a_grant_and_the_query_is_refused(
    world: World, client: TestClient, sign_in: SignIn
) -> None:
    agreement = world.agreement()
    auth = world.token(ANALYST)
    purpose = {"X-Steward-Purpose": "Quarterly evaluation tables"}
    url = f"/resource/{DATASET}.json?$select=town"
    assert client.get(url, headers={**auth, **purpose}).status_code == 200

    sign_in(client, ADO)
    page = f"/console/sharing/{agreement}"
    detail = client.get(page).text
    grant = re.search(r'action="/console/grants/(\d+)/suspend"', detail)
    assert grant, detail
    suspend = f"/console/grants/{grant.group(1)}/suspend"
    done = post_form(client, page, suspend, {"reason": "audit finding"})
    assert done.status_code == 303 and done.headers["location"] == page + "?done=suspended"
    refused = client.get(url, headers={**auth, **purpose})
    assert refused.status_code == 403 and "suspended" in refused.text
    again = post_form(client, page, suspend, {"reason": "twice"})
    assert again.status_code == 409 and "already suspended" in again.text
    resume = f"/console/grants/{grant.group(1)}/resume"
    assert post_form(client, page, resume, {}).status_code == 303
    assert client.get(url, headers={**auth, **purpose}).status_code == 200

    sign_in(client, "ado@dss.ct.gov")  # the recipient's ADO reads it, cannot suspend
    assert "/suspend" not in client.get(page).text
    assert post_form(client, page, suspend, {"reason": "no"}).status_code == 403


def test_my_grants_states_a_purpose_and_makes_an_extract(
    world: World, client: TestClient, sign_in: SignIn
) -> None:
    shared = [
        {
            "dataset_id": DATASET,
            "fields": ["town", "diagnosis"],
            "identifier_fields": ["first_name", "last_name", "birth_date=dob"],
        }
    ]
    agreement = world.agreement(datasets=shared)
    sign_in(client, ANALYST)
    page = client.get("/console/grants")
    assert page.status_code == 200
    assert "Program evaluation of home visiting" in page.text and "none open" in page.text
    assert f"GET /resource/{DATASET}.json" in page.text
    grant = re.search(r'action="/console/grants/(\d+)/use"', page.text)
    assert grant
    use = f"/console/grants/{grant.group(1)}/use"
    short = post_form(client, "/console/grants", use, {"purpose": "x"})
    assert short.status_code == 403 and "state the purpose" in short.text
    stated = post_form(client, "/console/grants", use, {"purpose": "Quarterly tables"})
    assert stated.status_code == 303
    shown = client.get("/console/grants?done=use").text
    assert "Your purpose was recorded" in shown and "“Quarterly tables”" in shown
    # the session's purpose is what the query is recorded under
    assert client.get(f"/resource/{DATASET}.json?$select=town").status_code == 200

    extract = f"/console/sharing/{agreement}/extracts"
    form = {"dataset_id": DATASET, "purpose": "Linkage to outcomes"}
    made = post_form(client, "/console/grants", extract, form)
    assert made.status_code == 303, made.text
    listed = client.get("/console/grants").text
    link = re.search(rf'href="(/api/v1/agreements/{agreement}/extracts/\d+)"', listed)
    assert link and "60 rows, 0 opted-out people left out" in listed
    assert client.get(link.group(1)).text.startswith("town,diagnosis")

    sign_in(client, "other@dss.ct.gov")  # not named: no grant, no extract
    assert "No agreement names you" in client.get("/console/grants").text
    assert post_form(client, "/console/grants", use, {"purpose": "Mine now"}).status_code == 404
    assert post_form(client, "/console/grants", extract, form).status_code == 404


def test_permission_answers(world: World, client: TestClient, sign_in: SignIn) -> None:
    agreement = world.agreement()
    for path in ("/console/sharing", "/console/grants", f"/console/sharing/{agreement}"):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
    assert client.get("/agreements").status_code == 200
    sign_in(client, "analyst@dph.ct.gov")
    for path in (
        "/console/sharing/new",
        "/console/sharing/import",
        f"/console/sharing/{agreement}",
    ):
        answer = client.get(path)
        assert answer.status_code == 403 and "Not allowed" in answer.text
    assert "Draft an agreement" not in client.get("/console/sharing").text
    assert client.get("/console/sharing/999").status_code in (403, 404)
