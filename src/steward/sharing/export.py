"""The agreement catalog as a spreadsheet (CSV or XLSX) for auditors: one row per agreement the
actor may read, in the import columns (`steward.sharing.importer`) after an `id` column, so an
exported file imports again as the same agreements. Lists are joined with `;`, datasets written as
`id: field, field; id: field` (row filters `id: condition` one a line, identifier fields like
datasets); the status is the one that holds today (past its end date, expired). Cells that a
spreadsheet would take for a formula are prefixed with `'`.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from steward.accounts.policy import Actor, require
from steward.errors import Invalid
from steward.sharing import agreements, importer, shapes
from steward.sharing.models import Agreement

Format = Literal["csv", "xlsx"]
HEADER = ("id", *importer.COLUMNS, "documents")
"""The import columns between the id and the attached documents (which an import ignores)."""
FORMULA_START = importer.FORMULA_START
MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _datasets(agreement: Agreement) -> str:
    return "; ".join(f"{s.dataset_id}: {', '.join(s.fields)}" for s in agreement.datasets)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _signatories(agreement: Agreement) -> str:
    return "\n".join(
        " | ".join(str(s.get(key) or "") for key in importer.SIGNATORY).rstrip(" |")
        for s in agreement.signatories
    )


def _documents(agreement: Agreement) -> str:
    return "\n".join(
        f"{d.filename} ({d.description + ', ' if d.description else ''}sha256 {d.sha256},"
        f" {d.uploaded_at:%Y-%m-%d} by {d.uploaded_by})"
        for d in agreement.documents
    )


def row_of(agreement: Agreement, today: date) -> list[str]:
    values: dict[str, Any] = {
        "id": agreement.id,
        "provider": agreement.provider.slug,
        "recipient_agency": agreement.recipient.slug if agreement.recipient else "",
        "purposes": "; ".join(agreement.purposes),
        "legal_authorities": "; ".join(agreement.legal_authorities),
        "datasets": _datasets(agreement),
        "authorized_users": "; ".join(
            g.user.email for g in agreement.grants if g.revoked_at is None
        ),
        "status": shapes.status_of(agreement, today),
        "row_filters": "\n".join(
            f"{s.dataset_id}: {s.row_filter}" for s in agreement.datasets if s.row_filter
        ),
        "signatories": _signatories(agreement),
        "documents": _documents(agreement),
        "identifier_fields": "; ".join(
            f"{s.dataset_id}: {', '.join(s.identifier_fields)}"
            for s in agreement.datasets
            if s.identifier_fields
        ),
    }
    return [_text(values[n] if n in values else getattr(agreement, n)) for n in HEADER]


def export_rows(session: Session, actor: Actor) -> list[list[str]]:
    """The header and one row per agreement the actor may read, oldest first."""
    require(actor, "sharing.use", what="the catalog of agreements")
    today = agreements.today()
    found = session.scalars(select(Agreement).order_by(Agreement.id)).unique()
    rows = [row_of(a, today) for a in found if agreements.may_view(actor, a)]
    return [list(HEADER), *rows]


def to_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def to_xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Agreements"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_file(session: Session, actor: Actor, fmt: str) -> bytes:
    if fmt not in MEDIA:
        raise Invalid("format must be csv or xlsx")
    rows = export_rows(session, actor)
    return to_csv(rows) if fmt == "csv" else to_xlsx(rows)
