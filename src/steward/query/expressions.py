"""Translate SoQL expressions (AST) into typed sqlglot expressions.

Every column reference is resolved against the caller's fields, every function is looked up in
`functions.FUNCTIONS`, every literal becomes a bound parameter, and every operator is type
checked, so what comes out is exactly what the AST allowed and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlglot import exp

from steward.errors import QueryError
from steward.query import ast
from steward.query.datatypes import (
    CASTS,
    CHECKBOX,
    NULL,
    NUMBER,
    ORDERABLE,
    POINT,
    SQL_TYPES,
    TEXT,
    TIMESTAMP,
    coerce_text,
    parse_number,
)
from steward.query.functions import FUNCTIONS, Function, point_parts
from steward.query.schema import FieldInfo
from steward.query.sqlbuild import Binder, Typed, column, negate, wrap

SYSTEM_ID_COLUMN = "__id"
"""Physical column holding each row's `:id`: a BIGINT, unique, in the order rows were stored."""

SYSTEM_FIELDS = ("id", "created_at", "updated_at")

_COMPARISONS: dict[str, type[exp.Binary]] = {
    "=": exp.EQ,
    "!=": exp.NEQ,
    "<": exp.LT,
    "<=": exp.LTE,
    ">": exp.GT,
    ">=": exp.GTE,
}
_ARITHMETIC: dict[str, type[exp.Binary]] = {
    "+": exp.Add,
    "-": exp.Sub,
    "*": exp.Mul,
    "/": exp.Div,
    "%": exp.Mod,
}


@dataclass(frozen=True)
class Context:
    """Where an expression sits: the clause (for messages) and whether aggregates may occur."""

    clause: str
    aggregates: bool = False
    inside_aggregate: bool = False


@dataclass(frozen=True)
class Scope:
    """What names mean for one query: the caller's visible fields and system values."""

    fields: Mapping[str, FieldInfo]  # visible fields by lower-case name
    system_values: Mapping[str, object]  # "created_at" / "updated_at" -> a datetime
    dialect: str
    table: str = "dataset"


def query_error(message: str, ctx: Context, node: object = None) -> QueryError:
    data: dict[str, Any] = {"clause": ctx.clause}
    pos = getattr(node, "pos", None)
    if isinstance(pos, ast.Position):
        data["position"] = {"line": pos.line, "column": pos.column}
    return QueryError(f"{message} (in {ctx.clause})", data=data)


