"""The Arrow CSV encoder writes exactly what the csv module wrote cell by cell."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import duckdb
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steward.web.api.soda_encoding import _soda_csv_reference, soda_csv


@dataclass(frozen=True)
class Col:
    name: str
    type: str


def _both(table: pa.Table, columns: list[Col], batch_rows: int = 4) -> bytes:
    batches = table.to_batches(max_chunksize=batch_rows)
    fast = list(soda_csv(batches, columns, bom=True))
    reference = list(_soda_csv_reference(batches, columns, bom=True))
    assert fast == reference  # chunk by chunk, byte for byte
    return b"".join(fast)


EVERY_TYPE = """
SELECT * FROM (VALUES
  (1, TIMESTAMP '2020-03-24 00:00:00', DATE '2020-03-24', 'Hartford', 42::BIGINT, 1.5::DOUBLE,
   TRUE, {'longitude': -72.6851, 'latitude': 41.7637}, 'plain'),
  (2, TIMESTAMP '2020-03-24 13:45:07.123456', DATE '1000-01-01', 'a,b', -7::BIGINT, -0.1::DOUBLE,
   FALSE, {'longitude': 0.0, 'latitude': -0.5}, '007'),
  (3, TIMESTAMP '1969-12-31 23:59:59.999999', DATE '9999-12-31', 'say "hi"',
   9223372036854775807::BIGINT, 1e20::DOUBLE, NULL, NULL, 'line
break'),
  (4, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (5, TIMESTAMP '1900-01-01 00:00:00.0005', DATE '1970-01-01', 'carriage' || chr(13) || 'return',
   (-9223372036854775807 - 1)::BIGINT, 123456789012345.0::DOUBLE, TRUE,
   {'longitude': 1e-7, 'latitude': 89.999999}, ''),
  (6, TIMESTAMP '2024-02-29 23:59:59.9999', DATE '2024-02-29', 'Ünïcødé ✓ 東京 😀', 0::BIGINT,
   'nan'::DOUBLE, FALSE, {'longitude': 180.0, 'latitude': 90.0}, ' padded , '),
  (7, TIMESTAMP '0999-06-01 12:00:00', DATE '0500-01-01', '"', 1::BIGINT, 'inf'::DOUBLE, TRUE,
   NULL, '""'),
  (8, TIMESTAMP '2020-01-01 00:00:00', DATE '2020-01-01', '', 2::BIGINT, 1e15::DOUBLE, TRUE,
   NULL, 'tab	inside')
) AS t(id, ts, d, town, n, f, flag, location, code)
"""
EVERY_COLUMNS = [
    Col("id", "number"),
    Col("ts", "floating_timestamp"),
    Col("d", "calendar_date"),
    Col("town", "text"),
    Col("n", "number"),
    Col("f", "number"),
    Col("flag", "checkbox"),
    Col("location", "point"),
    Col("code", "text"),
]


def test_every_type_matches_the_csv_module() -> None:
    con = duckdb.connect()
    table = con.sql(EVERY_TYPE).to_arrow_table()
    body = _both(table, EVERY_COLUMNS)
    assert body.startswith(b"\xef\xbb\xbfid,ts,d,town,n,f,flag,location,code\r\n")
    text = body.decode()
    assert "1,2020-03-24T00:00:00.000,2020-03-24T00:00:00.000,Hartford,42,1.5,true," in text
    assert '"a,b"' in text and '"say ""hi"""' in text and '"line\nbreak"' in text
    assert "2020-03-24T13:45:07.123" in text and "1969-12-31T23:59:59.999" in text
    assert ",007\r\n" in text and "4,,,,,,,,\r\n" in text
    # Years before 1000 (Python writes them unpadded) go through the reference path.
    assert "999-06-01T12:00:00.000" in text
    # A whole batch of timestamps from 1000 on takes the Arrow path; one row per batch too.
    _both(table, EVERY_COLUMNS, batch_rows=1)
    _both(table.slice(0, 6), EVERY_COLUMNS, batch_rows=100)


def test_aggregates_decimals_and_typed_columns() -> None:
    con = duckdb.connect()
    table = con.sql(
        "SELECT i % 3 AS k, SUM(i) AS s, AVG(i) AS a, COUNT(*) AS c, SUM(i * 1.25) AS dec, "
        "MAX(TIMESTAMP '2020-01-01' + INTERVAL (i) HOUR) AS latest, "
        "bool_or(i > 5) AS any_big FROM range(10) t(i) GROUP BY k ORDER BY k"
    ).to_arrow_table()
    assert pa.types.is_decimal(table.schema.field("s").type)  # SUM of BIGINT is decimal
    columns = [Col("k", "number"), Col("s", "number"), Col("a", "number"), Col("c", "number"),
               Col("dec", "number"), Col("latest", "floating_timestamp"),
               Col("any_big", "checkbox")]  # fmt: skip
    _both(table, columns)
    # Columns whose values do not fit their SoQL type are written as the csv module would.
    mismatched = pa.table({
        "t": pa.array([datetime(2020, 1, 1, 5), None]), "n": pa.array(["x", "1"]),
        "b": pa.array([True, None]), "d": pa.array([Decimal("1.50"), Decimal("-0")]),
        "i": pa.array([3, None], pa.int8()), "u": pa.array([2**64 - 1, 0], pa.uint64()),
    })  # fmt: skip
    mismatched_columns = [
        *(Col("t", "text"), Col("n", "floating_timestamp"), Col("b", "text")),
        *(Col("d", "number"), Col("i", "point"), Col("u", "calendar_date")),
    ]
    _both(mismatched, mismatched_columns)


def test_single_columns_and_empty_batches() -> None:
    values = pa.table({"x": pa.array(["", None, "a", '"'])})
    body = _both(values, [Col("x", "text")])
    assert body == b'\xef\xbb\xbfx\r\n""\r\n""\r\na\r\n""""\r\n'
    _both(pa.table({"x": pa.array([None, 5])}), [Col("x", "number")])
    empty = pa.table({"x": pa.array([], pa.string()), "y": pa.array([], pa.int64())})
    batches = [empty.to_batches()[0]] if empty.to_batches() else []
    assert list(soda_csv(batches, [Col("x", "text"), Col("y", "number")]))[1:] == [
        b"" for _ in batches
    ]


_text = st.text(
    alphabet=st.sampled_from(list("ab ,\"\r\n\t;'0é😀\\")) | st.characters(codec="utf-8"),
    max_size=12,
)
_times = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31))
_days = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.none() | _text,
            st.none() | st.integers(min_value=-(2**63), max_value=2**63 - 1),
            st.none() | _times,
            st.none() | _days,
            st.none()
            | st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9999, 12, 31)),
        ),
        min_size=1,
        max_size=20,
    ),
    st.integers(min_value=1, max_value=25),
)
def test_random_text_integers_and_timestamps(rows: list[tuple[object, ...]], size: int) -> None:
    names = ["t", "n", "ts", "d", "modern"]
    table = pa.table(
        [
            pa.array([r[0] for r in rows], pa.string()),
            pa.array([r[1] for r in rows], pa.int64()),
            pa.array([r[2] for r in rows], pa.timestamp("us")),
            pa.array([r[3] for r in rows], pa.date32()),
            pa.array([r[4] for r in rows], pa.timestamp("us")),
        ],
        names=names,
    )
    types = ["text", "number", "floating_timestamp", "calendar_date", "floating_timestamp"]
    columns = [Col(n, t) for n, t in zip(names, types, strict=True)]
    _both(table, columns, batch_rows=size)
    for name, kind in zip(names, types, strict=True):  # one column alone: lone empty fields
        _both(table.select([name]), [Col(name, kind)], batch_rows=size)


