"""A plan as a CSV or XLSX file: one row per entry with its computed adherence.

Readable by whoever may read the plan (anyone, once it is published).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import Literal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy.orm import Session

from steward.accounts.policy import Actor
from steward.plans.schemas import EntryPublic, PlanPublic
from steward.plans.service import get_plan

Format = Literal["csv", "xlsx"]
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
HEADERS = (
    "Agency",
    "Plan period",
    "Plan status",
    "Entry",
    "Kind",
    "Title",
    "Priority",
    "Target date",
    "Committed date",
    "Update frequency",
    "Rationale",
    "Dataset id",
    "Dataset title",
    "Inventory asset key",
    "Inventory asset",
    "Released on",
    "Adherence",
    "Adherence as of",
)


@dataclass(frozen=True)
class Export:
    filename: str
    media_type: str
    content: bytes


def export_plan(session: Session, actor: Actor, slug: str, period: str, fmt: Format) -> Export:
    plan = get_plan(session, actor, slug, period)
    rows = [row(plan, entry) for entry in plan.entries]
    content = write_xlsx(rows) if fmt == "xlsx" else write_csv(rows)
    return Export(f"odap-{plan.agency}-{plan.period}.{fmt}", MEDIA_TYPES[fmt], content)


def row(plan: PlanPublic, entry: EntryPublic) -> list[str]:
    values = [
        plan.agency_name,
        plan.period,
        plan.status,
        str(entry.id),
        entry.kind,
        entry.title,
        entry.priority,
        _day(entry.target_date),
        _day(entry.committed_date),
        entry.update_frequency or "",
        entry.rationale,
        entry.dataset_id or "",
        entry.dataset_title or "",
        entry.asset_key or "",
        entry.asset_name or "",
        _day(entry.released_on),
        entry.adherence_label,
        plan.adherence.as_of.isoformat(),
    ]
    return [inert(value) for value in values]


def inert(value: str) -> str:
    """Text a spreadsheet will not run as a formula (staff-written titles reach the public).

    >>> inert("=HYPERLINK(1)"), inert("COVID-19 tests")
    ("'=HYPERLINK(1)", 'COVID-19 tests')
    """
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def write_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def write_xlsx(rows: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Open Data Access Plan"
    sheet.append(list(HEADERS))
    for values in rows:
        sheet.append(values)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, title in enumerate(HEADERS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(len(title), 12), 40)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
