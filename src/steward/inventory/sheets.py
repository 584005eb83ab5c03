"""CSV and XLSX files of the inventory template, written and read in memory.

An inventory is at most a few thousand rows, so whole files in memory are simpler than
streaming. Reading is defensive: a file that is not what it claims becomes `Invalid`, never a
traceback.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from steward.errors import Invalid
from steward.inventory.criteria import CRITERIA, STATUTE

MAX_ROWS = 10_000
SHEET = "Inventory"


def write_csv(header: Sequence[str], rows: Sequence[Sequence[str]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def write_xlsx(header: Sequence[str], rows: Sequence[Sequence[str]]) -> bytes:
    """The inventory on its first sheet (frozen, bold header) and the criteria on a second."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    for index, title in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(len(title), 12), 40)
    criteria = book.create_sheet("Criteria")
    criteria.append(["Criterion", "Short label", f"High value data ({STATUTE}): data that"])
    for criterion in CRITERIA:
        criteria.append([criterion.letter, criterion.label, criterion.text])
    for cell in criteria[1]:
        cell.font = Font(bold=True)
    criteria.column_dimensions["C"].width = 90
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_table(filename: str, content: bytes) -> tuple[list[Any], list[list[Any]]]:
    """The header and the rows of an uploaded `.csv` or `.xlsx` file."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        table = _read_xlsx(content)
    elif name.endswith((".csv", ".txt")):
        table = _read_csv(content)
    else:
        raise Invalid("upload the inventory as a .csv or .xlsx file")
    if not table:
        raise Invalid("the file is empty: the first row must be the template's column names")
    if len(table) - 1 > MAX_ROWS:
        raise Invalid(f"the file has more than {MAX_ROWS:,} rows")
    return list(table[0]), [list(row) for row in table[1:]]


def _read_csv(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the ANSI code page.
        text = content.decode("cp1252", errors="replace")
    try:
        return [row for row in csv.reader(io.StringIO(text, newline="")) if row]
    except csv.Error as exc:
        raise Invalid(f"the CSV file cannot be read: {exc}") from exc


def _read_xlsx(content: bytes) -> list[list[Any]]:
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise Invalid("the file is not a readable .xlsx workbook") from exc
    try:
        sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
        rows: list[list[Any]] = []
        for values in sheet.iter_rows(values_only=True):
            if len(rows) > MAX_ROWS + 1:
                break
            rows.append(list(values))
    finally:
        book.close()
    while rows and not any(value not in (None, "") for value in rows[-1]):
        rows.pop()
    return rows
