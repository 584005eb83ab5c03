"""Downloads of a dataset or of the visitor's filtered view, streamed: CSV, JSON, GeoJSON,
Parquet, XLSX (public datasets)."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from openpyxl import Workbook

from steward.catalog import service
from steward.errors import Invalid
from steward.portal.view import ViewField, parse_view
from steward.query.service import prepare_export, prepare_query, run_query, stream_query
from steward.query.translate import OutputColumn
from steward.web.api import soda_encoding as encoding
from steward.web.api.deps import SessionDep, SettingsDep
from steward.web.pages import figures

router = APIRouter(include_in_schema=False)
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "geojson": "application/vnd.geo+json; charset=utf-8",
    "parquet": "application/vnd.apache.parquet",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
XLSX_MAX_ROWS = 1_048_575  # the sheet's limit, less the header row


@router.get("/d/{dataset_id}/download.{fmt}")
def download(
    request: Request, session: SessionDep, settings: SettingsDep, dataset_id: str, fmt: str
) -> StreamingResponse:
    if fmt not in FORMATS:
        raise Invalid(f"download format must be one of {', '.join(FORMATS)}")
    whole = prepare_export(session, settings, dataset_id)
    fields = [ViewField(c.name, c.type) for c in whole.columns]
    view = parse_view(list(request.query_params.multi_items()), fields)
    prepared = prepare_export(
        session, settings, dataset_id, [("$select", "*"), *view.soql(paged=False)]
    )
    town = None
    if fmt == "geojson" and not any(c.type == "point" for c in prepared.columns):
        town = _town_column(request, session, settings, dataset_id, whole.columns)
    if fmt == "xlsx":
        _check_sheet_size(request, session, settings, dataset_id, view.where())
    batches = stream_query(request.app.state.query_engine, prepared)
    name = f"{dataset_id}{'-filtered' if view.filters else ''}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    body = (
        town_geojson(batches, prepared.columns, *town)
        if town
        else _body(fmt, batches, prepared.columns)
    )
    return StreamingResponse(body, media_type=FORMATS[fmt], headers=headers)


def _town_column(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    dataset_id: str,
    columns: list[OutputColumn],
) -> tuple[str, Any]:
    dataset = service.get_dataset(session, dataset_id)
    labels = {field.name: field.label for field in dataset.fields}
    described = [
        {"name": c.name, "type": c.type, "label": labels.get(c.name, c.name)} for c in columns
    ]
    found = figures.town_field(request, session, settings, dataset, described)
    if found is None:
        raise Invalid("this dataset has no point or town column; download CSV or JSON instead")
    return found


def town_geojson(
    batches: Iterable[pa.RecordBatch], columns: list[OutputColumn], town_column: str, match: Any
) -> Iterator[bytes]:
    """Rows as Features drawn with their town's outline (rows whose town is unknown get null)."""
    from steward.viz.reference import boundaries

    outlines = {
        feature["properties"]["geoid"]: feature["geometry"] for feature in boundaries("town")
    }
    names = [column.name for column in columns]
    encoders = encoding.json_encoders(columns)
    first = True
    yield b'{"type":"FeatureCollection","features":['
    for batch in batches:
        out = []
        for row in zip(
            *(batch.column(i).to_pylist() for i in range(batch.num_columns)), strict=True
        ):
            town = match.resolve(row[names.index(town_column)])
            feature = {
                "type": "Feature",
                "geometry": outlines.get(town.geoid_2020) if town else None,
                "properties": {
                    name: encode(value)
                    for (name, encode), value in zip(encoders, row, strict=True)
                    if value is not None
                },
            }
            out.append(("" if first else ",\n") + json.dumps(feature, ensure_ascii=False))
            first = False
        yield "".join(out).encode()
    yield b"]}\n"


def _check_sheet_size(
    request: Request, session: SessionDep, settings: SettingsDep, dataset_id: str, where: str
) -> None:
    """Refuse before streaming starts: an error mid-stream would leave a broken file."""
    params = [("$select", "count(*) AS n"), *([("$where", where)] if where else [])]
    counted = run_query(
        request.app.state.query_engine, prepare_query(session, settings, dataset_id, params)
    )
    if int(counted.column(0)[0].as_py()) > XLSX_MAX_ROWS:
        raise Invalid("too many rows for a spreadsheet; download CSV or Parquet instead")


def _body(
    fmt: str, batches: Iterable[pa.RecordBatch], columns: list[OutputColumn]
) -> Iterator[bytes]:
    if fmt == "csv":
        return encoding.soda_csv(batches, columns)
    if fmt == "json":
        return encoding.soda_json(batches, columns)
    if fmt == "geojson":
        return encoding.soda_geojson(batches, columns)
    if fmt == "parquet":
        return _parquet(batches)
    return _xlsx(batches, columns)


def _spooled(write: Any) -> Iterator[bytes]:
    """Write a binary format to a temporary file, then stream it and delete it."""
    handle, name = tempfile.mkstemp()
    os.close(handle)
    try:
        write(name)
        with open(name, "rb") as stream:
            while chunk := stream.read(1 << 20):
                yield chunk
    finally:
        os.unlink(name)


def _parquet(batches: Iterable[pa.RecordBatch]) -> Iterator[bytes]:
    def write(name: str) -> None:
        writer: pq.ParquetWriter | None = None
        try:
            for batch in batches:
                writer = writer or pq.ParquetWriter(name, batch.schema, compression="zstd")
                writer.write_batch(batch)
        finally:
            if writer is not None:
                writer.close()

    return _spooled(write)


def _xlsx(batches: Iterable[pa.RecordBatch], columns: list[OutputColumn]) -> Iterator[bytes]:
    def write(name: str) -> None:
        book = Workbook(write_only=True)
        sheet = book.create_sheet("data")
        sheet.append([column.name for column in columns])
        for batch in batches:
            for row in zip(
                *(batch.column(i).to_pylist() for i in range(batch.num_columns)), strict=True
            ):
                sheet.append([_cell(value) for value in row])
        book.save(name)

    return _spooled(write)


def _cell(value: Any) -> Any:
    if isinstance(value, dict):  # a point
        return f"POINT ({value.get('longitude')} {value.get('latitude')})"
    return value
