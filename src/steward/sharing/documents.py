"""Documents attached to an agreement (signed copies, amendments, certificates of destruction).

Files are stored under `<data dir>/sharing/documents/` with a name Steward generates (a random
token and the extension of the checked type); the uploaded name is kept for display only. The
content must really be the type it claims (checked by its first bytes), within a size limit, and
is written to a temporary name then renamed, so a file is whole or absent.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from steward.accounts.policy import Actor
from steward.errors import Invalid, NotFound
from steward.sharing import agreements
from steward.sharing.models import AgreementDocument
from steward.sharing.schemas import DocumentPublic

MAX_BYTES = 20 * 1024 * 1024
# extension -> (media type, how the file starts)
TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (b"PK\x03\x04",),
    ),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "txt": ("text/plain", ()),
}
ALIASES = {"jpeg": "jpg"}
SAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")


@dataclass(frozen=True)
class Download:
    path: Path
    filename: str
    media_type: str


def store_dir(data_dir: Path) -> Path:
    return data_dir / "sharing" / "documents"


def check_content(filename: str, content: bytes) -> str:
    """The extension the file is stored under, once its size and first bytes are checked."""
    if not content:
        raise Invalid("the file is empty")
    if len(content) > MAX_BYTES:
        raise Invalid(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    ext = ALIASES.get(ext, ext)
    if ext not in TYPES:
        raise Invalid(f"attach a {', '.join(TYPES)} file")
    starts = TYPES[ext][1]
    if starts and not content.startswith(starts):
        raise Invalid(f"the file's content is not a {ext.upper()} file")
    if ext == "txt":
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            raise Invalid("a .txt file must be UTF-8 text") from None
    return ext


def display_name(filename: str) -> str:
    """The uploaded name without any path, for showing only."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return SAFE_NAME.sub("_", base).strip()[:200] or "document"


def attach(
    session: Session,
    actor: Actor,
    data_dir: Path,
    agreement_id: int,
    filename: str,
    content: bytes,
    description: str = "",
) -> DocumentPublic:
    agreement = agreements.managed(session, actor, agreement_id)
    ext = check_content(filename, content)
    stored = f"{secrets.token_hex(16)}.{ext}"
    folder = store_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".{stored}.part"
    temporary.write_bytes(content)
    os.replace(temporary, folder / stored)
    document = AgreementDocument(
        stored_name=stored,
        filename=display_name(filename),
        content_type=TYPES[ext][0],
        byte_size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        description=description[:300],
        uploaded_by=actor.label,
    )
    agreement.documents.append(document)
    agreements.note(session, agreement, actor, "document", note_text=document.filename)
    agreements.audit_change(
        session, actor, agreement, "agreement.document", {"file": document.filename}
    )
    session.flush()
    return DocumentPublic.model_validate(document, from_attributes=True)


def open_document(
    session: Session, actor: Actor, data_dir: Path, agreement_id: int, document_id: int
) -> Download:
    agreement = agreements.viewable(session, actor, agreement_id)
    document = next((d for d in agreement.documents if d.id == document_id), None)
    if document is None:
        raise NotFound(f"agreement {agreement_id} has no document {document_id}")
    path = store_dir(data_dir) / document.stored_name
    if not path.is_file():
        raise NotFound(f"the file of document {document_id} is missing from the store")
    return Download(path, document.filename, document.content_type)
