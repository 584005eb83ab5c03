"""The DuckDB side of quality work: a locked-down connection and safe SQL names.

Every connection may read only files under the store directory; Parquet files are bound to
views by a quoted literal of a path taken from the store (never from a request), and every field
name is quoted as an identifier, so nothing from the data dictionary becomes SQL text unquoted.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
from sqlglot import exp

MEMORY_LIMIT = "2GB"


def ident(name: str) -> str:
    """A quoted DuckDB identifier; a quote inside the name is doubled.

    >>> print(ident("town name"), ident('a"b'))
    "town name" "a""b"
    """
    return exp.to_identifier(name, quoted=True).sql("duckdb")


def literal(text: str) -> str:
    """A quoted DuckDB string literal.

    >>> literal("it's")
    "'it''s'"
    """
    return exp.Literal.string(text).sql("duckdb")


@contextmanager
def connect(store_dir: Path, views: dict[str, Path]) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection that may read only `store_dir`, with each view bound to its Parquet file.

    Work past the memory limit spills to a hidden folder in the store, removed afterwards, so
    profiling a version far larger than memory slows down rather than fails the ingest.
    """
    root = Path(store_dir).resolve()
    spill = tempfile.mkdtemp(prefix=".quality-spill-", dir=root)
    con = duckdb.connect(
        ":memory:",
        config={
            "memory_limit": MEMORY_LIMIT,
            "threads": os.cpu_count() or 1,
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
        },
    )
    try:
        con.execute(f"SET temp_directory = {literal(spill)}")
        con.execute("SET enable_progress_bar = false")  # it would write to the server's stdout
        con.execute(f"SET allowed_directories = [{literal(f'{root}/')}]")
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
        for name, path in views.items():
            resolved = Path(path).resolve()
            if not resolved.is_relative_to(root):
                raise ValueError(f"{path} is outside the store directory {root}")
            con.execute(
                f"CREATE TEMP VIEW {ident(name)} AS "
                f"SELECT * FROM read_parquet({literal(str(resolved))})"
            )
        yield con
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)
