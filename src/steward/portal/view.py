"""A visitor's view of a dataset's rows: per-column filters, a sort, a page, as URL parameters,
turned into SoQL that the query service runs and the page shows (so the same query can be
copied, or used for downloads).

URL parameters (all optional): `eq.<field>=v` (equals), `has.<field>=v` (text contains, any case),
`min.<field>=v` and `max.<field>=v` (ranges on numbers and dates), `sort=<field>`, `desc=1`,
`page=N` (1-based).

>>> fields = [ViewField("town", "text"), ViewField("total_cases", "number")]
>>> params = [("eq.town", "O'Hara"), ("min.total_cases", "5"), ("sort", "total_cases")]
>>> view = parse_view(params, fields)
>>> view.where()
"town = 'O''Hara' AND total_cases >= 5"
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from steward.errors import Invalid

PAGE_SIZE = 25
MAX_PAGE = 10_000
OPERATORS = {"eq": "=", "has": "contains", "min": ">=", "max": "<="}
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?)?$")


@dataclass(frozen=True)
class ViewField:
    name: str
    type: str


@dataclass(frozen=True)
class Filter:
    op: str  # eq | has | min | max
    field: ViewField
    value: str

    def soql(self) -> str:
        name = self.field.name
        if self.op == "has":
            # SoQL LIKE has no escape clause: a % or _ typed by a visitor only widens the match.
            return f"upper({name}) like {_quote('%' + self.value.upper() + '%')}"
        return f"{name} {OPERATORS[self.op]} {_literal(self.field, self.value)}"


@dataclass(frozen=True)
class TableView:
    filters: list[Filter] = field(default_factory=list)
    sort: str | None = None
    descending: bool = False
    page: int = 1

    def where(self) -> str:
        return " AND ".join(item.soql() for item in self.filters)

    def order(self) -> str | None:
        return f"{self.sort} {'DESC' if self.descending else 'ASC'}" if self.sort else None

    def soql(self, *, paged: bool = True) -> list[tuple[str, str]]:
        params: list[tuple[str, str]] = []
        if self.filters:
            params.append(("$where", self.where()))
        if self.order():
            params.append(("$order", str(self.order())))
        if paged:
            params += [
                ("$limit", str(PAGE_SIZE + 1)),
                ("$offset", str((self.page - 1) * PAGE_SIZE)),
            ]
        return params

    def state(self) -> list[tuple[str, str]]:
        """The URL parameters that recreate this view (without the page)."""
        params = [(f"{item.op}.{item.field.name}", item.value) for item in self.filters]
        if self.sort:
            params.append(("sort", self.sort))
            if self.descending:
                params.append(("desc", "1"))
        return params


def parse_view(params: Sequence[tuple[str, str]], fields: Sequence[ViewField]) -> TableView:
    """Read a view from URL parameters; unknown fields or bad values raise Invalid."""
    by_name = {item.name: item for item in fields}
    filters, sort, descending, page = [], None, False, 1
    for key, value in params:
        if key == "sort":
            sort = _known(by_name, value).name
        elif key == "desc":
            descending = value in {"1", "true", "yes"}
        elif key == "page":
            page = _page(value)
        elif "." in key and key.split(".", 1)[0] in OPERATORS and value.strip():
            op, name = key.split(".", 1)
            filters.append(_filter(op, _known(by_name, name), value.strip()))
    return TableView(filters=filters, sort=sort, descending=descending, page=page)


def _filter(op: str, target: ViewField, value: str) -> Filter:
    if op == "has" and target.type != "text":
        raise Invalid(f"'contains' works on text fields; {target.name} is {target.type}")
    if op in {"min", "max"} and target.type not in {"number", "floating_timestamp"}:
        raise Invalid(f"ranges work on numbers and dates; {target.name} is {target.type}")
    _literal(target, value)  # validates
    return Filter(op, target, value)


def _known(by_name: dict[str, ViewField], name: str) -> ViewField:
    if name not in by_name:
        raise Invalid(f"no column {name[:80]!r} in this dataset")
    return by_name[name]


def _page(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= MAX_PAGE:
        raise Invalid(f"page must be a whole number from 1 to {MAX_PAGE}")
    return int(value)


def _literal(target: ViewField, value: str) -> str:
    if target.type == "number":
        if not NUMBER.match(value):
            raise Invalid(f"{target.name} holds numbers; {value[:40]!r} is not one")
        return value
    if target.type == "floating_timestamp":
        if not DATE.match(value):
            raise Invalid(f"{target.name} holds dates; write them as YYYY-MM-DD")
        return _quote(value)
    if target.type == "checkbox":
        if value.lower() not in {"true", "false"}:
            raise Invalid(f"{target.name} is true or false")
        return value.lower()
    return _quote(value)


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
