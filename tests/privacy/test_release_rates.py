"""Rates in releases: percentages of the row total and rates per residents, rounded and suppressed
per the policy, with every published rate's constraints checked by the tests' own LP audit."""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from steward.catalog.models import Dataset
from steward.catalog.rows import open_public_rows
from steward.demo.loader import DATA_DIR
from steward.errors import Invalid
from steward.privacy import build, releases
from steward.privacy.engine import protect_table
from steward.privacy.hierarchy import ROOT, ct_town_county, ct_town_region
from steward.privacy.policy import BUILTIN
from steward.privacy.publish import publish_release
from steward.privacy.schemas import ReleaseCreate

from .conftest import grid
from .lp_audit import Bound, equations, intervals
from .test_releases import DIMS, plain_links, true_counts
from .world import RELEASE, TABLES, World, make_world

HALF = 0.05  # half a unit of the last of one decimal
Key = tuple[tuple[str, str], ...]


def key_of(cells: Mapping[str, Any], dims: Sequence[str]) -> Key:
    return tuple((cells[f"{d}_level"], cells[d]) if d in cells else ROOT for d in dims)


def row_total(key: Key, first: int, own: Sequence[int]) -> Key:
    """The test's own reading of "the row total": the first dimension kept, the table's others
    at their total."""
    return tuple(
        node if axis == first or axis not in own else ROOT for axis, node in enumerate(key)
    )


def percent_bounds(
    rows: Sequence[Mapping[str, Any]], index: Mapping[Key, int], dims: Sequence[str], own: list[int]
) -> list[Bound]:
    """What each published percentage (and each percentage status) says, as inequalities."""
    bounds: list[Bound] = []
    for cells in rows:
        key = key_of(cells, dims)
        i, j = index[key], index[row_total(key, own[0], own)]
        if cells["percent_status"] == "small_denominator":
            bounds.append(({j: 1.0}, 10.0))  # CMS: denominators under 11
        if cells["percent_status"] != "published":
            continue
        shown = float(cells["percent"])
        bounds.append(({j: -1.0}, -11.0))
        if i != j:
            bounds.append(({i: -1.0, j: (shown - HALF) / 100}, 0.0))
            bounds.append(({i: 1.0, j: -(shown + HALF) / 100}, 0.0))
    return bounds


def check_intervals(
    found: Mapping[int, tuple[float, float]], values: Sequence[float], primary: set[int]
) -> None:
    for cell, (low, high) in found.items():
        value = values[cell]
        low_int = math.ceil(low - 1e-6)
        high_int = high if math.isinf(high) else math.floor(high + 1e-6)
        if cell in primary:
            assert low_int <= value - min(1, value), (cell, low, high)
            assert high_int >= value + 1, (cell, low, high)
        elif value <= 10:
            assert high_int > low_int, cell


GRID = {
    "r1": {"a": 4, "b": 6, "c": 0},
    "r2": {"a": 30, "b": 40, "c": 50},
    "r3": {"a": 30, "b": 40, "c": 50},
}


def grid_rows() -> tuple[list[dict[str, Any]], list[Key], list[float]]:
    """The released rows of the grid with percentages, and every cell's true value."""
    table = grid(GRID)
    protection = protect_table(table, BUILTIN["cms"])
    rates = build.protect_rates(protection, [build.RateAsk(percent=True)], None)
    assert protection.audit.passed, protection.audit.problems
    ((_name, columns, rows),) = build.released_tables(protection, ["t"], "count", rates)
    dicts = [dict(zip(columns, row, strict=True)) for row in rows]
    keys = [key_of(cells, ["row", "col"]) for cells in dicts]
    truth = {**{(r, c): float(v) for r, cs in GRID.items() for c, v in cs.items()}}
    for r, cs in GRID.items():
        truth[(r, "Total")] = float(sum(cs.values()))
    for c in "abc":
        truth[("Total", c)] = sum(float(GRID[r][c]) for r in GRID)
    truth[("Total", "Total")] = sum(float(sum(cs.values())) for cs in GRID.values())
    values = [truth[(k[0][1], k[1][1])] for k in keys]
    return dicts, keys, values


