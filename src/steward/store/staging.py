"""XLSX and JSON sources -> an all-text Parquet file with positional columns c0, c1, ...

Staged values are text so that spreadsheets and JSON go through the same type inference as CSV;
the staged file is temporary and lives beside the destination until the ingest ends.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
from openpyxl.utils.exceptions import InvalidFileException

from steward.errors import Invalid
from steward.store.jsonstream import iter_array
from steward.store.model import BadRow

_STAGE_ROWS = 50_000
Row = list[str | None]


class StagedWriter:
    """Buffer text rows and write them as Parquet row groups of _STAGE_ROWS."""

    def __init__(self, path: Path, width: int) -> None:
        names = [f"c{index}" for index in range(width)]
        self.schema = pa.schema([pa.field(name, pa.string()) for name in names])
        self.writer = pq.ParquetWriter(path, self.schema, compression="snappy")
        self.rows: list[Row] = []

    def add(self, row: Row) -> None:
        self.rows.append(row)
        if len(self.rows) >= _STAGE_ROWS:
            self.flush()

    def flush(self) -> None:
        columns = list(zip(*self.rows, strict=True)) if self.rows else [()] * len(self.schema)
        arrays = [pa.array(column, pa.string()) for column in columns]
        self.writer.write_table(pa.Table.from_arrays(arrays, schema=self.schema))
        self.rows = []

    def close(self) -> None:
        if self.rows:
            self.flush()
        self.writer.close()


def cell_text(value: Any) -> str | None:
    """A spreadsheet or JSON value as the text the CSV path would have seen."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        # Spreadsheets store 5 as 5.0; below 2**53 the integer text is exact.
        whole = math.isfinite(value) and value.is_integer() and abs(value) < 2**53
        return str(int(value)) if whole else repr(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value if isinstance(value, str) else str(value)


def stage_xlsx(path: Path, target: Path, max_bad: int | None) -> tuple[list[str], list[BadRow]]:
    """Stage the first sheet; the first non-empty row is the header."""
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, InvalidFileException) as error:
        raise Invalid("file is not a readable .xlsx workbook") from error
    try:
        rows = _numbered_rows(workbook.worksheets[0].iter_rows(values_only=True))
        header = next(rows, None)
        if header is None:
            raise Invalid("file is empty")
        labels = _trim_trailing(header[1])
        return [label or "" for label in labels], _stage_rows(rows, len(labels), target, max_bad)
    finally:
        workbook.close()


def _numbered_rows(rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[int, Row]]:
    """Non-empty rows as text, with their 1-based spreadsheet row numbers."""
    for line, values in enumerate(rows, start=1):
        cells = [cell_text(value) for value in values]
        if any(cell is not None for cell in cells):
            yield line, cells


def _trim_trailing(cells: Row) -> Row:
    used = max((index + 1 for index, cell in enumerate(cells) if cell is not None), default=0)
    return cells[:used]


def _stage_rows(
    rows: Iterator[tuple[int, Row]], width: int, target: Path, max_bad: int | None
) -> list[BadRow]:
    bad: list[BadRow] = []
    out = StagedWriter(target, width)
    try:
        for line, cells in rows:
            used = len(_trim_trailing(cells))
            if used > width:
                bad.append(BadRow(line, f"expected {width} fields, found {used}"))
                if max_bad is not None and len(bad) >= max_bad:
                    break
                continue
            out.add(cells[:width] + [None] * (width - len(cells)))
    finally:
        out.close()
    return bad


def stage_json(path: Path, target: Path, max_bad: int | None) -> tuple[list[str], list[BadRow]]:
    """Stage an array of objects; columns are the union of keys in first-seen order."""
    keys: dict[str, None] = {}
    bad: list[BadRow] = []
    for line, item in iter_array(path):
        if isinstance(item, dict):
            keys.update(dict.fromkeys(item))
        else:
            bad.append(BadRow(line, "item is not a JSON object"))
    if not keys and not bad:
        raise Invalid("file has no data rows (the JSON array is empty)")
    if not keys:
        raise Invalid(f"line {bad[0].line}: {bad[0].reason}", data={"line": bad[0].line})
    labels = list(keys)
    out = StagedWriter(target, len(labels))
    try:
        for _, item in iter_array(path):
            if isinstance(item, dict):
                out.add([cell_text(item.get(key)) for key in labels])
    finally:
        out.close()
    return labels, bad[:max_bad] if max_bad is not None else bad