def test_timestamps_round_milliseconds_down() -> None:
    base = datetime(2020, 3, 24, 1, 2, 3)
    values = [base + timedelta(microseconds=us) for us in (0, 999, 1000, 123999, 999999)]
    values += [datetime(1960, 1, 1) - timedelta(microseconds=us) for us in (1, 999, 1001)]
    body = _both(pa.table({"ts": pa.array(values)}), [Col("ts", "floating_timestamp")])
    assert b"2020-03-24T01:02:03.999\r\n" in body and b"1959-12-31T23:59:59.998\r\n" in body


def test_text_integers_and_timestamps_skip_python_objects(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import steward.web.api.soda_encoding as encoding

    def refuse(column_type: str, value: object) -> object:
        raise AssertionError(f"{column_type} cell encoded in Python")

    monkeypatch.setattr(encoding, "_csv_value", refuse)
    table = (
        duckdb.connect()
        .sql(
            "SELECT TIMESTAMP '2020-03-24 01:00:00' + INTERVAL (i) MINUTE AS ts,"
            " DATE '2020-03-24' AS d,"
            " i AS n, 'town, ' || i AS town FROM range(100) t(i)"
        )
        .to_arrow_table()
    )
    columns = [Col("ts", "floating_timestamp"), Col("d", "calendar_date"), Col("n", "number"),
               Col("town", "text")]  # fmt: skip
    body = b"".join(soda_csv(table.to_batches(), columns))
    assert body.endswith(b'2020-03-24T02:39:00.000,2020-03-24T00:00:00.000,99,"town, 99"\r\n')
