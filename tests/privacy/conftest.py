"""Helpers shared by the privacy tests: small tables written as text grids."""

from __future__ import annotations

from collections.abc import Mapping

from steward.privacy.hierarchy import ROOT, Hierarchy, flat
from steward.privacy.table import Table, build_table

TOTAL = ROOT


def grid(rows: Mapping[str, Mapping[str, float]]) -> Table:
    """A two-way table (rows x columns) with both margins from inner values."""
    row_names = list(rows)
    col_names = list(next(iter(rows.values())))
    inner = {
        (("value", r), ("value", c)): float(v)
        for r, cells in rows.items()
        for c, v in cells.items()
    }
    return build_table([flat("row", row_names), flat("col", col_names)], inner)


def parent_links(hierarchy: Hierarchy) -> dict[tuple[str, str], tuple[str, str]]:
    return dict(hierarchy.parents)


def cell(table: Table, row: str, col: str) -> int:
    def node(name: str) -> tuple[str, str]:
        return TOTAL if name == "Total" else ("value", name)

    return table.index((node(row), node(col)))
