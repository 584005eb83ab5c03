r"""`$q`: full-text search as Socrata's simple form of it, a case-insensitive substring match.

Each word of the search must occur in at least one text field; all words must match (AND).
LIKE wildcards in a word are escaped, so they match themselves.

>>> from steward.query.sqlbuild import Binder, column
>>> binder = Binder()
>>> print(search_condition("west 50%", [column("town", "t")], binder).sql("duckdb"))
"t"."town" ILIKE $1 ESCAPE '\' AND "t"."town" ILIKE $2 ESCAPE '\'
>>> binder.values
['%west%', '%50\\%%']
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp

from steward.errors import QueryError
from steward.query.sqlbuild import Binder
from steward.query.syntax import MAX_PARAMETER_CHARS, MAX_SEARCH_TERMS

_ESCAPE = "\\"


def like_contains(term: str) -> str:
    """A LIKE pattern matching any text that contains `term` literally."""
    escaped = "".join(_ESCAPE + c if c in "%_" + _ESCAPE else c for c in term)
    return f"%{escaped}%"


def search_terms(text: str) -> list[str]:
    if len(text) > MAX_PARAMETER_CHARS:
        raise QueryError(f"$q is too long (at most {MAX_PARAMETER_CHARS:,} characters)")
    terms = text.split()
    if len(terms) > MAX_SEARCH_TERMS:
        raise QueryError(f"$q has too many words: {len(terms)} (at most {MAX_SEARCH_TERMS})")
    return terms


def search_condition(text: str, columns: Sequence[exp.Expr], binder: Binder) -> exp.Expr:
    """The condition for `$q=text` over `columns` (the text fields the caller may see)."""
    conditions: list[exp.Expr] = []
    for term in search_terms(text):
        pattern = binder.bind(like_contains(term))
        matches = [
            exp.Escape(
                this=exp.ILike(this=col.copy(), expression=pattern.copy()),
                expression=exp.Literal.string(_ESCAPE),
            )
            for col in columns
        ]
        conditions.append(exp.or_(*matches, copy=False) if matches else exp.false())
    return exp.and_(*conditions, copy=False) if conditions else exp.true()
