"""Parse SoQL text (one SODA parameter at a time) into Steward's AST.

The grammar is `soql.lark` (LALR, contextual lexer, so keywords such as `desc` or `limit` remain
usable as field names where they cannot be keywords). Hostile input is bounded before any
recursive code sees it: parameters are capped in length, identifiers are capped in the lexer, the
tree is built without recursion, and the AST's depth is checked before it is returned.

>>> parse_expr("town = 'Hartford' AND total_cases > 10")  # doctest: +ELLIPSIS
BoolOp(op='and', operands=(Binary(op='=', left=Column(name='town', ...
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache
from importlib import resources
from typing import Any

from lark import Lark, Token, Transformer_NonRecursive
from lark.exceptions import (
    UnexpectedCharacters,
    UnexpectedEOF,
    UnexpectedInput,
    UnexpectedToken,
    VisitError,
)

from steward.errors import QueryError
from steward.query import ast
from steward.query.syntax import (
    MAX_DEPTH,
    MAX_IDENTIFIER_CHARS,
    MAX_PARAMETER_CHARS,
    describe_character,
    describe_expected,
    describe_token,
)

_STARTS = ("start_select", "start_expr", "start_order", "start_group", "start_statement")


class _IdentifierTooLong(Exception):
    def __init__(self, token: Token) -> None:
        super().__init__(str(token))
        self.token = token


class _IdentifierLengthCheck:
    """A lark post-lexer that refuses over-long identifiers as soon as they are read."""

    always_accept: tuple[str, ...] = ()
    _checked = frozenset({"NAME", "QUOTED_NAME", "SYSTEM_NAME"})

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        for token in stream:
            if token.type in self._checked and len(token) > MAX_IDENTIFIER_CHARS:
                raise _IdentifierTooLong(token)
            yield token


@cache
def _grammar() -> str:
    return resources.files("steward.query").joinpath("soql.lark").read_text(encoding="utf-8")


@cache
def _lark(start: str) -> Lark:
    """One LALR parser per start rule: separate tables keep syntax errors' expected lists exact."""
    return Lark(
        _grammar(),
        parser="lalr",
        lexer="contextual",
        start=start,
        maybe_placeholders=True,
        postlex=_IdentifierLengthCheck(),
    )


@cache
def _patterns() -> dict[str, str]:
    """Literal text of each string terminal, by terminal name, for error messages."""
    return {t.name: t.pattern.value for t in _lark(_STARTS[0]).terminals if t.pattern.type == "str"}


def _position(token: Token) -> ast.Position | None:
    if token.line is None or token.column is None:
        return None
    return ast.Position(token.line, token.column)


def _unquote(text: str, quote: str) -> str:
    return text[1:-1].replace(quote * 2, quote)


def _flatten(op: str, left: ast.Expr, right: ast.Expr) -> ast.BoolOp:
    operands: list[ast.Expr] = []
    for side in (left, right):
        if isinstance(side, ast.BoolOp) and side.op == op:
            operands.extend(side.operands)
        else:
            operands.append(side)
    return ast.BoolOp(op, tuple(operands))


def _binary_rule(op: str) -> Callable[[Any, list[ast.Expr]], ast.Binary]:
    def build(self: Any, c: list[ast.Expr]) -> ast.Binary:
        return ast.Binary(op, c[0], c[1])

    return build


