"""Encode query results the way Socrata's SODA 2.x does, batch by batch.

JSON: an array of objects; numbers as strings, null fields left out, floating timestamps as
`2020-03-24T00:00:00.000`, checkboxes as booleans, points as GeoJSON. CSV: RFC 4180 with a header
of field names. GeoJSON: a FeatureCollection over the first point column.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

import pyarrow as pa
import pyarrow.compute as pc


class Column(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def type(self) -> str: ...


Encoder = Callable[[Any], Any]


def _number(value: Any) -> str:
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _timestamp(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}"
    if isinstance(value, date):
        return value.strftime("%Y-%m-%dT00:00:00.000")
    return str(value)


def _point(value: Any) -> dict[str, Any] | str:
    if isinstance(value, dict):
        return {"type": "Point", "coordinates": [value["longitude"], value["latitude"]]}
    return str(value)


def _text(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, (datetime, date)):
        return _timestamp(value)
    if isinstance(value, (int, float, Decimal)):
        return _number(value)
    return str(value)


def _checkbox(value: Any) -> Any:
    return bool(value) if isinstance(value, (bool, int)) else _text(value)


JSON_ENCODERS: dict[str, Encoder] = {
    "number": _number,
    "floating_timestamp": _timestamp,
    "calendar_date": _timestamp,
    "checkbox": _checkbox,
    "point": _point,
}


def json_encoders(columns: Sequence[Column]) -> list[tuple[str, Encoder]]:
    """(name, encoder) per column, in Socrata's JSON encoding."""
    return [(column.name, JSON_ENCODERS.get(column.type, _text)) for column in columns]


def soda_json(batches: Iterable[pa.RecordBatch], columns: Sequence[Column]) -> Iterator[bytes]:
    """Stream a JSON array of row objects in Socrata's encoding."""
    encoders = json_encoders(columns)
    first = True
    yield b"["
    for batch in batches:
        names = batch.schema.names
        values = [batch.column(i).to_pylist() for i in range(batch.num_columns)]
        out = io.StringIO()
        for row in zip(*values, strict=True):
            record = {
                key: encode(value)
                for (key, encode), value, _name in zip(encoders, row, names, strict=True)
                if value is not None
            }
            out.write("\n" if first else ",\n")
            out.write(json.dumps(record, ensure_ascii=False))
            first = False
        yield out.getvalue().encode()
    yield b"\n]\n" if not first else b"]\n"


