"""The data the query layer exchanges with its callers: fields in, compiled SQL and columns out."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldInfo:
    """One field of a dataset as the query layer sees it."""

    name: str  # API field name (lower-case snake_case)
    type: str  # SoQL type: text | number | checkbox | floating_timestamp | point
    column: str  # physical column name in the Parquet file (usually == name)


@dataclass(frozen=True)
class OutputColumn:
    """One column of a query's result."""

    name: str  # name in the result: the alias, the field name, or a generated name
    type: str  # SoQL type of the values


@dataclass(frozen=True)
class CompiledQuery:
    """SQL ready to run, with its bound parameters (`$1`, `$2`, ...) and result columns.

    `table` is the relation name the SQL reads, which the engine binds to the Parquet file.
    `light` marks a small page read in file order (a bounded limit and offset, no grouping, no
    sort), which the engine runs on one thread: a second one would only cost CPU.
    """

    sql: str
    params: list[object]
    columns: list[OutputColumn]
    table: str = "dataset"
    dialect: str = field(default="duckdb")
    light: bool = False
