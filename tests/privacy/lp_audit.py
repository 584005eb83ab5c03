"""An attacker's audit written apart from the engine: from the published cells of a protected
table (as written out) and the hierarchies' parent links, it derives the additivity equations
itself and solves each suppressed cell's min and max with SciPy's `linprog`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

Cell = tuple[tuple[str, str], ...]  # ((level, name) per dimension)


def equations(
    cells: Sequence[Cell], parents: Sequence[tuple[int, Mapping[tuple[str, str], tuple[str, str]]]]
) -> list[tuple[int, list[int]]]:
    """parent cell = sum of child cells, along each dimension, where all those cells exist.

    `parents` holds (dimension index, child node -> parent node) for each hierarchy; a dimension
    with linked hierarchies appears once per hierarchy."""
    index = {cell: i for i, cell in enumerate(cells)}
    found = []
    for axis, links in parents:
        children: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for child, parent in links.items():
            children.setdefault(parent, []).append(child)
        for cell, i in index.items():
            kids = children.get(cell[axis])
            if not kids:
                continue
            members = [index.get((*cell[:axis], kid, *cell[axis + 1 :])) for kid in kids]
            if all(m is not None for m in members):
                found.append((i, [m for m in members if m is not None]))
    return found


Bound = tuple[Mapping[int, float], float]
"""sum(coef * cell) <= upper: what a published rate says, written by the test itself."""


def intervals(
    values: Sequence[float],
    hidden: Sequence[bool],
    eqs: Sequence[tuple[int, list[int]]],
    bounds: Sequence[Bound] = (),
) -> dict[int, tuple[float, float]]:
    """Min and max of every hidden cell given the published ones, the equations, any other
    published inequalities and x >= 0."""
    unknown = [i for i, h in enumerate(hidden) if h]
    column = {cell: j for j, cell in enumerate(unknown)}
    a_ub, b_ub = _inequalities(values, column, bounds)
    rows, rhs = [], []
    for total, parts in eqs:
        coef = np.zeros(len(unknown))
        constant = 0.0
        for cell, sign in [(total, 1.0), *((p, -1.0) for p in parts)]:
            if cell in column:
                coef[column[cell]] += sign
            else:
                constant += sign * values[cell]
        if coef.any():
            rows.append(coef)
            rhs.append(-constant)
    # Sparse once: SciPy's HiGHS takes CSR as it is, instead of converting a dense copy per call.
    a_eq = sparse.csr_array(np.array(rows)) if rows else None
    b_eq = np.array(rhs) if rows else None
    a_ub = sparse.csr_array(a_ub) if a_ub is not None else None
    found = {}
    for cell, j in column.items():
        objective = np.zeros(len(unknown))
        objective[j] = 1.0
        common = {"A_eq": a_eq, "b_eq": b_eq, "A_ub": a_ub, "b_ub": b_ub, "bounds": (0, None)}
        low = linprog(objective, method="highs", **common)
        high = linprog(-objective, method="highs", **common)
        assert low.status in (0, 3) and high.status in (0, 3), (low.message, high.message)
        top = float("inf") if high.status == 3 else -high.fun
        found[cell] = (low.fun, top)
    return found


def _inequalities(
    values: Sequence[float], column: Mapping[int, int], bounds: Sequence[Bound]
) -> tuple[np.ndarray | None, np.ndarray | None]:
    rows, rhs = [], []
    for coefs, upper in bounds:
        row = np.zeros(len(column))
        constant = 0.0
        for cell, coef in coefs.items():
            if cell in column:
                row[column[cell]] += coef
            else:
                constant += coef * values[cell]
        if row.any():
            rows.append(row)
            rhs.append(upper - constant)
    if not rows:
        return None, None
    return np.array(rows), np.array(rhs)
