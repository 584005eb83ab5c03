"""Read a sample of a version's values, as text, for the field proposer."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb

from steward.classification.propose import SAMPLE_SIZE
from steward.quality.duck import ident, literal


def sample_values(
    path: Path, columns: Sequence[str], limit: int = SAMPLE_SIZE
) -> tuple[int, dict[str, list[str | None]]]:
    """Up to `limit` rows of the Parquet file at `path` (a repeatable random sample of larger
    files), each column's values as text; and the number of rows sampled.

    The path comes from the store's version table and every column name is quoted, so nothing
    from a request reaches the SQL.
    """
    if not columns:
        return 0, {}
    selected = ", ".join(f"CAST({ident(name)} AS VARCHAR)" for name in columns)
    sql = (
        f"SELECT {selected} FROM read_parquet({literal(str(path))}) "
        f"USING SAMPLE reservoir({int(limit)} ROWS) REPEATABLE (7)"
    )
    # One thread makes the seeded sample the same on every run.
    con = duckdb.connect(":memory:", config={"threads": 1})
    try:
        rows = con.execute(sql).fetchall()
    finally:
        con.close()
    values = {name: [row[index] for row in rows] for index, name in enumerate(columns)}
    return len(rows), values
