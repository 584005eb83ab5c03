"""Rounded percentages published beside the counts narrow what a suppressed cell can be."""

from __future__ import annotations

import numpy as np

from steward.privacy.audit import audit
from steward.privacy.engine import protect_table
from steward.privacy.policy import BUILTIN
from steward.privacy.primary import find_primary
from steward.privacy.rates import cell_populations, percentage_facts

from .conftest import cell, grid
from .lp_audit import intervals


def test_a_pattern_safe_without_rates_is_caught_with_them() -> None:
    table = grid({"r1": {"x": 3, "y": 20}, "r2": {"x": 30, "y": 40}})
    hidden = np.zeros(table.size, dtype=bool)
    for row in ("r1", "r2"):
        for col in ("x", "y"):
            hidden[cell(table, row, col)] = True
    primary = find_primary(table, BUILTIN["cms"])
    assert audit(table, primary, hidden).passed
    # each row's share of x, published to one decimal: 13.0% of 23 pins the 3 down
    pairs = [
        (
            cell(table, r, "x"),
            cell(table, r, "Total"),
            table.values[cell(table, r, "x")],
            table.values[cell(table, r, "Total")],
        )
        for r in ("r1", "r2")
    ]
    facts = percentage_facts(pairs, decimals=1)
    report = audit(table, primary, hidden, facts=facts)
    assert not report.passed and "r1 x x" in " ".join(report.problems)
    protected = protect_table(table, BUILTIN["cms"], facts=facts)
    assert protected.audit.passed


def test_the_rate_interval_matches_an_independent_lp() -> None:
    # 3 of 23 at 13.0%: with the row total published, x lies in [2.9785, 3.0015]
    values = [23.0, 3.0, 20.0]
    found = intervals(values, [False, True, True], [(0, [1, 2])])
    assert found[1] == (0.0, 23.0)
    facts = percentage_facts([(1, 0, 3.0, 23.0)], decimals=1)
    low = -facts[0].coefs[1] * 23
    high = -facts[1].coefs[1] * 23
    assert low < 3 < high and high - low < 0.03


def test_each_year_is_divided_by_its_own_residents_and_a_total_by_their_sum() -> None:
    table = grid({"Andover": {"2019": 1, "2021": 1}, "Ashford": {"2019": 1, "2021": 1}})
    fallback = {"Andover": 100.0, "Ashford": 200.0}  # the chosen year's, for 2021
    known = {"2019": {"Andover": 10.0}}  # Ashford unknown in 2019
    found = cell_populations(table, "row", fallback, "col", known)

    def people(row: str, col: str) -> float:
        return float(found[cell(table, row, col)])

    assert people("Andover", "2019") == 10 and people("Andover", "2021") == 100
    assert people("Andover", "Total") == 110  # person-years
    assert people("Ashford", "2021") == 200 and people("Total", "2021") == 300
    assert all(np.isnan(people(r, c)) for r, c in [("Ashford", "2019"), ("Ashford", "Total")])
    assert np.isnan(people("Total", "2019"))
    without_years = cell_populations(table, "row", fallback)
    assert float(without_years[cell(table, "Andover", "2019")]) == 100
