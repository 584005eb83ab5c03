"""Hostile input never reaches DuckDB as anything but the allowlisted query shape.

Whatever text arrives in any SODA parameter, compiling it gives either a QueryError or one
SELECT over the one dataset table, using only allowlisted functions, with every user value bound
as a parameter. Running what compiles gives a result or a QueryError, never another exception.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlglot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlglot import exp

from steward.errors import QueryError
from steward.query.engine import EngineLimits, QueryEngine
from steward.query.functions import FUNCTIONS
from steward.query.translate import CompiledQuery, FieldInfo, compile_query, parse_soda_params

FIELDS = [
    FieldInfo("last_update_date", "floating_timestamp", "last_update_date"),
    FieldInfo("town_number", "number", "Town number"),
    FieldInfo("town", "text", "town"),
    FieldInfo("total_cases", "number", "total_cases"),
    FieldInfo("confirmed_deaths", "number", "confirmed_deaths"),
    FieldInfo("provisional", "checkbox", "provisional"),
    FieldInfo("location", "point", "location"),
]
CLAUSES = ["$select", "$where", "$order", "$group", "$having", "$q", "$query", "$limit", "$offset"]
FILTERS = ["town", "total_cases", "last_update_date", "provisional", ":id", "location", "nosuch"]

HOSTILE = [
    "1=1) UNION SELECT * FROM read_csv('/etc/passwd'",
    "1=1) UNION SELECT * FROM read_csv('/etc/passwd') --",
    "town = 'x'; COPY dataset TO '/tmp/stolen.csv'",
    "'; DROP TABLE dataset; --",
    "read_csv('/etc/passwd')",
    "read_parquet('/etc/passwd')",
    "glob('/*')",
    "sum(total_cases) FROM read_csv_auto('/etc/passwd')",
    "PRAGMA database_list",
    "ATTACH '/tmp/x.db' AS x",
    "SET enable_external_access = true",
    "town = $1",
    "town = ?",
    "`town` FROM x --",
    "`a``b`",
    '"town"',
    "a" * 10_000,
    "`" + "b" * 10_000 + "`",
    "'" + "c" * 10_000,
    "(" * 500 + "town" + ")" * 500,
    "(" * 500,
    ")" * 50,
    "-" * 2000 + "1",
    "NOT " * 1000 + "provisional",
    "'unbalanced",
    "town = 'it''s",
    '"',
    "`",
    "-1",
    "10000000",
    "1e309",
    "9" * 400,
    "NaN",
    "\x00",
    "é ü 💥 ﷽",
    "/* comment */ town",
    "town -- comment",
    "town::text::number::floating_timestamp::checkbox",
    ":*, *, :id, :created_at",
    'count(*) AS `x"; DROP TABLE y; --`',
    'town AS "a""b"',
    "SELECT * WHERE 1=1 LIMIT 99999999",
    "SELECT town FROM dataset",
    "SELECT town UNION SELECT town",
    "within_circle(location, 'a', 'b', 'c')",
    "distance_in_meters(location, 'POINT (1 2); DROP')",
]

_NAMES = [f.name for f in FIELDS] + [":id", ":created_at", ":updated_at", "nosuch", "`weird name`"]
_FUNCTION_NAMES = [*FUNCTIONS, "read_csv", "glob", "pragma_version", "now", "query"]
_TOKENS = [
    *_NAMES,
    *(f"{name}(" for name in _FUNCTION_NAMES),
    *["(", ")", ",", "*", "+", "-", "/", "%", "||", "::", "=", "!=", "<>", "<", "<=", ">", ">="],
    "'",
    "AND", "OR", "NOT", "IS", "NULL", "LIKE", "IN", "BETWEEN", "AS", "ASC", "DESC", "DISTINCT",
    "SELECT", "WHERE", "GROUP BY", "HAVING", "ORDER BY", "SEARCH", "LIMIT", "OFFSET", "NULLS FIRST",
    "true", "false", "0", "1", "-7", "2.5", "1e3", "'Hartford'", "'2020-03-24'", "'x''y'",
    "'POINT (-72.6 41.7)'", "::number", "::text", "::floating_timestamp", "::checkbox", ":*", "*",
]  # fmt: skip

token_soup = st.lists(st.sampled_from(_TOKENS), max_size=24).map(" ".join)
values = st.one_of(
    st.text(max_size=80),
    st.sampled_from(HOSTILE),
    token_soup,
    token_soup.map(lambda s: "SELECT " + s),
)
keys = st.sampled_from([*CLAUSES, *FILTERS, "$$app_token", "$bogus"])

# Grammatical SoQL, so that many examples get past the parser into the translator and DuckDB.
_ATOMS = [*_NAMES[:-2], "1", "-2.5", "0", "'Hartford'", "'2020-03-24'", "'12'", "true", "null"]
_BINARY = ["+", "-", "*", "/", "%", "||", "=", "!=", "<", ">=", "AND", "OR", "LIKE", "NOT LIKE"]
_CASTS = ["::number", "::text", "::floating_timestamp", "::checkbox"]


def _compound(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    def call(parts: tuple[str, list[str]]) -> str:
        return f"{parts[0]}({', '.join(parts[1])})"

    return st.one_of(
        st.tuples(inner, st.sampled_from(_BINARY), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(st.sampled_from(_FUNCTION_NAMES), st.lists(inner, max_size=4)).map(call),
        inner.map(lambda e: f"(NOT {e})"),
        inner.map(lambda e: f"(-{e})"),
        inner.map(lambda e: f"({e} IS NOT NULL)"),
        st.tuples(inner, inner, inner).map(lambda t: f"({t[0]} BETWEEN {t[1]} AND {t[2]})"),
        st.tuples(inner, st.lists(inner, min_size=1, max_size=3)).map(
            lambda t: f"({t[0]} IN ({', '.join(t[1])}))"
        ),
        st.tuples(inner, st.sampled_from(_CASTS)).map("".join),
        st.just("count(*)"),
    )


soql_exprs = st.recursive(st.sampled_from(_ATOMS), _compound, max_leaves=8)
expr_lists = st.lists(soql_exprs, min_size=1, max_size=3).map(", ".join)
soql_queries = st.fixed_dictionaries(
    {},
    optional={
        "$select": expr_lists,
        "$where": soql_exprs,
        "$group": expr_lists,
        "$having": soql_exprs,
        "$order": expr_lists.map(lambda e: e + " DESC"),
        "$q": st.sampled_from(["hart", "50%", "a_b"]),
        "$limit": st.sampled_from(["0", "1", "7"]),
    },
).map(lambda d: list(d.items()))
param_lists = st.lists(st.tuples(keys, values), max_size=5)

# What compiled SQL may contain besides columns and operators.
_ALLOWED_FUNCTIONS = {
    "Count", "Sum", "Avg", "Min", "Max", "StddevPop", "StddevSamp", "Upper", "Lower", "StartsWith",
    "Ln", "Abs", "Greatest", "Least", "Case", "If", "Extract", "DateTrunc", "TimestampTrunc",
    "Cast", "And", "Or", "Asin", "Sqrt", "Pow", "Sin", "Cos", "Radians", "StructExtract",
    "Struct", "Anonymous", "Distinct",
}  # fmt: skip
_ALLOWED_ANONYMOUS = {"strip_accents", "struct_extract", "radians", "sin", "cos", "asin"}
_ALLOWED_STRINGS = {"\\", "latitude", "longitude", "DAY", "MONTH", "YEAR"}
_FORBIDDEN_NODES = (
    exp.Subquery, exp.Union, exp.Join, exp.Lateral, exp.With, exp.Command, exp.Create,
    exp.Insert, exp.Update, exp.Delete, exp.Drop, exp.Copy, exp.Pragma, exp.Attach, exp.Set,
)  # fmt: skip


_TRANSLATOR_BUGS = ("Binder Error", "Catalog Error", "Parser Error", "mplemented", "Parameter")


def assert_safe(compiled: CompiledQuery) -> None:
    statements = sqlglot.parse(compiled.sql, read="duckdb")
    assert len(statements) == 1, compiled.sql
    tree = statements[0]
    assert isinstance(tree, exp.Select), compiled.sql
    assert not list(tree.find_all(*_FORBIDDEN_NODES)), compiled.sql
    tables = list(tree.find_all(exp.Table))
    assert len(tables) == 1 and tables[0].name == "dataset", compiled.sql
    assert isinstance(tables[0].this, exp.Identifier), compiled.sql  # not a table function
    for func in tree.find_all(exp.Func):
        assert type(func).__name__ in _ALLOWED_FUNCTIONS, (type(func).__name__, compiled.sql)
        if isinstance(func, exp.Anonymous):
            assert func.name.lower() in _ALLOWED_ANONYMOUS, compiled.sql
    for literal in tree.find_all(exp.Literal):
        if literal.is_string:
            assert literal.this in _ALLOWED_STRINGS, (literal.this, compiled.sql)
    for placeholder in tree.find_all(exp.Placeholder):
        assert str(placeholder.this).isdigit(), compiled.sql  # numbered ($1), never `?`
    numbers = {int(n) for n in re.findall(r"\$(\d+)", compiled.sql)}
    assert numbers == set(range(1, len(compiled.params) + 1)), compiled.sql


def compile_or_refuse(pairs: list[tuple[str, str]]) -> CompiledQuery | None:
    try:
        return compile_query(parse_soda_params(pairs, FIELDS), FIELDS)
    except QueryError as error:
        assert error.message
        return None


@pytest.mark.parametrize("key", [*CLAUSES, *FILTERS])
@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: repr(t[:30]))
def test_hostile_text_in_every_parameter(key: str, text: str) -> None:
    compiled = compile_or_refuse([(key, text)])
    if compiled is not None:
        assert_safe(compiled)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(param_lists)
def test_arbitrary_parameters_compile_safely_or_are_refused(pairs: list[tuple[str, str]]) -> None:
    compiled = compile_or_refuse(pairs)
    if compiled is not None:
        assert_safe(compiled)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(soql_queries, st.lists(st.tuples(st.sampled_from(CLAUSES[:6]), token_soup))))
def test_soql_like_input_compiles_safely_or_is_refused(pairs: list[tuple[str, str]]) -> None:
    compiled = compile_or_refuse(pairs)
    if compiled is not None:
        assert_safe(compiled)


@pytest.fixture(scope="module")
def engine(covid_store: tuple[Path, Path]) -> QueryEngine:
    return QueryEngine(covid_store[0], EngineLimits(timeout_s=5))


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(soql_queries)
def test_whatever_compiles_runs_or_fails_cleanly(
    engine: QueryEngine, covid_store: tuple[Path, Path], pairs: list[tuple[str, str]]
) -> None:
    compiled = compile_or_refuse(pairs)
    if compiled is None:
        return
    try:
        engine.execute(compiled, covid_store[1])
    except QueryError as error:
        # Only data can make a compiled query fail (a text that is no number, say): an error
        # of binding or typing would mean the translator let through SQL it should have refused.
        assert error.message.startswith("The query could not be run: "), error.message
        assert not any(kind in error.message for kind in _TRANSLATOR_BUGS), (pairs, error.message)
