"""The SoQL parser: the AST it builds, and how it refuses bad or hostile input."""

from __future__ import annotations

import pytest

from steward.errors import QueryError
from steward.query import ast
from steward.query.parser import (
    parse_expr,
    parse_group,
    parse_order,
    parse_select,
    parse_statement,
)
from steward.query.syntax import MAX_DEPTH, MAX_IDENTIFIER_CHARS, MAX_PARAMETER_CHARS

town = ast.Column("town")


def test_comparison_and_boolean_chains_are_flat() -> None:
    expr = parse_expr("a = 1 AND b = 2 AND c = 3 OR d")
    assert isinstance(expr, ast.BoolOp) and expr.op == "or"
    left = expr.operands[0]
    assert isinstance(left, ast.BoolOp) and left.op == "and" and len(left.operands) == 3


def test_precedence_not_binds_looser_than_comparison_and_tighter_than_and() -> None:
    expr = parse_expr("NOT a = 1 AND b")
    assert expr == ast.BoolOp(
        "and",
        (ast.Unary("not", ast.Binary("=", ast.Column("a"), ast.NumberLit("1"))), ast.Column("b")),
    )


def test_arithmetic_precedence_and_unary_minus() -> None:
    expr = parse_expr("-a + b * c % 2 || 'x'")
    product = ast.Binary("%", ast.Binary("*", ast.Column("b"), ast.Column("c")), ast.NumberLit("2"))
    summed = ast.Binary("+", ast.Unary("-", ast.Column("a")), product)
    assert expr == ast.Binary("||", summed, ast.StringLit("x"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("town IS NULL", ast.IsNull(town)),
        ("town is not null", ast.IsNull(town, negated=True)),
        ("town LIKE 'W%'", ast.Like(town, ast.StringLit("W%"))),
        ("town not like 'W%'", ast.Like(town, ast.StringLit("W%"), negated=True)),
        ("town IN ('a', 'b')", ast.In(town, (ast.StringLit("a"), ast.StringLit("b")))),
        ("town NOT IN ('a')", ast.In(town, (ast.StringLit("a"),), negated=True)),
        (
            "town BETWEEN 'a' AND 'b'",
            ast.Between(town, ast.StringLit("a"), ast.StringLit("b")),
        ),
        (
            "town not between 'a' and 'b'",
            ast.Between(town, ast.StringLit("a"), ast.StringLit("b"), negated=True),
        ),
        ("town::number", ast.Cast(town, "number")),
        ("town <> 'x'", ast.Binary("!=", town, ast.StringLit("x"))),
    ],
)
def test_predicates(text: str, expected: ast.Expr) -> None:
    assert parse_expr(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("'it''s'", ast.StringLit("it's")),
        ('"say ""hi"""', ast.StringLit('say "hi"')),
        ("42", ast.NumberLit("42")),
        ("4.25e-3", ast.NumberLit("4.25e-3")),
        (".5", ast.NumberLit(".5")),
        ("TRUE", ast.BoolLit(True)),
        ("false", ast.BoolLit(False)),
        ("NULL", ast.NullLit()),
    ],
)
def test_literals(text: str, expected: ast.Expr) -> None:
    assert parse_expr(text) == expected


def test_identifiers_fold_case_and_accept_backticks_and_system_fields() -> None:
    assert parse_expr("Town") == town
    assert parse_expr("`Town Name`") == ast.Column("town name")
    assert parse_expr(":id") == ast.Column("id", system=True)
    assert parse_expr(":Updated_At") == ast.Column("updated_at", system=True)


def test_keywords_stay_usable_as_field_names_where_unambiguous() -> None:
    items = parse_select("desc, limit, select, first")
    assert [i.expr for i in items if isinstance(i, ast.SelectExpr)] == [
        ast.Column("desc"),
        ast.Column("limit"),
        ast.Column("select"),
        ast.Column("first"),
    ]


def test_function_calls() -> None:
    assert parse_expr("COUNT(*)") == ast.Call("count", (), star=True)
    assert parse_expr("count(DISTINCT town)") == ast.Call("count", (town,), distinct=True)
    assert parse_expr("Sum(x)") == ast.Call("sum", (ast.Column("x"),))
    assert parse_expr("now()") == ast.Call("now", ())


