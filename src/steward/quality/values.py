"""Pass two of a profile: value counts, top values, patterns and histograms.

Patterns write each character's class: `A` an upper-case letter, `a` a lower-case one, `9` a
digit, anything else as itself; so ZIP codes read `99999` and `AB-0042` reads `AA-9999`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import duckdb

from steward.quality.convert import jsonable
from steward.quality.duck import ident, literal
from steward.quality.schemas import FieldProfile, HistogramBin, Pattern, TopValue

if TYPE_CHECKING:
    from steward.quality.profiling import Column

TOP_K = 10
TOP_PATTERNS = 5
BINS = 20
PATTERN_VALUES = 20_000
PATTERN_LENGTH = 40
SAMPLE_ROWS = 50_000
SAMPLE = "__quality_sample"
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LOWER = _UPPER.lower()
_FROM = literal(_UPPER + _LOWER + "0123456789")
_TO = literal("A" * 26 + "a" * 26 + "9" * 10)
BINNED = frozenset({"number", "floating_timestamp", "calendar_date"})


def pattern_sql(expr: str) -> str:
    short = f"translate(left({expr}, {PATTERN_LENGTH}), {_FROM}, {_TO})"
    return f"CASE WHEN length({expr}) > {PATTERN_LENGTH} THEN {short} || '…' ELSE {short} END"


def from_micros(micros: float | None) -> datetime | None:
    if micros is None:
        return None
    return datetime.fromtimestamp(micros / 1_000_000, UTC).replace(tzinfo=None)


def count_values(
    con: duckdb.DuckDBPyConnection,
    view: str,
    columns: Sequence[Column],
    fields: list[FieldProfile],
    *,
    row_count: int,
    exact: bool,
    low_cardinality: int,
) -> None:
    """Fill in top values, distinct counts, patterns and histograms of `fields` in place."""
    sampled: list[tuple[Column, FieldProfile]] = []
    for column, field in zip(columns, fields, strict=True):
        if exact or (field.distinct_count is not None and field.distinct_count <= low_cardinality):
            _group(con, view, column, field, max(row_count - field.null_count, 1))
        if _needs_sample(column, field):
            sampled.append((column, field))
    if sampled:
        _from_sample(con, view, sampled)
    _histograms(con, view, columns, fields)


def _needs_sample(column: Column, field: FieldProfile) -> bool:
    """Top values not counted exactly, or too many distinct texts to pattern them all."""
    if field.distinct_count is None or not field.distinct_exact:
        return True
    return column.type == "text" and field.distinct_count > PATTERN_VALUES


def _group(
    con: duckdb.DuckDBPyConnection, view: str, column: Column, field: FieldProfile, present: int
) -> None:
    """Exact value counts of one field: distinct count, top values, patterns of distinct values."""
    q = ident(column.name)
    patterns = "NULL"
    if column.type == "text":
        patterns = (
            f"(SELECT list({{'pattern': p, 'n': n}} ORDER BY n DESC, p) FROM ("
            f"SELECT {pattern_sql('v')} AS p, sum(n) AS n FROM counts "
            f"WHERE (SELECT count(*) FROM counts) <= {PATTERN_VALUES} "
            f"GROUP BY p ORDER BY n DESC, p LIMIT {TOP_PATTERNS}))"
        )
    sql = (
        f"WITH counts AS MATERIALIZED (SELECT {q} AS v, count(*) AS n FROM {ident(view)} "
        f"WHERE {q} IS NOT NULL GROUP BY ALL) "
        f"SELECT (SELECT count(*) FROM counts), "
        f"(SELECT list({{'value': v, 'count': n}} ORDER BY n DESC, v) FROM "
        f"(SELECT v, n FROM counts ORDER BY n DESC, v LIMIT {TOP_K})), {patterns}"
    )
    row = con.execute(sql).fetchone()
    assert row is not None
    distinct, top, found = row
    field.distinct_count, field.distinct_exact = int(distinct), True
    field.top_values = [TopValue(value=jsonable(t["value"]), count=t["count"]) for t in top or []]
    field.patterns = [
        Pattern(pattern=p["pattern"], share=round(p["n"] / present, 6)) for p in found or []
    ]


def _from_sample(
    con: duckdb.DuckDBPyConnection, view: str, sampled: list[tuple[Column, FieldProfile]]
) -> None:
    """Top-value candidates and patterns of high-cardinality fields from a reservoir sample;
    candidates are then counted exactly over every row."""
    names = ", ".join(ident(column.name) for column, _ in sampled)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {SAMPLE} AS SELECT {names} FROM {ident(view)} "
        f"USING SAMPLE reservoir({SAMPLE_ROWS} ROWS) REPEATABLE (7)"
    )
    try:
        for column, field in sampled:
            if not field.distinct_exact:
                field.top_values = _recount(con, view, column)
            if column.type == "text" and not field.patterns:
                field.patterns = _sample_patterns(con, column)
                field.patterns_sampled = True
    finally:
        con.execute(f"DROP TABLE IF EXISTS {SAMPLE}")


def _recount(con: duckdb.DuckDBPyConnection, view: str, column: Column) -> list[TopValue]:
    q = ident(column.name)
    candidates = [
        row[0]
        for row in con.execute(
            f"SELECT {q}, count(*) AS n FROM {SAMPLE} WHERE {q} IS NOT NULL "
            f"GROUP BY ALL ORDER BY n DESC, 1 LIMIT {TOP_K}"
        ).fetchall()
    ]
    if not candidates:
        return []
    counted = con.execute(
        f"SELECT t.{q} AS v, count(*) AS n FROM {ident(view)} AS t "
        f"JOIN (SELECT unnest($candidates) AS v) AS k ON t.{q} = k.v GROUP BY ALL "
        "ORDER BY n DESC, v",
        {"candidates": candidates},
    ).fetchall()
    return [TopValue(value=jsonable(value), count=count) for value, count in counted]


def _sample_patterns(con: duckdb.DuckDBPyConnection, column: Column) -> list[Pattern]:
    q = ident(column.name)
    rows = con.execute(
        f"SELECT {pattern_sql(q)} AS p, count(*) AS n, sum(count(*)) OVER () AS total "
        f"FROM {SAMPLE} WHERE {q} IS NOT NULL GROUP BY p ORDER BY n DESC, p LIMIT {TOP_PATTERNS}"
    ).fetchall()
    return [Pattern(pattern=p, share=round(n / total, 6)) for p, n, total in rows]


def _histograms(
    con: duckdb.DuckDBPyConnection,
    view: str,
    columns: Sequence[Column],
    fields: list[FieldProfile],
) -> None:
    """One scan binning every number and date field into `BINS` equal-width bins."""
    binned: list[tuple[FieldProfile, float, float]] = []
    exprs: list[str] = []
    params: list[Any] = []
    for column, field in zip(columns, fields, strict=True):
        bounds = _bounds(column, field)
        if bounds is None:
            continue
        low, width = bounds
        value = f"epoch_us({ident(column.name)})" if column.type != "number" else ident(column.name)
        params += [low, width]
        lo, wd = f"${len(params) - 1}", f"${len(params)}"
        # least() skips nulls, so they are filtered out, or they would land in the last bin
        exprs.append(
            f"histogram(least(CAST(floor((CAST({value} AS DOUBLE) - {lo}) / {wd}) AS INTEGER), "
            f"{BINS - 1})) FILTER (WHERE {value} IS NOT NULL)"
        )
        binned.append((field, low, width))
    if not exprs:
        return
    row = con.execute(f"SELECT {', '.join(exprs)} FROM {ident(view)}", params).fetchone()
    assert row is not None
    for (field, low, width), counts in zip(binned, row, strict=True):
        field.histogram = [
            HistogramBin(
                start=_edge(field, low + index * width),
                end=_edge(field, low + (index + 1) * width),
                count=int((counts or {}).get(index, 0)),
            )
            for index in range(BINS)
        ]


def _bounds(column: Column, field: FieldProfile) -> tuple[float, float] | None:
    if column.type not in BINNED or field.min is None or field.max is None:
        return None
    if column.type == "number":
        low, high = float(field.min), float(field.max)
    else:
        low, high = _micros(field.min), _micros(field.max)
    if not high > low:
        return None
    return low, (high - low) / BINS


def _micros(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp() * 1_000_000


def _edge(field: FieldProfile, value: float) -> Any:
    if field.type == "number":
        return round(value, 10)
    return jsonable(from_micros(value))
