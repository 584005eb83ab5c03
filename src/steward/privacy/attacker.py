"""The attacker's view of a published table: which values the suppressed cells could take.

The attacker knows every published cell, every additivity equation of the table, any other
published linear fact (rounded percentages), and that counts are not negative. For each hidden
cell the smallest and largest value consistent with all of it are two linear programs. Hidden
cells that share no equation cannot inform each other, so the programs are solved per connected
group of hidden cells, and each group keeps one HiGHS model that is re-solved with a changed
objective (a warm start) rather than built again.

>>> from steward.privacy.hierarchy import flat
>>> from steward.privacy.table import build_table
>>> t = build_table([flat("r", "ab"), flat("c", "xy")], {
...     (("value", r), ("value", c)): v for (r, c), v in {("a", "x"): 3, ("a", "y"): 5,
...     ("b", "x"): 4, ("b", "y"): 6}.items()})
>>> hidden = np.zeros(t.size, dtype=bool)
>>> for r, c in [("a", "x"), ("a", "y"), ("b", "x"), ("b", "y")]:
...     hidden[t.index((("value", r), ("value", c)))] = True
>>> Attacker(t, hidden).interval(t.index((("value", "a"), ("value", "x"))))
(0.0, 7.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from steward.privacy import lp
from steward.privacy.table import BoolArray, FloatArray, IntArray, Table


@dataclass(frozen=True)
class LinearFact:
    """A published linear fact beyond the table's sums: lower <= sum(coef * cell) <= upper."""

    cells: tuple[int, ...]
    coefs: tuple[float, ...]
    lower: float
    upper: float
    label: str = ""


@dataclass
class Extreme:
    """The result of pushing one hidden cell up or down, with the duals that prove it and the
    point reached (the values of the hidden cells of its group there)."""

    value: float
    rows: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    duals: FloatArray = field(default_factory=lambda: np.zeros(0))
    fact_rows: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    fact_duals: FloatArray = field(default_factory=lambda: np.zeros(0))
    cells: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    point: FloatArray = field(default_factory=lambda: np.zeros(0))


@dataclass
class _Group:
    """One connected group of hidden cells and its model."""

    cells: IntArray
    table_rows: IntArray
    fact_rows: IntArray
    rows: lp.SparseRows
    row_lower: FloatArray
    row_upper: FloatArray
    solver: Any = None
    costed: int = -1


