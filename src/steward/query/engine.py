"""Run compiled SoQL on one Parquet file with DuckDB, locked down.

The engine's in-memory DuckDB database is configured once and then locked: it may read only
files under the store directory (`allowed_directories` with `enable_external_access = false`),
loads no extensions, never spills to disk unless `EngineLimits.spill_dir` is set, and has a memory
limit and a thread count; `lock_configuration` then stops any statement from changing that. Each
query runs on a cursor (DuckDB's name for a further connection to the same database) on which a
temporary view binds the compiled query's table name to the Parquet file. Cursors are pooled by
file, so repeated queries on a dataset skip that setup.

A query that runs past `timeout_s` is interrupted from a timer thread; it, and a query that
exceeds the memory limit, raises `QueryTimeout`. Any other DuckDB error becomes `QueryError`.

DuckDB 2.0's late-materialization optimizer, which makes deep `$offset` pages fast, fails on
some filters with an internal error. Such a query is run again on a second, equally locked
database that has that optimizer switched off (created only when first needed).

Light queries (`CompiledQuery.light`: small pages read in file order, no grouping or sorting) run
on a further pair of locked databases with one thread: for them a second thread only decodes a
second row group that the page does not need, doubling the CPU a request costs.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import duckdb
import pyarrow as pa
from sqlglot import exp

from steward.errors import NotFound, QueryError, QueryTimeout
from steward.query.schema import CompiledQuery

_T = TypeVar("_T")
_Key = tuple[Path, str, bool, bool]  # (Parquet file, view name, cautious, light database)
_POOLED_PER_FILE = 4
_POOLED_FILES = 32
_CAUTIOUS_OPTIMIZERS_OFF = "late_materialization"


@dataclass(frozen=True)
class EngineLimits:
    memory_limit: str = "1GB"
    threads: int = 2
    timeout_s: float = 10.0
    spill_dir: Path | None = None  # where big sorts may spill; None: never write to disk


class _EngineBug(Exception):
    """DuckDB failed internally; the query may succeed on the cautious database."""


class _Deadline:
    """One query's time budget, spent across the waits for its results."""

    _REPEAT_S = 0.005

    def __init__(self, budget_s: float) -> None:
        self.remaining = budget_s
        self.fired = False

    @contextmanager
    def running(self, cursor: duckdb.DuckDBPyConnection) -> Iterator[None]:
        done = threading.Event()

        def watch() -> None:
            if done.wait(max(self.remaining, 0.0)):
                return
            self.fired = True
            # DuckDB forgets an interrupt that lands before the query starts, so repeat it.
            while not done.is_set():
                cursor.interrupt()
                done.wait(self._REPEAT_S)

        watcher = threading.Thread(target=watch, name="steward-query-deadline", daemon=True)
        started = time.monotonic()
        watcher.start()
        try:
            yield
        finally:
            done.set()
            watcher.join()
            self.remaining -= time.monotonic() - started


