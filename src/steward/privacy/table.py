"""A table with all its margins and the additivity equations that tie its cells together.

Cells are the cross product of every dimension's nodes (leaves, inner nodes of each hierarchy and
the total). For each dimension and each parent node of each of its hierarchies there is one
equation per combination of the other dimensions' nodes: parent cell = sum of the child cells.
Those equations (with non-negativity) are what an attacker knows, so the suppression and the
audit both work on them.

>>> from steward.privacy.hierarchy import flat
>>> table = build_table([flat("a", ["x", "y"]), flat("b", ["u", "v"])],
...     {(("value", "x"), ("value", "u")): 3, (("value", "y"), ("value", "v")): 4})
>>> table.size, table.equation_count, table.value_of((ROOT, ROOT))
(9, 6, 7.0)
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from math import prod

import numpy as np
import numpy.typing as npt

from steward.errors import Invalid
from steward.privacy.hierarchy import ROOT, Hierarchy, Node

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
Key = tuple[Node, ...]


@dataclass(frozen=True)
class Dimension:
    """A named dimension and the hierarchies over its values (one, or several linked ones)."""

    name: str
    hierarchies: tuple[Hierarchy, ...]

    def __post_init__(self) -> None:
        if not self.hierarchies:
            raise Invalid(f"dimension {self.name} has no hierarchy")
        first = set(self.hierarchies[0].leaves)
        for other in self.hierarchies[1:]:
            if set(other.leaves) != first:
                raise Invalid(
                    f"dimension {self.name}: hierarchies {self.hierarchies[0].name} and "
                    f"{other.name} do not share the same leaves"
                )

    @cached_property
    def leaves(self) -> list[Node]:
        return self.hierarchies[0].leaves

    @cached_property
    def nodes(self) -> list[Node]:
        """The total, then the inner nodes of each hierarchy, then the leaves."""
        leaves = set(self.leaves)
        ordered: dict[Node, None] = {}
        for hierarchy in self.hierarchies:
            ordered.update((node, None) for node in hierarchy.nodes if node not in leaves)
        ordered.update((leaf, None) for leaf in self.leaves)
        return list(ordered)

    @cached_property
    def position(self) -> dict[Node, int]:
        return {node: index for index, node in enumerate(self.nodes)}

    @cached_property
    def equations(self) -> list[tuple[int, list[int]]]:
        """(parent, children) node positions, one per parent of each hierarchy, deduplicated."""
        seen: dict[tuple[int, tuple[int, ...]], None] = {}
        for hierarchy in self.hierarchies:
            for parent, children in hierarchy.children().items():
                kids = tuple(sorted(self.position[child] for child in children))
                seen[(self.position[parent], kids)] = None
        return [(parent, list(kids)) for parent, kids in seen]

    @cached_property
    def _by_text(self) -> dict[str, Node]:
        exact = {leaf[1]: leaf for leaf in self.leaves}
        folded = {leaf[1].casefold(): leaf for leaf in self.leaves}
        return {**folded, **exact}

    def leaf(self, value: str) -> Node | None:
        """The leaf named `value` (exactly, else ignoring case), or None. A hierarchy cut at a
        level also takes the values below it: a town counts in its region."""
        text = value.strip()
        found = self._by_text.get(text) or self._by_text.get(text.casefold())
        if found is not None:
            return found
        for hierarchy in self.hierarchies:
            if hierarchy.source is not None:
                below = Dimension(self.name, (hierarchy.source,)).leaf(text)
                if below is not None:
                    return hierarchy.source.node_at(below, hierarchy.leaf_level)
        return None

    def aggregation(self) -> FloatArray:
        """Matrix nodes x leaves: 1 where the leaf lies under (or is) the node."""
        matrix = np.zeros((len(self.nodes), len(self.leaves)))
        for column, leaf in enumerate(self.leaves):
            for hierarchy in self.hierarchies:
                for node in hierarchy.ancestors(leaf):
                    matrix[self.position[node], column] = 1.0
        return matrix


@dataclass
class Table:
    """Cells (each keyed by one node per dimension), their values and the equations.

    A single table is the cross product of its dimensions' nodes. Tables released together are
    linked into one `Table` (see `link`): a cell two of them share appears once, and the sums
    across them are equations too.
    """

    dims: tuple[Dimension, ...]
    keys: list[Key] = field(repr=False)
    values: FloatArray = field(repr=False)
    structural: BoolArray = field(repr=False)
    eq_ptr: IntArray = field(repr=False)
    eq_cells: IntArray = field(repr=False)
    eq_coef: FloatArray = field(repr=False)
    top: FloatArray | None = field(default=None, repr=False)
    """For magnitude tables: the largest contributions of each cell, largest first."""
    parts: list[tuple[str, tuple[Dimension, ...], IntArray]] = field(default_factory=list)
    """For linked tables: each table's name, own dimensions and cells (in its own order)."""

    @property
    def size(self) -> int:
        return int(self.values.size)

    @property
    def equation_count(self) -> int:
        return int(self.eq_ptr.size - 1)

    @cached_property
    def _index(self) -> dict[Key, int]:
        return {key: cell for cell, key in enumerate(self.keys)}

    def key(self, cell: int) -> Key:
        return self.keys[cell]

    def index(self, key: Key) -> int:
        try:
            return self._index[key]
        except KeyError:
            raise Invalid(f"no cell {' x '.join(n[1] for n in key)} in the table") from None

    def has(self, key: Key) -> bool:
        return key in self._index

    def value_of(self, key: Key) -> float:
        return float(self.values[self.index(key)])

    def equation(self, row: int) -> tuple[IntArray, FloatArray]:
        start, end = self.eq_ptr[row], self.eq_ptr[row + 1]
        return self.eq_cells[start:end], self.eq_coef[start:end]

    @cached_property
    def cell_rows(self) -> tuple[IntArray, IntArray]:
        """CSR of the transpose: for each cell, the equations it appears in."""
        rows = np.repeat(np.arange(self.equation_count), np.diff(self.eq_ptr))
        order = np.argsort(self.eq_cells, kind="stable")
        counts = np.bincount(self.eq_cells, minlength=self.size)
        ptr = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        return ptr, rows[order].astype(np.int64)

    def rows_of(self, cell: int) -> IntArray:
        ptr, rows = self.cell_rows
        return rows[ptr[cell] : ptr[cell + 1]]

    def labels(self, cell: int) -> str:
        """A cell in words: `Hartford x 2017`, `Total` for the grand total."""
        names = [node[1] for node in self.keys[cell] if node != ROOT]
        return " x ".join(names) or ROOT[1]

    def hidden_per_row(self, hidden: BoolArray) -> IntArray:
        """How many hidden cells each equation holds."""
        if not self.equation_count:
            return np.zeros(0, dtype=np.int64)
        return np.add.reduceat(hidden[self.eq_cells].astype(np.int64), self.eq_ptr[:-1])


