"""The audit: does a suppression pattern protect every sensitive cell?

It is independent of the method that chose the pattern: for every suppressed cell it solves the
attacker's smallest and largest value over the whole published system (see `attacker.py`). The
pattern passes only when

- every primary cell's interval reaches its protection below and above its value,
- no two suppressed singletons (counts of 1) are alone in one equation (each of the two people
  would learn the other's count),
- no secondary cell is exactly recoverable while its value is one the policy would suppress.

A count's interval is rounded inward to whole numbers, since the attacker knows counts are whole.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from steward.privacy.attacker import Attacker, LinearFact
from steward.privacy.primary import Primary
from steward.privacy.table import BoolArray, Table

TOLERANCE = 1e-6


@dataclass
class CellAudit:
    cell: int
    label: str
    value: float
    status: str
    low: float
    high: float
    need_low: float
    need_high: float
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


@dataclass
class AuditReport:
    cells: list[CellAudit]
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    solves: int = 0

    @property
    def passed(self) -> bool:
        return not self.problems

    def summary(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "suppressed": len(self.cells),
            "problems": len(self.problems),
            "linear_programs": self.solves,
            "seconds": round(self.seconds, 3),
        }

    def to_dict(self) -> dict[str, Any]:
        cells = []
        for entry in self.cells:
            item = asdict(entry)
            item["high"] = None if math.isinf(entry.high) else entry.high
            cells.append(item)
        return {**self.summary(), "problem_list": self.problems, "cells": cells}


def singletons(table: Table) -> BoolArray:
    """Cells holding a single respondent: a count of 1, or a sum with one contributor."""
    if table.top is None:
        return np.asarray(table.values == 1, dtype=bool)
    return np.asarray((table.top[:, 0] > 0) & (table.top[:, 1] == 0), dtype=bool)


def audit(
    table: Table,
    primary: Primary,
    suppressed: BoolArray,
    *,
    facts: Sequence[LinearFact] = (),
    small: BoolArray | None = None,
    singleton_rule: bool = True,
) -> AuditReport:
    """Audit `suppressed` (primary and secondary cells together).

    `small` marks the values the policy would suppress (for the exact-recovery check of
    secondary cells); by default the primary cells' values.
    """
    started = time.perf_counter()
    attacker = Attacker(table, suppressed, facts)
    counts = table.top is None
    entries: list[CellAudit] = []
    for cell in np.flatnonzero(suppressed):
        entries.append(_audit_cell(table, primary, attacker, int(cell), counts, small))
    problems = [f"{entry.label}: {entry.problem}" for entry in entries if entry.problem]
    if singleton_rule:
        problems += singleton_problems(table, primary, suppressed)
    return AuditReport(entries, problems, time.perf_counter() - started, attacker.solves)


def _audit_cell(
    table: Table,
    primary: Primary,
    attacker: Attacker,
    cell: int,
    counts: bool,
    small: BoolArray | None,
) -> CellAudit:
    value = float(table.values[cell])
    low, high = attacker.interval(cell)
    if counts:
        low = float(math.ceil(low - TOLERANCE))
        high = high if math.isinf(high) else float(math.floor(high + TOLERANCE))
    is_primary = bool(primary.mask[cell])
    need_low = value - float(primary.lower[cell]) if is_primary else value
    need_high = value + float(primary.upper[cell]) if is_primary else value
    entry = CellAudit(
        cell,
        table.labels(cell),
        value,
        "primary" if is_primary else "secondary",
        low,
        high,
        need_low,
        need_high,
    )
    if table.structural[cell]:
        entry.problem = "a structural zero protects nothing"
    elif is_primary:
        entry.problem = _primary_problem(low, high, need_low, need_high)
    elif high - low <= TOLERANCE and _is_small(table, primary, small, cell):
        entry.problem = f"secondary cell is exactly recoverable ({value:g})"
    return entry


def _is_small(table: Table, primary: Primary, small: BoolArray | None, cell: int) -> bool:
    if small is not None:
        return bool(small[cell])
    values = table.values[primary.mask]
    return bool(values.size and values.min() <= table.values[cell] <= values.max())


def _primary_problem(low: float, high: float, need_low: float, need_high: float) -> str:
    faults = []
    if low > need_low + TOLERANCE:
        faults.append(f"can be no lower than {low:g} (needs {need_low:g})")
    if high < need_high - TOLERANCE:
        faults.append(f"can be no higher than {high:g} (needs {need_high:g})")
    return "; ".join(faults)


def singleton_rows(table: Table, primary: Primary, suppressed: BoolArray) -> list[int]:
    """Equations whose only hidden cells are two singletons on the same side, one of them a
    primary cell. A total of 1 hidden beside its only non-zero part is one person counted twice:
    nobody learns anything about anyone else from it."""
    hidden = suppressed & ~table.structural
    single = singletons(table)
    found = []
    for row in np.flatnonzero(table.hidden_per_row(hidden) == 2):
        cells, coefs = table.equation(int(row))
        inside = hidden[cells]
        pair = cells[inside]
        same_side = bool(np.sign(coefs[inside][0]) == np.sign(coefs[inside][1]))
        if same_side and single[pair].all() and primary.mask[pair].any():
            found.append(int(row))
    return found


def singleton_problems(table: Table, primary: Primary, suppressed: BoolArray) -> list[str]:
    """Equations whose only hidden cells are two singletons, one of them a primary cell."""
    hidden = suppressed & ~table.structural
    problems = []
    for row in singleton_rows(table, primary, suppressed):
        cells, _ = table.equation(row)
        a, b = (table.labels(int(c)) for c in cells[hidden[cells]])
        problems.append(f"{a} and {b}: two singletons suppressed alone in one equation")
    return problems
