"""Rates and percentages published beside the counts, and what they tell an attacker.

A release table may carry a percentage (the cell's share of its row total: the cell with every
dimension but the table's first at its total) and a rate per a number of residents (the cell's
count over the bundled DPH population of its area). Each follows the policy: rounded to its
`percent_decimals`, suppressed when the count is suppressed, and suppressed when the denominator
is under `min_denominator` (the status says which).

Whatever is published is a fact an attacker can use. A value `p` rounded to `d` decimals tells
that the numerator lies within half a unit of the last digit of `p / per * denominator`:
`(p - h) / per * den <= num <= (p + h) / per * den` with `h = 0.5 * 10**-d`. Both sides are
linear in the two cells, so they join the audit as `LinearFact`s; so does the denominator rule
(a rate shown says its denominator is at least the minimum, one suppressed for a small
denominator says it is below). A published count beside a hidden row total can then give the
total away; `secure_rates` withholds the rates that would, until the audit passes with every
remaining fact included.

>>> facts = percentage_facts([(0, 1, 3.0, 23.0)], decimals=1)
>>> [round(f.coefs[1], 5) for f in facts], facts[0].lower, facts[1].upper
([-0.1295, -0.1305], 0.0, 0.0)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from steward.privacy.attacker import Attacker, LinearFact
from steward.privacy.audit import AuditReport, CellAudit
from steward.privacy.hierarchy import ROOT, ct_town_county
from steward.privacy.policy import Policy
from steward.privacy.table import BoolArray, Dimension, FloatArray, Table

PUBLISHED = "published"
COUNT_SUPPRESSED = "count_suppressed"
SMALL_DENOMINATOR = "small_denominator"
NO_POPULATION = "no_population"
WITHHELD = "withheld"
STATUS_MEANING = {
    PUBLISHED: "published",
    COUNT_SUPPRESSED: "not published because its count is suppressed",
    SMALL_DENOMINATOR: "not published because its denominator is under the policy's minimum",
    NO_POPULATION: "not published because the area's population is unknown",
    WITHHELD: "withheld because, with the totals, it would let a suppressed cell be worked out",
}
PERCENT = "percent"


def rate_column(per: int) -> str:
    return f"rate_per_{per}"


def rounded_percentage(numerator: float, denominator: float, decimals: int) -> float:
    return round(100 * numerator / denominator, decimals)


def percentage_facts(
    pairs: Sequence[tuple[int, int, float, float]], decimals: int
) -> list[LinearFact]:
    """Facts from `(numerator cell, denominator cell, numerator, denominator)`: the percentage
    each pair publishes, rounded to `decimals`. Pairs with a zero denominator publish nothing."""
    facts = []
    for num, den, numerator, denominator in pairs:
        if denominator > 0:
            shown = rounded_percentage(numerator, denominator, decimals)
            facts += ratio_facts(num, den, shown, decimals, 100.0)
    return facts


def ratio_facts(num: int, den: int, shown: float, decimals: int, per: float) -> list[LinearFact]:
    """`shown` = num / den * per rounded to `decimals`, as two linear facts."""
    half = 0.5 * 10.0**-decimals
    label = f"{shown:.{decimals}f} per {per:g}"
    low, high = (shown - half) / per, (shown + half) / per
    return [
        LinearFact((num, den), (1.0, -low), 0.0, math.inf, label),
        LinearFact((num, den), (1.0, -high), -math.inf, 0.0, label),
    ]


@dataclass
class Rate:
    """One rate of one released cell: over another cell (a share) or over a population."""

    column: str
    cell: int
    per: float
    denominator: float
    denominator_cell: int | None = None
    """None: the denominator is a public population, not a cell of the table."""
    status: str = PUBLISHED
    shown: float | None = None

    def facts(self, policy: Policy, counts: bool) -> list[LinearFact]:
        """What publishing this rate (or its status) tells about the table's cells."""
        den = self.denominator_cell
        if self.status == SMALL_DENOMINATOR and den is not None:
            return [LinearFact((den,), (1.0,), -math.inf, _below(policy, counts), "small den")]
        if self.status != PUBLISHED or self.shown is None:
            return []
        if den is None:
            half = 0.5 * 10.0**-policy.percent_decimals
            low = max(self.shown - half, 0.0) / self.per * self.denominator
            high = (self.shown + half) / self.per * self.denominator
            return [LinearFact((self.cell,), (1.0,), low, high, f"{self.shown} per {self.per:g}")]
        found = []
        if den != self.cell:
            found += ratio_facts(self.cell, den, self.shown, policy.percent_decimals, self.per)
        if policy.min_denominator:
            found.append(LinearFact((den,), (1.0,), float(policy.min_denominator), math.inf, "den"))
        return found


def _below(policy: Policy, counts: bool) -> float:
    """The largest denominator a `small_denominator` status allows (counts are whole)."""
    minimum = float(policy.min_denominator or 0)
    return max(minimum - 1.0, 0.0) if counts and minimum else minimum


def share_cells(table: Table, dims: Sequence[Dimension], cells: Sequence[int]) -> list[int]:
    """Each cell's row total: the same node of the table's first dimension, the others at
    their total."""
    names = [dim.name for dim in table.dims]
    axes = [names.index(dim.name) for dim in dims[1:]]
    found = []
    for cell in cells:
        key = list(table.keys[cell])
        for axis in axes:
            key[axis] = ROOT
        found.append(table.index(tuple(key)))
    return found


