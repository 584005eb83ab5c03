"""Complementary (secondary) suppression: the cheapest extra cells to hide so that no primary
cell can be recovered, exactly or within its protection, from what is published.

The method is an exact one: a 0/1 program (one flag per cell, cost = what hiding the cell loses)
solved by HiGHS, with protection conditions added as cuts (Fischetti and Salazar-Gonzalez's
model). It starts from the cuts of single equations and the singleton rule, then repeatedly
solves, lets the attacker try every primary cell of the chosen pattern, and adds a cut for each
one the attacker could pin down. When the pattern survives the attacker it is optimal for the
model. Past the time budget the best pattern found so far is repaired instead (see `repair.py`),
so a large table still ends with a pattern that passes the audit, only not a provably minimal one.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from steward.privacy import lp
from steward.privacy.attacker import LinearFact
from steward.privacy.audit import singletons
from steward.privacy.cuts import Cut, Witnesses, equation_cuts, find_violations
from steward.privacy.primary import Primary
from steward.privacy.repair import repair
from steward.privacy.table import BoolArray, FloatArray, IntArray, Table


@dataclass(frozen=True)
class Options:
    time_limit: float = 60.0
    """Seconds for the exact method before the best pattern so far is repaired."""
    zeros_protect: bool = False
    """Whether sampling zeros may be suppressed as secondary cells."""
    singleton_rule: bool = True
    cost: str = "value"
    """`value`: hide as little of the total as possible (ties: fewer cells); `count`: hide as
    few cells as possible."""
    tolerance: float = 0.0
    """Accept a pattern proven to cost at most this much (relatively) above the cheapest one;
    0 asks for the cheapest."""


@dataclass
class Pattern:
    suppressed: BoolArray
    secondary: IntArray
    method: str
    optimal: bool
    rounds: int = 0
    cuts: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


def candidates(table: Table, primary: Primary, options: Options) -> BoolArray:
    """Cells that may be hidden to protect others: never a structural zero; a sampling zero
    only when the policy allows it."""
    allowed = ~table.structural & ~primary.mask
    if not options.zeros_protect:
        allowed &= table.values != 0
    return allowed


def costs(table: Table, options: Options) -> FloatArray:
    if options.cost == "count":
        return np.ones(table.size)
    # The small per-cell term breaks ties between patterns of equal value toward fewer cells.
    return table.values + 1.0 / (1.0 + table.size)


ROUGH_GAP = 0.02
"""Relative gap of the rounds that are only looking for attackable patterns; the last round
closes it."""
FINAL_GAP = 1e-6


def protect(
    table: Table,
    primary: Primary,
    options: Options = Options(),
    facts: Sequence[LinearFact] = (),
) -> Pattern:
    started = time.perf_counter()
    if not primary.mask.any():
        empty = np.zeros(table.size, dtype=bool)
        return Pattern(empty, np.zeros(0, dtype=np.int64), "none needed", True)
    search = _Search(table, primary, options, facts, started + options.time_limit)
    suppressed, method, optimal = search.run()
    secondary = np.flatnonzero(suppressed & ~primary.mask).astype(np.int64)
    return Pattern(
        suppressed,
        secondary,
        method,
        optimal,
        search.master.rounds,
        search.master.cut_count,
        time.perf_counter() - started,
    )


class _Search:
    """Solve, attack, cut, until the attacker fails on a pattern solved to optimality, or a
    repaired pattern is within the tolerance of the lower bound, or time runs out."""

    def __init__(
        self,
        table: Table,
        primary: Primary,
        options: Options,
        facts: Sequence[LinearFact],
        deadline: float,
    ) -> None:
        self.table, self.primary, self.options, self.facts = table, primary, options, facts
        self.deadline = deadline
        self.master = _Master(table, primary, options)
        self.allowed = candidates(table, primary, options)
        self.cost = np.where(self.allowed, costs(table, options), 0.0)
        self.best: BoolArray | None = None
        self.last: BoolArray | None = None
        self.witnesses = Witnesses()

    def run(self) -> tuple[BoolArray, str, bool]:
        final = max(self.options.tolerance, FINAL_GAP)
        gap = max(ROUGH_GAP, final)
        while time.perf_counter() < self.deadline:
            status = self.master.solve(self.deadline - time.perf_counter(), gap)
            if status == "none":
                break
            pattern = self.last = self.master.pattern()
            violations, cuts = find_violations(
                self.table, self.primary, pattern, self.facts, self.witnesses
            )
            if violations:
                self.master.add(cuts)
                continue
            self.best = pattern
            if status != "optimal":
                break
            if gap == final:
                return pattern, _exact(final), True
            gap = final  # the attacker failed: now prove it is (near) the cheapest pattern
        return self._finish()

    def _finish(self) -> tuple[BoolArray, str, bool]:
        """Out of time: the last pattern that passed the attacker, else a repaired one."""
        if self.best is not None:
            return self.best, "exact (time budget reached: best pattern, not proven minimal)", False
        start = self.primary.mask if self.last is None else self.last
        repaired, _clean = repair(
            self.table,
            self.primary,
            start | self.primary.mask,
            self.allowed,
            self.cost,
            self.facts,
            self.options.singleton_rule,
        )
        return repaired, "exact then repair (time budget reached)", False


def _exact(gap: float) -> str:
    return "exact" if gap <= FINAL_GAP else f"exact within {gap:.1%} of the optimum"


class _Master:
    """The 0/1 program over suppression flags, growing by cuts."""

    def __init__(self, table: Table, primary: Primary, options: Options) -> None:
        self.table = table
        allowed = candidates(table, primary, options)
        self.free = allowed
        self.fixed = primary.mask
        lower = primary.mask.astype(np.float64)
        upper = (allowed | primary.mask).astype(np.float64)
        self.solver = lp.new_solver()
        empty = lp.SparseRows(np.zeros(1, dtype=np.int64), np.zeros(0, np.int64), np.zeros(0))
        cost = np.where(allowed, costs(table, options), 0.0)
        lp.load(self.solver, cost, lower, upper, empty, [], [], integer=True)
        self.cut_count = 0
        self.rounds = 0
        first: list[Cut] = []
        for cell in primary.cells:
            for direction, need in ((-1, primary.lower[cell]), (1, primary.upper[cell])):
                if need > 0:
                    first.extend(equation_cuts(table, int(cell), direction, float(need)))
        self.add(first)
        if options.singleton_rule:
            self._singleton_rows(primary)

    def add(self, cuts: Sequence[Cut]) -> None:
        kept = []
        for cut in cuts:
            # Primary cells are always hidden: their part of the sum moves to the right.
            rhs = cut.rhs - float(cut.coefs[self.fixed[cut.cells]].sum())
            keep = self.free[cut.cells]
            if rhs > 1e-9 and keep.any():
                kept.append(Cut(cut.cells[keep], cut.coefs[keep], rhs))
        rows = lp.SparseRows.from_lists(
            [cut.cells.tolist() for cut in kept], [cut.coefs.tolist() for cut in kept]
        )
        lp.add_rows(self.solver, rows, [cut.rhs for cut in kept], [lp.INF] * len(kept))
        self.cut_count += len(kept)

    def _singleton_rows(self, primary: Primary) -> None:
        """A suppressed singleton q beside a primary singleton p in an equation needs a third
        hidden cell there: sum(others) - y_q >= 0."""
        table, single = self.table, singletons(self.table)
        index: list[list[int]] = []
        value: list[list[float]] = []
        for row in range(table.equation_count):
            cells, coefs = table.equation(row)
            side = dict(zip(cells.tolist(), np.sign(coefs).tolist(), strict=True))
            pairs = cells[single[cells] & (primary.mask[cells] | self.free[cells])]
            hidden = int(primary.mask[cells].sum())
            for p in pairs[primary.mask[pairs]]:
                for q in pairs[pairs != p]:
                    if side[int(q)] != side[int(p)]:
                        continue  # a total and its part: one person counted twice
                    if hidden - 1 - int(primary.mask[q]) > 0:
                        continue  # a third primary cell is hidden there already
                    others = [int(c) for c in cells if c not in (p, q) and self.free[c]]
                    index.append([*others, int(q)])
                    value.append([1.0] * len(others) + [-1.0])
        rows = lp.SparseRows.from_lists(index, value)
        lp.add_rows(self.solver, rows, [0.0] * len(index), [lp.INF] * len(index))

    def solve(self, seconds: float, gap: float) -> str:
        self.rounds += 1
        self.solver.setOptionValue("time_limit", max(seconds, 0.05))
        self.solver.setOptionValue("mip_rel_gap", gap)
        self.solver.run()
        return lp.mip_status(self.solver)

    def pattern(self) -> BoolArray:
        return np.asarray(lp.primal(self.solver) > 0.5, dtype=bool)
