"""The query use case shared by the SODA routes, the native API and the portal pages:
resolve the dataset for this caller, compile the SoQL against its visible fields, run it.

A non-public dataset is read only under a data sharing agreement's grant (`steward.sharing`):
looked up only when the public check fails and the caller is signed in, so the public path
costs nothing more. Such a query is narrowed to the granted fields and rows, and the caller
records the read (`note_read`) once it knows the row count.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache

import pyarrow as pa
from sqlalchemy.orm import Session

from steward.accounts.policy import Actor
from steward.catalog.rows import RowSource, open_granted_rows, open_public_rows
from steward.catalog.service import load_dataset
from steward.config import Settings
from steward.errors import NotAuthorized
from steward.query.engine import QueryEngine
from steward.query.translate import (
    CompiledQuery,
    FieldInfo,
    OutputColumn,
    compile_query,
    parse_soda_params,
)
from steward.sharing import grants
from steward.sharing.grants import GrantScope
from steward.sharing.restrict import columns_in, referenced, restrict

Params = Sequence[tuple[str, str]]


@dataclass(frozen=True)
class PreparedQuery:
    source: RowSource
    compiled: CompiledQuery
    etag: str
    grant: GrantScope | None = None  # set when read under a data sharing agreement
    fields_read: tuple[str, ...] = ()
    text: str = ""

    @property
    def columns(self) -> list[OutputColumn]:
        return list(self.compiled.columns)


def field_infos(source: RowSource) -> list[FieldInfo]:
    return [
        FieldInfo(name=field.name, type=field.type, column=field.name) for field in source.fields
    ]


def prepare_query(
    session: Session,
    settings: Settings,
    dataset_id: str,
    params: Params,
    actor: Actor | None = None,
    purpose: str | None = None,
) -> PreparedQuery:
    """Check access and compile; raises NotFound, NotAuthorized or QueryError.

    With a signed-in `actor`, a non-public dataset is read under the actor's grant (`purpose`
    opens a use session when given); call `note_read` after running it.
    """
    try:
        return _prepare(session, settings, dataset_id, params, paged=True)
    except NotAuthorized:
        if actor is None or actor.user_id is None:
            raise
    return _prepare_granted(session, settings, dataset_id, params, actor, purpose)


def _prepare_granted(
    session: Session,
    settings: Settings,
    dataset_id: str,
    params: Params,
    actor: Actor,
    purpose: str | None,
) -> PreparedQuery:
    scope = grants.scope_for(session, actor, dataset_id, purpose)
    dataset = load_dataset(session, dataset_id)
    every = [FieldInfo(name=f.name, type=f.type, column=f.name) for f in dataset.fields]
    names = [f.name for f in dataset.fields]
    query = parse_soda_params(list(params), every)
    row_filter = None
    if scope.row_filter:
        row_filter = parse_soda_params([("$where", scope.row_filter)], every).where
    narrowed = restrict(query, scope.fields, names, row_filter)
    read = referenced(replace(narrowed, where=query.where), names)
    visible = frozenset(scope.fields) | frozenset(columns_in([row_filter]))
    source = open_granted_rows(session, settings.data_dir, dataset_id, visible)
    stamp = source.data_updated_at.replace(tzinfo=None)
    compiled = compile_query(
        narrowed,
        field_infos(source),
        table="dataset",
        default_limit=settings.query_default_limit,
        max_limit=settings.query_max_limit,
        system_values={"created_at": stamp, "updated_at": stamp},
    )
    text = "&".join(f"{k}={v}" for k, v in params if not k.startswith("$$"))
    return PreparedQuery(source, compiled, _etag(source, compiled), scope, tuple(read), text)


def note_read(session: Session, prepared: PreparedQuery, row_count: int) -> None:
    """Record a query answered under a grant in the audit log (nothing for public data)."""
    if prepared.grant is not None:
        grants.record_read(session, prepared.grant, prepared.fields_read, prepared.text, row_count)


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
