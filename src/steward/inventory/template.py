"""The inventory spreadsheet: its columns, an entry as a row, and a row read back as an entry.

Connecticut's own High Value Data Inventory template could not be found (see the project's data
sources, "Not found"), so these columns are Steward's design, drawn from what the statute and the
plan ask each agency to report: one row per data asset; who owns, stewards and holds it; the
legal authority; each statutory criterion (`criteria.py`) as a yes/no column and a justification
column; classification and the kinds of protected information it holds; access level with the
reason when not public; open-data status with the planned date or the reason it cannot be
published; update frequency, geographic unit and temporal coverage.

The same columns serve export and import, so an agency can export, edit in a spreadsheet and
import again. Columns marked `export_only` are written for readers and ignored on import. The
`Asset key` column ties a row to an entry across years; a row without a key is a new entry.
Everything here is pure: no database, no files.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from steward.inventory import rules
from steward.inventory.criteria import CRITERIA
from steward.inventory.schemas import (
    ACCESS_LEVELS,
    CLASSIFICATIONS,
    FLAGS,
    OPEN_DATA_STATUSES,
    AssetFields,
    AssetPublic,
)

YES = frozenset({"yes", "y", "true", "1", "x"})
NO = frozenset({"no", "n", "false", "0", ""})
KEY = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_CRITERION = re.compile(r"^criterion ([a-z])\b(.*)$")
_ALIASES = {
    "nonpublic": "non-public",
    "non public": "non-public",
    "restricted": "restricted public",
}


@dataclass(frozen=True)
class Column:
    header: str
    field: str  # an AssetFields name, or a name of its own for export-only columns
    export_only: bool = False


FLAG_HEADERS = {
    "contains_pii": "Contains PII",
    "contains_phi": "Contains PHI",
    "contains_fti": "Contains FTI",
    "contains_education_records": "Contains education records",
}

COLUMNS: tuple[Column, ...] = (
    Column("Agency", "agency", export_only=True),
    Column("Inventory year", "year", export_only=True),
    Column("Submission status", "submission_status", export_only=True),
    Column("Asset key", "key"),
    Column("Catalog dataset ID", "dataset_id"),
    Column("Asset name", "name"),
    Column("Description", "description"),
    Column("System of record", "system_of_record"),
    Column("Data owner", "owner"),
    Column("Data steward", "steward"),
    Column("Data custodian", "custodian"),
    Column("Legal authority", "legal_authority"),
    *(
        column
        for c in CRITERIA
        for column in (
            Column(f"Criterion {c.letter}: {c.label}", f"criterion_{c.letter}"),
            Column(f"Criterion {c.letter} justification", f"criterion_{c.letter}_justification"),
        )
    ),
    Column("High value", "high_value", export_only=True),
    Column("Classification", "classification"),
    *(Column(FLAG_HEADERS[flag], flag) for flag in FLAGS),
    Column("Access level", "access_level"),
    Column("Reason not public", "access_reason"),
    Column("Open data status", "open_data_status"),
    Column("Planned publication date", "planned_date"),
    Column("Reason not publishable", "not_publishable_reason"),
    Column("Update frequency", "update_frequency"),
    Column("Geographic unit", "geographic_unit"),
    Column("Temporal coverage", "temporal_coverage"),
    Column("Carried forward from", "carried_forward_from", export_only=True),
    Column("Last changed", "updated_at", export_only=True),
)
HEADERS: list[str] = [column.header for column in COLUMNS]


# export -----------------------------------------------------------------------------------


def yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def asset_row(asset: AssetPublic, agency_name: str, status: str) -> list[str]:
    """One asset as the template's row of text cells."""
    values: dict[str, Any] = asset.model_dump()
    values.update(agency=agency_name, submission_status=status)
    values["high_value"] = yes_no(asset.high_value)
    for answer in asset.criteria:
        values[f"criterion_{answer.letter}"] = yes_no(answer.applies)
        values[f"criterion_{answer.letter}_justification"] = answer.justification
    for flag in FLAGS:
        values[flag] = yes_no(values[flag])
    values["updated_at"] = asset.updated_at.strftime("%Y-%m-%d %H:%M:%S UTC")
    return [_cell(values.get(column.field)) for column in COLUMNS]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# import -----------------------------------------------------------------------------------


@dataclass
class ParsedRow:
    number: int  # the spreadsheet's row number (the header is row 1)
    key: str | None
    values: AssetFields


@dataclass
class Parsed:
    rows: list[ParsedRow]
    errors: list[str]