def _csv_value(column_type: str, value: Any) -> Any:
    if value is None:
        return ""
    if column_type == "point" and isinstance(value, dict):
        return f"POINT ({value['longitude']} {value['latitude']})"
    if column_type in {"floating_timestamp", "calendar_date"}:
        return _timestamp(value)
    if column_type == "number":
        return _number(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def soda_csv(
    batches: Iterable[pa.RecordBatch], columns: Sequence[Column], *, bom: bool = False
) -> Iterator[bytes]:
    """Stream RFC 4180 CSV (CRLF line ends) with a header row of field names.

    The output is exactly what Python's `csv` module writes (minimal quoting) for the values
    `_csv_value` gives, but each batch is encoded column by column with Arrow compute: integers,
    text and timestamps without Python objects; other columns (points, checkboxes, floats,
    decimals) through `_csv_value`, cell by cell.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([column.name for column in columns])
    head = out.getvalue().encode()
    yield (b"\xef\xbb\xbf" + head) if bom else head
    types = [column.type for column in columns]
    for batch in batches:
        yield _csv_batch(batch, types)


_STR = pa.large_string()
_TIMESTAMP_TYPES = {"floating_timestamp", "calendar_date"}
# Python's strftime writes years before 1000 without leading zeros; Arrow pads them.
_ARROW_DATES = (date(1000, 1, 1), date(9999, 12, 31))
_NEEDS_QUOTES = '[,"\r\n]'


def _csv_batch(batch: pa.RecordBatch, types: Sequence[str]) -> bytes:
    if batch.num_rows == 0:
        return b""
    rows: int = batch.num_rows
    if batch.num_columns == 0:
        return b"\r\n" * rows
    cells = [_csv_cells(t, batch.column(i)) for i, t in enumerate(types)]
    if len(cells) == 1:
        # The csv module quotes a lone empty field, so that the line is not blank.
        cells = [pc.if_else(pc.equal(cells[0], ""), pa.scalar('""', _STR), cells[0])]
    lines = pc.binary_join_element_wise(*cells, pa.scalar(",", _STR))
    lines = pc.binary_join_element_wise(lines, pa.scalar("", _STR), pa.scalar("\r\n", _STR))
    return _string_bytes(lines)


def _csv_cells(column_type: str, values: pa.Array) -> pa.Array:
    """One column as CSV cells (quoted where needed; nulls empty), as a large_string array."""
    kind = values.type
    if pa.types.is_integer(kind):  # str() of an int: digits and a sign, never quoted
        return _no_nulls(values.cast(_STR))
    if column_type in _TIMESTAMP_TYPES and _arrow_dates(values):
        return _no_nulls(_timestamp_text(values))
    if column_type == "number" and pa.types.is_floating(kind):
        return _no_nulls(pa.array([_float_text(value) for value in values.to_pylist()], _STR))
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        text = _no_nulls(values.cast(_STR))
    else:
        raw = [_csv_text(_csv_value(column_type, value)) for value in values.to_pylist()]
        text = pa.array(raw, _STR)
    needs_quotes = pc.match_substring_regex(text, _NEEDS_QUOTES)
    if pc.any(needs_quotes).as_py():
        doubled = pc.replace_substring(text, '"', '""')
        quote = pa.scalar('"', _STR)
        quoted = pc.binary_join_element_wise(quote, doubled, quote, pa.scalar("", _STR))
        text = pc.if_else(needs_quotes, quoted, text)
    return text


def _no_nulls(text: pa.Array) -> pa.Array:
    return text.fill_null("") if text.null_count else text


def _float_text(value: float | None) -> str | None:
    """`_number` of a float (or None), in one call: `repr` unless a whole number below 1e15."""
    if value is None:
        return None
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)  # what the csv module writes for floats; never needs quotes


def _arrow_dates(values: pa.Array) -> bool:
    """Whether Arrow formats `values` as `_timestamp` does: naive, whole us at most, years 1000+."""
    kind = values.type
    if pa.types.is_timestamp(kind):
        if kind.tz is not None or kind.unit == "ns":
            return False
    elif not pa.types.is_date(kind):
        return False
    bounds = pc.min_max(values.cast(pa.date32()) if pa.types.is_timestamp(kind) else values)
    low, high = bounds["min"].as_py(), bounds["max"].as_py()
    return low is None or (_ARROW_DATES[0] <= low and high <= _ARROW_DATES[1])


def _timestamp_text(values: pa.Array) -> pa.Array:
    """`2020-03-24T01:00:00.123` (milliseconds rounded down, as `_timestamp` does)."""
    if pa.types.is_date(values.type):
        day = values.cast(pa.date32()).cast(_STR)
        return pc.binary_join_element_wise(
            day, pa.scalar("T00:00:00.000", _STR), pa.scalar("", _STR)
        )
    millis = pc.floor_temporal(values, unit="millisecond").cast(pa.timestamp("ms"))
    # Arrow writes `2020-03-24 01:00:00.123` for millisecond timestamps.
    return pc.utf8_replace_slice(millis.cast(_STR), 10, 11, "T")


def _csv_text(value: Any) -> str:
    """What the csv module writes for a cell, before quoting."""
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return repr(value)
    return "" if value is None else str(value)


def _string_bytes(strings: pa.Array) -> bytes:
    """The concatenated values of a large_string array without nulls."""
    offsets = memoryview(strings.buffers()[1]).cast("q")
    start, end = offsets[strings.offset], offsets[strings.offset + len(strings)]
    data = strings.buffers()[2]
    return bytes(memoryview(data)[start:end]) if data is not None else b""


def _soda_csv_reference(
    batches: Iterable[pa.RecordBatch], columns: Sequence[Column], *, bom: bool = False
) -> Iterator[bytes]:
    """`soda_csv` cell by cell with the csv module; the tests hold the fast one to its output."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([column.name for column in columns])
    head = out.getvalue().encode()
    yield (b"\xef\xbb\xbf" + head) if bom else head
    types = [column.type for column in columns]
    for batch in batches:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        values = [batch.column(i).to_pylist() for i in range(batch.num_columns)]
        for row in zip(*values, strict=True):
            writer.writerow([_csv_value(t, v) for t, v in zip(types, row, strict=True)])
        yield out.getvalue().encode()


def soda_geojson(batches: Iterable[pa.RecordBatch], columns: Sequence[Column]) -> Iterator[bytes]:
    """Stream a FeatureCollection: geometry from the first point column, the rest as properties."""
    point_index = next(i for i, column in enumerate(columns) if column.type == "point")
    encoders = json_encoders(columns)
    first = True
    yield b'{"type":"FeatureCollection","features":['
    for batch in batches:
        values = [batch.column(i).to_pylist() for i in range(batch.num_columns)]
        out = io.StringIO()
        for row in zip(*values, strict=True):
            geometry = row[point_index]
            properties = {
                key: encode(value)
                for index, ((key, encode), value) in enumerate(zip(encoders, row, strict=True))
                if value is not None and index != point_index
            }
            feature = {
                "type": "Feature",
                "geometry": _point(geometry) if geometry is not None else None,
                "properties": properties,
            }
            out.write("\n" if first else ",\n")
            out.write(json.dumps(feature, ensure_ascii=False))
            first = False
        yield out.getvalue().encode()
    yield b"]}\n"


def typed_json_value(column_type: str, value: Any) -> Any:
    """Native API: numbers as numbers, timestamps as ISO text, points as GeoJSON."""
    if value is None:
        return None
    if column_type in {"floating_timestamp", "calendar_date"}:
        return _timestamp(value)
    if column_type == "point":
        return _point(value)
    if isinstance(value, Decimal):
        return float(value)
    return value


def legacy_rows_json(
    batches: Iterable[pa.RecordBatch], columns: Sequence[Column], view: dict[str, Any]
) -> Iterator[bytes]:
    """`rows.json`: `{"meta": {"view": ...}, "data": [[...], ...]}`, values in column order."""
    encoders = [encode for _name, encode in json_encoders(columns)]
    yield b'{"meta":{"view":' + json.dumps(view, ensure_ascii=False).encode() + b'},"data":['
    first = True
    for batch in batches:
        values = [batch.column(i).to_pylist() for i in range(batch.num_columns)]
        out = io.StringIO()
        for row in zip(*values, strict=True):
            cells = [
                None if value is None else encode(value)
                for encode, value in zip(encoders, row, strict=True)
            ]
            out.write("\n" if first else ",\n")
            out.write(json.dumps(cells, ensure_ascii=False))
            first = False
        yield out.getvalue().encode()
    yield b"]}\n"
