"""Whole-version exports (CSV or Parquet) for the public, streamed in constant memory.

Only the fields an anonymous caller may see are written, and `__id` (the row ordinal the query
layer uses for stable paging) is left out.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
from sqlalchemy.orm import Session

from steward.catalog.rows import open_public_rows

BATCH_ROWS = 65_536
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "parquet": "application/vnd.apache.parquet"}


@dataclass(frozen=True)
class Export:
    filename: str
    media_type: str
    source: Path
    columns: list[str]
    format: str

    def chunks(self) -> Iterator[bytes]:
        if self.format == "csv":
            return csv_chunks(self.source, self.columns)
        return parquet_chunks(self.source, self.columns)


def prepare_export(
    session: Session, data_dir: Path, dataset_id: str, number: int | None, fmt: str
) -> Export:
    source = open_public_rows(session, data_dir, dataset_id, number)
    present = set(pq.read_schema(source.parquet).names)
    return Export(
        filename=f"{dataset_id}-v{source.version}.{fmt}",
        media_type=MEDIA_TYPES[fmt],
        source=source.parquet,
        columns=[field.name for field in source.fields if field.name in present],
        format=fmt,
    )


def csv_chunks(path: Path, columns: list[str]) -> Iterator[bytes]:
    """RFC 4180 CSV with a header of field names, one Parquet batch at a time."""
    parquet = pq.ParquetFile(path)
    first = True
    for batch in parquet.iter_batches(batch_size=BATCH_ROWS, columns=columns):
        sink = io.BytesIO()
        options = pa_csv.WriteOptions(include_header=first, quoting_style="needed")
        pa_csv.write_csv(pa.Table.from_batches([batch]), sink, write_options=options)
        first = False
        yield sink.getvalue()
    if first:  # no rows: still a header
        yield (",".join(columns) + "\r\n").encode()


def parquet_chunks(path: Path, columns: list[str]) -> Iterator[bytes]:
    """Rewrite the chosen columns to a temporary Parquet file, then stream it and delete it."""
    parquet = pq.ParquetFile(path)
    schema = pa.schema([parquet.schema_arrow.field(name) for name in columns])
    handle, tmp_name = tempfile.mkstemp(suffix=".parquet")
    os.close(handle)
    try:
        with pq.ParquetWriter(tmp_name, schema, compression="zstd") as writer:
            for batch in parquet.iter_batches(batch_size=BATCH_ROWS, columns=columns):
                writer.write_batch(batch)
        with open(tmp_name, "rb") as stream:
            while chunk := stream.read(1 << 20):
                yield chunk
    finally:
        os.unlink(tmp_name)
