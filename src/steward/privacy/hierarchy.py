"""Hierarchies: how the values of one dimension roll up to margins.

A hierarchy is a tree whose leaves are the values found in the data (towns, ages, months) and
whose root is the `Total`. Every node is a `(level, name)` pair, so a custom hierarchy may reuse a
name at two levels. One dimension may carry several hierarchies over the same leaves (towns roll
up to counties and to planning regions): the table then holds every margin of each, and the
suppression must hold across all of them at once (linked hierarchies).

>>> county = ct_town_county()
>>> county.levels, county.parent_of(("town", "Groton"))
(('total', 'county', 'town'), ('county', 'New London County'))
>>> ct_town_region().node_at(("town", "Groton"), "planning_region")
('planning_region', 'Southeastern Connecticut Planning Region')
>>> month_year(["2017-03", "2016-12"]).ancestors(("month", "2017-03"))
[('month', '2017-03'), ('year', '2017'), ('total', 'Total')]
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

from steward.errors import Invalid
from steward.standards.profile import default_profile

Node = tuple[str, str]
"""A node of a hierarchy: (level name, value)."""

TOTAL_LEVEL = "total"
TOTAL_NAME = "Total"
ROOT: Node = (TOTAL_LEVEL, TOTAL_NAME)


@dataclass(frozen=True)
class Hierarchy:
    """A tree of nodes; `levels` run from the root's level down to the leaves' level."""

    name: str
    levels: tuple[str, ...]
    parents: Mapping[Node, Node] = field(repr=False)
    source: Hierarchy | None = field(default=None, repr=False, compare=False)
    """The hierarchy this one was cut from (see `cut`), which links the two."""

    @property
    def full(self) -> Hierarchy:
        return self.source or self

    def cut(self, level: str) -> Hierarchy:
        """The hierarchy down to `level` only: its nodes at that level become the leaves.

        >>> ct_town_region().cut("planning_region").leaves[0]
        ('planning_region', 'Capitol Planning Region')
        """
        if level not in self.levels[1:]:
            raise Invalid(f"hierarchy {self.name} has no level {level!r}: {list(self.levels)}")
        keep = self.levels[: self.levels.index(level) + 1]
        parents = {node: parent for node, parent in self.parents.items() if node[0] in keep}
        return Hierarchy(f"{self.name}:{level}", keep, parents, self.full)

    @property
    def leaf_level(self) -> str:
        return self.levels[-1]

    @property
    def leaves(self) -> list[Node]:
        return [node for node in self.parents if node[0] == self.leaf_level]

    @property
    def nodes(self) -> list[Node]:
        """Every node, the root first, then level by level in the order they were declared."""
        ordered = [ROOT]
        for level in self.levels[1:]:
            ordered.extend(node for node in self.parents if node[0] == level)
        return ordered

    def parent_of(self, node: Node) -> Node:
        return self.parents[node]

    def ancestors(self, leaf: Node) -> list[Node]:
        """The node itself, then each parent up to the root."""
        chain = [leaf]
        while chain[-1] != ROOT:
            chain.append(self.parents[chain[-1]])
        return chain

    def node_at(self, leaf: Node, level: str) -> Node:
        """The ancestor of `leaf` at `level` (the leaf itself at its own level)."""
        for node in self.ancestors(leaf):
            if node[0] == level:
                return node
        raise Invalid(f"hierarchy {self.name} has no level {level!r}")

    def children(self) -> dict[Node, list[Node]]:
        """Each inner node and its children, in declaration order."""
        found: dict[Node, list[Node]] = {}
        for node, parent in self.parents.items():
            found.setdefault(parent, []).append(node)
        return found


def from_paths(name: str, levels: Sequence[str], paths: Iterable[Sequence[str]]) -> Hierarchy:
    """A hierarchy from one path per leaf: the names at `levels` below the total, top first."""
    if not levels:
        raise Invalid(f"hierarchy {name}: no levels")
    if len(set(levels)) != len(levels) or TOTAL_LEVEL in levels:
        raise Invalid(f"hierarchy {name}: level names must be distinct and not {TOTAL_LEVEL!r}")
    parents: dict[Node, Node] = {}
    for path in paths:
        if len(path) != len(levels) or any(not part.strip() for part in path):
            raise Invalid(f"hierarchy {name}: every row needs a value at each of {list(levels)}")
        parent = ROOT
        for level, value in zip(levels, path, strict=True):
            node = (level, value.strip())
            known = parents.setdefault(node, parent)
            if known != parent:
                raise Invalid(
                    f"hierarchy {name}: {value!r} ({level}) is under both {known[1]!r} and "
                    f"{parent[1]!r}"
                )
            parent = node
    if not parents:
        raise Invalid(f"hierarchy {name}: no rows")
    return Hierarchy(name, (TOTAL_LEVEL, *levels), parents)


def flat(name: str, values: Iterable[str]) -> Hierarchy:
    """A plain dimension: each value and their total."""
    return from_paths(name, ["value"], ([value] for value in dict.fromkeys(values)))


def read_hierarchy_file(name: str, text: str) -> Hierarchy:
    """A custom hierarchy from CSV text: the header names the levels, coarsest first, the leaf
    level last; each row is the path of one leaf.

    >>> h = read_hierarchy_file("race", "group,detail\\nAsian,Chinese\\nAsian,Asian Indian\\n")
    >>> h.levels, h.parent_of(("detail", "Chinese"))
    (('total', 'group', 'detail'), ('group', 'Asian'))
    """
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    rows = [row for row in reader if any(cell.strip() for cell in row)]
    if len(rows) < 2:
        raise Invalid(f"hierarchy file for {name}: a header of level names and one row per leaf")
    header = [cell.strip() for cell in rows[0]]
    return from_paths(name, header, rows[1:])


def _county_name(name: str) -> str:
    return name if name.endswith(" County") else f"{name} County"


@cache
def ct_town_county() -> Hierarchy:
    """Connecticut towns -> the 8 counties -> state, from the bundled state profile."""
    towns = default_profile().towns
    paths = [(_county_name(town.county_name), town.name) for town in towns]
    return from_paths("ct_town_county", ["county", "town"], paths)


@cache
def ct_town_region() -> Hierarchy:
    """Connecticut towns -> the 9 planning regions -> state, from the bundled state profile."""
    towns = default_profile().towns
    return from_paths(
        "ct_town_region", ["planning_region", "town"], [(t.region_name, t.name) for t in towns]
    )


def month_year(values: Iterable[str]) -> Hierarchy:
    """Months (`YYYY-MM`) -> years -> total."""
    paths = []
    for value in sorted(set(values)):
        if len(value) != 7 or value[4] != "-" or not (value[:4] + value[5:]).isdigit():
            raise Invalid(f"month_year: {value!r} is not a month written YYYY-MM")
        paths.append((value[:4], value))
    return from_paths("month_year", ["year", "month"], paths)


DEFAULT_AGE_BANDS: tuple[tuple[int, int | None], ...] = (
    (0, 14),
    (15, 24),
    (25, 34),
    (35, 44),
    (45, 54),
    (55, 64),
    (65, 74),
    (75, None),
)


def age_band(age: int, bands: Sequence[tuple[int, int | None]] = DEFAULT_AGE_BANDS) -> str:
    """The label of the band holding `age`: `25-34`, `75+`.

    >>> age_band(29), age_band(80), age_band(3)
    ('25-34', '75+', '0-14')
    """
    for low, high in bands:
        if age >= low and (high is None or age <= high):
            return f"{low}+" if high is None else f"{low}-{high}"
    raise Invalid(f"age {age} is in no age band")


def age_bands(values: Iterable[str]) -> Hierarchy:
    """Single years of age -> the default age bands -> total."""
    paths = []
    for value in sorted(set(values), key=lambda text: (len(text), text)):
        if not value.isdigit():
            raise Invalid(f"age_band: {value!r} is not an age in whole years")
        paths.append((age_band(int(value)), value))
    return from_paths("age_band", ["age_band", "age"], paths)


BUILTIN: dict[str, Callable[[Iterable[str]], Hierarchy]] = {
    "ct_town_county": lambda _values: ct_town_county(),
    "ct_town_region": lambda _values: ct_town_region(),
    "month_year": month_year,
    "age_band": age_bands,
}
"""Named hierarchies; each is built from the values found in the data (geography ignores them:
its leaves are all the state's towns, so a town with no records is a zero cell)."""


def builtin(name: str, values: Iterable[str]) -> Hierarchy:
    """A built-in hierarchy by name; `name:level` cuts it at a level (`ct_town_region:
    planning_region` has the regions as its leaves)."""
    base, _, level = name.partition(":")
    try:
        factory = BUILTIN[base]
    except KeyError:
        known = ", ".join(sorted(BUILTIN))
        raise Invalid(f"no hierarchy named {base!r} (built in: {known})") from None
    if not level:
        return factory(values)
    if base not in ("ct_town_county", "ct_town_region"):
        raise Invalid(f"only the geographic hierarchies can be cut at a level, not {base!r}")
    return factory(values).cut(level)
