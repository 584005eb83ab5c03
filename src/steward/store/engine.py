"""The DuckDB side of an ingest: a locked-down connection and the relations it reads.

Columns are always addressed by position (`c0`, `c1`, ...) and paths are bound parameters, so
nothing taken from a file's content or name becomes SQL text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from steward.errors import Invalid
from steward.store.model import BadRow
from steward.store.textfile import count_lines_before

MEMORY_LIMIT = "1GB"
Relation = Callable[[str | None], str]  # rejects table name (None: ignore bad rows) -> FROM item

_CSV = (
    "read_csv($path, columns = $columns, header = true, delim = $delim, quote = '\"', "
    "escape = '\"', auto_detect = false, strict_mode = true, null_padding = false, {errors})"
)
_FIELD_COUNT = re.compile(r"Expected Number of Columns: (\d+) Found: (\d+)")
_REASONS = {
    "UNQUOTED VALUE": "unterminated or misplaced quote",
    "INVALID ENCODING": "invalid UTF-8 byte sequence",
    "LINE SIZE OVER MAXIMUM": "line is longer than the 2 MB limit",
}


@dataclass
class Source:
    """What the typing pass reads: positional columns, their labels and DuckDB input types."""

    relation: Relation
    params: dict[str, object]
    labels: list[str]
    types: list[str]
    csv_path: Path | None = None  # the text file DuckDB parsed, to turn rejects into line numbers
    bad_rows: list[BadRow] = field(default_factory=list)


def positional(count: int) -> list[str]:
    return [f"c{index}" for index in range(count)]


def connect(readable: Sequence[Path], spill: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory connection that may read only `readable` and spills under `spill`."""
    con = duckdb.connect(
        config={
            "memory_limit": MEMORY_LIMIT,
            "preserve_insertion_order": True,  # the Arrow stream must arrive in source order
            "temp_directory": str(spill),
        }
    )
    con.execute("SET enable_progress_bar = true")  # query_progress() needs it
    con.execute("SET enable_progress_bar_print = false")
    con.execute("SET TimeZone = 'UTC'")  # timestamps with a zone become UTC floating times
    con.execute("SET streaming_buffer_size = '64MB'")  # lets DuckDB run ahead of the writer
    con.execute("SET allowed_paths = $paths", {"paths": [str(path) for path in readable]})
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


def csv_source(path: Path, labels: list[str], delimiter: str) -> Source:
    names = positional(len(labels))

    def relation(rejects: str | None) -> str:
        errors = "ignore_errors = true"
        if rejects is not None:
            errors = f"store_rejects = true, rejects_table = '{rejects}', "
            errors += f"rejects_scan = '{rejects}_scan'"
        return _CSV.format(errors=errors)

    params: dict[str, object] = {
        "path": str(path),
        "columns": dict.fromkeys(names, "VARCHAR"),
        "delim": delimiter,
    }
    return Source(relation, params, labels, ["VARCHAR"] * len(labels), csv_path=path)


def parquet_source(
    con: duckdb.DuckDBPyConnection, path: Path, *, skip_first: bool = False
) -> tuple[list[str], list[str], Relation]:
    """Column names, DuckDB types and relation of a Parquet file, renamed to c0, c1, ..."""
    try:
        described = con.execute(
            "DESCRIBE SELECT * FROM read_parquet($path)", {"path": str(path)}
        ).fetchall()
    except duckdb.Error as error:
        raise Invalid("file is not a readable Parquet file") from error
    if skip_first:
        described = described[1:]
    aliases = positional(len(described))
    if skip_first:
        aliases.insert(0, "skipped_id")
    relation_text = f"read_parquet($path) AS source({', '.join(aliases)})"
    return [row[0] for row in described], [row[1] for row in described], lambda _: relation_text


def read_rejects(
    con: duckdb.DuckDBPyConnection, table: str, source: Path, limit: int | None
) -> tuple[list[BadRow], int]:
    """The first `limit` rows DuckDB set aside (one per source row) and how many there were."""
    # DuckDB numbers records, not lines; the byte offset gives the line an editor shows.
    query = (
        f"SELECT line_byte_position, min(error_type), min(error_message), count(*) OVER () "
        f"FROM {table} GROUP BY line_byte_position ORDER BY line_byte_position"
    )
    if limit is not None:
        query += f" LIMIT {int(limit)}"
    rows = con.execute(query).fetchall()
    lines = count_lines_before(source, [row[0] for row in rows])
    bad = [BadRow(lines[offset], _reason(kind, message)) for offset, kind, message, _ in rows]
    return bad, rows[0][3] if rows else 0


def _reason(kind: str, message: str) -> str:
    counts = _FIELD_COUNT.search(message or "")
    if counts:
        return f"expected {counts.group(1)} fields, found {counts.group(2)}"
    return _REASONS.get(kind, kind.lower())
