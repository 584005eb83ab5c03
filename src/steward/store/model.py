"""What an ingest produces: the typed columns, the rows it skipped and the file it wrote."""

from __future__ import annotations

from dataclasses import dataclass

# SoQL type -> DuckDB type stored in Parquet; the query layer relies on exactly these pairs.
PHYSICAL_TYPES: dict[str, tuple[str, ...]] = {
    "text": ("VARCHAR",),
    "number": ("BIGINT", "DOUBLE"),
    "checkbox": ("BOOLEAN",),
    "floating_timestamp": ("TIMESTAMP",),
    "point": ("STRUCT(longitude DOUBLE, latitude DOUBLE)",),
}

ID_COLUMN = "__id"


@dataclass(frozen=True)
class ColumnSpec:
    """One data column: API field name, original header, SoQL type and stored DuckDB type."""

    name: str
    label: str
    type: str
    physical: str


@dataclass(frozen=True)
class BadRow:
    """A source row that could not be read; `line` is 1-based and the header is line 1."""

    line: int
    reason: str


@dataclass(frozen=True)
class IngestResult:
    row_count: int
    byte_size: int
    sha256: str
    columns: list[ColumnSpec]
    skipped: list[BadRow]
    source_filename: str