def test_rates_that_would_give_a_suppressed_total_away_are_withheld() -> None:
    rows, keys, values = grid_rows()
    index = {key: i for i, key in enumerate(keys)}
    hidden = [cells["status"] != "published" for cells in rows]
    primary = {i for i, cells in enumerate(rows) if cells["status"] == "primary"}
    eqs = equations(
        keys,
        [
            (0, {k[0]: ROOT for k in keys if k[0] != ROOT}),
            (1, {k[1]: ROOT for k in keys if k[1] != ROOT}),
        ],
    )
    statuses = {
        (k[0][1], k[1][1]): cells["percent_status"] for k, cells in zip(keys, rows, strict=True)
    }
    # r1's total is 10 (primary); its zero cell is published, and a "small denominator" status
    # would say the total is under 11: the total could be no higher than 10.
    assert statuses[("r1", "c")] == "withheld"
    assert all(
        cells["percent_status"] == "count_suppressed"
        for cells in rows
        if cells["status"] != "published"
    )
    withheld = [i for i, cells in enumerate(rows) if cells["percent_status"] == "withheld"]
    published = [i for i, cells in enumerate(rows) if cells["percent_status"] == "published"]
    assert published and all(rows[i]["status"] == "published" for i in withheld)
    for i in published:
        j = index[row_total(keys[i], 0, [0, 1])]
        assert float(rows[i]["percent"]) == round(100 * values[i] / values[j], 1)
    # the test's own audit, with what is published: every primary cell keeps its interval
    bounds = percent_bounds(rows, index, ["row", "col"], [0, 1])
    check_intervals(intervals(values, hidden, eqs, bounds), values, primary)
    # had the withheld rates been published, the same audit would pin a primary cell down
    unsafe = [dict(cells) for cells in rows]
    for i in withheld:
        j = index[row_total(keys[i], 0, [0, 1])]
        if values[j] < 11:
            unsafe[i]["percent_status"] = "small_denominator"
        else:
            unsafe[i]["percent"] = f"{100 * values[i] / values[j]:.1f}"
            unsafe[i]["percent_status"] = "published"
    leaky = intervals(values, hidden, eqs, percent_bounds(unsafe, index, ["row", "col"], [0, 1]))
    with pytest.raises(AssertionError):
        check_intervals(leaky, values, primary)


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def town_people(year: str = "2020") -> dict[tuple[str, str], float]:
    """Residents of every town, county, planning region and the state in `year`, summed by the
    test from the DPH file."""
    people: dict[tuple[str, str], float] = {}
    path = DATA_DIR / "datasets/dph_population_by_town_1996-2020_ctdata.csv"
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["Year"] == year and row["Measure Type"] == "Number":
                people[("town", row["Town"])] = float(row["Value"])
    people.pop(("town", "Connecticut"))
    for links in (ct_town_county().parents, ct_town_region().parents):
        for town, parent in links.items():
            if town[0] == "town":
                people[parent] = people.get(parent, 0.0) + people[town]
    people[ROOT] = sum(v for k, v in people.items() if k[0] == "town")
    return people


class Populations:
    """What a cell of (area, year, ...) is divided by: its year's residents (2020's after 2020,
    the last DPH estimate); over all years, the sum of each year's (person-years)."""

    def __init__(self, years: Sequence[str]) -> None:
        self.years = sorted(years)
        self.of_year = {y: town_people(y if int(y) <= 2020 else "2020") for y in self.years}

    def __call__(self, key: Key) -> float:
        area, year = key[0], key[1]
        chosen = self.years if year == ROOT else [year[1]]
        return sum(self.of_year[y][area] for y in chosen)


RATED = {
    **RELEASE,
    "tables": [
        {**TABLES[0], "percent": True, "rate_per": 100_000},
        {**TABLES[1], "percent": True},
    ],
}


