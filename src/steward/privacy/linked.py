"""Tables released together from the same data, linked into one system of cells and equations.

Deaths by town x year and deaths by planning region x race x sex share margins: each region's
total is the sum of its towns' totals, and both hold the state total. An attacker combines the
two, so suppression and audit must work on both at once. Every table cell is placed in the cube
of all dimensions (a dimension a table lacks is at its total); cells the tables share become one
cell, and every additivity equation of the cube whose cells are all published somewhere is an
equation of the linked system, whichever tables its cells come from.

Cells in no table are not modelled as unknowns. For tables whose dimensions overlap in one margin
(here the regions) that loses nothing: any two non-negative tables that agree on their shared
margin come from some non-negative cube, so the shared margin is all that links them.

>>> from steward.privacy.hierarchy import ct_town_county, ct_town_region, flat
>>> from steward.privacy.table import Dimension, build_table
>>> towns = build_table([ct_town_county(), flat("year", ["2017"])],
...     {(("town", "Hartford"), ("value", "2017")): 4})
>>> regions = build_table([ct_town_region().cut("planning_region")],
...     {(("planning_region", "Capitol Planning Region"),): 4})
>>> both = link([("towns", towns), ("regions", regions)])
>>> both.size == towns.size + regions.size - 1  # the state total is shared
True
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from steward.errors import Invalid
from steward.privacy.hierarchy import ROOT, Hierarchy, Node
from steward.privacy.table import Dimension, Key, Table


def _dimension_names(tables: Sequence[Table]) -> list[str]:
    names: dict[str, None] = {}
    for table in tables:
        names.update((dim.name, None) for dim in table.dims)
    return list(names)


def _global_dimension(name: str, tables: Sequence[Table]) -> Dimension:
    hierarchies: dict[str, Hierarchy] = {}
    for table in tables:
        for dim in table.dims:
            if dim.name == name:
                for hierarchy in dim.hierarchies:
                    hierarchies.setdefault(hierarchy.full.name, hierarchy.full)
    return Dimension(name, tuple(hierarchies.values()))


def link(named: Sequence[tuple[str, Table]]) -> Table:
    """One system from tables released together. Dimensions are matched by name (a geography
    cut at its regions is the same dimension as the towns it was cut from)."""
    if not named:
        raise Invalid("no tables to link")
    tables = [table for _, table in named]
    names = _dimension_names(tables)
    dims = tuple(_global_dimension(name, tables) for name in names)
    keys: dict[Key, int] = {}
    values: list[float] = []
    structural: list[bool] = []
    tops: list[np.ndarray] = []
    parts = []
    for label, table in named:
        own = [names.index(dim.name) for dim in table.dims]
        cells = []
        for cell, key in enumerate(table.keys):
            full: list[Node] = [ROOT] * len(names)
            for axis, node in zip(own, key, strict=True):
                full[axis] = node
            cells.append(_place(tuple(full), table, cell, keys, values, structural, tops))
        parts.append((label, table.dims, np.array(cells, dtype=np.int64)))
    key_list = list(keys)
    ptr, eq_cells, eq_coef = _cube_equations(dims, keys)
    top = np.vstack(tops) if tops and len(tops) == len(values) else None
    return Table(
        dims,
        key_list,
        np.array(values),
        np.array(structural, dtype=bool),
        ptr,
        eq_cells,
        eq_coef,
        top,
        parts,
    )


def _place(
    key: Key,
    table: Table,
    cell: int,
    keys: dict[Key, int],
    values: list[float],
    structural: list[bool],
    tops: list[np.ndarray],
) -> int:
    value = float(table.values[cell])
    if key in keys:
        known = keys[key]
        if abs(values[known] - value) > 1e-9:
            names = " x ".join(node[1] for node in key)
            raise Invalid(f"the tables disagree on {names}: {values[known]:g} and {value:g}")
        return known
    keys[key] = len(values)
    values.append(value)
    structural.append(bool(table.structural[cell]))
    if table.top is not None:
        tops.append(table.top[cell])
    return keys[key]


def _cube_equations(
    dims: Sequence[Dimension], keys: dict[Key, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every equation of the cube (parent = sum of children along one dimension, the other
    coordinates fixed) whose cells are all in `keys`."""
    seen: set[tuple[int, ...]] = set()
    rows: list[list[int]] = []
    by_parent = [_children_by_parent(dim) for dim in dims]
    for key, cell in keys.items():
        for axis, node in enumerate(key):
            for children in by_parent[axis].get(node, []):
                members = [keys.get((*key[:axis], child, *key[axis + 1 :])) for child in children]
                if any(member is None for member in members):
                    continue
                row = [cell, *(m for m in members if m is not None)]
                signature = (row[0], *sorted(row[1:]))
                if signature not in seen:
                    seen.add(signature)
                    rows.append(row)
    lengths = [len(row) for row in rows]
    ptr = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    cells = np.array([c for row in rows for c in row], dtype=np.int64)
    coefs = np.array([1.0 if i == 0 else -1.0 for row in rows for i in range(len(row))])
    return ptr, cells, coefs


def _children_by_parent(dim: Dimension) -> dict[Node, list[list[Node]]]:
    found: dict[Node, list[list[Node]]] = {}
    for parent, children in dim.equations:
        found.setdefault(dim.nodes[parent], []).append([dim.nodes[c] for c in children])
    return found
