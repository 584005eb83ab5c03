"""Whole columns at once: each distinct value is normalized once, then spread to every row.

A column of 5,000,000 town names holds a few hundred distinct spellings, so the cost is one
pass to find the distinct values (Arrow, in C++), a few hundred normalizations, and one `take`
per companion column.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from steward.standards.element import Element
from steward.standards.outcome import Outcome
from steward.standards.registry import status_of
from steward.standards.text import as_text

Normalize = Callable[[str | None], Outcome]


@dataclass(frozen=True)
class ColumnResult:
    companions: dict[str, pa.ChunkedArray]
    """Suffix -> the standardized column, one value per row (null where nothing matched)."""
    status: pa.ChunkedArray
    rows: Counter[str]
    """Rows per status ("blank" for empty cells)."""
    outcomes: dict[str | None, Outcome]
    """Each distinct value (as text) and what it normalized to."""


def distinct_values(column: pa.ChunkedArray | pa.Array) -> tuple[pa.Array, pa.ChunkedArray]:
    """The distinct values and, for every row, the index of its value among them."""
    chunked = column if isinstance(column, pa.ChunkedArray) else pa.chunked_array([column])
    unique = pc.unique(chunked)
    return unique, pc.index_in(chunked, value_set=unique)


def normalize_column(
    column: pa.ChunkedArray | pa.Array, element: Element, normalize: Normalize | None = None
) -> ColumnResult:
    normalize = normalize or element.normalize
    unique, indices = distinct_values(column)
    texts = [as_text(value) for value in unique.to_pylist()]
    outcomes = {text: normalize(text) for text in dict.fromkeys(texts)}
    per_value = [outcomes[text] for text in texts]
    companions = {
        companion.suffix: pc.take(
            pa.array([companion.get(outcome) for outcome in per_value], pa.string()), indices
        )
        for companion in element.companions
    }
    statuses = pa.array([status_of(outcome) for outcome in per_value], pa.string())
    status = pc.take(statuses, indices)
    return ColumnResult(companions, status, _row_counts(status), outcomes)


def _row_counts(status: pa.ChunkedArray) -> Counter[str]:
    counts: Counter[str] = Counter()
    for entry in pc.value_counts(status).to_pylist():
        counts[entry["values"] or "blank"] += entry["counts"]
    return counts


def value_counts(column: pa.ChunkedArray | pa.Array) -> list[tuple[str | None, int]]:
    """(value as text, rows) for every distinct value, most frequent first."""
    counts: Counter[str | None] = Counter()
    for entry in pc.value_counts(column).to_pylist():
        counts[as_text(entry["values"])] += entry["counts"]
    return counts.most_common()
