"""Helpers for the store tests: write a small source file, ingest it, read the result back."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest

from steward.store import IngestResult, ingest_file

FIXTURES = Path(__file__).parent.parent / "fixtures" / "store"


class Ingested:
    """An ingest result together with the rows and DuckDB types of the file it wrote."""

    def __init__(self, result: IngestResult, path: Path) -> None:
        self.result, self.path = result, path
        with duckdb.connect() as con:
            relation = con.sql("SELECT * FROM read_parquet($path)", params={"path": str(path)})
            self.names = list(relation.columns)
            self.types = [str(duck_type) for duck_type in relation.types]
            self.rows = relation.fetchall()

    def column(self, name: str) -> list[Any]:
        index = self.names.index(name)
        return [row[index] for row in self.rows]

    def spec(self, name: str) -> tuple[str, str]:
        (found,) = [column for column in self.result.columns if column.name == name]
        return found.type, found.physical


IngestText = Callable[..., Ingested]


@pytest.fixture
def ingest_bytes(tmp_path: Path) -> Callable[..., Ingested]:
    """ingest_bytes(data, suffix=".csv", **options) -> Ingested."""

    def run(data: bytes, suffix: str = ".csv", **options: Any) -> Ingested:
        source = tmp_path / f"source{suffix}"
        source.write_bytes(data)
        destination = tmp_path / "store" / "v1.parquet"
        return Ingested(ingest_file(source, destination, **options), destination)

    return run


@pytest.fixture
def ingest_csv(ingest_bytes: Callable[..., Ingested]) -> IngestText:
    """ingest_csv(text, **options) -> Ingested, for UTF-8 CSV text."""

    def run(text: str, **options: Any) -> Ingested:
        return ingest_bytes(text.encode("utf-8"), **options)

    return run