class _ToAst(Transformer_NonRecursive):  # type: ignore[type-arg]
    """Turn lark's parse tree into AST nodes, bottom-up and without recursion."""

    # ------------------------------------------------------------ clauses
    def start_select(self, c: list[Any]) -> Any:
        return c[0]

    start_expr = start_order = start_group = start_statement = start_select

    def select_list(self, c: list[ast.SelectItem]) -> tuple[ast.SelectItem, ...]:
        return tuple(c)

    def select_expr(self, c: list[Any]) -> ast.SelectExpr:
        alias = c[1][0] if c[1] is not None else None
        return ast.SelectExpr(c[0], alias)

    def select_star(self, c: list[Any]) -> ast.SelectStar:
        return ast.SelectStar()

    def select_system_star(self, c: list[Any]) -> ast.SelectStar:
        return ast.SelectStar(system=True)

    def order_list(self, c: list[ast.OrderItem]) -> tuple[ast.OrderItem, ...]:
        return tuple(c)

    def order_item(self, c: list[Any]) -> ast.OrderItem:
        expr, direction, nulls = c
        descending = direction is not None and direction.lower() == "desc"
        nulls_first = None if nulls is None else nulls.lower() == "first"
        return ast.OrderItem(expr, descending, nulls_first)

    def group_list(self, c: list[ast.Expr]) -> tuple[ast.Expr, ...]:
        return tuple(c)

    def statement(self, c: list[Any]) -> ast.SoqlQuery:
        parts: dict[str, Any] = {"select": c[0]}
        for part in c[1:]:
            if part is not None:
                parts.update(part)
        return ast.SoqlQuery(**parts)

    def where_part(self, c: list[Any]) -> dict[str, Any]:
        return {"where": c[0]}

    def group_part(self, c: list[Any]) -> dict[str, Any]:
        return {"group": c[0]}

    def having_part(self, c: list[Any]) -> dict[str, Any]:
        return {"having": c[0]}

    def order_part(self, c: list[Any]) -> dict[str, Any]:
        return {"order": c[0]}

    def search_part(self, c: list[Any]) -> dict[str, Any]:
        return {"search": c[0].value}

    def limit_part(self, c: list[Token]) -> dict[str, Any]:
        return {"limit": parse_count("LIMIT", str(c[0]))}

    def offset_part(self, c: list[Token]) -> dict[str, Any]:
        return {"offset": parse_count("OFFSET", str(c[0]))}

    # ------------------------------------------------------------ expressions
    def or_(self, c: list[ast.Expr]) -> ast.BoolOp:
        return _flatten("or", c[0], c[1])

    def and_(self, c: list[ast.Expr]) -> ast.BoolOp:
        return _flatten("and", c[0], c[1])

    def not_(self, c: list[ast.Expr]) -> ast.Unary:
        return ast.Unary("not", c[0])

    def compare(self, c: list[Any]) -> ast.Binary:
        op = "!=" if c[1] == "<>" else str(c[1])
        return ast.Binary(op, c[0], c[2])

    def is_null(self, c: list[Any]) -> ast.IsNull:
        return ast.IsNull(c[0], negated=c[1] is not None)

    def like(self, c: list[Any]) -> ast.Like:
        return ast.Like(c[0], c[2], negated=c[1] is not None)

    def in_(self, c: list[Any]) -> ast.In:
        return ast.In(c[0], tuple(c[2:]), negated=c[1] is not None)

    def between(self, c: list[Any]) -> ast.Between:
        return ast.Between(c[0], c[2], c[3], negated=c[1] is not None)

    concat = _binary_rule("||")
    add = _binary_rule("+")
    sub = _binary_rule("-")
    mul = _binary_rule("*")
    div = _binary_rule("/")
    mod = _binary_rule("%")

    def neg(self, c: list[ast.Expr]) -> ast.Unary:
        return ast.Unary("-", c[0])

    def cast(self, c: list[Any]) -> ast.Cast:
        return ast.Cast(c[0], str(c[1]).lower(), pos=_position(c[1]))

    def call(self, c: list[Any]) -> ast.Call:
        name, arguments = c
        star, distinct, args = False, False, ()
        if arguments is not None:
            star, distinct, args = arguments
        return ast.Call(str(name).lower(), args, star, distinct, pos=_position(name))

    def args(self, c: list[ast.Expr]) -> tuple[bool, bool, tuple[ast.Expr, ...]]:
        return False, False, tuple(c)

    def star_arg(self, c: list[Any]) -> tuple[bool, bool, tuple[ast.Expr, ...]]:
        return True, False, ()

    def distinct_arg(self, c: list[Any]) -> tuple[bool, bool, tuple[ast.Expr, ...]]:
        return False, True, (c[1],)

    def column(self, c: list[Any]) -> ast.Column:
        name, token = c[0]
        return ast.Column(name, pos=_position(token))

    def system_column(self, c: list[Token]) -> ast.Column:
        return ast.Column(str(c[0])[1:].lower(), system=True, pos=_position(c[0]))

    def name(self, c: list[Token]) -> tuple[str, Token]:
        token = c[0]
        text = _unquote(token, "`") if token.type == "QUOTED_NAME" else str(token)
        return text.lower(), token

    # ------------------------------------------------------------ literals
    def string(self, c: list[Token]) -> ast.StringLit:
        return ast.StringLit(_unquote(c[0], c[0][0]))

    def number(self, c: list[Token]) -> ast.NumberLit:
        return ast.NumberLit(str(c[0]))

    def true(self, c: list[Any]) -> ast.BoolLit:
        return ast.BoolLit(True)

    def false(self, c: list[Any]) -> ast.BoolLit:
        return ast.BoolLit(False)

    def null(self, c: list[Any]) -> ast.NullLit:
        return ast.NullLit()