class ExprTranslator:
    def __init__(self, scope: Scope, binder: Binder) -> None:
        self.scope = scope
        self.binder = binder
        self._handlers: dict[type, Callable[[Any, Context], Typed]] = {
            ast.StringLit: self._string,
            ast.NumberLit: self._number,
            ast.BoolLit: self._bool,
            ast.NullLit: self._null,
            ast.Column: self._column,
            ast.Call: self._call,
            ast.Unary: self._unary,
            ast.Binary: self._binary,
            ast.BoolOp: self._bool_op,
            ast.IsNull: self._is_null,
            ast.Like: self._like,
            ast.In: self._in,
            ast.Between: self._between,
            ast.Cast: self._cast,
        }

    def translate(self, node: ast.Expr, ctx: Context, expected: str | None = None) -> Typed:
        """Translate `node`; a string literal is read as type `expected` when one is given."""
        if isinstance(node, ast.StringLit) and expected not in (None, TEXT, NULL):
            return self._coerced(node.value, expected, ctx)
        return self._handlers[type(node)](node, ctx)

    def condition(self, node: ast.Expr, ctx: Context) -> Typed:
        """Translate a filter (`$where`, `$having`): it must be true/false."""
        result = self.translate(node, ctx, expected=CHECKBOX)
        if result.type not in (CHECKBOX, NULL):
            raise query_error(f"The filter must be true or false, not a {result.type}", ctx)
        return result

    # ------------------------------------------------------------ leaves
    def _coerced(self, text: str, kind: str, ctx: Context) -> Typed:
        try:
            value = coerce_text(text, kind)
        except ValueError as error:
            raise query_error(str(error), ctx) from None
        if isinstance(value, tuple):  # a point: (longitude, latitude)
            return self._point_literal(self.binder.bind(value[0]), self.binder.bind(value[1]))
        return Typed(self.binder.bind(value), kind)

    def _point_literal(self, lon: exp.Expr, lat: exp.Expr) -> Typed:
        fields = [exp.PropertyEQ(this=exp.to_identifier(k), expression=v) for k, v in
                  (("longitude", lon), ("latitude", lat))]  # fmt: skip
        return Typed(exp.Struct(expressions=fields), POINT, point=(lon.copy(), lat.copy()))

    def _string(self, node: ast.StringLit, ctx: Context) -> Typed:
        return Typed(self.binder.bind(node.value), TEXT)

    def _number(self, node: ast.NumberLit, ctx: Context, sign: int = 1) -> Typed:
        try:
            value = parse_number(node.text)
        except ValueError as error:
            raise query_error(str(error), ctx) from None
        return Typed(self.binder.bind(-value if sign < 0 else value), NUMBER)

    def _bool(self, node: ast.BoolLit, ctx: Context) -> Typed:
        return Typed(self.binder.bind(node.value), CHECKBOX)

    def _null(self, node: ast.NullLit, ctx: Context) -> Typed:
        return Typed(exp.Null(), NULL)

    def _column(self, node: ast.Column, ctx: Context) -> Typed:
        if node.system:
            return self._system_column(node, ctx)
        info = self.scope.fields.get(node.name)
        if info is None:
            raise query_error(f"No such column: {node.name}", ctx, node)
        sql = column(info.column, self.scope.table)
        parts = point_parts(sql, self.scope.dialect) if info.type == POINT else None
        return Typed(sql, info.type, point=parts)

    def _system_column(self, node: ast.Column, ctx: Context) -> Typed:
        if node.name == "id":
            return Typed(column(SYSTEM_ID_COLUMN, self.scope.table), NUMBER)
        if node.name not in SYSTEM_FIELDS:
            raise query_error(f"No such column: :{node.name}", ctx, node)
        value = self.scope.system_values.get(node.name)
        if value is None:
            return Typed(exp.cast(exp.Null(), SQL_TYPES[TIMESTAMP]), TIMESTAMP)
        return Typed(self.binder.bind(value), TIMESTAMP)

    # ------------------------------------------------------------ functions
    def _call(self, node: ast.Call, ctx: Context) -> Typed:
        function = FUNCTIONS.get(node.name)
        if function is None:
            raise query_error(f"Unknown function: {node.name}", ctx, node)
        self._check_call_shape(function, node, ctx)
        inner = replace(ctx, inside_aggregate=True) if function.aggregate else ctx
        expects = function.expects(len(node.args))
        args = [self.translate(a, inner, e) for a, e in zip(node.args, expects, strict=True)]
        self._check_arguments(function, node, args, expects, ctx)
        args = [_typed_null(a, e) for a, e in zip(args, expects, strict=True)]
        try:
            kind = function.result([a.type for a in args])
        except ValueError as error:
            raise query_error(f"{node.name}(): {error}", ctx, node) from None
        build = function.build_distinct if node.distinct else function.build
        assert build is not None  # _check_call_shape refused distinct where it is not built
        sql = build(args, self.scope.dialect)
        aggregate = function.aggregate or any(a.aggregate for a in args)
        parts = point_parts(sql, self.scope.dialect) if kind == POINT else None
        return Typed(sql, kind, aggregate=aggregate, point=parts)

    def _check_call_shape(self, function: Function, node: ast.Call, ctx: Context) -> None:
        if function.aggregate and not ctx.aggregates:
            raise query_error(f"Aggregate function {node.name}() is not allowed here", ctx, node)
        if function.aggregate and ctx.inside_aggregate:
            raise query_error(f"Aggregate function {node.name}() cannot be nested", ctx, node)
        if node.star and not function.takes_star:
            raise query_error(f"{node.name}(*) is not allowed; only count(*) is", ctx, node)
        if node.distinct and function.build_distinct is None:
            raise query_error(f"{node.name}(DISTINCT …) is not allowed", ctx, node)
        count = len(node.args)
        too_few = count < function.min_args and not node.star
        if too_few or (function.max_args is not None and count > function.max_args):
            raise query_error(
                f"Function {node.name} takes {function.arity()}, not {count}", ctx, node
            )

    def _check_arguments(
        self,
        function: Function,
        node: ast.Call,
        args: Sequence[Typed],
        expects: Sequence[str | None],
        ctx: Context,
    ) -> None:
        for position, (arg, wanted) in enumerate(zip(args, expects, strict=True), start=1):
            nullable = wanted in SQL_TYPES  # a NULL can stand for any value but a point
            if wanted is not None and arg.type != wanted and not (nullable and arg.type == NULL):
                raise query_error(
                    f"Function {node.name} needs a {wanted} as argument {position}, "
                    f"not a {arg.type}",
                    ctx,
                    node,
                )

    # ------------------------------------------------------------ operators
    def _pair(self, left: ast.Expr, right: ast.Expr, ctx: Context) -> tuple[Typed, Typed]:
        """Translate two operands, reading a string literal on one side as the other's type."""
        if isinstance(left, ast.StringLit) and not isinstance(right, ast.StringLit):
            typed_right = self.translate(right, ctx)
            return self.translate(left, ctx, typed_right.type), typed_right
        typed_left = self.translate(left, ctx)
        return typed_left, self.translate(right, ctx, typed_left.type)

    def _unary(self, node: ast.Unary, ctx: Context) -> Typed:
        if node.op == "-" and isinstance(node.operand, ast.NumberLit):
            return self._number(node.operand, ctx, sign=-1)
        wanted, build = (NUMBER, exp.Neg) if node.op == "-" else (CHECKBOX, exp.Not)
        operand = self.translate(node.operand, ctx, wanted)
        self._require(operand, {wanted}, node.op.upper(), ctx)
        return Typed(build(this=wrap(operand.sql)), wanted, operand.aggregate)

    def _binary(self, node: ast.Binary, ctx: Context) -> Typed:
        if node.op == "||":  # joins text: a string literal stays text whatever the other side
            left, right = self.translate(node.left, ctx), self.translate(node.right, ctx)
        else:
            left, right = self._pair(node.left, node.right, ctx)
        aggregate = left.aggregate or right.aggregate
        if node.op in _COMPARISONS:
            self._check_comparable(node.op, left, right, ctx=ctx)
            sql = _COMPARISONS[node.op](this=wrap(left.sql), expression=wrap(right.sql))
            return Typed(sql, CHECKBOX, aggregate)
        if node.op == "||":
            for side in (left, right):
                self._require(side, ORDERABLE, "||", ctx)
            sql = exp.DPipe(this=_as_text(left), expression=_as_text(right), safe=True)
            return Typed(sql, TEXT, aggregate)
        for side in (left, right):
            self._require(side, {NUMBER}, node.op, ctx)
        sql = _ARITHMETIC[node.op](this=wrap(left.sql), expression=wrap(right.sql))
        return Typed(sql, NUMBER, aggregate)

    def _bool_op(self, node: ast.BoolOp, ctx: Context) -> Typed:
        operands = [self.translate(o, ctx, CHECKBOX) for o in node.operands]
        for operand in operands:
            self._require(operand, {CHECKBOX}, node.op.upper(), ctx)
        combine = exp.and_ if node.op == "and" else exp.or_
        sql = combine(*(o.sql for o in operands), copy=False)
        return Typed(sql, CHECKBOX, any(o.aggregate for o in operands))

    def _is_null(self, node: ast.IsNull, ctx: Context) -> Typed:
        operand = self.translate(node.operand, ctx)
        sql = exp.Is(this=wrap(operand.sql), expression=exp.Null())
        return Typed(negate(sql, node.negated), CHECKBOX, operand.aggregate)

    def _like(self, node: ast.Like, ctx: Context) -> Typed:
        operand = self.translate(node.operand, ctx)
        pattern = self.translate(node.pattern, ctx)
        for side in (operand, pattern):
            self._require(side, {TEXT}, "LIKE", ctx)
        sql = exp.Like(this=wrap(operand.sql), expression=wrap(pattern.sql))
        return Typed(negate(sql, node.negated), CHECKBOX, operand.aggregate or pattern.aggregate)

    def _in(self, node: ast.In, ctx: Context) -> Typed:
        operand = self.translate(node.operand, ctx)
        items = [self.translate(item, ctx, operand.type) for item in node.items]
        self._check_comparable("IN", operand, *items, ctx=ctx)
        sql = exp.In(this=wrap(operand.sql), expressions=[wrap(i.sql) for i in items])
        aggregate = operand.aggregate or any(i.aggregate for i in items)
        return Typed(negate(sql, node.negated), CHECKBOX, aggregate)

    def _between(self, node: ast.Between, ctx: Context) -> Typed:
        operand = self.translate(node.operand, ctx)
        low = self.translate(node.low, ctx, operand.type)
        high = self.translate(node.high, ctx, operand.type)
        self._check_comparable("BETWEEN", operand, low, high, ctx=ctx)
        sql = exp.Between(this=wrap(operand.sql), low=wrap(low.sql), high=wrap(high.sql))
        aggregate = operand.aggregate or low.aggregate or high.aggregate
        return Typed(negate(sql, node.negated), CHECKBOX, aggregate)

    def _cast(self, node: ast.Cast, ctx: Context) -> Typed:
        target = node.type
        if target not in SQL_TYPES:
            known = ", ".join(f"::{t}" for t in SQL_TYPES)
            raise query_error(f"Cannot cast to {target}; use one of {known}", ctx, node)
        if isinstance(node.operand, ast.StringLit):
            return self._coerced(node.operand.value, target, ctx)
        operand = self.translate(node.operand, ctx)
        self._require(operand, CASTS[target] | {NULL}, f"::{target}", ctx)
        if operand.type == target:
            return operand
        sql = exp.Cast(this=operand.sql, to=exp.DataType.build(SQL_TYPES[target]))
        return Typed(sql, target, operand.aggregate)

    # ------------------------------------------------------------ type checks
    def _require(
        self, value: Typed, kinds: set[str] | frozenset[str], op: str, ctx: Context
    ) -> None:
        if value.type != NULL and value.type not in kinds:
            wanted = " or ".join(sorted(kinds - {NULL}))
            raise query_error(f"{op} needs {wanted} values, not a {value.type}", ctx)

    def _check_comparable(self, op: str, *values: Typed, ctx: Context) -> None:
        """All `values` must share one orderable type (NULL fits any)."""
        kinds = {v.type for v in values} - {NULL}
        if len(kinds) > 1:
            first, *others = sorted(kinds)
            raise query_error(
                f"Cannot compare a {first} with a {' or '.join(others)} using {op}", ctx
            )
        if kinds & {POINT}:
            raise query_error(
                "Points cannot be compared; use within_circle, within_box or distance_in_meters",
                ctx,
            )


def _as_text(value: Typed) -> exp.Expr:
    if value.type in (TEXT, NULL):
        return wrap(value.sql)
    return exp.Cast(this=value.sql, to=exp.DataType.build(SQL_TYPES[TEXT]))


def _typed_null(value: Typed, wanted: str | None) -> Typed:
    """A bare NULL where a function wants a known type, cast so SQL can pick the overload."""
    if value.type != NULL or wanted not in SQL_TYPES:
        return value
    return Typed(exp.cast(value.sql, SQL_TYPES[wanted]), wanted)
