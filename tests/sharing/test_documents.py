"""Documents attached to an agreement (#10 part 1): stored under the data directory by a name
Steward generates, within a size limit, only of the types they claim to be; downloaded only by
those who may read the agreement; a path in the uploaded name goes nowhere."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from steward.sharing import documents

from .conftest import World

ADO = "ado@dph.ct.gov"
PDF = b"%PDF-1.4\n% signed copy\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


def upload(
    client: TestClient, world: World, agreement: int, name: str, content: bytes, email: str = ADO
) -> tuple[int, dict]:  # type: ignore[type-arg]
    answer = client.post(
        f"/api/v1/agreements/{agreement}/documents",
        files={"file": (name, content, "application/octet-stream")},
        data={"description": "Signed copy"},
        headers=world.token(email),
    )
    return answer.status_code, answer.json()


def test_a_document_is_stored_under_a_generated_name(world: World, client: TestClient) -> None:
    agreement = world.agreement()
    store = documents.store_dir(world.settings.data_dir)
    status, made = upload(client, world, agreement, "Signed MOU (final).pdf", PDF)
    assert status == 201, made
    assert made["filename"] == "Signed MOU _final_.pdf"
    assert made["content_type"] == "application/pdf" and made["byte_size"] == len(PDF)
    assert made["sha256"] == hashlib.sha256(PDF).hexdigest()
    (stored,) = files_under(store)
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", stored.name) and stored.read_bytes() == PDF
    got = client.get(
        f"/api/v1/agreements/{agreement}/documents/{made['id']}", headers=world.token(ADO)
    )
    assert got.status_code == 200 and got.content == PDF
    assert got.headers["content-type"] == "application/pdf"
    assert "Signed%20MOU%20_final_.pdf" in got.headers["content-disposition"]
    detail = client.get(f"/api/v1/agreements/{agreement}", headers=world.token(ADO)).json()
    assert [d["id"] for d in detail["documents"]] == [made["id"]]
    assert detail["history"][-1]["action"] == "document"
    assert detail["history"][-1]["note"] == "Signed MOU _final_.pdf"


@pytest.mark.parametrize(
    "name",
    [
        "../../../../etc/passwd.txt",
        "..\\..\\..\\windows\\system.txt",
        "/tmp/absolute.txt",
        "....//....//x.txt",
        "%2e%2e%2fencoded.txt",
        "nul\x00byte.txt",
    ],
)
def test_a_path_in_the_name_goes_nowhere(
    world: World, client: TestClient, tmp_path: Path, name: str
) -> None:
    agreement = world.agreement()
    before = files_under(tmp_path)
    status, made = upload(client, world, agreement, name, b"plain text")
    assert status == 201, made
    added = files_under(tmp_path) - before
    store = documents.store_dir(world.settings.data_dir)
    assert len(added) == 1 and next(iter(added)).parent == store
    assert re.fullmatch(r"[A-Za-z0-9._ -]+", made["filename"]) and ".." not in made["filename"]


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("signed.pdf", b"MZ\x90\x00 not a pdf", "not a PDF"),
        ("scan.png", PDF, "not a PNG"),
        ("photo.jpeg", PNG, "not a JPG"),
        ("report.docx", PDF, "not a DOCX"),
        ("tool.exe", b"MZ\x90\x00", "attach a pdf"),
        ("no-extension", PDF, "attach a pdf"),
        ("page.html", b"<script>alert(1)</script>", "attach a pdf"),
        ("notes.txt", b"\xff\xfe\x00bad", "UTF-8"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_the_content_must_be_the_type_it_claims(
    world: World, client: TestClient, name: str, content: bytes, words: str
) -> None:
    agreement = world.agreement()
    status, body = upload(client, world, agreement, name, content)
    assert status == 400 and words in body["error"]["message"], body
    assert not files_under(documents.store_dir(world.settings.data_dir))


def test_the_size_limit(world: World, client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    agreement = world.agreement()
    monkeypatch.setattr(documents, "MAX_BYTES", 1024 * 1024)
    status, body = upload(client, world, agreement, "big.pdf", PDF + b"0" * (1024 * 1024))
    assert status == 400 and "larger than 1 MB" in body["error"]["message"]
    status, _ = upload(client, world, agreement, "fits.pdf", PDF + b"0" * (1024 * 1000))
    assert status == 201


def test_only_the_provider_ado_attaches(world: World, client: TestClient) -> None:
    agreement = world.agreement()
    for email in ("analyst@dss.ct.gov", "ado@dss.ct.gov", "analyst@dph.ct.gov"):
        status, body = upload(client, world, agreement, "signed.pdf", PDF, email)
        assert status == 403, (email, body)
    anonymous = client.post(
        f"/api/v1/agreements/{agreement}/documents",
        files={"file": ("signed.pdf", PDF, "application/pdf")},
    )
    assert anonymous.status_code == 401
    status, body = upload(client, world, 999, "signed.pdf", PDF)
    assert status == 404 and body["error"]["code"] == "not_found"
    assert not files_under(documents.store_dir(world.settings.data_dir))


def test_only_readers_of_the_agreement_download(world: World, client: TestClient) -> None:
    agreement = world.agreement()
    other = world.agreement(title="Another agreement", authorized_users=[])
    _status, made = upload(client, world, agreement, "signed.pdf", PDF)
    url = f"/api/v1/agreements/{agreement}/documents/{made['id']}"
    for email in (ADO, "cdo@ct.gov", "ado@dss.ct.gov", "analyst@dss.ct.gov"):
        assert client.get(url, headers=world.token(email)).status_code == 200, email
    for email in ("other@dss.ct.gov", "analyst@dph.ct.gov"):
        refused = client.get(url, headers=world.token(email))
        assert refused.status_code == 403 and refused.json()["error"]["message"], email
    assert client.get(url).status_code == 401
    wrong = client.get(
        f"/api/v1/agreements/{other}/documents/{made['id']}", headers=world.token(ADO)
    )
    assert wrong.status_code == 404
    missing = client.get(f"/api/v1/agreements/{agreement}/documents/999", headers=world.token(ADO))
    assert missing.status_code == 404
    (stored,) = files_under(documents.store_dir(world.settings.data_dir))
    stored.unlink()
    gone = client.get(url, headers=world.token(ADO))
    assert gone.status_code == 404 and "missing" in gone.json()["error"]["message"]


def test_display_names_are_plain() -> None:
    assert documents.display_name("../../a/b/c.pdf") == "c.pdf"
    assert documents.display_name("C:\\Users\\me\\signed.pdf") == "signed.pdf"
    assert documents.display_name('a"b;c<d>.pdf') == "a_b_c_d_.pdf"
    assert documents.display_name("/") == "document"
    assert len(documents.display_name("x" * 500 + ".pdf")) == 200
