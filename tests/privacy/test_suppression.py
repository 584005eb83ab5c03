"""Complementary suppression on known cases, each result checked by an LP audit written in the
tests (SciPy's `linprog`), not the engine's."""

from __future__ import annotations

import numpy as np
import pytest

from steward.privacy.audit import audit
from steward.privacy.engine import protect_table
from steward.privacy.hierarchy import ROOT, ct_town_county, flat
from steward.privacy.policy import BUILTIN, Policy
from steward.privacy.primary import find_primary
from steward.privacy.repair import repair
from steward.privacy.secondary import Options, candidates, costs, protect
from steward.privacy.table import build_table

from .conftest import cell, grid
from .lp_audit import equations, intervals


def independent_intervals(table, hidden):  # type: ignore[no-untyped-def]
    """The test's own attacker: equations rebuilt from the hierarchies' parent links."""
    links = [
        (axis, dict(h.parents)) for axis, dim in enumerate(table.dims) for h in dim.hierarchies
    ]
    eqs = equations(table.keys, links)
    return intervals(list(table.values), list(hidden), eqs)


def assert_protected(table, primary, hidden, width: float = 1) -> None:  # type: ignore[no-untyped-def]
    found = independent_intervals(table, hidden)
    for c in np.flatnonzero(primary.mask):
        low, high = found[int(c)]
        value = table.values[c]
        assert low <= max(0.0, value - width) + 1e-6, (table.labels(int(c)), low, high)
        assert high >= value + width - 1e-6, (table.labels(int(c)), low, high)


def test_a_3x3_table_with_one_small_cell_ends_with_exactly_4_suppressed_cells() -> None:
    table = grid(
        {
            "A": {"I": 20, "II": 3, "III": 30},
            "B": {"I": 25, "II": 40, "III": 35},
            "C": {"I": 50, "II": 60, "III": 70},
        }
    )
    result = protect_table(table, BUILTIN["cms"])
    hidden = np.flatnonzero(result.pattern.suppressed)
    assert len(hidden) == 4
    # the cheapest rectangle through the small cell
    assert {table.labels(int(c)) for c in hidden} == {"A x I", "A x II", "B x I", "B x II"}
    assert result.audit.passed
    assert_protected(table, result.primary, result.pattern.suppressed)


def test_the_audit_gives_the_interval_of_a_suppressed_block() -> None:
    """A hand-checked example in the manner of Geurts (1992): a 2x2 block of suppressed cells
    whose top-left cell can only be 3 to 6 given the margins and non-negativity."""
    table = grid(
        {
            "A": {"I": 4, "II": 2, "III": 10},
            "B": {"I": 5, "II": 1, "III": 12},
            "C": {"I": 9, "II": 14, "III": 20},
        }
    )
    policy = Policy(name="test", max_suppressed=2, singleton_rule=False)
    primary = find_primary(table, policy)
    hidden = np.zeros(table.size, dtype=bool)
    for r, c in [("A", "I"), ("A", "II"), ("B", "I"), ("B", "II")]:
        hidden[cell(table, r, c)] = True
    report = audit(table, primary, hidden, singleton_rule=False)
    by_label = {entry.label: (entry.low, entry.high) for entry in report.cells}
    assert by_label["A x I"] == (3.0, 6.0)
    assert by_label["B x II"] == (0.0, 3.0)
    assert independent_intervals(table, hidden)[cell(table, "A", "I")] == pytest.approx((3, 6))
    assert report.passed  # 2 can be 1..4, 1 can be 0..3: both move by 1 each way


def hierarchy_table():  # type: ignore[no-untyped-def]
    """Towns of two counties x two categories: Andover and Bolton are in Tolland County."""
    values = {"Andover": (2, 30), "Bolton": (40, 50), "Ashford": (35, 45)}
    inner = {}
    for town, pair in values.items():
        for category, value in zip(("a", "b"), pair, strict=True):
            inner[(("town", town), ("value", category))] = float(value)
    county = ct_town_county()
    towns = [t for t in county.leaves if t[1] in values]
    small = type(county)(
        "three_towns",
        county.levels,
        {
            node: parent
            for node, parent in county.parents.items()
            if node in towns or node in {county.parent_of(t) for t in towns}
        },
    )
    return build_table([small, flat("category", ["a", "b"])], inner)


def test_a_pattern_safe_by_rows_but_open_through_the_county_is_caught_and_repaired() -> None:
    table = hierarchy_table()
    policy = Policy(name="test", max_suppressed=5, singleton_rule=False)
    primary = find_primary(table, policy)
    andover_a = table.index((("town", "Andover"), ("value", "a")))
    assert list(primary.cells) == [andover_a]
    # Hide Andover's row and Ashford's: every town row and the state columns have two hidden
    # cells, but Tolland County's column holds Andover and Bolton only, Bolton published.
    hidden = np.zeros(table.size, dtype=bool)
    for town in ("Andover", "Ashford"):
        for category in ("a", "b"):
            hidden[table.index((("town", town), ("value", category)))] = True
    report = audit(table, primary, hidden, singleton_rule=False)
    assert not report.passed
    assert independent_intervals(table, hidden)[andover_a] == pytest.approx((2, 2))
    options = Options(singleton_rule=False)
    fixed, clean = repair(
        table, primary, hidden, candidates(table, primary, options), costs(table, options)
    )
    assert clean and audit(table, primary, fixed, singleton_rule=False).passed
    assert_protected(table, primary, fixed)
    assert (fixed | ~hidden).all()  # the repair only adds cells


