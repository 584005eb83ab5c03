"""Input limits and user-facing descriptions of grammar terminals, for syntax errors."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from lark import Token

MAX_PARAMETER_CHARS = 20_000
"""Longest accepted text of one SODA parameter (`$where`, `$query`, ...)."""

MAX_IDENTIFIER_CHARS = 255
"""Longest accepted field name or alias."""

MAX_DEPTH = 64
"""Deepest accepted expression nesting; AND/OR chains are flat, so this bounds real nesting only."""

MAX_SEARCH_TERMS = 32
"""Most words `$q` may hold (each word becomes one condition over every text field)."""

_FRIENDLY = {
    "NAME": "a column name",
    "QUOTED_NAME": "a `quoted` column name",
    "SYSTEM_NAME": "a system field such as :id",
    "SYSTEM_STAR": ":*",
    "NUMBER": "a number",
    "STRING": "a 'string'",
    "COMPARISON": "a comparison such as = or <",
    "DIRECTION": "ASC or DESC",
    "NULLS_POSITION": "FIRST or LAST",
    "$END": "end of input",
}

_MAX_LISTED = 8


def describe_terminal(name: str, patterns: Mapping[str, str]) -> str:
    """A user-facing description of a grammar terminal such as `_AND` or `LPAR`."""
    if name in _FRIENDLY:
        return _FRIENDLY[name]
    text = patterns.get(name, name.lstrip("_"))
    return text.upper() if text.isalpha() else f"'{text}'"


def describe_expected(names: Iterable[str], patterns: Mapping[str, str]) -> str:
    """`, expected one of: …` for an error message, or nothing when there is nothing to list."""
    described = sorted({describe_terminal(n, patterns) for n in names})
    if not described:
        return ""
    more = ", …" if len(described) > _MAX_LISTED else ""
    return f"; expected {', '.join(described[:_MAX_LISTED])}{more}"


def describe_character(char: str) -> str:
    """What an unreadable character most likely is, for an error message."""
    if char in "'\"":
        return f"{char} (a string that is never closed)"
    if char == "`":
        return "` (a quoted name that is never closed)"
    return repr(char)


def describe_token(token: Token) -> str:
    if token.type == "$END":
        return "end of input"
    return repr(str(token)[:40])