class QueryEngine:
    def __init__(self, store_dir: Path, limits: EngineLimits | None = None) -> None:
        self.store_dir = Path(store_dir).resolve()
        self.limits = limits or EngineLimits()
        self._lock = threading.Lock()
        self._databases: dict[bool, duckdb.DuckDBPyConnection] = {}  # by cautious
        self._light_databases: dict[bool, duckdb.DuckDBPyConnection] = {}  # one thread each
        self._idle: OrderedDict[_Key, list[duckdb.DuckDBPyConnection]] = OrderedDict()

    # ------------------------------------------------------------ public
    def execute(self, compiled: CompiledQuery, parquet_path: Path) -> pa.Table:
        """Run `compiled` on `parquet_path` and return the whole result."""
        path = self._trusted_path(compiled, parquet_path)
        deadline = _Deadline(self.limits.timeout_s)
        try:
            return self._execute_on(compiled, path, deadline, cautious=False)
        except _EngineBug:
            return self._execute_on(compiled, path, deadline, cautious=True)

    def stream(
        self, compiled: CompiledQuery, parquet_path: Path, batch_rows: int = 65_536
    ) -> Iterator[pa.RecordBatch]:
        """Run `compiled` and return its result as batches, holding only a few in memory.

        The query runs up to its first batch before this returns, so most errors (a bad cast, a
        timeout, a sort over the memory limit) are raised here rather than mid-stream. The time
        limit counts only the time spent producing batches, not time the consumer spends between
        them (a slow client does not make a query time out).
        """
        path = self._trusted_path(compiled, parquet_path)
        batches = self._stream_with_retry(compiled, path, batch_rows)
        first = next(batches, None)
        return _chain(first, batches)

    def _stream_with_retry(
        self, compiled: CompiledQuery, path: Path, batch_rows: int
    ) -> Generator[pa.RecordBatch, None, None]:
        deadline = _Deadline(self.limits.timeout_s)
        try:
            yield from self._stream_on(compiled, path, batch_rows, deadline, cautious=False)
        except _EngineBug:
            yield from self._stream_on(compiled, path, batch_rows, deadline, cautious=True)

    def close(self) -> None:
        with self._lock:
            for cursors in self._idle.values():
                for cursor in cursors:
                    cursor.close()
            self._idle.clear()
            for databases in (self._databases, self._light_databases):
                for database in databases.values():
                    database.close()
                databases.clear()

    # ------------------------------------------------------------ running
    def _execute_on(
        self, compiled: CompiledQuery, path: Path, deadline: _Deadline, cautious: bool
    ) -> pa.Table:
        with self._cursor(compiled, path, cautious, deadline) as cursor, deadline.running(cursor):
            return self._guarded(
                lambda: cursor.sql(compiled.sql, params=compiled.params).to_arrow_table(),
                cautious,
            )

    def _stream_on(
        self,
        compiled: CompiledQuery,
        path: Path,
        batch_rows: int,
        deadline: _Deadline,
        cautious: bool,
    ) -> Iterator[pa.RecordBatch]:
        with self._cursor(compiled, path, cautious, deadline) as cursor:
            with deadline.running(cursor):
                reader = self._guarded(
                    lambda: cursor.sql(compiled.sql, params=compiled.params).to_arrow_reader(
                        batch_rows
                    ),
                    cautious,
                )
            try:
                sent = False
                while True:
                    with deadline.running(cursor):
                        # Once batches have gone out, a retry would send them twice.
                        batch = self._guarded(lambda: _next_batch(reader), cautious or sent)
                    if batch is None:
                        return
                    sent = True
                    yield batch
            finally:
                reader.close()

    def _guarded(self, run: Callable[[], _T], cautious: bool) -> _T:
        """Run `run`, turning every DuckDB failure into a Steward error (or a retry)."""
        try:
            return run()
        except duckdb.Error as error:
            raise self._translate_error(_kind(error), error, cautious) from None
        except (pa.ArrowException, OSError) as error:
            # Errors met while streaming arrive through the Arrow reader, as text only.
            raise self._translate_error(_kind_from_text(str(error)), error, cautious) from None

    def _translate_error(self, kind: str, error: BaseException, cautious: bool) -> Exception:
        limits = self.limits
        if kind == "interrupt":
            return QueryTimeout(
                f"The query took longer than the {limits.timeout_s:g} s limit and was stopped",
                data={"timeout_s": limits.timeout_s},
            )
        if kind == "memory":
            return QueryTimeout(
                f"The query needed more memory than the {limits.memory_limit} limit "
                "and was stopped",
                data={"memory_limit": limits.memory_limit},
            )
        if kind == "internal" and not cautious:
            return _EngineBug()
        return QueryError(f"The query could not be run: {_first_line(error)}")

    # ------------------------------------------------------------ cursors
    @contextmanager
    def _cursor(
        self, compiled: CompiledQuery, path: Path, cautious: bool, deadline: _Deadline
    ) -> Iterator[duckdb.DuckDBPyConnection]:
        key = (path, compiled.table, cautious, self._is_light(compiled))
        cursor = self._acquire(key)
        try:
            yield cursor
        except BaseException:
            cursor.close()  # its state is unknown after an error or an interrupt
            raise
        if deadline.fired:
            cursor.close()  # an interrupt may have landed just after the query ended
        else:
            self._release(key, cursor)

    def _is_light(self, compiled: CompiledQuery) -> bool:
        """Whether `compiled` runs on a one-thread database (when the engine has more threads)."""
        return compiled.light and self.limits.threads > 1

    def _trusted_path(self, compiled: CompiledQuery, parquet_path: Path) -> Path:
        if compiled.dialect != "duckdb":
            raise ValueError(f"the DuckDB engine cannot run {compiled.dialect} SQL")
        path = Path(parquet_path).resolve()
        if not path.is_relative_to(self.store_dir):
            raise ValueError(f"{parquet_path} is outside the store directory {self.store_dir}")
        if not path.is_file():
            raise NotFound("The data file of this dataset version is missing")
        return path

    def _acquire(self, key: _Key) -> duckdb.DuckDBPyConnection:
        path, table, cautious, light = key
        with self._lock:
            idle = self._idle.get(key)
            if idle:
                self._idle.move_to_end(key)
                return idle.pop()
            databases = self._light_databases if light else self._databases
            if cautious not in databases:
                threads = 1 if light else self.limits.threads
                databases[cautious] = _locked_database(
                    self.store_dir, self.limits, cautious, threads
                )
            cursor = databases[cautious].cursor()
        view = exp.to_identifier(table, quoted=True).sql("duckdb")
        source = exp.Literal.string(str(path)).sql("duckdb")
        try:
            cursor.execute(f"CREATE TEMP VIEW {view} AS SELECT * FROM read_parquet({source})")
        except duckdb.Error as error:
            cursor.close()
            raise QueryError(f"The data file cannot be read: {_first_line(error)}") from None
        return cursor

    def _release(self, key: _Key, cursor: duckdb.DuckDBPyConnection) -> None:
        surplus: list[duckdb.DuckDBPyConnection] = []
        with self._lock:
            idle = self._idle.setdefault(key, [])
            self._idle.move_to_end(key)
            (idle if len(idle) < _POOLED_PER_FILE else surplus).append(cursor)
            while len(self._idle) > _POOLED_FILES:
                surplus += self._idle.popitem(last=False)[1]
        for extra in surplus:
            extra.close()


