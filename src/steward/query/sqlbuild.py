"""Small building blocks shared by the expression translator and the function table.

Everything here produces sqlglot expression trees; nothing formats SQL text.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlglot import exp


@dataclass(frozen=True)
class Typed:
    """A translated expression with its SoQL type.

    `point` holds (longitude, latitude) expressions for values of type point, which the geo
    functions read; `aggregate` tells whether an aggregate function occurs anywhere inside.
    """

    sql: exp.Expr
    type: str
    aggregate: bool = False
    point: tuple[exp.Expr, exp.Expr] | None = None


class Binder:
    """Collects bound parameter values and hands out numbered placeholders (`$1`, `$2`, ...).

    Numbered placeholders keep the values list independent of the order in which the SQL text
    happens to mention them, and work in both DuckDB and PostgreSQL. An equal value (of the same
    Python type) reuses its placeholder, so an expression repeated in SELECT and GROUP BY
    translates to identical SQL both times, as GROUP BY matching requires.
    """

    def __init__(self) -> None:
        self.values: list[object] = []
        self._index: dict[tuple[type, object], int] = {}

    def bind(self, value: object) -> exp.Expr:
        key = (type(value), value)
        number = self._index.get(key)
        if number is None:
            self.values.append(value)
            number = self._index[key] = len(self.values)
        return exp.Parameter(this=exp.Literal.number(number))


def is_compound(node: exp.Expr) -> bool:
    """True for operator expressions (sqlglot counts AND/OR as functions too, so check those)."""
    if isinstance(node, exp.Paren):
        return False
    return isinstance(node, exp.Binary | exp.Predicate | exp.Unary)


def wrap(node: exp.Expr) -> exp.Expr:
    """Parenthesize an operator expression, so operator precedence never depends on luck.

    sqlglot prints a tree as built and adds no parentheses of its own.
    """
    return exp.Paren(this=node) if is_compound(node) else node


def column(name: str, table: str) -> exp.Column:
    """A physical column, qualified by its table so an output alias can never shadow it."""
    return exp.column(name, table=table, quoted=True)


def struct_field(value: exp.Expr, name: str, dialect: str) -> exp.Expr:
    """Field `name` of a struct-valued expression (how a point holds its coordinates)."""
    if dialect == "duckdb":
        return exp.Anonymous(this="struct_extract", expressions=[value, exp.Literal.string(name)])
    return exp.Dot(this=exp.Paren(this=value), expression=exp.to_identifier(name))


def negate(node: exp.Expr, negated: bool) -> exp.Expr:
    return exp.Not(this=wrap(node)) if negated else node
