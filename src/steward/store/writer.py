"""Stream a DuckDB query into one Parquet file, numbering the rows as they arrive.

DuckDB converts in parallel but cannot number rows of a parallel CSV scan without running the
whole pipeline on one thread (`row_number() OVER ()`), so `__id` is added here from the ordered
Arrow stream instead, and pyarrow writes the file while DuckDB works ahead.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from steward.store.model import ID_COLUMN

ROW_GROUP_ROWS = 1 << 18
ROW_GROUP_BYTES = 64 << 20
_BATCH_ROWS = 1 << 16
_DICTIONARY_SHARE = 0.5  # at most this many distinct values per row, in the first batch


class _RowNumbers:
    """Consecutive `__id` arrays, cut from one reusable 0..n range."""

    def __init__(self) -> None:
        self.next = 1
        self.base = pa.array([], pa.int64())

    def take(self, count: int) -> pa.Array:
        if count > len(self.base):
            self.base = pa.array(range(max(count, len(self.base))), pa.int64())
        ids = pc.add(self.base.slice(0, count), pa.scalar(self.next, pa.int64()))
        self.next += count
        return ids


def write_query(
    con: duckdb.DuckDBPyConnection,
    query: str,
    params: dict[str, object],
    names: list[str],
    target: Path,
    on_progress: Callable[[float], None],
) -> int:
    """Write the query's rows to `target` as `__id` + `names`; return the number of rows."""
    reader = con.sql(query, params=params).to_arrow_reader(_BATCH_ROWS)
    fields = [pa.field(ID_COLUMN, pa.int64(), nullable=False)]
    fields += [field.with_name(name) for field, name in zip(reader.schema, names, strict=True)]
    schema = pa.schema(fields)
    numbers = _RowNumbers()
    pending: list[pa.RecordBatch] = []
    writer: pq.ParquetWriter | None = None
    try:
        for batch in reader:
            ids = numbers.take(batch.num_rows)
            pending.append(pa.RecordBatch.from_arrays([ids, *batch.columns], schema=schema))
            writer = writer or _open_writer(target, schema, pending[0])
            pending = _flush_full_groups(writer, pending)
            on_progress(max(con.query_progress(), 0.0) / 100)
        writer = writer or _open_writer(target, schema, None)
        if pending or numbers.next == 1:
            writer.write_table(pa.Table.from_batches(pending, schema=schema), ROW_GROUP_ROWS)
    finally:
        if writer is not None:
            writer.close()
    fsync(target)
    return numbers.next - 1


def _open_writer(target: Path, schema: pa.Schema, first: pa.RecordBatch | None) -> pq.ParquetWriter:
    """A zstd writer that dictionary-encodes only text that repeats in the first batch.

    A dictionary makes repeated text (town names) small and fast to scan; for distinct text
    (IDs, notes) and for numbers and dates it costs more to build than it saves.
    """
    dictionary = [
        field.name
        for index, field in enumerate(schema)
        if pa.types.is_string(field.type) and (first is None or _repeats(first.column(index)))
    ]
    return pq.ParquetWriter(
        target, schema, compression="zstd", use_dictionary=dictionary, write_page_index=True
    )


def _repeats(column: pa.Array) -> bool:
    return bool(pc.count_distinct(column).as_py() <= _DICTIONARY_SHARE * len(column))


def _flush_full_groups(
    writer: pq.ParquetWriter, pending: list[pa.RecordBatch]
) -> list[pa.RecordBatch]:
    """Write whole row groups of ROW_GROUP_ROWS (or ROW_GROUP_BYTES); keep the remainder."""
    rows = sum(batch.num_rows for batch in pending)
    if sum(batch.nbytes for batch in pending) >= ROW_GROUP_BYTES:
        writer.write_table(pa.Table.from_batches(pending), rows)
        return []
    if rows < ROW_GROUP_ROWS:
        return pending
    table = pa.Table.from_batches(pending)
    writer.write_table(table.slice(0, ROW_GROUP_ROWS), ROW_GROUP_ROWS)
    rest: list[pa.RecordBatch] = table.slice(ROW_GROUP_ROWS).to_batches()
    return rest


def fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
