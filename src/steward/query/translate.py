"""Compile a SoQL query into one SQL SELECT over one table, with bound parameters.

>>> fields = [FieldInfo("town", "text", "town"), FieldInfo("total_cases", "number", "total_cases")]
>>> q = parse_soda_params({"$select": "town, sum(total_cases)", "$group": "town"}, fields)
>>> compiled = compile_query(q, fields)
>>> print(compiled.sql.replace('"dataset".', ""))  # columns are qualified by their table
SELECT "town", SUM("total_cases") AS "sum_total_cases" FROM "dataset" GROUP BY "town" ORDER BY \
"town" ASC LIMIT 1000
>>> [c.name for c in compiled.columns]
['town', 'sum_total_cases']

Ordering, so that paging with `$offset` never repeats or skips a row:
- no `$order`, not grouped: rows come in `:id` order (`__id`). For DuckDB over a file stored in
  `__id` order (`rows_in_id_order=True`, the store's contract) the ORDER BY is left out: DuckDB
  keeps a file's row order when it is not asked to sort, which is far faster for deep offsets.
- `$order` given, not grouped: `__id` is added as the last key, so ties page stably.
- grouped: the `$group` keys are added as the last keys (they identify a result row).

System fields: `:id` reads the physical column `__id`; `:created_at` and `:updated_at` are the
values given in `system_values` (by name without the colon), bound as parameters, or NULL.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlglot import exp

from steward.errors import QueryError
from steward.query import ast
from steward.query.datatypes import NULL, TEXT, check_field_type
from steward.query.expressions import (
    SYSTEM_FIELDS,
    Context,
    ExprTranslator,
    Scope,
)
from steward.query.functions import FUNCTIONS
from steward.query.naming import output_names
from steward.query.params import parse_soda_params, query_context
from steward.query.schema import CompiledQuery, FieldInfo, OutputColumn
from steward.query.search import search_condition
from steward.query.sqlbuild import Binder, Typed, column

__all__ = ["CompiledQuery", "FieldInfo", "OutputColumn", "compile_query", "parse_soda_params"]

_ID = ast.Column("id", system=True)
# A page of at most this many rows (offset included), read in file order without grouping or
# sorting, is a light query: the engine runs it on one thread.
LIGHT_ROWS = 50_000


def compile_query(
    query: ast.SoqlQuery,
    fields: Sequence[FieldInfo],
    *,
    table: str = "dataset",
    dialect: str = "duckdb",
    default_limit: int | None = 1000,
    max_limit: int | None = 50_000,
    allowed_fields: set[str] | None = None,
    system_values: Mapping[str, datetime] | None = None,
    rows_in_id_order: bool = True,
) -> CompiledQuery:
    """Translate `query` to SQL over `table`, resolving names only against `fields`.

    `allowed_fields` narrows the fields this caller may see (others are "No such column", as if
    absent). `default_limit` applies when the query has no limit; `max_limit` caps it (None for
    either means unbounded, e.g. for full exports).
    """
    with query_context(query.source):
        scope = _scope(fields, allowed_fields, system_values, dialect, table)
        return _Compiler(query, scope, rows_in_id_order).compile(default_limit, max_limit)


def _scope(
    fields: Sequence[FieldInfo],
    allowed: set[str] | None,
    system_values: Mapping[str, datetime] | None,
    dialect: str,
    table: str,
) -> Scope:
    visible: dict[str, FieldInfo] = {}
    for info in fields:
        check_field_type(info.name, info.type)
        if allowed is None or info.name in allowed:
            visible[info.name.lower()] = info
    values = {k.lstrip(":"): v for k, v in (system_values or {}).items()}
    return Scope(visible, values, dialect, table)


class _Compiler:
    def __init__(self, query: ast.SoqlQuery, scope: Scope, rows_in_id_order: bool) -> None:
        self.query = query
        self.scope = scope
        self.rows_in_id_order = rows_in_id_order
        self.binder = Binder()
        self.translator = ExprTranslator(scope, self.binder)
        self.items = _expand_stars(query.select, scope)
        self.names = output_names(self.items)
        self.aliases = dict(zip(self.names, (i.expr for i in self.items), strict=True))
        self.outputs_by_expr: dict[ast.Expr, str] = {}
        for name, item in zip(self.names, self.items, strict=True):
            self.outputs_by_expr.setdefault(item.expr, name)

    def compile(self, default_limit: int | None, max_limit: int | None) -> CompiledQuery:
        table = self.scope.table
        outputs = [self.translator.translate(i.expr, Context("$select", True)) for i in self.items]
        group = [self._alias(g, fields_first=True) for g in self.query.group]
        _check_keys(group, "$group")
        having = self._alias(self.query.having) if self.query.having is not None else None
        grouped = bool(group) or having is not None or any(o.aggregate for o in outputs)
        if grouped:
            self._check_grouping(group, having)
        select = exp.Select(expressions=self._projections(outputs))
        select = select.from_(exp.Table(this=exp.to_identifier(table, quoted=True)), copy=False)
        self._add_where(select)
        if group:
            clause = Context("$group")
            keys = [self.translator.translate(g, clause).sql for g in group]
            select.set("group", exp.Group(expressions=keys))
        if having is not None:
            condition = self.translator.condition(having, Context("$having", True))
            select.set("having", exp.Having(this=condition.sql))
        self._add_order(select, group, grouped)
        limit = _add_paging(select, self.query, default_limit, max_limit)
        light = (
            not grouped
            and select.args.get("order") is None
            and limit is not None
            and limit + (self.query.offset or 0) <= LIGHT_ROWS
        )
        return CompiledQuery(
            sql=select.sql(dialect=self.scope.dialect),
            params=self.binder.values,
            columns=[
                OutputColumn(n, _output_type(o)) for n, o in zip(self.names, outputs, strict=True)
            ],
            table=table,
            dialect=self.scope.dialect,
            light=light,
        )

    # ------------------------------------------------------------ clauses
    def _projections(self, outputs: list[Typed]) -> list[exp.Expr]:
        projections: list[exp.Expr] = []
        for name, output in zip(self.names, outputs, strict=True):
            sql = output.sql
            if isinstance(sql, exp.Column) and sql.name == name:
                projections.append(sql)
            else:
                projections.append(exp.alias_(sql, name, quoted=True))
        return projections

    def _add_where(self, select: exp.Select) -> None:
        conditions: list[exp.Expr] = []
        if self.query.where is not None:
            where = self.translator.condition(self.query.where, Context("$where"))
            conditions.append(where.sql)
        if self.query.search:
            text_columns = [
                column(f.column, self.scope.table)
                for f in self.scope.fields.values()
                if f.type == TEXT
            ]
            conditions.append(search_condition(self.query.search, text_columns, self.binder))
        if conditions:
            select.set("where", exp.Where(this=exp.and_(*conditions, copy=False)))

    def _add_order(self, select: exp.Select, group: list[ast.Expr], grouped: bool) -> None:
        items = [ast.OrderItem(self._alias(o.expr), o.descending, o.nulls_first)
                 for o in self.query.order]  # fmt: skip
        _check_keys([i.expr for i in items if i.expr not in self.outputs_by_expr], "$order")
        if grouped:
            for item in items:
                _check_grouped(item.expr, group, "$order")
            items += [ast.OrderItem(g) for g in group if g not in {i.expr for i in items}]
        elif not any(item.expr == _ID for item in items):
            items.append(ast.OrderItem(_ID))
        if items == [ast.OrderItem(_ID)] and self._id_order_is_free():
            return
        ctx = Context("$order", aggregates=grouped)
        ordered = [self._ordered(item, ctx) for item in items]
        if ordered:
            select.set("order", exp.Order(expressions=ordered))

    def _ordered(self, item: ast.OrderItem, ctx: Context) -> exp.Ordered:
        sql: exp.Expr
        if item.expr in self.outputs_by_expr:
            # The same expression is selected: sort by its result column instead of repeating it.
            sql = exp.column(self.outputs_by_expr[item.expr], quoted=True)
        else:
            sql = self.translator.translate(item.expr, ctx).sql
        # SoQL sorts nulls as the largest value (last ascending, first descending) by default.
        nulls_first = item.descending if item.nulls_first is None else item.nulls_first
        return exp.Ordered(this=sql, desc=item.descending, nulls_first=nulls_first)

    def _id_order_is_free(self) -> bool:
        return self.rows_in_id_order and self.scope.dialect == "duckdb"

    # ------------------------------------------------------------ names and grouping
    def _alias(self, expr: ast.Expr, fields_first: bool = False) -> ast.Expr:
        """Resolve select aliases in `expr`; in `$group` a field of the same name wins."""

        def lookup(col: ast.Column) -> ast.Expr | None:
            if col.system or (fields_first and col.name in self.scope.fields):
                return None
            found = self.aliases.get(col.name)
            return None if found == col else found

        return ast.replace_columns(expr, lookup)

    def _check_grouping(self, group: list[ast.Expr], having: ast.Expr | None) -> None:
        if having is not None:
            _check_grouped(having, group, "$having")
        for item in self.items:
            _check_grouped(item.expr, group, "$select")


def _check_grouped(expr: ast.Expr, group: list[ast.Expr], clause: str) -> None:
    """Refuse a column used outside an aggregate unless it is (inside) a `$group` key."""
    keys = set(group)
    stack = [expr]
    while stack:
        node = stack.pop()
        if node in keys:
            continue
        if _is_aggregate(node):
            continue
        if isinstance(node, ast.Column):
            raise QueryError(
                f"Column {node.display} must be in $group or inside an aggregate function "
                f"(in {clause})",
                data={"clause": clause},
            )
        stack.extend(ast.children(node))


def _check_keys(keys: list[ast.Expr], clause: str) -> None:
    """Refuse sort and group keys that are constants: they cannot tell rows apart."""
    for key in keys:
        if not any(isinstance(n, ast.Column) or _is_aggregate(n) for n in ast.walk(key)):
            raise QueryError(
                f"Each item of {clause} must use a column, not only constants",
                data={"clause": clause},
            )


def _is_aggregate(node: ast.Expr) -> bool:
    return isinstance(node, ast.Call) and node.name in FUNCTIONS and FUNCTIONS[node.name].aggregate


def _expand_stars(select: tuple[ast.SelectItem, ...] | None, scope: Scope) -> list[ast.SelectExpr]:
    items: list[ast.SelectExpr] = []
    for item in select or (ast.SelectStar(),):
        if isinstance(item, ast.SelectExpr):
            items.append(item)
            continue
        if item.system:
            items += [ast.SelectExpr(ast.Column(name, system=True)) for name in SYSTEM_FIELDS]
        items += [ast.SelectExpr(ast.Column(name)) for name in scope.fields]
    return items


def _add_paging(
    select: exp.Select, query: ast.SoqlQuery, default_limit: int | None, max_limit: int | None
) -> int | None:
    """Add LIMIT and OFFSET; return the limit (None: unbounded)."""
    limit = query.limit if query.limit is not None else default_limit
    if limit is not None and max_limit is not None and limit > max_limit:
        raise QueryError(
            f"$limit must be at most {max_limit:,}, not {limit:,}; page with $offset",
            data={"clause": "$limit"},
        )
    if limit is not None:
        select.set("limit", exp.Limit(expression=exp.Literal.number(limit)))
    if query.offset:
        select.set("offset", exp.Offset(expression=exp.Literal.number(query.offset)))
    return limit


def _output_type(value: Typed) -> str:
    return TEXT if value.type == NULL else value.type
