"""The dataset store: ingest source files into immutable, typed, versioned Parquet files."""

from steward.store.ingest import ingest_file
from steward.store.model import BadRow, ColumnSpec, IngestResult

__all__ = ["BadRow", "ColumnSpec", "IngestResult", "ingest_file"]
