"""Read SODA URL parameters into one `SoqlQuery`.

The clause parameters (`$select`, `$where`, `$order`, `$group`, `$having`, `$limit`, `$offset`,
`$q`) or a whole `$query` statement; any other parameter naming a field is a simple equality
filter (`?town=Hartford`), ANDed with the rest. Parameters starting with `$$` are directives for
the HTTP layer (`$$app_token`, `$$bom`, ...) and are ignored here.

>>> from steward.query.schema import FieldInfo
>>> fields = [FieldInfo("town", "text", "town")]
>>> q = parse_soda_params({"town": "Hartford", "$limit": "5"}, fields)
>>> q.where.right, q.limit
(StringLit(value='Hartford'), 5)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from steward.errors import QueryError
from steward.query import ast
from steward.query.expressions import SYSTEM_FIELDS
from steward.query.parser import (
    parse_count,
    parse_expr,
    parse_group,
    parse_order,
    parse_select,
    parse_statement,
)
from steward.query.schema import FieldInfo
from steward.query.syntax import MAX_PARAMETER_CHARS

Params = Mapping[str, str] | Sequence[tuple[str, str]]

_CLAUSES: dict[str, tuple[str, Callable[[str, str], Any]]] = {
    "$select": ("select", parse_select),
    "$where": ("where", parse_expr),
    "$order": ("order", parse_order),
    "$group": ("group", parse_group),
    "$having": ("having", parse_expr),
    "$limit": ("limit", lambda text, clause: parse_count(clause, text)),
    "$offset": ("offset", lambda text, clause: parse_count(clause, text)),
    "$q": ("search", lambda text, clause: text),
}


@contextmanager
def query_context(source: Sequence[tuple[str, str]]) -> Iterator[None]:
    """Add the query's text to any QueryError raised inside, as `data["query"]`."""
    try:
        yield
    except QueryError as error:
        error.data.setdefault("query", "&".join(f"{k}={v}" for k, v in source))
        raise


def parse_soda_params(params: Params, fields: Sequence[FieldInfo]) -> ast.SoqlQuery:
    """Parse SODA query parameters against a dataset's `fields` (for simple filters)."""
    pairs = list(params.items()) if isinstance(params, Mapping) else list(params)
    with query_context(pairs):
        return _parse_pairs(pairs, fields)


def _parse_pairs(pairs: list[tuple[str, str]], fields: Sequence[FieldInfo]) -> ast.SoqlQuery:
    clauses: dict[str, str] = {}
    filters: list[ast.Expr] = []
    by_name = {f.name.lower(): f for f in fields}
    for key, value in pairs:
        if key.startswith("$$"):
            continue
        if len(value) > MAX_PARAMETER_CHARS:
            limit = f"at most {MAX_PARAMETER_CHARS:,}"
            raise QueryError(f"{key:.60} is too long: {len(value):,} characters ({limit})")
        if key.startswith("$"):
            if value.strip():  # an empty clause (`$where=`) is as if it were not given
                _add_clause(clauses, key, value)
        else:
            filters.append(_simple_filter(key, value, by_name))
    query = _query_from_clauses(clauses)
    return _with_filters(query, filters, tuple(pairs))


def _add_clause(clauses: dict[str, str], key: str, value: str) -> None:
    if key not in _CLAUSES and key != "$query":
        known = ", ".join([*_CLAUSES, "$query"])
        raise QueryError(f"Unknown parameter: {key:.60} (known: {known})")
    if key in clauses:
        raise QueryError(f"Parameter {key} is given more than once")
    clauses[key] = value


def _query_from_clauses(clauses: dict[str, str]) -> ast.SoqlQuery:
    if "$query" in clauses:
        others = sorted(set(clauses) - {"$query"})
        if others:
            raise QueryError(f"$query cannot be combined with {', '.join(others)}")
        return parse_statement(clauses["$query"])
    parts: dict[str, Any] = {}
    for key, text in clauses.items():
        attribute, parse = _CLAUSES[key]
        parts[attribute] = parse(text, key)
    return ast.SoqlQuery(**parts)


def _simple_filter(key: str, value: str, fields: Mapping[str, FieldInfo]) -> ast.Expr:
    name = key.lower()
    if name.startswith(":") and name[1:] in SYSTEM_FIELDS:
        column = ast.Column(name[1:], system=True)
    elif name in fields:
        column = ast.Column(name)
    else:
        raise QueryError(f"No such column: {key:.255}", data={"clause": key[:255]})
    return ast.Binary("=", column, ast.StringLit(value))


def _with_filters(
    query: ast.SoqlQuery, filters: list[ast.Expr], source: tuple[tuple[str, str], ...]
) -> ast.SoqlQuery:
    conditions = [c for c in (query.where, *filters) if c is not None]
    if not conditions:
        return replace(query, source=source)
    where = conditions[0] if len(conditions) == 1 else ast.BoolOp("and", tuple(conditions))
    return replace(query, where=where, source=source)