def test_select_items() -> None:
    items = parse_select("*, :*, town AS t, sum(x) as total")
    assert items[:3] == (
        ast.SelectStar(),
        ast.SelectStar(system=True),
        ast.SelectExpr(town, "t"),
    )
    assert len(items) == 4 and isinstance(items[3], ast.SelectExpr)


def test_order_and_group() -> None:
    assert parse_order("town, x DESC, y asc nulls first") == (
        ast.OrderItem(town),
        ast.OrderItem(ast.Column("x"), descending=True),
        ast.OrderItem(ast.Column("y"), nulls_first=True),
    )
    assert parse_group("town, date_trunc_ym(d)") == (
        town,
        ast.Call("date_trunc_ym", (ast.Column("d"),)),
    )


def test_statement_with_every_clause() -> None:
    query = parse_statement(
        "select town, count(*) where x > 1 group by town having count(*) > 2 "
        "order by town desc search 'hart' limit 5 offset 10"
    )
    assert query.where == ast.Binary(">", ast.Column("x"), ast.NumberLit("1"))
    assert query.group == (town,)
    assert query.order == (ast.OrderItem(town, descending=True),)
    assert (query.search, query.limit, query.offset) == ("hart", 5, 10)


def test_positions_are_kept_but_do_not_affect_equality() -> None:
    expr = parse_expr("  town")
    assert isinstance(expr, ast.Column) and expr.pos == ast.Position(1, 3)
    assert expr == town


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("town = = 1", "Syntax error in $where at line 1 column 8: unexpected '='"),
        ("town = 'open", "a string that is never closed"),
        ("`open", "a quoted name that is never closed"),
        ("town = 1\n  AND )", "line 2 column 7"),
        ("(town", "unexpected end of input; expected ')'"),
        ("town # 1", "unexpected '#'"),
        ("1=1) UNION SELECT * FROM read_csv('/etc/passwd'", "unexpected ')'"),
        ("town; DROP TABLE x", "unexpected ';'"),
    ],
)
def test_syntax_errors_say_where(text: str, fragment: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_expr(text)
    assert fragment in caught.value.message
    assert caught.value.data["clause"] == "$where"


def test_limit_in_statement_must_be_a_whole_number() -> None:
    with pytest.raises(QueryError, match="a number"):
        parse_statement("select * limit -1")
    with pytest.raises(QueryError, match="whole number"):
        parse_statement("select * limit 1.5")


def test_overlong_parameter_is_refused_before_parsing() -> None:
    with pytest.raises(QueryError, match=r"too long: 20,001 characters \(at most 20,000\)"):
        parse_expr("x" * (MAX_PARAMETER_CHARS + 1))


@pytest.mark.parametrize("make", [lambda n: "a" * n, lambda n: f"`{'b' * (n - 2)}`"])
def test_overlong_identifier_is_refused(make: object) -> None:
    name = make(MAX_IDENTIFIER_CHARS + 3)  # type: ignore[operator]
    with pytest.raises(QueryError, match="Identifier in \\$where is too long"):
        parse_expr(f"{name} = 1")
    assert parse_expr(f"{'a' * MAX_IDENTIFIER_CHARS} = 1")


def test_long_strings_are_not_identifiers() -> None:
    assert parse_expr(f"town = '{'z' * 5000}'") == ast.Binary("=", town, ast.StringLit("z" * 5000))


@pytest.mark.parametrize(
    "text",
    [
        "(" * 5000 + "x" + ")" * 5000,  # parentheses alone add no depth: accepted
        "-(" * 3000 + "1" + ")" * 3000,
        "NOT " * 4000 + "x",
        "x" + " + x" * 4000,
        "f(" * 3000 + "x" + ")" * 3000,
        "x" + " || x" * 3000,
    ],
)
def test_deep_nesting_is_refused_cleanly(text: str) -> None:
    try:
        expr = parse_expr(text)
    except QueryError as error:
        assert "nested too deeply" in error.message
    else:
        assert ast.depth(expr) <= MAX_DEPTH


def test_long_flat_chains_are_fine() -> None:
    text = " OR ".join(f"town = 'T{i}'" for i in range(1000))
    expr = parse_expr(text)
    assert isinstance(expr, ast.BoolOp) and len(expr.operands) == 1000