def _locked_database(
    store_dir: Path, limits: EngineLimits, cautious: bool, threads: int
) -> duckdb.DuckDBPyConnection:
    database = duckdb.connect(
        ":memory:",
        config={
            "memory_limit": limits.memory_limit,
            "threads": threads,
            "preserve_insertion_order": True,  # the translator relies on it for `:id` order
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
        },
    )
    spill = str(limits.spill_dir.resolve()) if limits.spill_dir is not None else ""
    allowed = exp.Array(expressions=[exp.Literal.string(f"{store_dir}/")])
    # Order matters: the directory settings must be made before external access is disabled.
    database.execute(f"SET temp_directory = {exp.Literal.string(spill).sql('duckdb')}")
    database.execute(f"SET allowed_directories = {allowed.sql('duckdb')}")
    database.execute("SET enable_external_access = false")
    if cautious:
        database.execute(f"SET disabled_optimizers = '{_CAUTIOUS_OPTIMIZERS_OFF}'")
    database.execute("SET lock_configuration = true")
    return database


def _kind(error: duckdb.Error) -> str:
    if isinstance(error, duckdb.InterruptException):
        return "interrupt"
    if isinstance(error, duckdb.OutOfMemoryException):
        return "memory"
    if isinstance(error, duckdb.InternalException):
        return "internal"
    return "other"


def _kind_from_text(text: str) -> str:
    for prefix, kind in _ERROR_PREFIXES:
        if text.startswith(prefix):
            return kind
    return "other"


_ERROR_PREFIXES = (
    ("INTERRUPT Error", "interrupt"),
    ("Out of Memory Error", "memory"),
    ("INTERNAL Error", "internal"),
)


def _chain(
    first: pa.RecordBatch | None, rest: Generator[pa.RecordBatch, None, None]
) -> Iterator[pa.RecordBatch]:
    try:
        if first is not None:
            yield first
            yield from rest
    finally:
        rest.close()  # closes the query's cursor at once when the consumer stops early


def _next_batch(reader: pa.RecordBatchReader) -> pa.RecordBatch | None:
    try:
        return reader.read_next_batch()
    except StopIteration:
        return None


def _first_line(error: BaseException) -> str:
    """DuckDB's message without its SQL excerpt or its tips (which name settings users lack)."""
    text = str(error).strip()
    line = text.splitlines()[0] if text else type(error).__name__
    return line.split(". ", 1)[0]