class Attacker:
    def __init__(
        self, table: Table, suppressed: BoolArray, facts: Sequence[LinearFact] = ()
    ) -> None:
        self.table = table
        self.facts = list(facts)
        # Structural zeros are known to everyone, suppressed or not.
        self.hidden = np.flatnonzero(suppressed & ~table.structural).astype(np.int64)
        self.var_of = np.full(table.size, -1, dtype=np.int64)
        self.var_of[self.hidden] = np.arange(self.hidden.size)
        self.solves = 0
        self._at_zero: set[int] = set()
        self._groups: list[_Group] = []
        self._group_of = np.full(self.hidden.size, -1, dtype=np.int64)
        self._build()

    def interval(self, cell: int) -> tuple[float, float]:
        """The smallest and largest value the cell can take (its own value if published)."""
        if self.var_of[cell] < 0:
            value = float(self.table.values[cell])
            return value, value
        high = self.extreme(cell, +1).value
        # Cells are never negative, so a solution already seen at zero settles the minimum.
        low = 0.0 if cell in self._at_zero else self.extreme(cell, -1).value
        return low, high

    def extreme(self, cell: int, direction: int) -> Extreme:
        """Push a hidden cell down (-1) or up (+1) as far as the published facts allow."""
        var = int(self.var_of[cell])
        group = self._groups[int(self._group_of[var])]
        local = int(np.searchsorted(group.cells, var))
        solver = self._solver(group)
        if group.costed != local:
            if group.costed >= 0:
                solver.changeColCost(group.costed, 0.0)
            group.costed = local
        # HiGHS minimises: min x for the lower end, min -x for the upper end.
        solver.changeColCost(local, 1.0 if direction < 0 else -1.0)
        objective = lp.solve(solver)
        self.solves += 1
        if objective == -lp.INF:  # only an upward push can be unbounded (cells are >= 0)
            return Extreme(lp.INF)
        value = objective if direction < 0 else -objective
        duals = lp.row_duals(solver)
        n_table = group.table_rows.size
        cells = self.hidden[group.cells]
        point = lp.primal(solver)
        self._at_zero.update(cells[point <= 0.0].tolist())
        return Extreme(
            value, group.table_rows, duals[:n_table], group.fact_rows, duals[n_table:], cells, point
        )

    def groups(self) -> list[IntArray]:
        """The hidden cells of each connected group (cells sharing no equation are apart)."""
        return [self.hidden[group.cells] for group in self._groups]

    def _solver(self, group: _Group) -> Any:
        if group.solver is None:
            size = group.cells.size
            group.solver = lp.new_solver()
            # Each solve starts from the last basis; presolving such small models costs more
            # than it saves.
            group.solver.setOptionValue("presolve", "off")
            group.solver.setOptionValue("simplex_strategy", 4)
            lp.load(
                group.solver,
                np.zeros(size),
                np.zeros(size),
                np.full(size, lp.INF),
                group.rows,
                group.row_lower,
                group.row_upper,
            )
        return group.solver

    def _build(self) -> None:
        rows = self._reduced_rows()
        parent = np.arange(self.hidden.size)

        def find(v: int) -> int:
            while parent[v] != v:
                parent[v] = parent[parent[v]]
                v = int(parent[v])
            return v

        for members, *_ in rows:
            first = find(int(members[0]))
            for other in members[1:]:
                root = find(int(other))
                if root != first:
                    parent[root] = first
        roots = np.array([find(v) for v in range(self.hidden.size)], dtype=np.int64)
        by_root: dict[int, list[int]] = {}
        for position, (members, *_rest) in enumerate(rows):
            by_root.setdefault(int(roots[members[0]]), []).append(position)
        for root in np.unique(roots):
            self._add_group(np.flatnonzero(roots == root), by_root.get(int(root), []), rows)

    def _add_group(
        self,
        variables: IntArray,
        positions: list[int],
        rows: list[tuple[IntArray, FloatArray, float, float, int, bool]],
    ) -> None:
        local = {int(v): i for i, v in enumerate(variables)}
        chosen = [rows[p] for p in positions]
        sparse = lp.SparseRows.from_lists(
            [[local[int(v)] for v in members] for members, *_ in chosen],
            [list(coefs) for _, coefs, *_ in chosen],
        )
        group = _Group(
            cells=variables,
            table_rows=np.array([r[4] for r in chosen if not r[5]], dtype=np.int64),
            fact_rows=np.array([r[4] for r in chosen if r[5]], dtype=np.int64),
            rows=sparse,
            row_lower=np.array([r[2] for r in chosen]),
            row_upper=np.array([r[3] for r in chosen]),
        )
        self._group_of[variables] = len(self._groups)
        self._groups.append(group)

    def _reduced_rows(self) -> list[tuple[IntArray, FloatArray, float, float, int, bool]]:
        """Each equation or fact touching a hidden cell, over hidden variables only (the
        published cells move to the bounds). Table equations come first, then facts, so the
        solver's row order matches `table_rows` then `fact_rows`."""
        table = self.table
        found: list[tuple[IntArray, FloatArray, float, float, int, bool]] = []
        known = np.where(self.var_of < 0, table.values, 0.0)
        entry_var = self.var_of[table.eq_cells]
        touched = np.unique(
            np.repeat(np.arange(table.equation_count), np.diff(table.eq_ptr))[entry_var >= 0]
        )
        for row in touched:
            cells, coefs = table.equation(int(row))
            variables = self.var_of[cells]
            hidden = variables >= 0
            rhs = -float(np.dot(coefs[~hidden], known[cells[~hidden]]))
            found.append((variables[hidden], coefs[hidden], rhs, rhs, int(row), False))
        for number, fact in enumerate(self.facts):
            cells = np.array(fact.cells, dtype=np.int64)
            coefs = np.array(fact.coefs)
            variables = self.var_of[cells]
            hidden = variables >= 0
            if not hidden.any():
                continue
            shift = float(np.dot(coefs[~hidden], known[cells[~hidden]]))
            found.append(
                (
                    variables[hidden],
                    coefs[hidden],
                    fact.lower - shift,
                    fact.upper - shift,
                    number,
                    True,
                )
            )
        table_rows = [r for r in found if not r[5]]
        return table_rows + [r for r in found if r[5]]