def test_the_medical_examiners_release_with_rates_passes_an_independent_audit(
    world: World,
) -> None:
    steward, ado = world.actor("steward@ocme.ct.gov"), world.actor("ado@ocme.ct.gov")
    with world.database.session() as session:
        made = releases.create_table_release(
            session, steward, world.settings.data_dir, ReleaseCreate.model_validate(RATED)
        )
        detail = releases.get_release(session, steward, made.id)
    assert made.passed, made.summary
    assert made.summary["rates"]["columns"] == ["percent", "rate_per_100000"]
    statuses = made.summary["rates"]["statuses"]
    assert made.summary["rates"]["facts"] > 0 and statuses["published"] > 500
    assert statuses["count_suppressed"] > 100
    truth = true_counts()
    people = Populations(sorted({key[1][1] for key in truth if key[1] != ROOT}))
    used = made.summary["rates"]["populations"]
    assert used["year_dimension"] == "year" and used["fallback_year"] == 2020
    assert used["years_without_estimates"] == [y for y in people.years if int(y) > 2020]
    index: dict[Key, int] = {}
    values: list[float] = []
    hidden: list[bool] = []
    primary: set[int] = set()
    rows_of: list[tuple[list[dict[str, Any]], list[int]]] = []
    for table in detail.tables:
        rows = [dict(zip(table.columns, row, strict=True)) for row in table.rows]
        own = [DIMS.index(name) for name in table.columns[0:-1:2] if name in DIMS]
        rows_of.append((rows, own))
        for cells in rows:
            key = key_of(cells, DIMS)
            if key not in index:
                index[key] = len(values)
                values.append(float(truth[key]))
                hidden.append(cells["status"] != "published")
            if cells["status"] == "primary":
                primary.add(index[key])
            _check_rate_values(cells, key, own, truth, people)
    bounds = [b for rows, own in rows_of for b in percent_bounds(rows, index, DIMS, own)]
    bounds += [b for rows, _own in rows_of for b in population_bounds(rows, index, people)]
    cells = list(index)
    parents = [
        (0, dict(ct_town_county().parents)),
        (0, dict(ct_town_region().parents)),
        *((axis, plain_links(cells, axis)) for axis in (1, 2, 3)),
    ]
    found = intervals(values, hidden, equations(cells, parents), bounds)
    check_intervals(found, values, primary)
    with world.database.session() as session:
        releases.approve_release(session, ado, made.id)
        published = publish_release(session, steward, world.settings.data_dir, made.id)
        source = open_public_rows(session, world.settings.data_dir, published.published_dataset_id)
        names = {field.name for field in source.fields}
        description = session.get(Dataset, published.published_dataset_id).description
    assert "each cell's year (`year`)" in description and "person-years" in description
    assert {"percent", "percent_status", "rate_per_100000", "rate_per_100000_status"} <= names


def _check_rate_values(
    cells: Mapping[str, Any],
    key: Key,
    own: list[int],
    truth: Mapping[Key, int],
    people: Populations,
) -> None:
    """Each rate is the rounded true value, or empty with a status that says why."""
    count_hidden = cells["status"] != "published"
    denominator = truth[row_total(key, own[0], own)]
    if count_hidden:
        assert cells["percent"] == "" and cells["percent_status"] == "count_suppressed"
    elif denominator < 11:
        assert cells["percent_status"] in ("small_denominator", "withheld")
    elif cells["percent_status"] == "published":
        assert float(cells["percent"]) == round(100 * truth[key] / denominator, 1)
    if "rate_per_100000" in cells and not count_hidden:
        expected = round(100_000 * truth[key] / people(key), 1)
        assert float(cells["rate_per_100000"]) == pytest.approx(expected)
        assert cells["rate_per_100000_status"] == "published"


def population_bounds(
    rows: Sequence[Mapping[str, Any]], index: Mapping[Key, int], people: Populations
) -> list[Bound]:
    found: list[Bound] = []
    for cells in rows:
        if cells.get("rate_per_100000_status") == "published":
            i = index[key_of(cells, DIMS)]
            shown, population = float(cells["rate_per_100000"]), people(key_of(cells, DIMS))
            found.append(({i: 1.0}, (shown + HALF) / 100_000 * population))
            found.append(({i: -1.0}, -(shown - HALF) / 100_000 * population))
    return found


def test_rates_need_known_populations(world: World) -> None:
    steward = world.actor("steward@ocme.ct.gov")
    bad = {**RATED, "population_year": 1990}
    with world.database.session() as session, pytest.raises(Invalid, match="1990"):
        releases.create_table_release(
            session, steward, world.settings.data_dir, ReleaseCreate.model_validate(bad)
        )
