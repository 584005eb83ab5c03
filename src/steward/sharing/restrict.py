"""Narrow a parsed SoQL query to what a grant covers, pure: exactly the granted fields, and only
the rows the agreement's filter lets through.

Every field a query names anywhere ($select, $where, $group, $having, $order, or `*` expanding)
must be granted, else NotAuthorized names it. A query without `$select` reads the granted fields.
The row filter is ANDed to the query's own condition.

>>> q = ast.SoqlQuery(where=ast.Binary("=", ast.Column("town"), ast.StringLit("Hartford")))
>>> r = restrict(q, ["town", "cases"], ["town", "cases", "ssn"], None)
>>> [item.expr.name for item in r.select]
['town', 'cases']
>>> restrict(ast.SoqlQuery(select=(ast.SelectStar(),)), ["town"], ["town", "ssn"], None)
Traceback (most recent call last):
...
steward.errors.NotAuthorized: `*` includes fields your grant does not cover: ssn; ...
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from steward.errors import NotAuthorized
from steward.query import ast
from steward.query.naming import output_names


def columns_in(exprs: Iterable[ast.Expr | None]) -> list[str]:
    """The dataset fields named in `exprs` (system fields like `:id` left out), in order."""
    found: list[str] = []
    for expr in exprs:
        if expr is None:
            continue
        for node in ast.walk(expr):
            if isinstance(node, ast.Column) and not node.system and node.name not in found:
                found.append(node.name)
    return found


def referenced(query: ast.SoqlQuery, all_fields: Sequence[str]) -> list[str]:
    """Every dataset field the query names. A name in group/having/order that is a select alias
    is excepted, unless it is also a field's name (the compiler may resolve it to the field)."""
    items = [i for i in query.select or () if isinstance(i, ast.SelectExpr)]
    outputs = set(output_names(items)) | {i.alias.lower() for i in items if i.alias}
    names = outputs - set(all_fields)
    direct = columns_in([*(i.expr for i in items), query.where])
    later = columns_in([*query.group, query.having, *(o.expr for o in query.order)])
    return direct + [n for n in later if n not in names and n not in direct]


def restrict(
    query: ast.SoqlQuery,
    granted: Sequence[str],
    all_fields: Sequence[str],
    row_filter: ast.Expr | None,
) -> ast.SoqlQuery:
    allowed = set(granted)
    hidden = [name for name in all_fields if name not in allowed]
    stars = [i for i in query.select or () if isinstance(i, ast.SelectStar)]
    if stars and hidden:
        raise NotAuthorized(
            f"`*` includes fields your grant does not cover: {', '.join(hidden)}; "
            f"select only the granted fields: {', '.join(granted)}",
            data={"fields": hidden},
        )
    refused = [name for name in referenced(query, all_fields) if name not in allowed]
    if refused:
        plural = "s" if len(refused) > 1 else ""
        raise NotAuthorized(
            f"field{plural} {', '.join(refused)} not covered by your grant; "
            f"the agreement shares: {', '.join(granted)}",
            data={"fields": refused},
        )
    filter_fields = columns_in([row_filter])
    if query.search and any(name not in allowed for name in filter_fields):
        raise NotAuthorized("$q is not available under this grant; use $where on granted fields")
    select = query.select
    if select is None:
        select = tuple(ast.SelectExpr(ast.Column(name)) for name in granted)
    where = query.where
    if row_filter is not None:
        where = row_filter if where is None else ast.BoolOp("and", (row_filter, where))
    return replace(query, select=select, where=where)
