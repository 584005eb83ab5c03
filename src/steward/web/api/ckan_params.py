"""Reading CKAN action parameters: GET query strings and POST JSON bodies give the same dict.

Query-string values are text, so the readers here accept both the JSON value (`rows: 5`,
`facet.field: ["tags"]`) and its text form (`rows=5`, `facet.field=["tags"]`). Bad values raise
`Invalid` naming the parameter, which the CKAN error shape reports as a Validation Error.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from steward.config import Settings
from steward.errors import Invalid
from steward.query.engine import QueryEngine

Params = dict[str, Any]

MAX_TEXT = 2000
TRUE = {"true", "1", "yes", "on"}
FALSE = {"false", "0", "no", "off", ""}
# `[+-]key:value`, `[+-]key:"quoted value"`, or a bare word.
TERM = re.compile(
    r'(?P<sign>[+-]?)(?:(?P<key>[A-Za-z_][\w.]*):)?(?:"(?P<quoted>[^"]*)"|(?P<bare>\S+))'
)
SEARCH_KEYS = {
    "organization": "organization",
    "owner_org": "organization",
    "tags": "tags",
    "tag": "tags",
    "groups": "groups",
    "res_format": "res_format",
    "license_id": "license_id",
    "name": "name",
    "id": "name",
}
TEXT_KEYS = {"text", "title", "notes"}
IGNORED_WORDS = {"*:*", "*", "AND", "&&"}


def invalid(name: str, message: str) -> Invalid:
    return Invalid(f"{name}: {message}", data={"field": name, "problem": message})


def text(params: Params, name: str, default: str | None = None) -> str | None:
    value = params.get(name)
    if value is None:
        return default
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise invalid(name, "must be text")
    if len(value) > MAX_TEXT:
        raise invalid(name, f"is too long (at most {MAX_TEXT} characters)")
    return value


def required(params: Params, *names: str) -> str:
    for name in names:
        value = text(params, name)
        if value:
            return value
    raise invalid(names[0], "Missing value")


def integer(
    params: Params, name: str, default: int, *, low: int = 0, high: int | None = None
) -> int:
    value = params.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value) if not isinstance(value, bool) else None
    except (TypeError, ValueError):
        number = None
    if number is None:
        raise invalid(name, "Invalid integer")
    if number < low or (high is not None and number > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise invalid(name, f"must be {bound}")
    return number


def boolean(params: Params, name: str, default: bool) -> bool:
    value = params.get(name)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in TRUE | FALSE:
        return value.strip().lower() in TRUE
    raise invalid(name, "must be true or false")


def json_value(params: Params, name: str) -> Any:
    """A parameter that CKAN takes as JSON: the value itself, or its text decoded."""
    value = params.get(name)
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise invalid(name, f"is too long (at most {MAX_TEXT} characters)")
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def text_list(params: Params, name: str) -> list[str]:
    """A list given as JSON, or as comma-separated text."""
    value = json_value(params, name)
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    raise invalid(name, "must be a list of names")


@dataclass
class SearchTerms:
    """`q` and `fq` of package_search: free words, required and excluded `key:value` terms."""

    words: list[str] = field(default_factory=list)
    required: list[tuple[str, str]] = field(default_factory=list)
    excluded: list[tuple[str, str]] = field(default_factory=list)


def search_terms(*queries: str | None) -> SearchTerms:
    terms = SearchTerms()
    for query in queries:
        for match in TERM.finditer(query or ""):
            _add_term(terms, match)
    return terms


def _add_term(terms: SearchTerms, match: re.Match[str]) -> None:
    key, sign = match["key"], match["sign"]
    value = match["quoted"] if match["quoted"] is not None else match["bare"]
    if key is None:
        if value in IGNORED_WORDS or (not value and match["quoted"] is None):
            return
        if value in {"OR", "||", "NOT"}:
            raise invalid("q", f"{value} is not supported; terms are always ANDed")
        terms.words.extend(value.split())
        return
    if key in TEXT_KEYS:
        terms.words.extend(value.split())
    elif key in SEARCH_KEYS:
        target = terms.excluded if sign == "-" else terms.required
        target.append((SEARCH_KEYS[key], value))
    elif f"{key}:{value}" not in IGNORED_WORDS:
        known = ", ".join(sorted({*SEARCH_KEYS, *TEXT_KEYS}))
        raise invalid("fq", f"cannot search on {key!r} (known: {known})")


@dataclass(frozen=True)
class ActionContext:
    """What every action receives besides its parameters."""

    session: Session
    settings: Settings
    engine: QueryEngine
    base: str  # the server's own base URL, for links