def parse(header: Sequence[Any], rows: Sequence[Sequence[Any]], first_row: int = 2) -> Parsed:
    """Read rows under a header into entries; every problem is listed as `row N: ...`.

    >>> head = ["Asset name", "Criterion C: Public knowledge", "Criterion C justification",
    ...         "Classification", "Access level", "Open data status"]
    >>> parse(head, [["Births", "Yes", "", "public", "public", "published"]]).errors
    ['row 2: criterion C is marked yes but has no justification']
    """
    fields, errors = _columns(header)
    if errors:
        return Parsed([], errors)
    parsed: list[ParsedRow] = []
    for offset, cells in enumerate(rows):
        number = first_row + offset
        raw = {name: _text(cells[i]) for i, name in fields.items() if i < len(cells)}
        if not any(raw.values()):
            continue  # a blank row
        row, problems = _row(number, raw)
        errors += [f"row {number}: {problem}" for problem in problems]
        if row is not None:
            parsed.append(row)
    return Parsed(parsed, errors)


def _columns(header: Sequence[Any]) -> tuple[dict[int, str], list[str]]:
    """Column index -> field name; unknown headers are errors (a typo would lose data)."""
    known = {_norm(column.header): column for column in COLUMNS}
    fields: dict[int, str] = {}
    unknown = []
    for index, cell in enumerate(header):
        name = _norm(_text(cell))
        if not name:
            continue
        column = known.get(name) or _criterion_column(name)
        if column is None:
            unknown.append(_text(cell))
        elif not column.export_only:
            fields[index] = column.field
    errors = [f"row 1: unknown column “{name}”" for name in unknown]
    if "name" not in fields.values():
        errors.append("row 1: the “Asset name” column is missing")
    return fields, errors


def _criterion_column(name: str) -> Column | None:
    """`Criterion C ...` headers match by letter, whatever label follows it."""
    match = _CRITERION.match(name)
    if match is None or match.group(1).upper() not in {c.letter for c in CRITERIA}:
        return None
    letter = match.group(1).upper()
    if "justification" in match.group(2):
        return Column(name, f"criterion_{letter}_justification")
    return Column(name, f"criterion_{letter}")


def _row(number: int, raw: dict[str, str]) -> tuple[ParsedRow | None, list[str]]:
    problems: list[str] = []
    values: dict[str, Any] = {}
    for name, text in raw.items():
        if text:
            _read(name, text, values, problems)
    key = values.pop("key", None)
    if problems:
        return None, problems
    try:
        asset = AssetFields.model_validate(values)
    except ValidationError as exc:
        return None, [_pydantic_problem(error) for error in exc.errors()]
    found = rules.problems(asset)
    if found:
        return None, [problem.message for problem in found]
    return ParsedRow(number, key, asset), []


def _read(name: str, text: str, values: dict[str, Any], problems: list[str]) -> None:
    reader = _READERS.get(name)
    if name.startswith("criterion_"):
        letter = name.split("_")[1]
        answer = values.setdefault("criteria", {}).setdefault(letter, {})
        if name.endswith("_justification"):
            answer["justification"] = text
        else:
            answer["applies"] = _boolean(f"criterion {letter}", text, problems)
    elif reader is not None:
        values[name] = reader(name, text, problems)
    else:
        values[name] = text


def _boolean(label: str, text: str, problems: list[str]) -> bool:
    lowered = text.lower()
    if lowered not in YES | NO:
        problems.append(f"{label}: “{text}” is not yes or no")
    return lowered in YES


def _choice(options: tuple[str, ...]) -> Callable[[str, str, list[str]], str | None]:
    def read(name: str, text: str, problems: list[str]) -> str | None:
        value = " ".join(text.lower().replace("_", " ").split())
        value = _ALIASES.get(value, value)
        if value in options:
            return value
        label = name.replace("_", " ")
        problems.append(f"{label}: “{text}” is not one of {', '.join(options)}")
        return None

    return read


def _date(name: str, text: str, problems: list[str]) -> str | None:
    for pattern in ("%Y-%m-%d", "%m/%d/%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    problems.append(f"{name.replace('_', ' ')}: “{text}” is not a date (YYYY-MM-DD)")
    return None


def _key(name: str, text: str, problems: list[str]) -> str | None:
    if not KEY.match(text):
        problems.append(f"asset key: “{text}” is not a key Steward wrote")
        return None
    return text


_READERS: dict[str, Callable[[str, str, list[str]], Any]] = {
    "classification": _choice(CLASSIFICATIONS),
    "access_level": _choice(ACCESS_LEVELS),
    "open_data_status": _choice(OPEN_DATA_STATUSES),
    "planned_date": _date,
    "key": _key,
    **{
        flag: lambda name, text, problems: _boolean(FLAG_HEADERS[name], text, problems)
        for flag in FLAGS
    },
}


def _pydantic_problem(error: Any) -> str:
    where = " ".join(str(part) for part in error["loc"]).replace("_", " ")
    return f"{where}: {error['msg']}" if where else str(error["msg"])


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _norm(header: str) -> str:
    return " ".join(header.lower().split())
