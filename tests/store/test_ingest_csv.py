"""CSV ingest end to end: typing, encodings, dialects, layout, bad rows and empty files."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from steward.errors import Invalid
from steward.store import BadRow, ColumnSpec, ingest_file

from .conftest import FIXTURES, IngestText


def test_types_are_inferred_over_every_value(ingest_csv: IngestText) -> None:
    out = ingest_csv(
        "Town,FIPS,ZIP,Year,Rate,Grant Amount,Date,Updated,Flag,Location\n"
        'Andover,0901301080,06103,1996,0.08,"$14,132.07",05/12/2020,05/12/2020 12:00:00 AM,'
        "true,POINT (-72.3 41.7)\n"
        "Ansonia,0900901220,16103,1997,12,$331.20,12/31/2020,05/12/2020 01:30:00 PM,FALSE,\n"
    )
    assert [(c.name, c.type, c.physical) for c in out.result.columns] == [
        ("town", "text", "VARCHAR"),
        ("fips", "text", "VARCHAR"),
        ("zip", "text", "VARCHAR"),
        ("year", "number", "BIGINT"),
        ("rate", "number", "DOUBLE"),
        ("grant_amount", "number", "DOUBLE"),
        ("date", "floating_timestamp", "TIMESTAMP"),
        ("updated", "floating_timestamp", "TIMESTAMP"),
        ("flag", "checkbox", "BOOLEAN"),
        ("location", "point", "STRUCT(longitude DOUBLE, latitude DOUBLE)"),
    ]
    assert out.column("fips") == ["0901301080", "0900901220"]
    assert out.column("zip") == ["06103", "16103"]
    assert out.column("grant_amount") == [14132.07, 331.20]
    assert out.column("date") == [dt.datetime(2020, 5, 12), dt.datetime(2020, 12, 31)]
    assert out.column("updated") == [dt.datetime(2020, 5, 12), dt.datetime(2020, 5, 12, 13, 30)]
    assert out.column("flag") == [True, False]
    assert out.column("location") == [{"longitude": -72.3, "latitude": 41.7}, None]


def test_parquet_layout_matches_the_column_specs(ingest_csv: IngestText) -> None:
    out = ingest_csv("Total cases ,Town\n3,Andover\n4,Ansonia\n5,Avon\n")
    assert out.names == ["__id", "total_cases", "town"]
    assert out.types == ["BIGINT", "BIGINT", "VARCHAR"]
    assert out.column("__id") == [1, 2, 3]
    assert out.result.columns[0] == ColumnSpec("total_cases", "Total cases", "number", "BIGINT")
    assert [c.physical for c in out.result.columns] == out.types[1:]
    metadata = pq.ParquetFile(out.path).metadata
    assert metadata.row_group(0).column(1).compression == "ZSTD"
    assert out.result.byte_size == out.path.stat().st_size


def test_result_describes_the_source(tmp_path: Path) -> None:
    data = b"a,b\n1,2\n"
    source = tmp_path / "grants.csv"
    source.write_bytes(data)
    result = ingest_file(source, tmp_path / "v1.parquet")
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    assert (result.row_count, result.source_filename, result.skipped) == (1, "grants.csv", [])


def test_one_non_money_value_keeps_a_money_column_text(ingest_csv: IngestText) -> None:
    out = ingest_csv('Amount\n"$14,132.07"\n$331.20\nn/a\n')
    assert out.spec("amount") == ("text", "VARCHAR")
    assert out.column("amount") == ["$14,132.07", "$331.20", "n/a"]


@pytest.mark.parametrize(
    ("values", "physical", "typed"),
    [
        (["1,234", "5"], "BIGINT", [1234, 5]),
        (["-$5.00", "($2.50)", "$-1.00"], "DOUBLE", [-5.0, -2.5, -1.0]),
        (["1", "2.5"], "DOUBLE", [1.0, 2.5]),
        (["true", "False"], "BOOLEAN", [True, False]),
        (
            ["2020-05-12", "2021-01-31"],
            "TIMESTAMP",
            [dt.datetime(2020, 5, 12), dt.datetime(2021, 1, 31)],
        ),
    ],
)
def test_number_date_and_checkbox_forms(
    ingest_csv: IngestText, values: list[str], physical: str, typed: list[object]
) -> None:
    rows = "".join(f'"{value}"\n' for value in values)
    out = ingest_csv("value\n" + rows)
    assert out.spec("value")[1] == physical
    assert out.column("value") == typed


@pytest.mark.parametrize(
    "values",
    [
        ["0901301080", "0901302000"],  # FIPS codes
        ["06103", "16103"],  # a ZIP with a leading zero among plain numbers
        ["01080", "1"],  # town numbers written with leading zeros
        ["05/12/2020", "2020-05-12"],  # two date formats
        ["05/12/2020", "05/12/2020 12:00:00 AM"],  # date and date-time
        ["1", "99999999999999999999"],  # too big for BIGINT, and a DOUBLE would round it
        ["yes", "no"],
    ],
)
def test_doubtful_columns_stay_text_exactly(ingest_csv: IngestText, values: list[str]) -> None:
    out = ingest_csv("value\n" + "\n".join(values) + "\n")
    assert out.spec("value") == ("text", "VARCHAR")
    assert out.column("value") == values


def test_empty_cells_are_null_and_blank_cells_do_not_block_a_type(ingest_csv: IngestText) -> None:
    out = ingest_csv('n,t\n1,x\n,""\n"  ",  \n4,\n')
    assert out.spec("n") == ("number", "BIGINT")
    assert out.column("n") == [1, None, None, 4]
    assert out.column("t") == ["x", None, "  ", None]


def test_a_column_with_no_values_is_text(ingest_csv: IngestText) -> None:
    out = ingest_csv("a,b\n1,\n2,\n")
    assert out.spec("b") == ("text", "VARCHAR")
    assert out.column("b") == [None, None]


def test_text_is_kept_exactly_including_newlines(ingest_csv: IngestText) -> None:
    out = ingest_csv('id,DeathLoc\n1,"GROTON, CT\n(41.343693, -72.07877)"\n2,"  padded  "\n')
    assert out.column("deathloc") == ["GROTON, CT\n(41.343693, -72.07877)", "  padded  "]


def test_utf8_with_bom(ingest_bytes) -> None:  # type: ignore[no-untyped-def]
    out = ingest_bytes("\ufeffTown,N\nSão Paulo,1\n".encode())
    assert out.names == ["__id", "town", "n"]
    assert out.column("town") == ["São Paulo"]


def test_cp1252_is_decoded(ingest_bytes) -> None:  # type: ignore[no-untyped-def]
    out = ingest_bytes(b"Name,Note\nO\x92Brien,caf\xe9 \x93quoted\x94\n")
    assert out.rows == [(1, "O\u2019Brien", "caf\u00e9 \u201cquoted\u201d")]


def test_utf16_tab_separated_text(ingest_bytes) -> None:  # type: ignore[no-untyped-def]
    # What Excel writes for "Unicode Text (*.txt)".
    out = ingest_bytes("Town\tCount\r\nSão Paulo\t3\r\n".encode("utf-16"), suffix=".txt")
    assert out.rows == [(1, "São Paulo", 3)]


def test_invalid_utf8_in_a_utf8_file_is_a_bad_row(ingest_bytes) -> None:  # type: ignore[no-untyped-def]
    data = "name,n\nS\u00e3o Paulo,1\nZ\u00fcrich,2\n".encode() + b"bad \xff byte,3\nok,4\n"
    with pytest.raises(Invalid, match=r"^line 4: invalid UTF-8"):
        ingest_bytes(data)
    out = ingest_bytes(data, skip_bad_rows=True)
    assert out.column("name") == ["S\u00e3o Paulo", "Z\u00fcrich", "ok"]
    assert out.result.skipped == [BadRow(4, "invalid UTF-8 byte sequence")]


@pytest.mark.parametrize("delimiter", ["\t", ";", "|"])
def test_other_delimiters(ingest_csv: IngestText, delimiter: str) -> None:
    out = ingest_csv(
        delimiter.join(["Town", "Value", "Note"])
        + "\n"
        + delimiter.join(["Avon", "2", "a, b"])
        + "\n"
    )
    assert out.rows == [(1, "Avon", 2, "a, b")]


def test_tsv_extension(ingest_bytes) -> None:  # type: ignore[no-untyped-def]
    out = ingest_bytes(b"a\tb\n1\t2\n", suffix=".tsv")
    assert out.rows == [(1, 1, 2)]


def test_crlf_line_endings_and_quoted_crlf(ingest_csv: IngestText) -> None:
    out = ingest_csv('a,b\r\n1,"x\r\ny"\r\n2,z\r\n')
    assert out.rows == [(1, 1, "x\r\ny"), (2, 2, "z")]


def test_ragged_rows_fail_naming_the_line(ingest_csv: IngestText) -> None:
    text = "a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n"
    with pytest.raises(Invalid) as caught:
        ingest_csv(text)
    assert caught.value.message == "line 3: expected 3 fields, found 2 (and 1 more bad rows)"
    assert caught.value.data["bad_rows"] == [
        {"line": 3, "reason": "expected 3 fields, found 2"},
        {"line": 4, "reason": "expected 3 fields, found 4"},
    ]


def test_skip_bad_rows_lists_physical_lines(ingest_csv: IngestText) -> None:
    # The quoted newline on lines 2-3 makes DuckDB's record count differ from the file's lines.
    text = 'a,b,c\n1,"two\nlines",3\n4,5\n6,7,8\n9,"unterminated,10\n'
    out = ingest_csv(text, skip_bad_rows=True)
    assert out.rows == [(1, 1, "two\nlines", 3), (2, 6, "7", 8)]
    assert out.result.skipped == [
        BadRow(4, "expected 3 fields, found 2"),
        BadRow(6, "unterminated or misplaced quote"),
    ]
    assert out.result.row_count == 2


def test_skip_bad_rows_on_crlf_file(ingest_csv: IngestText) -> None:
    out = ingest_csv("a,b\r\n1,2\r\n3\r\n4,5,6\r\n7,8\r\n", skip_bad_rows=True)
    assert [row.line for row in out.result.skipped] == [3, 4]
    assert out.column("__id") == [1, 2]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "file is empty"),
        (b"\n\n", "file is empty"),
        (b"Town,Value\n", "file has a header but no data rows"),
        (b"\xef\xbb\xbfTown,Value\r\n", "file has a header but no data rows"),
        (b"a,b\n1,2,3\n", "line 2: expected 2 fields, found 3"),
        (b"Town,N,Town\n1,2,3\n", 'duplicate column header "Town" (columns 1 and 3)'),
    ],
)
def test_unacceptable_files(ingest_bytes, data: bytes, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Invalid) as caught:
        ingest_bytes(data)
    assert caught.value.message == message


def test_all_rows_bad_is_an_error_even_when_skipping(ingest_csv: IngestText) -> None:
    with pytest.raises(Invalid, match=r"no valid data rows \(2 bad rows skipped\)"):
        ingest_csv("a,b\n1\n2\n", skip_bad_rows=True)


def test_headers_colliding_after_normalization(ingest_csv: IngestText) -> None:
    with pytest.raises(Invalid, match='"Town" \\(column 1\\) and "town" \\(column 2\\)'):
        ingest_csv("Town,town \n1,2\n")


def test_headers_become_names_and_labels(ingest_csv: IngestText) -> None:
    out = ingest_csv("Race/ethnicity,2020,,Morphine (not heroin)\na,1,2,Y\n")
    assert [(c.name, c.label) for c in out.result.columns] == [
        ("race_ethnicity", "Race/ethnicity"),
        ("_2020", "2020"),
        ("column_3", ""),
        ("morphine_not_heroin", "Morphine (not heroin)"),
    ]


def test_socrata_style_export(tmp_path: Path) -> None:
    out = ingest_file(FIXTURES / "socrata_export.csv", tmp_path / "v1.parquet")
    types = {c.name: c.physical for c in out.columns}
    assert types == {
        "case_number": "VARCHAR",
        "date": "TIMESTAMP",
        "age": "BIGINT",
        "residence_city": "VARCHAR",
        "town_fips": "VARCHAR",
        "grant_amount": "DOUBLE",
        "last_update_date": "TIMESTAMP",
        "any_opioid": "VARCHAR",
        "death_loc": "VARCHAR",
    }
    assert out.row_count == 4


def test_progress_is_monotonic_and_ends_at_the_total(tmp_path: Path) -> None:
    source = tmp_path / "x.csv"
    source.write_text("a,b\n" + "1,x\n" * 5000)
    calls: list[tuple[int, int]] = []
    ingest_file(
        source, tmp_path / "v1.parquet", progress=lambda done, total: calls.append((done, total))
    )
    total = source.stat().st_size
    assert calls[-1] == (total, total)
    assert all(t == total for _, t in calls)
    assert [d for d, _ in calls] == sorted({d for d, _ in calls})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'"a,b\n1,2\n', "line 1: the header row is not valid CSV (check its quotes)"),
        (
            b"a,b\n1,x\ry\n2,z\n",
            "file is not valid CSV: a carriage return or quote in an unexpected place",
        ),
        (b"a,b\n1," + b"x" * 2_100_000 + b"\n", "line 2: line is longer than the 2 MB limit"),
    ],
)
def test_malformed_csv_is_reported_not_raised_from_duckdb(
    ingest_bytes, data: bytes, message: str
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Invalid) as caught:
        ingest_bytes(data)
    assert caught.value.message == message


def test_old_mac_line_endings(ingest_csv: IngestText) -> None:
    assert ingest_csv("a,b\r1,2\r3,4\r").rows == [(1, 1, 2), (2, 3, 4)]