def test_structural_zeros_never_protect() -> None:
    inner = {
        (("value", "A"), ("value", "I")): 3.0,
        (("value", "A"), ("value", "II")): 0.0,
        (("value", "B"), ("value", "I")): 30.0,
        (("value", "B"), ("value", "II")): 40.0,
    }
    zero = (("value", "A"), ("value", "II"))
    table = build_table(
        [flat("row", "AB"), flat("col", ["I", "II"])], inner, structural_zeros=[zero]
    )
    policy = Policy(name="test", max_suppressed=5, zeros_protect=True, singleton_rule=False)
    result = protect_table(table, policy)
    assert not result.pattern.suppressed[table.index(zero)]
    assert result.audit.passed
    # A suppressed structural zero is reported, since it hides nothing.
    forced = result.pattern.suppressed.copy()
    forced[table.index(zero)] = True
    report = audit(table, result.primary, forced, singleton_rule=False)
    assert any("structural zero" in problem for problem in report.problems)


def test_two_suppressed_singletons_in_one_equation_are_not_protection() -> None:
    table = grid({"A": {"I": 1, "II": 1, "III": 40}, "B": {"I": 30, "II": 35, "III": 50}})
    pairs_only = np.zeros(table.size, dtype=bool)
    for r, c in [("A", "I"), ("A", "II"), ("B", "I"), ("B", "II")]:
        pairs_only[cell(table, r, c)] = True
    primary = find_primary(table, BUILTIN["cms"])
    report = audit(table, primary, pairs_only)
    assert any("two singletons" in problem for problem in report.problems)
    result = protect_table(table, BUILTIN["cms"])
    assert result.audit.passed
    a_row = [cell(table, "A", c) for c in ("I", "II", "III")]
    assert result.pattern.suppressed[a_row].sum() >= 3


def test_a_wider_protection_costs_more_and_holds() -> None:
    table = grid(
        {
            "A": {"I": 20, "II": 3, "III": 30},
            "B": {"I": 1, "II": 40, "III": 35},
            "C": {"I": 50, "II": 2, "III": 70},
        }
    )
    narrow = protect_table(table, Policy(name="one", max_suppressed=3, protection=1))
    wide = protect_table(table, Policy(name="three", max_suppressed=3, protection=3))
    assert narrow.audit.passed and wide.audit.passed
    assert wide.secondary_value >= narrow.secondary_value
    assert_protected(table, wide.primary, wide.pattern.suppressed, width=3)


def test_the_population_floor_suppresses_only_small_areas() -> None:
    inner = {
        (("town", "Hartford"), ("value", "x")): 3.0,
        (("town", "Andover"), ("value", "x")): 3.0,
    }
    table = build_table([ct_town_county(), flat("k", ["x"])], inner)
    people = {"Hartford": 121_026.0, "Andover": 3_200.0}
    primary = find_primary(
        table, BUILTIN["ct_dph"], populations=people, area_dimension="ct_town_county"
    )
    flagged = {table.labels(int(c)) for c in primary.cells}
    assert "Andover x x" in flagged and "Andover" in flagged
    assert "Hartford x x" not in flagged  # 121,026 people: shown
    assert "Hartford County x x" in flagged  # its other towns are unknown: treated as small


def test_dominance_and_p_percent_rules_flag_magnitude_cells() -> None:
    inner = {(("value", "a"),): 100.0, (("value", "b"),): 100.0}
    top = {(("value", "a"),): [90.0, 5.0, 5.0], (("value", "b"),): [40.0, 30.0, 30.0]}
    table = build_table([flat("firm", "ab")], inner, top=top)
    dominance = find_primary(table, Policy(name="nk", dominance_n=1, dominance_k=80))
    assert [table.labels(int(c)) for c in dominance.cells] == ["a"]
    # (n, k): the interval must reach 100/80 * 90 - 100 = 12.5 above
    assert dominance.upper[table.index((("value", "a"),))] == pytest.approx(12.5)
    p_rule = find_primary(table, Policy(name="p", p_percent=10))
    # a: 100 - 90 - 5 = 5 < 9: sensitive; b: 30 >= 4: not
    assert [table.labels(int(c)) for c in p_rule.cells] == ["a"]


def bench_table(path: str):  # type: ignore[no-untyped-def]
    import csv

    with open(path, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    categories = sorted({r["category"] for r in rows})
    inner = {(("town", r["town"]), ("value", r["category"])): float(r["n"]) for r in rows}
    return build_table([ct_town_county(), flat("category", categories)], inner)


def test_the_1068_cell_bench_table_needs_no_more_than_sdctable_opt() -> None:
    from pathlib import Path

    path = (
        Path(__file__).parents[2] / "bench" / "data" / "suppression" / "ct_town_x5_categories.csv"
    )
    table = bench_table(str(path))
    policy = Policy(name="sdc", max_suppressed=5, singleton_rule=False)
    primary = find_primary(table, policy)
    assert int(primary.mask.sum()) == 182
    pattern = protect(table, primary, Options(singleton_rule=False))
    secondary = pattern.secondary
    assert pattern.optimal
    assert len(secondary) <= 75 and table.values[secondary].sum() <= 857
    assert_protected(table, primary, pattern.suppressed)
    assert not np.any(pattern.suppressed & (table.values == 0))  # zeros never protect


def test_the_grand_total_alone_is_not_touched_when_nothing_is_small() -> None:
    table = grid({"A": {"I": 20, "II": 30}, "B": {"I": 40, "II": 50}})
    result = protect_table(table, BUILTIN["cms"])
    assert not result.pattern.suppressed.any() and result.audit.passed
    assert result.rows()[0] == {
        "row": "Total",
        "row_level": "total",
        "col": "Total",
        "col_level": "total",
        "count": "140",
        "status": "published",
    }
    assert table.keys[0] == (ROOT, ROOT)
