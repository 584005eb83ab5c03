"""Rows of a non-public dataset, read for aggregation, and the columns derived from them.

A derived column is written `KIND:COLUMN`: `town` (a Connecticut town from any spelling, via the
standards registry), `year` and `month` (from a date), `age_band` (from an age in years) and
`text` (the value trimmed; empty becomes `Unknown`). A row whose town is outside the state (or
unreadable) has no place in a town hierarchy and is left out; the count left out is reported.

>>> derive_value("town", "HARTFORD"), derive_value("month", "03/24/2017"), derive_value("year", "")
('Hartford', '2017-03', None)
>>> derive_value("age_band", "29"), derive_value("text", "  ")
('25-34', 'Unknown')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import duckdb

from steward.errors import Invalid
from steward.privacy.hierarchy import age_band
from steward.quality.duck import ident, literal
from steward.standards.dates import normalize_date
from steward.standards.geography import normalize_town

KINDS = ("town", "year", "month", "age_band", "text")


def read_columns(path: Path, columns: Sequence[str]) -> list[dict[str, str | None]]:
    """Every row of the Parquet file, the named columns as text."""
    selected = ", ".join(f"CAST({ident(name)} AS VARCHAR)" for name in columns)
    con = duckdb.connect(":memory:", config={"threads": 1})
    try:
        rows = con.execute(f"SELECT {selected} FROM read_parquet({literal(str(path))})").fetchall()
    except duckdb.Error as exc:
        raise Invalid(f"cannot read the dataset's rows: {exc}") from exc
    finally:
        con.close()
    return [dict(zip(columns, row, strict=True)) for row in rows]


def parse_derivations(derive: Mapping[str, str]) -> dict[str, tuple[str, str]]:
    found = {}
    for name, spec in derive.items():
        kind, sep, column = spec.partition(":")
        if not sep or kind not in KINDS or not column.strip():
            raise Invalid(f"derive {name}: write KIND:COLUMN with KIND one of {', '.join(KINDS)}")
        found[name] = (kind, column.strip())
    return found


def derive_value(kind: str, value: str | None) -> str | None:
    text = (value or "").strip()
    if kind == "text":
        return text or "Unknown"
    if not text:
        return None
    if kind == "town":
        outcome = normalize_town(text)
        return outcome.normalized if outcome.status == "matched" else None
    if kind in ("year", "month"):
        outcome = normalize_date(text)
        if outcome.status != "matched" or not outcome.normalized:
            return None
        return outcome.normalized[:4] if kind == "year" else outcome.normalized[:7]
    try:
        return age_band(int(float(text)))
    except (ValueError, Invalid):
        return None


def derived_rows(
    rows: Sequence[Mapping[str, str | None]], derive: Mapping[str, tuple[str, str]]
) -> tuple[list[dict[str, str | None]], dict[str, int]]:
    """Rows with the derived columns added; and, per derived column, how many rows it could not
    place (those rows are left out)."""
    missing = dict.fromkeys(derive, 0)
    kept = []
    cache: dict[tuple[str, str | None], str | None] = {}
    for row in rows:
        out = dict(row)
        ok = True
        for name, (kind, column) in derive.items():
            key = (kind, row.get(column))
            if key not in cache:
                cache[key] = derive_value(kind, row.get(column))
            out[name] = cache[key]
            if out[name] is None:
                missing[name] += 1
                ok = False
        if ok:
            kept.append(out)
    return kept, missing
