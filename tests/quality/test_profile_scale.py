"""The estimating path used above `EXACT_ROWS`, exercised on small data by lowering the limits:
top values stay exactly counted, distinct counts become estimates."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from steward.quality import profiling
from steward.quality.duck import connect
from steward.quality.profiling import Column, profile_view


def test_estimates_above_the_exact_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "v1.parquet"
    duckdb.connect().execute(
        "COPY (SELECT i + 1 AS __id, 'id-' || i AS code, (i % 7) AS bucket, "
        "CASE WHEN i % 10 = 0 THEN NULL ELSE i * 0.5 END AS amount, "
        "CASE WHEN i % 3 = 0 THEN 'common' ELSE 'v' || i END AS skewed "
        "FROM range(5000) t(i)) TO '" + str(path) + "' (FORMAT parquet)"
    )
    monkeypatch.setattr(profiling, "EXACT_ROWS", 1000)
    monkeypatch.setattr(profiling, "LOW_CARDINALITY", 50)
    columns = [
        Column("code", "text", "VARCHAR"),
        Column("bucket", "number", "BIGINT"),
        Column("amount", "number", "DOUBLE"),
        Column("skewed", "text", "VARCHAR"),
    ]
    with connect(tmp_path, {"v": path}) as con:
        found = profile_view(con, "v", columns, key_fields=["code"])
    assert not found.exact and found.duplicate_rows == 0 and found.duplicate_keys == 0
    code, bucket, amount, skewed = found.fields
    assert not code.distinct_exact and abs(code.distinct_count - 5000) < 250  # type: ignore[operator]
    assert all(top.count == 1 for top in code.top_values) and code.patterns_sampled
    assert bucket.distinct_exact and bucket.distinct_count == 7
    assert [top.count for top in bucket.top_values] == [715, 715, 714, 714, 714, 714, 714]
    assert amount.null_count == 500 and sum(b.count for b in amount.histogram) == 4500
    assert abs(amount.quantiles["p50"] - 1250) < 60  # type: ignore[index]
    assert skewed.top_values[0].value == "common" and skewed.top_values[0].count == 1667
