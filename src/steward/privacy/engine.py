"""The whole protection of a table: primary cells, complementary cells, audit, and the output.

>>> from steward.privacy.hierarchy import flat
>>> from steward.privacy.policy import BUILTIN
>>> from steward.privacy.table import build_table
>>> cells = {("a", "x"): 20, ("a", "y"): 3, ("b", "x"): 30, ("b", "y"): 40}
>>> table = build_table([flat("r", "ab"), flat("c", "xy")],
...     {(("value", r), ("value", c)): v for (r, c), v in cells.items()})
>>> result = protect_table(table, BUILTIN["cms"])
>>> result.summary()["secondary"], result.audit.passed
(3, True)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from steward.privacy.attacker import LinearFact
from steward.privacy.audit import AuditReport, audit
from steward.privacy.policy import Policy
from steward.privacy.primary import Primary, find_primary
from steward.privacy.secondary import Options, Pattern, protect
from steward.privacy.table import BoolArray, Dimension, Table

PUBLISHED, PRIMARY, SECONDARY = "published", "primary", "secondary"


@dataclass
class Protection:
    table: Table
    policy: Policy
    primary: Primary
    pattern: Pattern
    audit: AuditReport

    def status(self, cell: int) -> str:
        if self.primary.mask[cell]:
            return PRIMARY
        return SECONDARY if self.pattern.suppressed[cell] else PUBLISHED

    @property
    def secondary_value(self) -> float:
        return float(self.table.values[self.pattern.secondary].sum())

    def summary(self) -> dict[str, Any]:
        return {
            "policy": self.policy.name,
            "cells": self.table.size,
            "equations": self.table.equation_count,
            "primary": int(self.primary.mask.sum()),
            "secondary": int(self.pattern.secondary.size),
            "secondary_value": self.secondary_value,
            "method": self.pattern.method,
            "optimal": self.pattern.optimal,
            "seconds": round(self.pattern.seconds, 3),
            "audit": self.audit.summary(),
        }

    def explain(self, cell: int) -> str:
        """Why a cell is suppressed (or empty when it is published)."""
        status = self.status(cell)
        if status == PRIMARY:
            return self.primary.reasons.get(cell, "sensitive under the policy")
        if status == PUBLISHED:
            return ""
        partners: list[str] = []
        for row in self.table.rows_of(cell):
            members, _ = self.table.equation(int(row))
            partners += [self.table.labels(int(m)) for m in members if self.primary.mask[m]]
        named = ", ".join(dict.fromkeys(partners[:3]))
        chosen = (
            "added by the repair" if "repair" in self.pattern.method else "chosen by the optimizer"
        )
        return (
            f"complementary ({chosen}): hidden so that {named} cannot be worked out from the totals"
            if named
            else f"complementary ({chosen}): hidden so that suppressed cells elsewhere cannot "
            "be worked out"
        )

    def parts(self) -> list[tuple[str, tuple[Dimension, ...], list[int]]]:
        """Each released table: name, its dimensions and its cells (one for a single table)."""
        if self.table.parts:
            return [(name, dims, cells.tolist()) for name, dims, cells in self.table.parts]
        return [("table", self.table.dims, list(range(self.table.size)))]

    def rows(
        self, part: int = 0, *, count_name: str = "count", with_reason: bool = False
    ) -> list[dict[str, str]]:
        """The released cells of one table: per dimension its node and level, then the count
        (empty when suppressed) and the status (and, when asked, why it is suppressed)."""
        _name, dims, cells = self.parts()[part]
        axes = [[d.name for d in self.table.dims].index(dim.name) for dim in dims]
        found = []
        for cell in cells:
            key = self.table.keys[cell]
            row: dict[str, str] = {}
            for dim, axis in zip(dims, axes, strict=True):
                level, name = key[axis]
                row[dim.name] = name
                row[f"{dim.name}_level"] = level
            status = self.status(cell)
            row[count_name] = "" if status != PUBLISHED else _number(self.table.values[cell])
            row["status"] = status
            if with_reason:
                row["reason"] = self.explain(cell)
            found.append(row)
        return found


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def protect_table(
    table: Table,
    policy: Policy,
    *,
    populations: Mapping[str, float] | None = None,
    area_dimension: str | None = None,
    facts: Sequence[LinearFact] = (),
    time_limit: float = 60.0,
) -> Protection:
    """Find the primary cells, choose the complementary ones, and audit the result."""
    primary = find_primary(table, policy, populations=populations, area_dimension=area_dimension)
    options = Options(
        time_limit=time_limit,
        zeros_protect=policy.zeros_protect,
        singleton_rule=policy.singleton_rule,
    )
    pattern = protect(table, primary, options, facts)
    report = _audit(table, policy, primary, pattern.suppressed, facts)
    return Protection(table, policy, primary, pattern, report)


def reaudit(protection: Protection, facts: Sequence[LinearFact]) -> AuditReport:
    """The audit of a protection's pattern with other published facts (rates) included."""
    return _audit(
        protection.table,
        protection.policy,
        protection.primary,
        protection.pattern.suppressed,
        facts,
    )


def _audit(
    table: Table,
    policy: Policy,
    primary: Primary,
    suppressed: BoolArray,
    facts: Sequence[LinearFact],
) -> AuditReport:
    small = np.array([policy.is_small(v) for v in table.values], dtype=bool)
    return audit(
        table,
        primary,
        suppressed,
        facts=facts,
        small=small,
        singleton_rule=policy.singleton_rule,
    )


def interval_text(low: float, high: float) -> str:
    return f"[{low:g}, {'∞' if math.isinf(high) else f'{high:g}'}]"
