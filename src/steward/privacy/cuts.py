"""Protection cuts: linear conditions on which cells are suppressed, needed for a primary cell to
keep its protection, in the form sum(coef * y) >= rhs over 0/1 suppression flags y.

They come from the attacker's linear program (see `attacker.py`) by duality: for row multipliers
g, the reduced costs l = c - A'g bound the attacker's best push of the primary cell by the
capacity of the cells allowed to move (a suppressed cell may fall to zero, so by its value, and
may rise without limit). Any g gives a valid cut; the attacker's optimal duals give one that the
current pattern violates. One equation alone (g a unit vector) gives the classic condition that
some other cell of each equation through a primary cell be suppressed, with enough capacity.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from steward.privacy.attacker import Attacker, Extreme, LinearFact
from steward.privacy.audit import TOLERANCE
from steward.privacy.primary import Primary
from steward.privacy.table import BoolArray, FloatArray, IntArray, Table

ZERO = 1e-9


@dataclass
class Violation:
    """A primary cell the attacker can push only less than `need` in `direction`."""

    cell: int
    direction: int
    need: float


@dataclass(frozen=True)
class Cut:
    cells: IntArray
    coefs: FloatArray
    rhs: float


def cut_from_multipliers(
    table: Table,
    cell: int,
    direction: int,
    need: float,
    rows: IntArray,
    multipliers: FloatArray,
    facts: Sequence[LinearFact] = (),
    fact_rows: IntArray | None = None,
    fact_multipliers: FloatArray | None = None,
) -> Cut | None:
    """The cut that protection of `cell` by `need` in `direction` (+1 up, -1 down) implies,
    from multipliers of some of the table's equations (and of published facts); None when
    trivial."""
    reduced = np.zeros(table.size)
    reduced[cell] = -float(direction)  # the attacker minimises -x (up) or x (down)
    for row, multiplier in zip(rows.tolist(), multipliers.tolist(), strict=True):
        if abs(multiplier) > ZERO:
            cells, coefs = table.equation(row)
            np.subtract.at(reduced, cells, multiplier * coefs)
    constant = 0.0
    pairs = zip(
        [] if fact_rows is None else fact_rows.tolist(),
        [] if fact_multipliers is None else fact_multipliers.tolist(),
        strict=True,
    )
    for number, multiplier in pairs:
        if abs(multiplier) <= ZERO:
            continue
        fact = facts[number]
        cells = np.array(fact.cells, dtype=np.int64)
        coefs = np.array(fact.coefs)
        np.subtract.at(reduced, cells, multiplier * coefs)
        shift = float(np.dot(coefs, table.values[cells]))
        bound = fact.lower - shift if multiplier > 0 else fact.upper - shift
        if not np.isfinite(bound):
            return None
        constant += multiplier * bound
    return _cut(table, cell, need + constant, reduced)


def _cut(table: Table, cell: int, rhs: float, reduced: FloatArray) -> Cut | None:
    reduced[np.abs(reduced) <= ZERO] = 0.0
    reduced[table.structural] = 0.0  # a structural zero can never move
    falls = np.where(reduced > 0, reduced * table.values, 0.0)  # a cell falling to zero
    rises = np.where(reduced < 0, np.inf, 0.0)  # a cell rising without limit
    coefs = falls + rises
    rhs -= float(coefs[cell])  # the primary cell itself is always suppressed
    if rhs <= ZERO:
        return None
    coefs[cell] = 0.0
    # With 0/1 flags a coefficient above the right-hand side can be cut down to it.
    coefs = np.minimum(coefs, rhs)
    cells = np.flatnonzero(coefs > ZERO).astype(np.int64)
    return Cut(cells, coefs[cells], rhs)


def cut_from_extreme(
    table: Table,
    cell: int,
    direction: int,
    need: float,
    extreme: Extreme,
    facts: Sequence[LinearFact] = (),
) -> Cut | None:
    return cut_from_multipliers(
        table,
        cell,
        direction,
        need,
        extreme.rows,
        extreme.duals,
        facts,
        extreme.fact_rows,
        extreme.fact_duals,
    )


def equation_cuts(table: Table, cell: int, direction: int, need: float) -> list[Cut]:
    """One cut per equation through the cell: the equation alone must let it move by `need`."""
    cuts = []
    for row in table.rows_of(cell):
        cells, coefs = table.equation(int(row))
        own = float(coefs[cells == cell][0])
        # Choose the multiplier that cancels the cell's own reduced cost.
        found = cut_from_multipliers(
            table, cell, direction, need, np.array([row]), np.array([-direction / own])
        )
        if found is not None:
            cuts.append(found)
    return cuts


class Witnesses:
    """Points that proved a primary cell could move far enough, kept from one pattern to the
    next: while every cell such a point moves is still hidden, the point still proves it, and
    the attacker's program need not be solved again."""

    def __init__(self) -> None:
        self.support: dict[tuple[int, int], IntArray] = {}

    def proven(self, hidden: BoolArray, size: int) -> BoolArray:
        reached = np.zeros((2, size), dtype=bool)
        for (side, cell), support in self.support.items():
            if hidden[support].all():
                reached[side, cell] = True
        return reached

    def record(self, side: int, cells: IntArray, support: IntArray) -> None:
        for cell in cells.tolist():
            self.support[(side, cell)] = support


