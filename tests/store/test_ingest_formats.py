"""XLSX, JSON and Parquet sources, and choosing the format."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from steward.errors import Invalid
from steward.store import BadRow, ColumnSpec, ingest_file

from .conftest import Ingested


def ingest(source: Path, **options: Any) -> Ingested:
    destination = source.parent / "store" / "v1.parquet"
    return Ingested(ingest_file(source, destination, **options), destination)


def workbook(path: Path, rows: list[list[Any]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.create_sheet("ignored").append(["not", "read"])
    book.save(path)
    return path


def test_xlsx_first_sheet_header_and_typed_cells(tmp_path: Path) -> None:
    source = workbook(
        tmp_path / "grants.xlsx",
        [
            ["Town", "Town Code", "Amount", "Paid", "Opened", "Share"],
            ["Andover", "01080", 14132.07, True, dt.datetime(2020, 5, 12), 0.5],
            [None, None, None, None, None, None],
            ["Ansonia", "02060", 331, False, dt.datetime(2021, 1, 2, 3, 4, 5), 1],
        ],
    )
    out = ingest(source)
    assert [(c.name, c.physical) for c in out.result.columns] == [
        ("town", "VARCHAR"),
        ("town_code", "VARCHAR"),
        ("amount", "DOUBLE"),
        ("paid", "BOOLEAN"),
        ("opened", "TIMESTAMP"),
        ("share", "DOUBLE"),
    ]
    assert out.rows == [
        (1, "Andover", "01080", 14132.07, True, dt.datetime(2020, 5, 12), 0.5),
        (2, "Ansonia", "02060", 331.0, False, dt.datetime(2021, 1, 2, 3, 4, 5), 1.0),
    ]


def test_xlsx_rows_wider_than_the_header_are_bad_rows(tmp_path: Path) -> None:
    source = workbook(tmp_path / "x.xlsx", [["a", "b"], [1, 2], [3, 4, 5], [6, None, None]])
    with pytest.raises(Invalid, match=r"^line 3: expected 2 fields, found 3$"):
        ingest(source)
    out = ingest(source, skip_bad_rows=True)
    assert out.rows == [(1, 1, 2), (2, 6, None)]
    assert out.result.skipped == [BadRow(3, "expected 2 fields, found 3")]


def test_xlsx_header_only_and_garbage(tmp_path: Path) -> None:
    with pytest.raises(Invalid, match="file has a header but no data rows"):
        ingest(workbook(tmp_path / "h.xlsx", [["a", "b"]]))
    garbage = tmp_path / "g.xlsx"
    garbage.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(Invalid, match=r"not a readable \.xlsx workbook"):
        ingest(garbage)


def write_json(path: Path, value: Any) -> Path:
    path.write_text(json.dumps(value, indent=1))
    return path


def test_json_keys_union_in_first_seen_order(tmp_path: Path) -> None:
    source = write_json(
        tmp_path / "x.json",
        [
            {"Town": "Avon", "Count": 3},
            {"Count": 4, "Town": "Bethel", "Flag": True, "Tags": ["a", 1]},
            {"Town": "Canton", "ZIP": "06019", "Amount": "$1,000.50"},
        ],
    )
    out = ingest(source)
    assert out.names == ["__id", "town", "count", "flag", "tags", "zip", "amount"]
    assert out.rows == [
        (1, "Avon", 3, None, None, None, None),
        (2, "Bethel", 4, True, '["a", 1]', None, None),
        (3, "Canton", None, None, None, "06019", 1000.5),
    ]


def test_json_items_that_are_not_objects_are_bad_rows(tmp_path: Path) -> None:
    source = tmp_path / "x.json"
    source.write_text('[\n {"a": 1},\n 2,\n {"a": 3}\n]\n')
    with pytest.raises(Invalid, match=r"^line 3: item is not a JSON object$"):
        ingest(source)
    out = ingest(source, skip_bad_rows=True)
    assert out.column("a") == [1, 3]
    assert out.result.skipped == [BadRow(3, "item is not a JSON object")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[]", "file has no data rows (the JSON array is empty)"),
        ('{"a": 1}', "line 1: a JSON file must hold an array of objects"),
        ('[\n{"a": 1},\n{"a": }\n]', "line 3: invalid JSON (Expecting value)"),
        ('[{"a": 1}] extra', "line 1: unexpected text after the JSON array"),
        ('[{"a": 1} {"a": 2}]', "line 1: expected ',' or ']' in the JSON array"),
    ],
)
def test_json_errors(tmp_path: Path, text: str, message: str) -> None:
    source = tmp_path / "x.json"
    source.write_text(text)
    with pytest.raises(Invalid) as caught:
        ingest(source)
    assert caught.value.message == message


def test_json_read_in_small_windows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from steward.store import jsonstream

    monkeypatch.setattr(jsonstream, "_READ_CHARS", 5)
    items = [{"n": 12345678, "s": "x" * 30}, {"n": 2, "s": "y"}]
    assert list(jsonstream.iter_array(write_json(tmp_path / "x.json", items))) == [
        (2, items[0]),
        (6, items[1]),
    ]


def test_parquet_keeps_typed_columns_and_infers_strings(tmp_path: Path) -> None:
    table = pa.table(
        {
            "Count": pa.array([1, 2], pa.int32()),
            "Ratio": pa.array([0.5, 1.5], pa.float32()),
            "Seen": pa.array([dt.datetime(2020, 1, 1, 5), None], pa.timestamp("ms", tz="UTC")),
            "Day": pa.array([dt.date(2020, 1, 2), dt.date(2020, 1, 3)]),
            "Ok": pa.array([True, None]),
            "Amount": pa.array(["$5.00", "$6.50"]),
            "FIPS": pa.array(["0901301080", "0901302000"]),
            "Empty": pa.array(["", "x"]),
            "Parts": pa.array([[1, 2], []]),
        }
    )
    source = tmp_path / "x.parquet"
    pq.write_table(table, source)
    out = ingest(source)
    assert [(c.name, c.type, c.physical) for c in out.result.columns] == [
        ("count", "number", "BIGINT"),
        ("ratio", "number", "DOUBLE"),
        ("seen", "floating_timestamp", "TIMESTAMP"),
        ("day", "floating_timestamp", "TIMESTAMP"),
        ("ok", "checkbox", "BOOLEAN"),
        ("amount", "number", "DOUBLE"),
        ("fips", "text", "VARCHAR"),
        ("empty", "text", "VARCHAR"),
        ("parts", "text", "VARCHAR"),
    ]
    assert out.rows[0] == (
        1, 1, 0.5, dt.datetime(2020, 1, 1, 5), dt.datetime(2020, 1, 2), True, 5.0, "0901301080",
        None, "[1, 2]",
    )  # fmt: skip


def test_a_store_file_can_be_ingested_again(tmp_path: Path) -> None:
    source = tmp_path / "x.csv"
    source.write_text("Town,N\nAvon,1\nBethel,2\n")
    first = ingest(source)
    again = ingest_file(first.path, tmp_path / "again" / "v1.parquet")

    def shape(columns: list[ColumnSpec]) -> list[tuple[str, str, str]]:
        return [(c.name, c.type, c.physical) for c in columns]

    assert shape(again.columns) == shape(first.result.columns)
    assert Ingested(again, tmp_path / "again" / "v1.parquet").rows == first.rows


def test_broken_parquet(tmp_path: Path) -> None:
    source = tmp_path / "x.parquet"
    source.write_bytes(b"PAR1 nothing here")
    with pytest.raises(Invalid, match="not a readable Parquet file"):
        ingest(source)


def test_format_from_argument_or_extension(tmp_path: Path) -> None:
    source = tmp_path / "export.dat"
    source.write_text("a;b\n1;2\n")
    with pytest.raises(Invalid, match=r'cannot tell the format of "export\.dat"'):
        ingest(source)
    assert ingest(source, file_format="csv").rows == [(1, 1, 2)]
    with pytest.raises(Invalid, match='unknown file format "xls"'):
        ingest(source, file_format="xls")
    upper = tmp_path / "DATA.TXT"
    upper.write_text("a\tb\n1\t2\n")
    assert ingest(upper).rows == [(1, 1, 2)]


def test_missing_source(tmp_path: Path) -> None:
    with pytest.raises(Invalid, match=r"source file not found: nope\.csv"):
        ingest(tmp_path / "nope.csv")