def cell_populations(
    table: Table,
    area_dimension: str | None,
    people: Mapping[str, float],
    year_dimension: str | None = None,
    people_of_year: Mapping[str, Mapping[str, float]] | None = None,
) -> FloatArray:
    """Each cell's population: the residents of its area (a town, county, region or the state;
    the state when the table has no area), NaN when a town's population is unknown.

    With a year dimension and `people_of_year` (town populations by year), a cell of one year
    takes that year's populations (`people` for a year not in it), and a cell over several years
    (their total) the sum of theirs: person-years, so its rate is a yearly average.
    """
    names = [dim.name for dim in table.dims]
    if year_dimension not in names or people_of_year is None:
        return _area_populations(table, area_dimension, people)
    dim = table.dims[names.index(year_dimension)]
    by_leaf = np.stack(
        [
            _area_populations(table, area_dimension, people_of_year.get(leaf[1], people))
            for leaf in dim.leaves
        ]
    )  # leaves x cells
    axis = names.index(year_dimension)
    under = dim.aggregation()[[dim.position[key[axis]] for key in table.keys]] > 0  # cells x leaves
    found: FloatArray = np.where(under, by_leaf.T, 0.0).sum(axis=1)
    return found  # an unknown town's NaN counts only in the cells of its own years


def _area_populations(
    table: Table, area_dimension: str | None, people: Mapping[str, float]
) -> FloatArray:
    names = [dim.name for dim in table.dims]
    if area_dimension not in names:
        towns = {leaf[1] for leaf in ct_town_county().leaves}
        state = sum(value for name, value in people.items() if name in towns)
        return np.full(table.size, float(state))
    axis = names.index(area_dimension)
    dim = table.dims[axis]
    leaf_people = np.array([people.get(leaf[1], np.nan) for leaf in dim.leaves])
    aggregation = dim.aggregation()
    known = aggregation @ np.nan_to_num(leaf_people, nan=0.0)
    missing = aggregation @ np.isnan(leaf_people).astype(float)
    node_people = np.where(missing > 0, np.nan, known)
    return np.array([node_people[dim.position[key[axis]]] for key in table.keys])


def make_rates(
    table: Table,
    suppressed: BoolArray,
    policy: Policy,
    column: str,
    per: float,
    pairs: Sequence[tuple[int, int | None, float]],
) -> list[Rate]:
    """The rates of `(cell, denominator cell or None, denominator)` under the policy."""
    found = []
    minimum = policy.min_denominator or 0
    for cell, den_cell, denominator in pairs:
        rate = Rate(column, cell, per, denominator, den_cell)
        if suppressed[cell]:
            rate.status = COUNT_SUPPRESSED
        elif math.isnan(denominator):
            rate.status = NO_POPULATION
        elif denominator <= 0 or denominator < minimum:
            rate.status = SMALL_DENOMINATOR
        else:
            value = per * float(table.values[cell]) / denominator
            rate.shown = round(value, policy.percent_decimals)
        found.append(rate)
    return found


def rate_facts(rates: Sequence[Rate], policy: Policy, counts: bool) -> list[LinearFact]:
    return [fact for rate in rates for fact in rate.facts(policy, counts)]


def secure_rates(
    table: Table,
    suppressed: BoolArray,
    rates: Sequence[Rate],
    policy: Policy,
    audit_with: Callable[[list[LinearFact]], AuditReport],
) -> AuditReport:
    """Audit the pattern with every fact the rates publish; while a suppressed cell fails,
    withhold the rates whose facts hold the attacker's bound on it, then audit again. Ends with
    the audit of what is finally published."""
    counts = table.top is None
    while True:
        owners = [(rate, fact) for rate in rates for fact in rate.facts(policy, counts)]
        facts = [fact for _rate, fact in owners]
        report = audit_with(facts)
        failing = [entry for entry in report.cells if entry.problem]
        if report.passed or not failing:
            return report
        culprits = _binding(table, suppressed, facts, failing) or _connected(
            table, suppressed, facts, failing
        )
        if not culprits:
            return report
        for number in culprits:
            rate = owners[number][0]
            rate.status, rate.shown = WITHHELD, None


def _binding(
    table: Table, suppressed: BoolArray, facts: list[LinearFact], failing: list[CellAudit]
) -> set[int]:
    """The facts that hold each failing cell's bound (a non-zero dual at the attacker's
    optimum)."""
    attacker = Attacker(table, suppressed, facts)
    found: set[int] = set()
    for entry in failing:
        directions = []
        if entry.low > entry.need_low or entry.status != "primary":
            directions.append(-1)
        if entry.high < entry.need_high or entry.status != "primary":
            directions.append(+1)
        for direction in directions:
            extreme = attacker.extreme(entry.cell, direction)
            tight = np.abs(extreme.fact_duals) > 1e-9
            found.update(int(row) for row in extreme.fact_rows[tight])
    return found


def _connected(
    table: Table, suppressed: BoolArray, facts: list[LinearFact], failing: list[CellAudit]
) -> set[int]:
    """Every fact touching a failing cell's group of hidden cells (when no dual names one)."""
    exposed = np.zeros(table.size, dtype=bool)
    cells = {entry.cell for entry in failing}
    for group in Attacker(table, suppressed, facts).groups():
        if cells.intersection(group.tolist()):
            exposed[group] = True
    return {number for number, fact in enumerate(facts) if exposed[list(fact.cells)].any()}
