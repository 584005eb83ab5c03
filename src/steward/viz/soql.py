"""SoQL fragments shared by the chart and map query builders.

Every aggregate query the portal runs for a chart or a map returns two columns with fixed
names, `label` and `value`, so the drawing functions take one input shape whatever the dataset.
"""

from __future__ import annotations

import re

from steward.errors import Invalid

MEASURES = ("count", "sum", "avg")
MAX_GROUPS = 50_000
"""The query service's row cap; a grouping with more groups than this is cut short."""

_FIELD_NAME = re.compile(r"[a-z_][a-z0-9_]*")
# Field names that are also SoQL keywords must be written in backticks.
_KEYWORDS = frozenset(
    {
        *("select", "where", "group", "having", "order", "by", "search", "limit", "offset"),
        *("as", "and", "or", "not", "is", "null", "like", "in", "between", "nulls"),
        *("true", "false", "distinct", "asc", "desc", "first", "last"),
    }
)


def field_ref(name: str) -> str:
    """`name` as written in SoQL; `Invalid` unless it is an API field name (`[a-z_][a-z0-9_]*`).

    >>> field_ref("total_cases"), field_ref("in")
    ('total_cases', '`in`')
    """
    if not _FIELD_NAME.fullmatch(name):
        raise Invalid(f"Not a field name: {name!r}")
    return f"`{name}`" if name in _KEYWORDS else name


def measure_expression(measure: str, measure_field: str | None) -> str:
    """`count(*)`, `sum(field)` or `avg(field)`.

    >>> measure_expression("count", None), measure_expression("avg", "case_rate")
    ('count(*)', 'avg(case_rate)')
    """
    if measure not in MEASURES:
        raise Invalid(f"Unknown measure {measure!r}; use one of {', '.join(MEASURES)}")
    if measure == "count":
        return "count(*)"
    if not measure_field:
        raise Invalid(f"The {measure} measure needs a number field")
    return f"{measure}({field_ref(measure_field)})"
