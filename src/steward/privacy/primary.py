"""Primary suppression: which cells a policy says are too revealing to publish, and why.

Each primary cell also gets its protection levels: how far below and above its value its
feasible interval must reach once the table is published with holes in it. Counts need the
policy's `protection` on each side (never below zero); a cell failing a dominance or p% rule
needs enough that the largest contributor's value cannot be estimated too closely.

>>> from steward.privacy.hierarchy import flat
>>> from steward.privacy.policy import BUILTIN
>>> from steward.privacy.table import build_table
>>> t = build_table([flat("a", ["x", "y"])], {(("value", "x"),): 3, (("value", "y"),): 40})
>>> found = find_primary(t, BUILTIN["cms"])
>>> [t.labels(int(c)) for c in found.cells], found.reasons[int(found.cells[0])]
(['x'], 'count 3 is between 1 and 10')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from steward.errors import Invalid
from steward.privacy.policy import Policy
from steward.privacy.table import BoolArray, FloatArray, IntArray, Table


@dataclass
class Primary:
    mask: BoolArray
    upper: FloatArray
    """Protection needed above each primary cell's value (0 elsewhere)."""
    lower: FloatArray
    """Protection needed below each primary cell's value (0 elsewhere)."""
    reasons: dict[int, str] = field(default_factory=dict)

    @property
    def cells(self) -> IntArray:
        return np.flatnonzero(self.mask).astype(np.int64)


def find_primary(
    table: Table,
    policy: Policy,
    *,
    populations: Mapping[str, float] | None = None,
    area_dimension: str | None = None,
) -> Primary:
    """The primary cells of `table` under `policy`.

    `populations` maps the leaf names of `area_dimension` (towns) to their population; margins
    add up their leaves. They are needed only when the policy has a population floor.
    """
    values = table.values
    mask = np.zeros(table.size, dtype=bool)
    reasons: dict[int, str] = {}
    small = _small_counts(table, policy)
    if policy.population_floor is not None:
        small &= _under_floor(table, policy.population_floor, populations, area_dimension)
    for cell in np.flatnonzero(small):
        reasons[int(cell)] = _count_reason(policy, values[cell], populations is not None)
    mask |= small
    upper = np.where(mask, float(policy.protection), 0.0)
    lower = np.where(mask, np.minimum(float(policy.protection), values), 0.0)
    if policy.magnitude_rules:
        _magnitude(table, policy, mask, upper, lower, reasons)
    return Primary(mask, upper, lower, reasons)


def _small_counts(table: Table, policy: Policy) -> BoolArray:
    values = table.values
    small = (values > 0) & (values <= policy.max_suppressed)
    if policy.suppress_zeros:
        small |= (values == 0) & ~table.structural
    return small


def _count_reason(policy: Policy, value: float, floor: bool) -> str:
    if value == 0:
        return "zero counts are suppressed"
    reason = f"count {value:g} is between 1 and {policy.max_suppressed}"
    if floor and policy.population_floor:
        reason += f" in an area of under {policy.population_floor:,} people"
    return reason


def _under_floor(
    table: Table,
    floor: int,
    populations: Mapping[str, float] | None,
    area_dimension: str | None,
) -> BoolArray:
    """True for cells whose area has fewer people than the floor (or an unknown population)."""
    names = [dim.name for dim in table.dims]
    if populations is None or area_dimension not in names:
        raise Invalid(
            "this policy has a population floor: give the populations of the areas and the "
            "dimension that holds them"
        )
    axis = names.index(area_dimension)
    dim = table.dims[axis]
    leaf_people = np.array([populations.get(leaf[1], np.nan) for leaf in dim.leaves])
    aggregation = dim.aggregation()
    known = aggregation @ np.nan_to_num(leaf_people, nan=0.0)
    missing = aggregation @ np.isnan(leaf_people).astype(float)
    # An area with any unknown part counts as small: suppressing too much is the safe error.
    node_under = (known < floor) | (missing > 0)
    position = dim.position
    return np.array([node_under[position[key[axis]]] for key in table.keys], dtype=bool)


def _magnitude(
    table: Table,
    policy: Policy,
    mask: BoolArray,
    upper: FloatArray,
    lower: FloatArray,
    reasons: dict[int, str],
) -> None:
    """Dominance and p% rules on a magnitude table, with the protection each one needs."""
    if table.top is None:
        raise Invalid("dominance and p% rules need the contributions of each cell (microdata)")
    totals, top = table.values, table.top
    needs = np.zeros(table.size)
    if policy.dominance_n is not None and policy.dominance_k is not None:
        largest = top[:, : policy.dominance_n].sum(axis=1)
        hit = (totals > 0) & (largest > policy.dominance_k / 100 * totals)
        needs = np.where(hit, np.maximum(needs, 100 / policy.dominance_k * largest - totals), needs)
        for cell in np.flatnonzero(hit & ~mask):
            reasons[int(cell)] = (
                f"its {policy.dominance_n} largest contributions are over "
                f"{policy.dominance_k:g}% of the total"
            )
        mask |= hit
    if policy.p_percent is not None:
        remainder = totals - top[:, 0] - top[:, 1]
        gap = policy.p_percent / 100 * top[:, 0] - remainder
        hit = (totals > 0) & (gap > 0)
        needs = np.where(hit, np.maximum(needs, gap), needs)
        for cell in np.flatnonzero(hit & ~mask):
            reasons[int(cell)] = (
                f"the second largest contributor could estimate the largest within "
                f"{policy.p_percent:g}%"
            )
        mask |= hit
    sensitive = needs > 0
    upper[sensitive] = np.maximum(upper[sensitive], needs[sensitive])
    lower[sensitive] = np.minimum(np.maximum(lower[sensitive], needs[sensitive]), totals[sensitive])
