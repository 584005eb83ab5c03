"""Import existing agreements from a spreadsheet (CSV or XLSX): the CDO's catalog of the data
sharing agreements already in force.

All or nothing: every row is read and checked first; any problem (listed as `row N: ...`)
refuses the whole file. Rows are then created inside one savepoint, each checked against the
policy (the ADO of the row's provider agency), so a failure halfway leaves nothing behind.
Lists in a cell are separated by `;`; datasets are `id: field, field; id: field`; row filters
`id: condition`, one a line; identifier fields `id: field, field; id: field`.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from steward.accounts.policy import Actor
from steward.errors import Invalid, StewardError
from steward.sharing import agreements
from steward.sharing.schemas import STATUSES, AgreementCreate, ImportResult

COLUMNS = (
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
    "datasets",
    "authorized_users",
    "suppression_rule",
    "transfer_security",
    "retention",
    "destruction_method",
    "destruction_due",
    "effective_date",
    "end_date",
    "renewal_reminder_days",
    "status",
    "program",
    "consent_purpose",
    "redisclosure",
    "destruction_certificate",
    "row_filters",
    "identifier_fields",
    "signatories",
)
LISTS = {"purposes", "legal_authorities", "authorized_users"}
SIGNATORY = ("name", "title", "organization", "signed_on")
FORMULA_START = ("=", "+", "-", "@")
MAX_ROWS = 2000


def read_table(filename: str, content: bytes) -> list[list[Any]]:
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _xlsx(content)
    if name.endswith((".csv", ".txt")):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = content.decode("cp1252", errors="replace")
        try:
            return [row for row in csv.reader(io.StringIO(text, newline="")) if any(row)]
        except csv.Error as exc:
            raise Invalid(f"the CSV file cannot be read: {exc}") from exc
    raise Invalid("upload the agreements as a .csv or .xlsx file")


def _xlsx(content: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise Invalid("the file is not a readable .xlsx workbook") from exc
    try:
        rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)][: MAX_ROWS + 2]
    finally:
        book.close()
    return [r for r in rows if any(v not in (None, "") for v in r)]


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = "" if value is None else str(value).strip()
    # an exported cell that a spreadsheet would read as a formula carries a leading quote
    return text[1:] if text[:1] == "'" and text[1:2] in FORMULA_START else text


def _datasets(text: str) -> list[dict[str, Any]]:
    found = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        dataset_id, _, fields = part.partition(":")
        names = [f.strip() for f in fields.split(",") if f.strip()]
        found.append({"dataset_id": dataset_id.strip(), "fields": names})
    return found


def parse_row(header: list[str], row: list[Any]) -> tuple[AgreementCreate, str]:
    values = {name: _cell(v) for name, v in zip(header, row, strict=False) if name in COLUMNS}
    status = values.pop("status", "") or "draft"
    if status not in STATUSES:
        raise Invalid(f"status must be one of {', '.join(STATUSES)}")
    data: dict[str, Any] = {k: v for k, v in values.items() if v != ""}
    for name in LISTS & data.keys():
        data[name] = [p.strip() for p in str(data[name]).split(";") if p.strip()]
    data["datasets"] = _datasets(str(data.get("datasets", "")))
    _per_dataset(data, "row_filters", "row_filter", "\n")
    _per_dataset(data, "identifier_fields", "identifier_fields", ";")
    if "signatories" in data:
        data["signatories"] = _signatories(str(data["signatories"]))
    if not data["datasets"]:
        del data["datasets"]
    return AgreementCreate.model_validate(data), status


def _per_dataset(data: dict[str, Any], column: str, key: str, separator: str) -> None:
    """`id: value` entries of a column, set on the named dataset of the `datasets` column (row
    filters one a line, as a filter may hold `;`; identifier fields `id: a, b; id: c`)."""
    text = str(data.pop(column, ""))
    by_id = {item["dataset_id"]: item for item in data["datasets"]}
    for entry in filter(None, (e.strip() for e in text.split(separator))):
        dataset_id, _, value = entry.partition(":")
        item = by_id.get(dataset_id.strip())
        if item is None:
            raise Invalid(f"{column}: dataset {dataset_id.strip()[:20]!r} is not in datasets")
        names = [f.strip() for f in value.split(",") if f.strip()]
        item[key] = value.strip() if key == "row_filter" else names


def _signatories(text: str) -> list[dict[str, str]]:
    """One signatory a line: `name | title | organization | YYYY-MM-DD` (the last three may be
    left empty or out)."""
    found = []
    for line in filter(None, (line.strip() for line in text.splitlines())):
        parts = [part.strip() for part in line.split("|")]
        if len(parts) > len(SIGNATORY):
            raise Invalid(
                "signatories: one a line as `name | title | organization | YYYY-MM-DD`"
                f" (a line has {len(parts)} parts)"
            )
        found.append({k: v for k, v in zip(SIGNATORY, parts, strict=False) if v})
    return found


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"])
        return f"{where}: {error['msg']}" if where else error["msg"]
    return exc.message if isinstance(exc, StewardError) else str(exc)


def import_file(session: Session, actor: Actor, filename: str, content: bytes) -> ImportResult:
    table = read_table(filename, content)
    if len(table) < 2:
        raise Invalid("the file has no agreements under its header row")
    if len(table) - 1 > MAX_ROWS:
        raise Invalid(f"the file has more than {MAX_ROWS:,} rows")
    header = [str(_cell(h)).lower().replace(" ", "_") for h in table[0]]
    if "title" not in header or "provider" not in header:
        raise Invalid(f"the header row must name the columns: {', '.join(COLUMNS)}")
    parsed, errors = [], []
    for number, row in enumerate(table[1:], start=2):
        try:
            parsed.append((number, *parse_row(header, row)))
        except (ValidationError, Invalid) as exc:
            errors.append(f"row {number}: {_message(exc)}")
    if not errors:
        errors, ids = _create(session, actor, parsed)
    if errors:
        raise Invalid(
            f"nothing was imported; the file has {len(errors)} problem(s):\n" + "\n".join(errors),
            data={"errors": errors},
        )
    return ImportResult(created=len(ids), ids=ids)


def _create(
    session: Session, actor: Actor, parsed: list[tuple[int, AgreementCreate, str]]
) -> tuple[list[str], list[int]]:
    errors: list[str] = []
    ids: list[int] = []
    savepoint = session.begin_nested()
    for number, data, status in parsed:
        try:
            with session.begin_nested():
                made = agreements.create_agreement(session, actor, data)
                if status != "draft":
                    agreements.set_imported_status(session, actor, made.id, status)
                ids.append(made.id)
        except StewardError as exc:
            if exc.status in (401, 403):
                savepoint.rollback()  # nothing stays, whatever the caller does next
                raise
            errors.append(f"row {number}: {exc.message}")
    if errors:
        savepoint.rollback()
        return errors, []
    savepoint.commit()
    return [], ids
