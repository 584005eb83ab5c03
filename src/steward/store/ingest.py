"""Source file -> one typed Parquet file per dataset version.

Layout of the written file: `__id` (BIGINT, 1-based row ordinal in source order, which the query
layer serves as Socrata's `:id`), then one column per source column, named by `ColumnSpec.name`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from steward.errors import Invalid
from steward.store.engine import Source, connect, csv_source, parquet_source, read_rejects
from steward.store.inference import (
    EXACT,
    SPECULATION,
    UNKNOWN,
    ColumnPlan,
    kept,
    plan_exact,
    plan_from_sample,
    proven,
    select_list,
)
from steward.store.model import ID_COLUMN, BadRow, ColumnSpec, IngestResult
from steward.store.names import derive_names
from steward.store.staging import stage_json, stage_xlsx
from steward.store.textfile import (
    BackgroundHash,
    detect_encoding,
    parse_header,
    read_head,
    sniff_delimiter,
    transcode,
)
from steward.store.workspace import Meter, Workspace
from steward.store.writer import write_query

FORMATS = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".json": "json",
    ".parquet": "parquet",
}
REPORTED_BAD_ROWS = 10  # how many bad rows an error lists
_SCAN_SHARE, _WRITE_SHARE = 0.1, 0.95


def ingest_file(
    source: Path,
    destination: Path,
    *,
    skip_bad_rows: bool = False,
    progress: Callable[[int, int], None] | None = None,
    file_format: str | None = None,
) -> IngestResult:
    """Read `source` and write it to `destination` as typed Parquet, atomically.

    Raises `Invalid` for a file that cannot be accepted; by default a single bad row fails the
    ingest, and with `skip_bad_rows` such rows are left out and listed in the result.
    """
    source, destination = Path(source).absolute(), Path(destination).absolute()
    file_format = resolve_format(source, file_format)
    if not source.is_file():
        raise Invalid(f"source file not found: {source.name}")
    if source.stat().st_size == 0:
        raise Invalid("file is empty")
    destination.parent.mkdir(parents=True, exist_ok=True)
    meter = Meter(progress, source.stat().st_size)
    with Workspace(destination) as work, BackgroundHash(source) as digest:
        encoding = "utf-8"
        if file_format in ("csv", "json"):
            encoding = detect_encoding(source, meter.bytes_phase(0, _SCAN_SHARE))
        readable = [source, work.text, work.staged, work.output, work.retyped]
        with connect(readable, work.spill) as con, _duckdb_errors():
            src = _open_source(con, file_format, source, encoding, work, skip_bad_rows)
            names = derive_names(src.labels)
            plans, rows, bad, total_bad = _write(con, src, names, work, meter, skip_bad_rows)
        _check_rows(file_format, rows, bad, total_bad, skip_bad_rows)
        sha256 = digest.result()
        work.commit(destination)
    meter.report(1.0)
    columns = _column_specs(names, src.labels, plans)
    size = destination.stat().st_size
    skipped = bad if skip_bad_rows else []
    return IngestResult(rows, size, sha256, columns, skipped, source.name)


def _column_specs(names: list[str], labels: list[str], plans: list[ColumnPlan]) -> list[ColumnSpec]:
    return [
        ColumnSpec(name, label.strip(), plan.kind.type, plan.kind.physical)
        for name, label, plan in zip(names, labels, plans, strict=True)
    ]


def resolve_format(source: Path, file_format: str | None) -> str:
    if file_format is None:
        found = FORMATS.get(source.suffix.lower())
        if found is None:
            known = ", ".join(FORMATS)
            raise Invalid(f'cannot tell the format of "{source.name}"; expected one of {known}')
        return found
    if file_format not in set(FORMATS.values()):
        raise Invalid(f'unknown file format "{file_format}"; expected csv, xlsx, json or parquet')
    return file_format


def _open_source(
    con: duckdb.DuckDBPyConnection,
    file_format: str,
    path: Path,
    encoding: str,
    work: Workspace,
    skip_bad_rows: bool,
) -> Source:
    if file_format == "parquet":
        labels, types, relation = parquet_source(con, path)
        if labels and labels[0] == ID_COLUMN:  # a store file: its row numbers are made anew
            labels, types, relation = parquet_source(con, path, skip_first=True)
        return Source(relation, {"path": str(path)}, labels, types)
    if encoding != "utf-8":
        transcode(path, work.text, encoding)
        path = work.text
    if file_format == "csv":
        head, whole = read_head(path)
        delimiter = sniff_delimiter(head, whole)
        return csv_source(path, parse_header(head, delimiter), delimiter)
    stage = stage_xlsx if file_format == "xlsx" else stage_json
    labels, bad = stage(path, work.staged, None if skip_bad_rows else REPORTED_BAD_ROWS)
    if bad and not skip_bad_rows:
        raise _bad_rows_error(bad, len(bad))
    _, types, relation = parquet_source(con, work.staged)
    return Source(relation, {"path": str(work.staged)}, labels, types, bad_rows=bad)


class _Misfit(Exception):
    """A value broke the type guessed from the sample."""


def _write(
    con: duckdb.DuckDBPyConnection,
    src: Source,
    names: list[str],
    work: Workspace,
    meter: Meter,
    skip_bad_rows: bool,
) -> tuple[list[ColumnPlan], int, list[BadRow], int]:
    """Type and write every row; return the plans, row count, bad rows and their total."""
    on_progress = meter.phase(_SCAN_SHARE, _WRITE_SHARE)
    plans = plan_from_sample(con, src)
    rejects = "rejects_guess"
    try:
        rows = _write_pass(con, src, plans, names, work.output, on_progress, rejects)
    except _Misfit:
        plans = plan_exact(con, src, plans, src.relation(None))
        rejects = "rejects_exact"
        rows = _write_pass(con, src, plans, names, work.output, on_progress, rejects)
    plans = _settle_unknown(con, [proven(plan) for plan in plans], names, work)
    bad, total = src.bad_rows, len(src.bad_rows)
    if src.csv_path is not None:
        limit = None if skip_bad_rows else REPORTED_BAD_ROWS
        bad, total = read_rejects(con, rejects, src.csv_path, limit)
    return plans, rows, bad, total


def _write_pass(
    con: duckdb.DuckDBPyConnection,
    src: Source,
    plans: list[ColumnPlan],
    names: list[str],
    target: Path,
    on_progress: Callable[[float], None],
    rejects: str,
) -> int:
    query = f"SELECT {select_list(plans)} FROM {src.relation(rejects)}"
    try:
        return write_query(con, query, src.params, names, target, on_progress)
    except duckdb.Error as error:
        if SPECULATION in str(error):
            raise _Misfit from error
        raise


@contextmanager
def _duckdb_errors() -> Iterator[None]:
    """Report what DuckDB could not read as `Invalid`, never as a DuckDB exception."""
    try:
        yield
    except duckdb.Error as error:
        text = str(error)
        if "state machine reached an invalid state" in text:
            # Strict mode stops here rather than silently cut a value at a stray \r or quote.
            message = "file is not valid CSV: a carriage return or quote in an unexpected place"
        else:
            message = f"could not read the file: {text.splitlines()[0]}"
        raise Invalid(message) from error


def _settle_unknown(
    con: duckdb.DuckDBPyConnection, plans: list[ColumnPlan], names: list[str], work: Workspace
) -> list[ColumnPlan]:
    """Type the columns that were empty in the sample, from the file just written."""
    if all(plan.status == EXACT for plan in plans):
        return plans
    _, types, relation = parquet_source(con, work.output, skip_first=True)
    written = Source(relation, {"path": str(work.output)}, names, types)
    settled = plan_exact(con, written, plans, relation(None))
    if all(
        new.kind.key == "text"
        for old, new in zip(plans, settled, strict=True)
        if old.status == UNKNOWN
    ):
        return settled
    rewrite = [
        new if old.status == UNKNOWN else kept(old) for old, new in zip(plans, settled, strict=True)
    ]
    query = f"SELECT {select_list(rewrite)} FROM {relation(None)}"
    write_query(con, query, written.params, names, work.retyped, lambda _: None)
    os.replace(work.retyped, work.output)
    return settled


def _check_rows(
    file_format: str, rows: int, bad: list[BadRow], total_bad: int, skip_bad_rows: bool
) -> None:
    if bad and not skip_bad_rows:
        raise _bad_rows_error(bad, total_bad)
    if rows == 0 and bad:
        raise Invalid(f"file has no valid data rows ({total_bad} bad rows skipped)")
    if rows == 0:
        header = file_format in ("csv", "xlsx")
        raise Invalid("file has a header but no data rows" if header else "file has no data rows")


def _bad_rows_error(bad: list[BadRow], total: int) -> Invalid:
    first = bad[0]
    more = f" (and {total - 1} more bad rows)" if total > 1 else ""
    listed = [{"line": row.line, "reason": row.reason} for row in bad[:REPORTED_BAD_ROWS]]
    return Invalid(
        f"line {first.line}: {first.reason}{more}",
        data={"bad_rows": listed, "bad_row_count": total},
    )