_TRANSFORMER = _ToAst()


def parse_count(what: str, text: str) -> int:
    """A LIMIT or OFFSET value: a whole number, not negative."""
    value = text.strip()
    if not value.isascii() or not value.isdigit():
        raise QueryError(f"{what} must be a whole number that is not negative, not {value!r:.40}")
    return int(value)


def _syntax_error(error: UnexpectedInput, text: str, clause: str) -> QueryError:
    line, column = error.line, error.column
    if isinstance(error, UnexpectedCharacters):
        found, expected = describe_character(text[error.pos_in_stream or 0]), ""
    elif isinstance(error, UnexpectedToken):
        found = describe_token(error.token)
        expected = describe_expected(error.expected, _patterns())
    elif isinstance(error, UnexpectedEOF):
        found, expected = "end of input", describe_expected(error.expected, _patterns())
    else:  # pragma: no cover - lark raises only the three kinds above
        found, expected = "input", ""
    where = f" at line {line} column {column}" if line not in (None, -1) else ""
    message = f"Syntax error in {clause}{where}: unexpected {found}{expected}"
    position = {"line": line, "column": column} if where else None
    return QueryError(message, data={"clause": clause, "position": position})


def _parse(text: str, start: str, clause: str) -> Any:
    if len(text) > MAX_PARAMETER_CHARS:
        raise QueryError(
            f"{clause} is too long: {len(text):,} characters (at most {MAX_PARAMETER_CHARS:,})",
            data={"clause": clause},
        )
    try:
        tree = _lark(start).parse(text)
    except _IdentifierTooLong as error:
        raise QueryError(
            f"Identifier in {clause} is too long: {len(error.token):,} characters "
            f"(at most {MAX_IDENTIFIER_CHARS})",
            data={
                "clause": clause,
                "position": {"line": error.token.line, "column": error.token.column},
            },
        ) from None
    except UnexpectedInput as error:
        raise _syntax_error(error, text, clause) from None
    try:
        return _TRANSFORMER.transform(tree)
    except VisitError as error:  # lark wraps what a rule callback raises
        if isinstance(error.orig_exc, QueryError):
            raise error.orig_exc from None
        raise


def _check_depth(exprs: list[ast.Expr], clause: str) -> None:
    for expr in exprs:
        if ast.depth(expr) > MAX_DEPTH:
            raise QueryError(
                f"{clause} is nested too deeply (more than {MAX_DEPTH} levels)",
                data={"clause": clause},
            )


def parse_expr(text: str, clause: str = "$where") -> ast.Expr:
    """One boolean or value expression, as in `$where` and `$having`."""
    expr: ast.Expr = _parse(text, "start_expr", clause)
    _check_depth([expr], clause)
    return expr


def parse_select(text: str, clause: str = "$select") -> tuple[ast.SelectItem, ...]:
    items: tuple[ast.SelectItem, ...] = _parse(text, "start_select", clause)
    _check_depth([i.expr for i in items if isinstance(i, ast.SelectExpr)], clause)
    return items


def parse_order(text: str, clause: str = "$order") -> tuple[ast.OrderItem, ...]:
    items: tuple[ast.OrderItem, ...] = _parse(text, "start_order", clause)
    _check_depth([i.expr for i in items], clause)
    return items


def parse_group(text: str, clause: str = "$group") -> tuple[ast.Expr, ...]:
    exprs: tuple[ast.Expr, ...] = _parse(text, "start_group", clause)
    _check_depth(list(exprs), clause)
    return exprs


def parse_statement(text: str, clause: str = "$query") -> ast.SoqlQuery:
    """A whole `$query` statement: SELECT … [WHERE …] … [LIMIT n] [OFFSET n], without FROM."""
    query: ast.SoqlQuery = _parse(text, "start_statement", clause)
    exprs: list[ast.Expr] = [i.expr for i in query.select or () if isinstance(i, ast.SelectExpr)]
    exprs += [e for e in (query.where, query.having) if e is not None]
    exprs += [*query.group, *(o.expr for o in query.order)]
    _check_depth(exprs, clause)
    return query
