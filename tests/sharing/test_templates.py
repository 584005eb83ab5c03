"""Acceptance (#10 part 2): generated DOCX and PDF agreements open and contain the filled fields
(read back with python-docx and pypdf); the checklist flags what a draft misses."""

from __future__ import annotations

import io

from docx import Document
from fastapi.testclient import TestClient
from pypdf import PdfReader

from steward.sharing import checklists

from .conftest import World

FILLED = (
    "Program evaluation of home visiting",
    "Department of Public Health",
    "Department of Social Services",
    "Evaluate the home visiting program",
    "town, diagnosis",
    "2026-06-30",
    "analyst@dss.ct.gov",
)


def test_docx_and_pdf_contain_the_filled_fields(world: World, client: TestClient) -> None:
    agreement = world.agreement()
    ado = world.token("ado@dph.ct.gov")
    url = f"/api/v1/agreements/{agreement}/render"
    docx = client.get(url, params={"format": "docx"}, headers=ado)
    assert docx.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert all(value in text for value in FILLED), text
    pdf = client.get(url, params={"format": "pdf"}, headers=ado)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    pages = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    flat = " ".join(pages.split())
    assert all(value in flat for value in FILLED), flat
    consent = client.get(url, params={"format": "html", "document": "consent"}, headers=ado)
    assert "Department of Social Services" in consent.text and "<h1>" in consent.text
    outsider = client.get(url, params={"format": "pdf"}, headers=world.token("other@dss.ct.gov"))
    assert outsider.status_code == 403


def test_the_ferpa_checklist_names_what_is_missing() -> None:
    draft = {"legal_authorities": ["ferpa_studies"], "purposes": ["A study"], "end_date": "x"}
    missing = {item.element for item in checklists.missing(draft)}
    assert {"use_only_for_purpose", "no_redisclosure", "destruction"} <= missing
    complete = {
        **draft,
        "datasets": [{"fields": ["town"]}],
        "prohibited_uses": "No other use",
        "authorized_users": ["a@b.gov"],
        "redisclosure": "None",
        "destruction_method": "Secure deletion",
        "destruction_due": "2027-01-01",
    }
    ferpa = [i for i in checklists.check(complete) if i.authority == "ferpa_studies"]
    assert len(ferpa) == 4 and all(i.met for i in ferpa)
