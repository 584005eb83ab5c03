"""Importing the catalog of existing agreements (#10 part 1, the CDO's "catalog existing data
sharing agreements") from CSV and XLSX: all or nothing, each problem named by its row; and the
export for auditors, which imports again as the same agreements."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from steward.accounts.policy import SYSTEM
from steward.errors import Invalid, NotAuthorized
from steward.sharing import agreements, documents, export, importer
from steward.sharing.models import Agreement
from steward.sharing.schemas import AgreementCreate, AgreementPublic

from .conftest import DATASET, World

CDO, ADO = "cdo@ct.gov", "ado@dph.ct.gov"
HEADER = [
    "Title",
    "Kind",
    "Provider",
    "Recipient agency",
    "Recipient organization",
    "Purposes",
    "Legal authorities",
    "Datasets",
    "Authorized users",
    "Effective date",
    "End date",
    "Status",
    "Row filters",
]
GOOD = [
    [
        "Home visiting evaluation",
        "dsa",
        "dph",
        "dss",
        "",
        "Evaluate outcomes; Report to the legislature",
        "state_statute",
        f"{DATASET}: town, diagnosis",
        "analyst@dss.ct.gov",
        "2026-01-01",
        "2026-12-31",
        "active",
    ],
    [
        "Immunization research",
        "dua",
        "dph",
        "",
        "University of Connecticut",
        "Vaccine uptake study",
        "hipaa_lds; state_statute",
        "",
        "",
        "2025-07-01",
        "2027-06-30",
        "signed",
    ],
    ["Draft MOU", "mou", "dph", "opm", "", "", "", "", "", "", "", ""],
]


def as_csv(rows: list[list[Any]]) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def as_xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def count(world: World) -> int:
    with world.database.session() as session:
        return session.scalar(select(func.count()).select_from(Agreement)) or 0


def run(world: World, filename: str, content: bytes, email: str = CDO) -> list[AgreementPublic]:
    with world.database.session() as session:
        done = importer.import_file(session, world.actor(email), filename, content)
        return [agreements.get_agreement(session, SYSTEM, i) for i in done.ids]


@pytest.mark.parametrize(("name", "write"), [("a.csv", as_csv), ("a.xlsx", as_xlsx)])
def test_csv_and_xlsx_import_with_their_statuses(world: World, name: str, write: Any) -> None:
    made = run(world, name, write([HEADER, *GOOD]))
    assert [(a.title, a.status, a.kind) for a in made] == [
        ("Home visiting evaluation", "active", "dsa"),
        ("Immunization research", "signed", "dua"),
        ("Draft MOU", "draft", "mou"),
    ]
    first, second, _third = made
    assert first.purposes == ["Evaluate outcomes", "Report to the legislature"]
    assert [(d.dataset_id, d.fields) for d in first.datasets] == [(DATASET, ["town", "diagnosis"])]
    assert [g.user_email for g in first.grants] == ["analyst@dss.ct.gov"]
    assert str(first.end_date) == "2026-12-31" and first.recipient_agency == "dss"
    assert second.recipient_organization == "University of Connecticut"
    assert second.legal_authorities == ["hipaa_lds", "state_statute"]
    assert [(e.action, e.from_status, e.to_status) for e in first.history] == [
        ("created", None, "draft"),
        ("imported", "draft", "active"),
    ]


def test_xlsx_dates_as_dates(world: World) -> None:
    from datetime import datetime

    row = list(GOOD[0])
    row[9], row[10] = datetime(2026, 1, 1), datetime(2026, 12, 31)
    (made,) = run(world, "dates.xlsx", as_xlsx([HEADER, row]))
    assert str(made.effective_date) == "2026-01-01" and str(made.end_date) == "2026-12-31"


FILTER = "zzzz-9999: town = 'x'"
BAD_ROWS = [
    (["Bad kind", "nda", "dph", "dss"], "kind"),
    (["Unknown provider", "dsa", "nowhere", "dss"], "nowhere"),
    (["No recipient", "dsa", "dph", ""], "recipient"),
    (["Self", "dsa", "dph", "dph"], "another agency"),
    (["Bad status", "dsa", "dph", "dss", "", "", "", "", "", "", "", "approved"], "status"),
    (["Bad date", "dsa", "dph", "dss", "", "", "", "", "", "01/02/2026"], "effective_date"),
    (["Bad authority", "dsa", "dph", "dss", "", "", "ferpa?"], "legal authority"),
    (["No such user", "dsa", "dph", "dss", "", "", "", "", "ghost@ct.gov"], "ghost@ct.gov"),
    (["Bad dataset", "dsa", "dph", "dss", "", "", "", "zzzz-9999: town"], "zzzz-9999"),
    (["Unknown field", "dsa", "dph", "dss", "", "", "", f"{DATASET}: shoe_size"], "shoe_size"),
    (
        ["Filter elsewhere", "dsa", "dph", "dss", *[""] * 3, f"{DATASET}: town", *[""] * 4, FILTER],
        "row_filters: dataset 'zzzz-9999' is not in datasets",
    ),
    (
        [
            "Active without end",
            "dsa",
            "dph",
            "dss",
            "",
            "",
            "",
            f"{DATASET}: town",
            "",
            "",
            "",
            "active",
        ],
        "end date",
    ),
]


@pytest.mark.parametrize(("row", "words"), BAD_ROWS, ids=[r[0][0] for r in BAD_ROWS])
def test_one_bad_row_imports_nothing(world: World, row: list[str], words: str) -> None:
    content = as_csv([HEADER, *GOOD, row])
    with world.database.session() as session, pytest.raises(Invalid) as caught:
        importer.import_file(session, world.actor(CDO), "a.csv", content)
    message = caught.value.message
    assert message.startswith("nothing was imported") and "row 5: " in message, message
    assert words in message, message
    assert caught.value.data == {"errors": message.splitlines()[1:]}
    assert count(world) == 0


def test_every_bad_row_is_listed(world: World) -> None:
    rows = [HEADER, BAD_ROWS[0][0], GOOD[0], BAD_ROWS[4][0], BAD_ROWS[5][0]]
    with world.database.session() as session, pytest.raises(Invalid) as caught:
        importer.import_file(session, world.actor(CDO), "a.csv", as_csv(rows))
    assert [e.split(":")[0] for e in caught.value.data["errors"]] == ["row 2", "row 4", "row 5"]
    assert count(world) == 0


def test_an_ado_imports_only_their_agencys_agreements(world: World) -> None:
    other = ["Their agreement", "dsa", "dss", "dph", "", "", "", "", "", "", "", ""]
    with world.database.session() as session, pytest.raises(NotAuthorized):
        importer.import_file(session, world.actor(ADO), "a.csv", as_csv([HEADER, *GOOD, other]))
    assert count(world) == 0
    assert len(run(world, "a.csv", as_csv([HEADER, *GOOD]), ADO)) == 3
    with world.database.session() as session, pytest.raises(NotAuthorized):
        importer.import_file(
            session, world.actor("analyst@dph.ct.gov"), "a.csv", as_csv([HEADER, *GOOD])
        )


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("a.pdf", b"%PDF-1.4", ".csv or .xlsx"),
        ("a.xlsx", b"not a zip", "not a readable .xlsx"),
        ("a.csv", b"", "no agreements"),
        ("a.csv", b"title,provider\n", "no agreements"),
        ("a.csv", b"name,agency\nx,dph\n", "header row must name"),
        ("a.csv", as_csv([["title", "provider"]] + [["x"]] * 2001), "more than 2,000"),
    ],
)
def test_unreadable_files(world: World, name: str, content: bytes, words: str) -> None:
    with world.database.session() as session, pytest.raises(Invalid) as caught:
        importer.import_file(session, world.actor(CDO), name, content)
    assert words in caught.value.message


def test_the_api_answers_the_rows_in_json(world: World, client: TestClient) -> None:
    auth = world.token(CDO)
    bad = as_csv([HEADER, *GOOD, BAD_ROWS[0][0]])
    refused = client.post(
        "/api/v1/agreements/import", files={"file": ("a.csv", bad, "text/csv")}, headers=auth
    )
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error["code"] == "invalid" and error["data"]["errors"][0].startswith("row 5: kind")
    ok = client.post(
        "/api/v1/agreements/import",
        files={"file": ("a.xlsx", as_xlsx([HEADER, *GOOD]), "application/octet-stream")},
        headers=auth,
    )
    assert ok.status_code == 201 and ok.json()["created"] == 3
    too_big = client.post(
        "/api/v1/agreements/import",
        files={"file": ("a.csv", b"x" * (5 * 1024 * 1024 + 1), "text/csv")},
        headers=auth,
    )
    assert too_big.status_code == 400 and "larger than 5 MB" in too_big.json()["error"]["message"]
    missing = client.post("/api/v1/agreements/import", headers=auth)
    assert missing.status_code == 400 and missing.json()["error"]["message"].startswith("body")


# export ----------------------------------------------------------------------------------------

COMPARED = (
    "title",
    "kind",
    "provider",
    "recipient_agency",
    "recipient_organization",
    "purposes",
    "prohibited_uses",
    "legal_authorities",
    "state_statute",
    "data_level",
    "program",
    "consent_purpose",
    "suppression_rule",
    "transfer_security",
    "redisclosure",
    "retention",
    "destruction_method",
    "destruction_due",
    "destruction_certificate",
    "effective_date",
    "end_date",
    "renewal_reminder_days",
    "status",
    "signatories",
)


def comparable(agreement: AgreementPublic) -> dict[str, Any]:
    values = agreement.model_dump(include=set(COMPARED))
    values["datasets"] = [
        (d.dataset_id, d.fields, d.row_filter, d.identifier_fields) for d in agreement.datasets
    ]
    values["users"] = [g.user_email for g in agreement.grants if g.state != "revoked"]
    return values


def filled(world: World) -> list[int]:
    """Agreements with every spreadsheet attribute set, one with a formula-like purpose."""
    first = world.agreement(
        suppression_rule="Cells under 5 suppressed",
        transfer_security="SFTP, encrypted at rest",
        redisclosure="None without written consent",
        retention="Three years",
        destruction_method="Secure deletion",
        destruction_due="2027-06-30",
        destruction_certificate="Certificate on file",
        renewal_reminder_days=45,
        purposes=['=HYPERLINK("http://x")', "-minus sign first", "Plain, with a comma"],
        legal_authorities=["state_statute", "hipaa_lds"],
        signatories=[
            {"name": "Ana Lopez", "title": "Commissioner", "organization": "DPH"},
            {"name": "Ben Smith", "organization": "DSS", "signed_on": "2026-01-05"},
            {"name": "=Cara Nguyen"},
        ],
        datasets=[
            {
                "dataset_id": DATASET,
                "fields": ["town", "diagnosis"],
                "row_filter": "town in ('Hartford', 'New Haven') AND diagnosis != 'D1;D2'",
                "identifier_fields": ["last_name", "birth_date=dob"],
            }
        ],
    )
    values = {
        "title": "Outside research",
        "kind": "dua",
        "provider": "dph",
        "recipient_organization": "Yale University",
    }
    with world.database.session() as session:
        second = agreements.create_agreement(
            session, SYSTEM, AgreementCreate.model_validate(values)
        ).id
    return [first, second]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imports_as_the_same_agreements(world: World, fmt: str) -> None:
    ids = filled(world)
    with world.database.session() as session:
        content = export.export_file(session, world.actor(CDO), fmt)
        before = [comparable(agreements.get_agreement(session, SYSTEM, i)) for i in ids]
    again = run(world, f"export.{fmt}", content)
    assert [comparable(a) for a in again] == before
    assert before[0]["purposes"][0].startswith("=HYPERLINK")
    assert before[0]["datasets"][0][2].endswith("'D1;D2'")


def test_the_export_is_safe_in_a_spreadsheet(world: World) -> None:
    first, _second = filled(world)
    with world.database.session() as session:
        data_dir = world.settings.data_dir
        documents.attach(session, SYSTEM, data_dir, first, "signed.pdf", b"%PDF-1.4", "Signed")
        rows = export.export_rows(session, world.actor(CDO))
        book = load_workbook(io.BytesIO(export.to_xlsx(rows)))
    assert rows[0] == ["id", *importer.COLUMNS, "documents"]
    signed = rows[1][rows[0].index("signatories")].splitlines()
    assert signed == [
        "Ana Lopez | Commissioner | DPH",
        "Ben Smith |  | DSS | 2026-01-05",
        "=Cara Nguyen",
    ]
    assert rows[1][rows[0].index("documents")].startswith("signed.pdf (Signed, sha256 ")
    assert rows[2][rows[0].index("documents")] == ""
    assert rows[1][rows[0].index("purposes")].startswith("'=HYPERLINK")
    sheet = book.worksheets[0]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_the_export_holds_what_the_actor_may_read(world: World, client: TestClient) -> None:
    first, second = filled(world)
    url = "/api/v1/agreements/export.csv"
    got = client.get(url, headers=world.token(CDO))
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    assert "attachment" in got.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(got.text)))
    assert [r["id"] for r in rows] == [str(first), str(second)]
    assert rows[0]["datasets"] == f"{DATASET}: town, diagnosis"
    assert rows[0]["authorized_users"] == "analyst@dss.ct.gov"
    analyst = list(csv.DictReader(io.StringIO(client.get(url, headers=world.token(
        "analyst@dss.ct.gov")).text)))  # fmt: skip
    assert [r["id"] for r in analyst] == [str(first)]
    assert client.get(url).status_code == 401
    workbook = client.get("/api/v1/agreements/export.xlsx", headers=world.token("ado@dss.ct.gov"))
    assert workbook.status_code == 200 and workbook.content.startswith(b"PK")
    sheet = load_workbook(io.BytesIO(workbook.content)).worksheets[0]
    assert [c.value for c in sheet[1]][:3] == ["id", "title", "kind"] and sheet.max_row == 2


@pytest.mark.parametrize(
    ("signatories", "message"),
    [
        ("Ana | Commissioner | DPH | 2026-01-05 | more", "signatories: one a line"),
        ("Ana | Commissioner | DPH | 05/01/2026", "signatories.0.signed_on"),
        (" | Commissioner", "signatories.0.name"),
    ],
)
def test_signatories_that_cannot_be_read_are_refused(
    world: World, signatories: str, message: str
) -> None:
    header = ["title", "kind", "provider", "recipient_agency", "signatories"]
    row = ["Signed", "dsa", "dph", "dss", signatories]
    with pytest.raises(Invalid, match=message):
        run(world, "a.csv", as_csv([header, row]))
