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
    """Stream RFC 4180 CSV (CRLF line ends) with a header row of field names."""
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
