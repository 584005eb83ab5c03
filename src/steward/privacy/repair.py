"""Repair: make a pattern pass the attacker by hiding more cells, one weak primary at a time.

For a primary cell the attacker pins down, a linear program finds the cheapest way to move it by
its protection while keeping every equation (and published fact) true: a flow of changes through
the table. Cells already hidden carry the flow for free; every other cell the flow passes
through is hidden too. The flow itself then proves the cell can move that far, so each repair
holds, and since cells are only ever added, earlier repairs stay valid. Pairs of singletons alone
in an equation get the cheapest third cell of that equation.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from steward.privacy import lp
from steward.privacy.attacker import LinearFact
from steward.privacy.audit import singleton_rows
from steward.privacy.cuts import Violation, find_violations
from steward.privacy.primary import Primary
from steward.privacy.table import BoolArray, FloatArray, Table

ROUNDS = 20
MOVED = 1e-7


def repair(
    table: Table,
    primary: Primary,
    suppressed: BoolArray,
    allowed: BoolArray,
    cost: FloatArray,
    facts: Sequence[LinearFact] = (),
    singleton_rule: bool = True,
) -> tuple[BoolArray, bool]:
    """A pattern containing `suppressed` that the attacker cannot break, and whether it got
    there (a cell no flow can move stays weak, and the audit then says so)."""
    hidden = suppressed.copy() | primary.mask
    for _ in range(ROUNDS):
        violations, _cuts = find_violations(table, primary, hidden, facts)
        pairs = _singleton_pairs(table, primary, hidden) if singleton_rule else []
        if not violations and not pairs:
            return hidden, True
        grown = hidden.copy()
        if violations:
            _flows(table, grown, allowed, cost, facts, violations)
        for row in pairs:
            _third_cell(table, grown, allowed, cost, row)
        if (grown == hidden).all():
            break  # nothing more can be done; the audit will report what is left
        hidden = grown
    return hidden, False


def _flows(
    table: Table,
    hidden: BoolArray,
    allowed: BoolArray,
    cost: FloatArray,
    facts: Sequence[LinearFact],
    violations: list[Violation],
) -> None:
    model = _FlowModel(table, hidden, allowed, cost, facts)
    for violation in violations:
        moved = model.push(violation, hidden)
        if moved is not None:
            hidden |= moved


class _FlowModel:
    """Columns: rises of every cell, then falls. Rows: the table's equations, then facts."""

    def __init__(
        self,
        table: Table,
        hidden: BoolArray,
        allowed: BoolArray,
        cost: FloatArray,
        facts: Sequence[LinearFact],
    ) -> None:
        n = table.size
        self.n, self.cost = n, cost
        movable = (allowed | hidden) & ~table.structural
        self.rise_cap = np.where(movable, lp.INF, 0.0)
        self.fall_cap = np.where(movable, table.values, 0.0)
        index: list[list[int]] = []
        value: list[list[float]] = []
        lower: list[float] = []
        upper: list[float] = []
        for row in range(table.equation_count):
            cells, coefs = table.equation(row)
            index.append([*cells.tolist(), *(cells + n).tolist()])
            value.append([*coefs.tolist(), *(-coefs).tolist()])
            lower.append(0.0)
            upper.append(0.0)
        for fact in facts:
            cells = np.array(fact.cells, dtype=np.int64)
            shift = float(np.dot(fact.coefs, table.values[cells]))
            index.append([*cells.tolist(), *(cells + n).tolist()])
            value.append([*fact.coefs, *(-c for c in fact.coefs)])
            lower.append(fact.lower - shift)
            upper.append(fact.upper - shift)
        self.solver = lp.new_solver()
        price = np.where(hidden, 0.0, cost)
        lp.load(
            self.solver,
            np.concatenate([price, price]),
            np.zeros(2 * n),
            np.concatenate([self.rise_cap, self.fall_cap]),
            lp.SparseRows.from_lists(index, value),
            lower,
            upper,
        )
        self.priced = hidden.copy()

    def push(self, violation: Violation, hidden: BoolArray) -> BoolArray | None:
        """The cells a flow moving the violated cell by its need passes through."""
        newly = np.flatnonzero(hidden & ~self.priced)
        if newly.size:
            both = np.concatenate([newly, newly + self.n]).astype(np.int32)
            self.solver.changeColsCost(both.size, both, np.zeros(both.size))
            self.priced |= hidden
        cell, need = violation.cell, violation.need
        rise, fall = (need, 0.0) if violation.direction > 0 else (0.0, need)
        self._fix(cell, rise, fall)
        try:
            lp.solve(self.solver)
        except lp.SolverFailed:
            return None
        finally:
            self._fix(cell, None, None)
        flow = lp.primal(self.solver)
        return np.asarray((flow[: self.n] > MOVED) | (flow[self.n :] > MOVED), dtype=bool)

    def _fix(self, cell: int, rise: float | None, fall: float | None) -> None:
        solver: Any = self.solver
        if rise is None or fall is None:
            solver.changeColBounds(cell, 0.0, float(self.rise_cap[cell]))
            solver.changeColBounds(cell + self.n, 0.0, float(self.fall_cap[cell]))
            return
        solver.changeColBounds(cell, rise, rise)
        solver.changeColBounds(cell + self.n, fall, fall)


def _singleton_pairs(table: Table, primary: Primary, hidden: BoolArray) -> list[int]:
    """Equations whose only hidden cells are two singletons, one of them primary."""
    return singleton_rows(table, primary, hidden)


def _third_cell(
    table: Table, hidden: BoolArray, allowed: BoolArray, cost: FloatArray, row: int
) -> None:
    cells, _ = table.equation(row)
    options = cells[allowed[cells] & ~hidden[cells]]
    if options.size:
        hidden[options[np.argmin(cost[options])]] = True
