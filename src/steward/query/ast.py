"""Steward's own syntax tree for SoQL.

The parser builds these nodes and nothing else reaches the translator, so the set of things a
query can express is exactly the set of classes below. Nodes are frozen (hashable, comparable):
the translator compares them structurally, e.g. to check that a selected column is in `$group`.
Source positions are carried for error messages but excluded from comparison.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any


@dataclass(frozen=True)
class Position:
    """Line and column (both 1-based) of a node in the parameter it came from."""

    line: int
    column: int


# ---------------------------------------------------------------- expressions


@dataclass(frozen=True)
class StringLit:
    value: str


@dataclass(frozen=True)
class NumberLit:
    text: str  # as written, so conversion to a number happens once, in one place


@dataclass(frozen=True)
class BoolLit:
    value: bool


@dataclass(frozen=True)
class NullLit:
    pass


@dataclass(frozen=True)
class Column:
    """A reference to a dataset field; `system` for `:id`, `:created_at`, `:updated_at`."""

    name: str  # folded to lower case
    system: bool = False
    pos: Position | None = field(default=None, compare=False)

    @property
    def display(self) -> str:
        return f":{self.name}" if self.system else self.name


@dataclass(frozen=True)
class Call:
    """A function call; `star` for `count(*)`, `distinct` for `count(distinct x)`."""

    name: str  # folded to lower case
    args: tuple[Expr, ...]
    star: bool = False
    distinct: bool = False
    pos: Position | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Unary:
    op: str  # "-" or "not"
    operand: Expr


@dataclass(frozen=True)
class Binary:
    op: str  # one of + - * / % || = != < <= > >=
    left: Expr
    right: Expr


@dataclass(frozen=True)
class BoolOp:
    """AND / OR over two or more operands, kept flat so long chains stay shallow."""

    op: str  # "and" or "or"
    operands: tuple[Expr, ...]


@dataclass(frozen=True)
class IsNull:
    operand: Expr
    negated: bool = False


@dataclass(frozen=True)
class Like:
    operand: Expr
    pattern: Expr
    negated: bool = False


@dataclass(frozen=True)
class In:
    operand: Expr
    items: tuple[Expr, ...]
    negated: bool = False


@dataclass(frozen=True)
class Between:
    operand: Expr
    low: Expr
    high: Expr
    negated: bool = False


@dataclass(frozen=True)
class Cast:
    operand: Expr
    type: str  # a SoQL type name, folded to lower case
    pos: Position | None = field(default=None, compare=False)


Literal = StringLit | NumberLit | BoolLit | NullLit
Expr = Literal | Column | Call | Unary | Binary | BoolOp | IsNull | Like | In | Between | Cast


# ---------------------------------------------------------------- clauses


@dataclass(frozen=True)
class SelectExpr:
    expr: Expr
    alias: str | None = None


@dataclass(frozen=True)
class SelectStar:
    """`*` (every field) or, with `system`, `:*` (system fields, then every field)."""

    system: bool = False


SelectItem = SelectExpr | SelectStar


@dataclass(frozen=True)
class OrderItem:
    expr: Expr
    descending: bool = False
    nulls_first: bool | None = None  # None: the SoQL default (nulls sort as the largest value)


@dataclass(frozen=True)
class SoqlQuery:
    """One SoQL query, from `$query` or from the separate SODA parameters.

    `select` is None when the caller gave no `$select` (meaning `*`). `source` keeps the text of
    each parameter for error messages.
    """

    select: tuple[SelectItem, ...] | None = None
    where: Expr | None = None
    group: tuple[Expr, ...] = ()
    having: Expr | None = None
    order: tuple[OrderItem, ...] = ()
    limit: int | None = None
    offset: int | None = None
    search: str | None = None
    source: tuple[tuple[str, str], ...] = field(default=(), compare=False)


def children(node: Expr) -> tuple[Expr, ...]:
    """The direct sub-expressions of `node`, for generic walks."""
    if isinstance(node, Call):
        return node.args
    if isinstance(node, Unary | Cast | IsNull):
        return (node.operand,)
    if isinstance(node, Binary):
        return (node.left, node.right)
    if isinstance(node, BoolOp):
        return node.operands
    if isinstance(node, Like):
        return (node.operand, node.pattern)
    if isinstance(node, In):
        return (node.operand, *node.items)
    if isinstance(node, Between):
        return (node.operand, node.low, node.high)
    return ()


def depth(node: Expr) -> int:
    """Nesting depth of `node`, computed without recursion (the input may be hostile)."""
    deepest = 0
    stack: list[tuple[Expr, int]] = [(node, 1)]
    while stack:
        current, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children(current))
    return deepest


def walk(node: Expr) -> list[Expr]:
    """`node` and all its descendants, parents before children."""
    found: list[Expr] = []
    stack: list[Expr] = [node]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(reversed(children(current)))
    return found


def replace_columns(node: Expr, replacement: Callable[[Column], Expr | None]) -> Expr:
    """A copy of `node` with each column swapped for `replacement(column)` when that is not None.

    Used to resolve select aliases in `$group`, `$having` and `$order`; recursion is bounded by
    the depth check the parser applies to every expression.
    """
    if isinstance(node, Column):
        return replacement(node) or node
    kids = children(node)
    if not kids:
        return node
    return _REBUILD[type(node)](node, [replace_columns(kid, replacement) for kid in kids])


_REBUILD: dict[type, Callable[[Any, list[Expr]], Expr]] = {
    Call: lambda n, c: replace(n, args=tuple(c)),
    Unary: lambda n, c: replace(n, operand=c[0]),
    Cast: lambda n, c: replace(n, operand=c[0]),
    IsNull: lambda n, c: replace(n, operand=c[0]),
    Binary: lambda n, c: replace(n, left=c[0], right=c[1]),
    BoolOp: lambda n, c: replace(n, operands=tuple(c)),
    Like: lambda n, c: replace(n, operand=c[0], pattern=c[1]),
    In: lambda n, c: replace(n, operand=c[0], items=tuple(c[1:])),
    Between: lambda n, c: replace(n, operand=c[0], low=c[1], high=c[2]),
}
"""How to rebuild each compound node from new children (in the order `children` gives)."""
