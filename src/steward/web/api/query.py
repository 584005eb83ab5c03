"""Native query API: `/api/v1/datasets/{id}/query` takes SoQL parameters and answers typed JSON
(numbers as numbers) or CSV, Parquet or Arrow. The portal pages use the same query service.
"""

from __future__ import annotations

import io
from typing import Annotated, Any

import pyarrow as pa
import pyarrow.parquet as pq
from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from steward.errors import Invalid
from steward.query.service import PreparedQuery, note_read, prepare_query, run_query
from steward.web.api import soda_encoding as encoding
from steward.web.api.deps import ActorDep, SettingsDep, get_session
from steward.web.usage import note_usage

router = APIRouter(prefix="/api/v1", tags=["query"])
# A read under a data sharing grant is audited in the same transaction: commit before answering.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
FORMATS = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "parquet": "application/vnd.apache.parquet",
    "arrow": "application/vnd.apache.arrow.stream",
}


@router.get(
    "/datasets/{dataset_id}/query",
    summary="Run SoQL ($select, $where, ... as in SODA); format=json|csv|parquet|arrow "
    "(public; non-public datasets under a sharing grant)",
)
def query_dataset(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: ActorDep,
    dataset_id: str,
) -> Response:
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "format"]
    fmt = request.query_params.get("format", "json")
    if fmt not in FORMATS:
        raise Invalid(f"format must be one of {', '.join(FORMATS)}")
    purpose = request.headers.get("x-steward-purpose")
    prepared = prepare_query(session, settings, dataset_id, params, actor, purpose)
    table = run_query(request.app.state.query_engine, prepared)
    note_usage(request, rows=table.num_rows)
    note_read(session, prepared, table.num_rows)
    headers = {"ETag": f'"{prepared.etag}"'}
    if fmt == "json":
        return JSONResponse(_typed_json(prepared, table), headers=headers)
    if fmt == "csv":
        body = b"".join(encoding.soda_csv(table.to_batches(), prepared.columns))
        return Response(body, media_type=FORMATS[fmt], headers=headers)
    named = table.rename_columns([column.name for column in prepared.columns])
    return Response(_binary(named, fmt), media_type=FORMATS[fmt], headers=headers)


def _typed_json(prepared: PreparedQuery, table: pa.Table) -> dict[str, Any]:
    columns = prepared.columns
    values = [table.column(i).to_pylist() for i in range(table.num_columns)]
    rows = [
        {c.name: encoding.typed_json_value(c.type, v) for c, v in zip(columns, row, strict=True)}
        for row in zip(*values, strict=True)
    ]
    return {
        "dataset": prepared.source.dataset.id,
        "version": prepared.source.version,
        "fields": [column.name for column in columns],
        "types": [column.type for column in columns],
        "rows": rows,
        "row_count": len(rows),
    }


def _binary(table: pa.Table, fmt: str) -> bytes:
    sink = io.BytesIO()
    if fmt == "parquet":
        pq.write_table(table, sink, compression="zstd")
    else:
        with pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
    return sink.getvalue()