def find_violations(
    table: Table,
    primary: Primary,
    suppressed: BoolArray,
    facts: Sequence[LinearFact] = (),
    witnesses: Witnesses | None = None,
) -> tuple[list[Violation], list[Cut]]:
    """Primary cells the attacker can pin down under this pattern, with a cut for each.

    Every extreme point the attacker reaches also moves other hidden cells: a primary cell that
    some point (now or, through `witnesses`, for an earlier pattern) moves far enough needs no
    program of its own.
    """
    attacker = Attacker(table, suppressed, facts)
    witnesses = witnesses if witnesses is not None else Witnesses()
    reached = witnesses.proven(suppressed & ~table.structural, table.size)  # [down, up]
    found: list[Violation] = []
    cuts: list[Cut] = []
    for cell in primary.cells.tolist():
        for direction in (-1, 1):
            violation = _push(table, primary, attacker, reached, witnesses, cell, direction)
            if violation is not None:
                found.append(violation[0])
                if violation[1] is not None:
                    cuts.append(violation[1])
    return found, cuts


def _push(
    table: Table,
    primary: Primary,
    attacker: Attacker,
    reached: BoolArray,
    witnesses: Witnesses,
    cell: int,
    direction: int,
) -> tuple[Violation, Cut | None] | None:
    """Push one primary cell; the violation and its cut when it cannot move far enough."""
    side = 1 if direction > 0 else 0
    need = float((primary.upper if direction > 0 else primary.lower)[cell])
    if need <= 0 or reached[side, cell]:
        return None
    extreme = attacker.extreme(cell, direction)
    _certify(table, primary, reached, witnesses, extreme)
    reach = direction * (extreme.value - float(table.values[cell]))
    if table.top is None and math.isfinite(reach):
        reach = float(math.floor(reach + TOLERANCE))  # counts are whole numbers
    if reach >= need - TOLERANCE:
        return None
    return (
        Violation(cell, direction, need),
        cut_from_extreme(table, cell, direction, need, extreme, attacker.facts),
    )


def _certify(
    table: Table, primary: Primary, reached: BoolArray, witnesses: Witnesses, extreme: Extreme
) -> None:
    """Mark (and remember) the primary cells this point moves by their full protection."""
    cells = extreme.cells
    if not cells.size:
        return
    shift = extreme.point - table.values[cells]
    support = cells[np.abs(shift) > TOLERANCE]
    weak = primary.mask[cells]
    for side, moved in (
        (1, shift >= primary.upper[cells] - TOLERANCE),
        (0, -shift >= primary.lower[cells] - TOLERANCE),
    ):
        fresh = moved & weak & ~reached[side, cells]
        reached[side, cells[fresh]] = True
        witnesses.record(side, cells[fresh], support)
