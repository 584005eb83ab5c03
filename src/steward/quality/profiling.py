"""Profile one Parquet version in DuckDB.

Pass one is a single scan computing, for every field at once, counts, nulls, min/max,
mean/stddev, quantiles and text lengths; duplicate rows and duplicate keys (compared by a 64-bit
hash of the fields) are counted beside it. Pass two counts values: each low-cardinality field
is grouped once (its top values, exact distinct count and, over its distinct values, its
patterns), and one more scan bins every number and date into a histogram.

Up to `EXACT_ROWS` rows every figure is exact. Above it, quantiles come from a reservoir sample
of `QUANTILE_SAMPLE` values; distinct counts of fields with more than `LOW_CARDINALITY`
distinct values come from HyperLogLog, and their top values are the most frequent values of a
`SAMPLE_ROWS` reservoir sample, each then counted exactly over all rows; `exact` and
`distinct_exact` say which.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

from steward.quality import values
from steward.quality.convert import jsonable
from steward.quality.duck import ident
from steward.quality.schemas import FieldProfile, Profile

EXACT_ROWS = 1_000_000
LOW_CARDINALITY = 100_000
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
QUANTILE_SAMPLE = 100_000
NUMERIC = frozenset({"number"})
TEMPORAL = frozenset({"floating_timestamp", "calendar_date"})


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # SoQL type
    physical: str  # DuckDB type in the Parquet file


def columns_of(schema: Sequence[dict[str, Any]]) -> list[Column]:
    """The data columns of a version's stored schema."""
    return [Column(c["name"], c["type"], c.get("physical", "")) for c in schema]


def profile_view(
    con: duckdb.DuckDBPyConnection,
    view: str,
    columns: Sequence[Column],
    key_fields: Sequence[str] = (),
) -> Profile:
    started = time.perf_counter()
    row_count = con.execute(f"SELECT count(*) FROM {ident(view)}").fetchone()[0]  # type: ignore[index]
    exact = row_count <= EXACT_ROWS
    stats = _pass_one(con, view, columns, exact)
    duplicate_rows, duplicate_keys = _duplicates(con, view, row_count, columns, key_fields)
    fields = [_field(column, row_count, stats[column.name]) for column in columns]
    values.count_values(
        con,
        view,
        columns,
        fields,
        row_count=row_count,
        exact=exact,
        low_cardinality=LOW_CARDINALITY,
    )
    return Profile(
        row_count=row_count,
        duplicate_rows=duplicate_rows,
        key_fields=list(key_fields),
        duplicate_keys=duplicate_keys,
        exact=exact,
        seconds=round(time.perf_counter() - started, 3),
        fields=fields,
    )


def _pass_one(
    con: duckdb.DuckDBPyConnection, view: str, columns: Sequence[Column], exact: bool
) -> dict[str, dict[str, Any]]:
    """One scan computing every field's statistics; returns them by field name."""
    names: list[tuple[str, str]] = []
    exprs: list[str] = []
    for column in columns:
        for stat, expr in _statistics(column, exact):
            names.append((column.name, stat))
            exprs.append(expr)
    stats: dict[str, dict[str, Any]] = {column.name: {} for column in columns}
    if not exprs:
        return stats
    row = con.execute(f"SELECT {', '.join(exprs)} FROM {ident(view)}").fetchone()
    assert row is not None
    for (owner, stat), value in zip(names, row, strict=True):
        stats[owner][stat] = value
    return stats


def _duplicates(
    con: duckdb.DuckDBPyConnection,
    view: str,
    row_count: int,
    columns: Sequence[Column],
    key_fields: Sequence[str],
) -> tuple[int, int | None]:
    """Rows equal to an earlier row in every field, and rows repeating an earlier key.

    Its own scan: beside the statistics, DuckDB holds the distinct hashes in far more memory.
    """
    exprs = [f"count(DISTINCT hash({', '.join(ident(c.name) for c in columns)}))"]
    if key_fields:
        exprs.append(f"count(DISTINCT hash({', '.join(ident(k) for k in key_fields)}))")
    if not columns:
        return 0, None
    row = con.execute(f"SELECT {', '.join(exprs)} FROM {ident(view)}").fetchone()
    assert row is not None
    return row_count - row[0], (row_count - row[1] if key_fields else None)


def _statistics(column: Column, exact: bool) -> list[tuple[str, str]]:
    q = ident(column.name)
    found = [("count", f"count({q})")]
    if not exact:
        found.append(("approx_distinct", f"approx_count_distinct({q})"))
    if column.type == "point":
        return found
    found += [("min", f"min({q})"), ("max", f"max({q})")]
    quantiles = f"[{', '.join(str(p) for p in QUANTILES)}]"
    if column.type in NUMERIC:
        function = "quantile_cont" if exact else "reservoir_quantile"
        found += [("mean", f"avg({q})"), ("stddev", f"stddev_samp({q})")]
    elif column.type in TEMPORAL:
        q = f"epoch_us({q})"  # dates are summarized as microseconds, then turned back
        function = "quantile_disc" if exact else "reservoir_quantile"
        found += [("mean", f"avg({q})"), ("stddev", f"stddev_samp({q})")]
    if column.type in NUMERIC | TEMPORAL:
        size = "" if exact else f", {QUANTILE_SAMPLE}"
        found.append(("quantiles", f"{function}({q}, {quantiles}{size})"))
    if column.type == "text":
        found += [("length_min", f"min(length({q}))"), ("length_max", f"max(length({q}))")]
    return found


def _field(column: Column, row_count: int, stats: dict[str, Any]) -> FieldProfile:
    nulls = row_count - int(stats.get("count") or 0)
    quantiles = stats.get("quantiles")
    mean, stddev = stats.get("mean"), stats.get("stddev")
    if column.type in TEMPORAL:
        mean = values.from_micros(mean)
        stddev = None if stddev is None else stddev / 86_400_000_000
        quantiles = None if quantiles is None else [values.from_micros(v) for v in quantiles]
    approx = stats.get("approx_distinct")
    return FieldProfile(
        name=column.name,
        type=column.type,
        physical=column.physical,
        null_count=nulls,
        null_share=round(nulls / row_count, 6) if row_count else 0.0,
        distinct_count=None if approx is None else int(approx),
        distinct_exact=False,
        min=jsonable(stats.get("min")),
        max=jsonable(stats.get("max")),
        mean=jsonable(mean),
        stddev=jsonable(stddev),
        quantiles=None
        if quantiles is None
        else {_quantile_name(p): jsonable(v) for p, v in zip(QUANTILES, quantiles, strict=True)},
        length_min=stats.get("length_min"),
        length_max=stats.get("length_max"),
    )


def _quantile_name(p: float) -> str:
    """
    >>> _quantile_name(0.05), _quantile_name(0.5)
    ('p05', 'p50')
    """
    return f"p{round(p * 100):02d}"
