"""The fixed table of SoQL functions Steward accepts, with arity, types and SQL translation.

A name not in `FUNCTIONS` cannot reach SQL: the translator refuses it as an unknown function.
Each entry says which argument types it expects (string literals are read as that type, as
Socrata does with `date_extract_y('2020-03-24')`), how its result type follows from its
arguments, and how to build the sqlglot expression.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

import sqlglot
from sqlglot import exp

from steward.query.datatypes import CHECKBOX, NULL, NUMBER, ORDERABLE, POINT, TEXT, TIMESTAMP
from steward.query.sqlbuild import Typed, struct_field, wrap

Expects = Callable[[int], Sequence[str | None]]
"""Given the argument count, the type each argument must have (None: any type)."""

Result = Callable[[Sequence[str]], str]
"""Given the argument types, the result type; raises ValueError when they do not fit."""

Build = Callable[[Sequence[Typed], str], exp.Expr]
"""Given the translated arguments and the SQL dialect, the SQL expression."""


@dataclass(frozen=True)
class Function:
    name: str
    min_args: int
    max_args: int | None
    expects: Expects
    result: Result
    build: Build
    aggregate: bool = False
    takes_star: bool = False  # count(*)
    build_distinct: Build | None = None  # count(distinct x)

    def arity(self) -> str:
        """'1 argument', '2 to 4 arguments', 'at least 2 arguments', for error messages."""
        low, high = self.min_args, self.max_args
        noun = "argument" if (high or low) == 1 else "arguments"
        if high is None:
            return f"at least {low} {noun}"
        return f"{low} {noun}" if low == high else f"{low} to {high} {noun}"


# ---------------------------------------------------------------- type rules


def _all(kind: str | None) -> Expects:
    return lambda n: [kind] * n


def _fixed(*kinds: str | None) -> Expects:
    return lambda n: list(kinds)[:n]


def _gives(kind: str) -> Result:
    return lambda types: kind


def _same_type(types: Sequence[str], allowed: frozenset[str]) -> str:
    """The one type all non-null `types` share, if it is in `allowed`."""
    found = {t for t in types if t != NULL}
    if len(found) > 1:
        raise ValueError(f"its arguments must all have one type, not {', '.join(sorted(found))}")
    kind = found.pop() if found else NULL
    if kind not in allowed:
        raise ValueError(f"it cannot take a {kind} argument")
    return kind


def _uniform(allowed: frozenset[str]) -> Result:
    return lambda types: _same_type(types, allowed)


def _case_result(types: Sequence[str]) -> str:
    if len(types) % 2:
        raise ValueError("it takes pairs of condition and value: case(cond1, val1, cond2, val2, …)")
    return _same_type(types[1::2], frozenset({TEXT, NUMBER, CHECKBOX, TIMESTAMP, POINT, NULL}))


def _case_expects(n: int) -> list[str | None]:
    return [CHECKBOX if i % 2 == 0 else None for i in range(n)]


# ---------------------------------------------------------------- builders


def _unary(node: type[exp.Func]) -> Build:
    return lambda args, dialect: node(this=args[0].sql)


def _extract(unit: str) -> Build:
    return lambda args, dialect: exp.Extract(this=exp.var(unit), expression=args[0].sql)


def _trunc(unit: str) -> Build:
    return lambda args, dialect: exp.TimestampTrunc(this=args[0].sql, unit=exp.var(unit))


def _count(args: Sequence[Typed], dialect: str) -> exp.Expr:
    return exp.Count(this=args[0].sql if args else exp.Star())


def _count_distinct(args: Sequence[Typed], dialect: str) -> exp.Expr:
    return exp.Count(this=exp.Distinct(expressions=[args[0].sql]))


def _starts_with(args: Sequence[Typed], dialect: str) -> exp.Expr:
    return exp.StartsWith(this=args[0].sql, expression=args[1].sql)


def _unaccent(args: Sequence[Typed], dialect: str) -> exp.Expr:
    name = "strip_accents" if dialect == "duckdb" else "unaccent"
    return exp.Anonymous(this=name, expressions=[args[0].sql])


def _extreme(node: type[exp.Greatest] | type[exp.Least]) -> Build:
    def build(args: Sequence[Typed], dialect: str) -> exp.Expr:
        first, *rest = (a.sql for a in args)
        return node(this=first, expressions=rest, ignore_nulls=True)

    return build


def _case(args: Sequence[Typed], dialect: str) -> exp.Expr:
    pairs = zip(args[::2], args[1::2], strict=True)
    return exp.Case(ifs=[exp.If(this=cond.sql, true=value.sql) for cond, value in pairs])


EARTH_RADIUS_M = 6371008.8  # mean Earth radius (IUGG), the usual sphere for haversine distances


@cache
def _haversine_template() -> exp.Expr:
    # A constant expression with named placeholders, parsed once; no user text is involved.
    return sqlglot.parse_one(
        f"2 * {EARTH_RADIUS_M} * ASIN(SQRT("
        "POWER(SIN(RADIANS(:lat2 - :lat1) / 2), 2)"
        " + COS(RADIANS(:lat1)) * COS(RADIANS(:lat2)) * POWER(SIN(RADIANS(:lon2 - :lon1) / 2), 2)"
        "))"
    )


def _point(value: Typed) -> tuple[exp.Expr, exp.Expr]:
    if value.point is None:  # pragma: no cover - the translator gives every point its parts
        raise ValueError("a point is needed")
    return value.point


def _distance(a: Typed, b: Typed) -> exp.Expr:
    (lon1, lat1), (lon2, lat2) = _point(a), _point(b)
    template = _haversine_template().copy()
    parts = {"lat1": lat1, "lon1": lon1, "lat2": lat2, "lon2": lon2}
    return exp.replace_placeholders(template, **{k: wrap(v.copy()) for k, v in parts.items()})


def _distance_in_meters(args: Sequence[Typed], dialect: str) -> exp.Expr:
    return _distance(args[0], args[1])


def _within_circle(args: Sequence[Typed], dialect: str) -> exp.Expr:
    point, lat, lon, radius = args
    centre = Typed(exp.Null(), POINT, point=(lon.sql, lat.sql))
    return exp.LTE(this=wrap(_distance(point, centre)), expression=wrap(radius.sql))


def _within_box(args: Sequence[Typed], dialect: str) -> exp.Expr:
    lon, lat = _point(args[0])
    nw_lat, nw_lon, se_lat, se_lon = (wrap(a.sql) for a in args[1:])
    return exp.and_(
        exp.Between(this=wrap(lat), low=se_lat, high=nw_lat),
        exp.Between(this=wrap(lon.copy()), low=nw_lon, high=se_lon),
    )


def point_parts(value: exp.Expr, dialect: str) -> tuple[exp.Expr, exp.Expr]:
    """(longitude, latitude) of a point value.

    The store writes a point field as STRUCT(longitude DOUBLE, latitude DOUBLE).
    """
    return (
        struct_field(value, "longitude", dialect),
        struct_field(value.copy(), "latitude", dialect),
    )


# ---------------------------------------------------------------- the table

_SORTABLE = ORDERABLE


def _table() -> dict[str, Function]:
    number_aggregates = {
        "sum": exp.Sum,
        "avg": exp.Avg,
        "stddev_pop": exp.StddevPop,
        "stddev_samp": exp.StddevSamp,
    }
    extracts = {"y": "YEAR", "m": "MONTH", "d": "DAY", "hh": "HOUR", "mm": "MINUTE"}
    extracts |= {"ss": "SECOND", "dow": "DOW", "woy": "WEEK"}
    truncs = {"ymd": "DAY", "ym": "MONTH", "y": "YEAR"}
    entries = [
        Function("count", 1, 1, _all(None), _gives(NUMBER), _count, True, True, _count_distinct),
        Function("min", 1, 1, _all(None), _uniform(_SORTABLE), _unary(exp.Min), True),
        Function("max", 1, 1, _all(None), _uniform(_SORTABLE), _unary(exp.Max), True),
        *(
            Function(name, 1, 1, _all(NUMBER), _gives(NUMBER), _unary(node), True)
            for name, node in number_aggregates.items()
        ),
        Function("upper", 1, 1, _all(TEXT), _gives(TEXT), _unary(exp.Upper)),
        Function("lower", 1, 1, _all(TEXT), _gives(TEXT), _unary(exp.Lower)),
        Function("unaccent", 1, 1, _all(TEXT), _gives(TEXT), _unaccent),
        Function("starts_with", 2, 2, _all(TEXT), _gives(CHECKBOX), _starts_with),
        Function("ln", 1, 1, _all(NUMBER), _gives(NUMBER), _unary(exp.Ln)),
        Function("abs", 1, 1, _all(NUMBER), _gives(NUMBER), _unary(exp.Abs)),
        Function("greatest", 1, None, _all(None), _uniform(_SORTABLE), _extreme(exp.Greatest)),
        Function("least", 1, None, _all(None), _uniform(_SORTABLE), _extreme(exp.Least)),
        Function("case", 2, None, _case_expects, _case_result, _case),
        *(
            Function(f"date_trunc_{suffix}", 1, 1, _all(TIMESTAMP), _gives(TIMESTAMP), _trunc(u))
            for suffix, u in truncs.items()
        ),
        *(
            Function(f"date_extract_{suffix}", 1, 1, _all(TIMESTAMP), _gives(NUMBER), _extract(u))
            for suffix, u in extracts.items()
        ),
        Function(
            "within_circle", 4, 4, _fixed(POINT, *[NUMBER] * 3), _gives(CHECKBOX), _within_circle
        ),
        Function("within_box", 5, 5, _fixed(POINT, *[NUMBER] * 4), _gives(CHECKBOX), _within_box),
        Function("distance_in_meters", 2, 2, _all(POINT), _gives(NUMBER), _distance_in_meters),
    ]
    return {f.name: f for f in entries}


FUNCTIONS: dict[str, Function] = _table()
"""Every function a query may call, by lower-case name."""
