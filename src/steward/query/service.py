"""The query use case shared by the SODA routes, the native API and the portal pages:
resolve the dataset for this caller, compile the SoQL against its visible fields, run it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

import pyarrow as pa
from sqlalchemy.orm import Session

from steward.catalog.rows import RowSource, open_public_rows
from steward.config import Settings
from steward.query.engine import QueryEngine
from steward.query.translate import (
    CompiledQuery,
    FieldInfo,
    OutputColumn,
    compile_query,
    parse_soda_params,
)

Params = Sequence[tuple[str, str]]


@dataclass(frozen=True)
class PreparedQuery:
    source: RowSource
    compiled: CompiledQuery
    etag: str

    @property
    def columns(self) -> list[OutputColumn]:
        return list(self.compiled.columns)


def field_infos(source: RowSource) -> list[FieldInfo]:
    return [
        FieldInfo(name=field.name, type=field.type, column=field.name) for field in source.fields
    ]


def prepare_query(
    session: Session, settings: Settings, dataset_id: str, params: Params
) -> PreparedQuery:
    """Check access and compile; raises NotFound, NotAuthorized or QueryError."""
    return _prepare(session, settings, dataset_id, params, paged=True)


def prepare_export(
    session: Session, settings: Settings, dataset_id: str, params: Params = ()
) -> PreparedQuery:
    """Every matching row of the current version without a limit (default: all visible fields
    of every row, in row order); for downloads of a whole dataset or a filtered view."""
    return _prepare(session, settings, dataset_id, list(params) or [("$select", "*")], paged=False)


def _prepare(
    session: Session, settings: Settings, dataset_id: str, params: Params, *, paged: bool
) -> PreparedQuery:
    source = open_public_rows(session, settings.data_dir, dataset_id)
    stamp = source.data_updated_at.replace(tzinfo=None)
    compiled = _compile(
        tuple(field_infos(source)),
        tuple(params),
        settings.query_default_limit if paged else None,
        settings.query_max_limit if paged else None,
        stamp,
    )
    return PreparedQuery(source=source, compiled=compiled, etag=_etag(source, compiled))


@lru_cache(maxsize=2048)
def _compile(
    fields: tuple[FieldInfo, ...],
    params: tuple[tuple[str, str], ...],
    default_limit: int | None,
    max_limit: int | None,
    stamp: datetime,
) -> CompiledQuery:
    """Parsing and translation are pure, so the same query on the same fields compiles once
    (dashboards repeat their queries); errors are not cached and are raised each time."""
    query = parse_soda_params(list(params), fields)
    return compile_query(
        query,
        fields,
        table="dataset",
        default_limit=default_limit,
        max_limit=max_limit,
        system_values={"created_at": stamp, "updated_at": stamp},
    )


def _etag(source: RowSource, compiled: CompiledQuery) -> str:
    """Same data version, same visible fields and same query give the same tag."""
    digest = hashlib.sha256()
    for part in (source.dataset.id, source.sha256, str(source.version), compiled.sql):
        digest.update(part.encode())
        digest.update(b"\0")
    digest.update(json.dumps(compiled.params, default=str).encode())
    digest.update(json.dumps([field.name for field in source.fields]).encode())
    return digest.hexdigest()[:32]


def run_query(engine: QueryEngine, prepared: PreparedQuery) -> pa.Table:
    return engine.execute(prepared.compiled, prepared.source.parquet)


def stream_query(engine: QueryEngine, prepared: PreparedQuery) -> Iterator[pa.RecordBatch]:
    return engine.stream(prepared.compiled, prepared.source.parquet)
