"""Conformance to the standards issue's common data elements (`steward.standards`): a field's
values are checked with the element's validator, each distinct value once, the most frequent
`MAX_VALUES` of them (the rest are left unchecked and said to be)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb

from steward.quality.duck import ident
from steward.standards.conformance import declared_element
from steward.standards.registry import get_element, is_element

MAX_VALUES = 20_000

__all__ = ["declared_element", "distinct_values", "invalid_values", "is_element", "share_valid"]


def distinct_values(
    con: duckdb.DuckDBPyConnection, view: str, name: str
) -> tuple[list[tuple[str, int]], int]:
    """The most frequent distinct values as text with their counts, and how many there are."""
    q = ident(name)
    rows = con.execute(
        f"SELECT CAST({q} AS VARCHAR) AS v, count(*) AS n, count(*) OVER () AS d "
        f"FROM {ident(view)} WHERE {q} IS NOT NULL GROUP BY 1 ORDER BY n DESC, v "
        f"LIMIT {MAX_VALUES}"
    ).fetchall()
    return [(value, count) for value, count, _ in rows], (rows[0][2] if rows else 0)


def invalid_values(element_id: str, counts: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    element = get_element(element_id)
    return [(value, count) for value, count in counts if not element.validate(value)]


def share_valid(
    con: duckdb.DuckDBPyConnection, view: str, name: str, element_id: str
) -> dict[str, Any]:
    """A field's conformance for its profile."""
    counts, distinct = distinct_values(con, view, name)
    bad = invalid_values(element_id, counts)
    checked = sum(count for _, count in counts)
    failing = sum(count for _, count in bad)
    return {
        "element": element_id,
        "valid_share": round(1 - failing / checked, 6) if checked else None,
        "rows_checked": checked,
        "distinct_unchecked": max(distinct - len(counts), 0),
        "invalid_examples": [value for value, _ in bad[:5]],
    }