def _equations(dims: Sequence[Dimension]) -> tuple[IntArray, IntArray, FloatArray]:
    shape = tuple(len(dim.nodes) for dim in dims)
    strides = [prod(shape[axis + 1 :]) for axis in range(len(shape))]
    ptrs: list[IntArray] = []
    cells: list[IntArray] = []
    coefs: list[FloatArray] = []
    for axis, dim in enumerate(dims):
        others = [range(n) if a != axis else range(1) for a, n in enumerate(shape)]
        grids = np.meshgrid(*[np.arange(len(r)) for r in others], indexing="ij")
        flat_base = sum(
            (g.reshape(-1) * s for g, s in zip(grids, strides, strict=True)), np.int64(0)
        )
        base = np.asarray(flat_base, dtype=np.int64).reshape(-1, 1)
        for parent, children in dim.equations:
            members = np.array([parent, *children], dtype=np.int64) * strides[axis]
            block = base + members.reshape(1, -1)
            cells.append(block.reshape(-1))
            coefs.append(np.tile(np.array([1.0] + [-1.0] * len(children)), block.shape[0]))
            ptrs.append(np.full(block.shape[0], block.shape[1], dtype=np.int64))
    if not cells:
        empty = np.zeros(0, dtype=np.int64)
        return np.zeros(1, dtype=np.int64), empty, np.zeros(0)
    lengths = np.concatenate(ptrs)
    ptr = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    return ptr, np.concatenate(cells), np.concatenate(coefs)


def build_table(
    hierarchies_or_dims: Sequence[Hierarchy | Dimension],
    inner: Mapping[Key, float],
    *,
    structural_zeros: Iterable[Key] = (),
    top: Mapping[Key, Sequence[float]] | None = None,
) -> Table:
    """The full table from inner cells keyed by leaf nodes (missing inner cells are zero).

    `top` gives, for magnitude tables, the contributions of each inner cell (of each respondent);
    margins get the largest contributions of all the cells under them.
    """
    dims = tuple(
        item if isinstance(item, Dimension) else Dimension(item.name, (item,))
        for item in hierarchies_or_dims
    )
    if len({dim.name for dim in dims}) != len(dims):
        raise Invalid("each dimension may appear only once (give linked hierarchies together)")
    leaf_pos = [{leaf: i for i, leaf in enumerate(dim.leaves)} for dim in dims]
    grid = np.zeros(tuple(len(dim.leaves) for dim in dims))
    for key, value in inner.items():
        grid[_leaf_index(dims, leaf_pos, key)] += float(value)
    values = grid
    for axis, dim in enumerate(dims):
        values = np.moveaxis(np.tensordot(dim.aggregation(), values, axes=(1, axis)), 0, axis)
    ptr, cells, coefs = _equations(dims)
    keys = list(itertools.product(*(dim.nodes for dim in dims)))
    structural = np.zeros(len(keys), dtype=bool)
    flat_values = values.reshape(-1).astype(np.float64)
    table = Table(dims, keys, flat_values, structural, ptr, cells, coefs)
    for key in structural_zeros:
        cell = table.index(key)
        if table.values[cell] != 0:
            raise Invalid(f"cell {table.labels(cell)} is declared a structural zero but is not 0")
        structural[cell] = True
    if top is not None:
        table.top = _top_contributions(table, top)
    return table


def _leaf_index(
    dims: Sequence[Dimension], positions: list[dict[Node, int]], key: Key
) -> tuple[int, ...]:
    if len(key) != len(dims):
        raise Invalid(f"cell {key} does not have one value per dimension")
    try:
        return tuple(pos[node] for pos, node in zip(positions, key, strict=True))
    except KeyError as exc:
        raise Invalid(f"{exc.args[0][1]!r} is not a value of its dimension") from None


TOP_KEPT = 3


def _top_contributions(table: Table, inner: Mapping[Key, Sequence[float]]) -> FloatArray:
    """Each cell's largest contributions: an inner cell's own, a margin's from all below it."""
    found: dict[int, list[float]] = {}
    for key, contributions in inner.items():
        ancestor_sets = [
            sorted({n for h in dim.hierarchies for n in h.ancestors(node)})
            for dim, node in zip(table.dims, key, strict=True)
        ]
        for combo in itertools.product(*ancestor_sets):
            found.setdefault(table.index(combo), []).extend(contributions)
    top = np.zeros((table.size, TOP_KEPT))
    for cell, contributions in found.items():
        largest = sorted(contributions, reverse=True)[:TOP_KEPT]
        top[cell, : len(largest)] = largest
    return top
