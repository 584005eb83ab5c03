"""Names of result columns, following Socrata's conventions where it has them.

- an alias (`AS name`) is used as given (folded to lower case, like every SoQL name);
- a plain field keeps its name; system fields keep theirs (`:id`, `:created_at`, `:updated_at`);
- a function call is named after the function and the names inside it, joined by `_`:
  `count(*)` -> `count`, `sum(total_cases)` -> `sum_total_cases`,
  `date_trunc_ym(last_update_date)` -> `date_trunc_ym_last_update_date`,
  `count(distinct town)` -> `count_town`; literals add nothing
  (`starts_with(town, 'W')` -> `starts_with_town`);
- a cast is named after what it casts: `town_number::text` -> `town_number`;
- any other expression (arithmetic, comparison, ...) is `expr_N`, N its 1-based select position;
- a generated name that is already taken gets `_1`, `_2`, ... appended (first free suffix).
  Two explicit aliases that clash are an error.

>>> from steward.query.parser import parse_select
>>> output_names(parse_select("town, count(*), sum(total_cases), total_cases * 2 AS twice"))
['town', 'count', 'sum_total_cases', 'twice']
"""

from __future__ import annotations

from collections.abc import Sequence

from steward.errors import QueryError
from steward.query import ast


def derived_name(expr: ast.Expr, position: int) -> str:
    """The generated name of an unaliased select expression at 1-based `position`."""
    if isinstance(expr, ast.Column):
        return expr.display
    if isinstance(expr, ast.Cast):
        return derived_name(expr.operand, position)
    if isinstance(expr, ast.Call):
        return "_".join([expr.name, *_name_parts(expr.args)])
    return f"expr_{position}"


def _name_parts(args: Sequence[ast.Expr]) -> list[str]:
    parts: list[str] = []
    for arg in args:
        if isinstance(arg, ast.Column):
            parts.append(arg.name)
        elif isinstance(arg, ast.Call):
            parts.extend([arg.name, *_name_parts(arg.args)])
        else:
            parts.extend(_name_parts(ast.children(arg)))
    return parts


def output_names(items: Sequence[ast.SelectExpr]) -> list[str]:
    """The result names for select expressions (stars already expanded), in order."""
    taken: set[str] = set()
    for item in items:
        if item.alias is not None:
            if item.alias in taken:
                raise QueryError(f"Duplicate column name in $select: {item.alias}")
            taken.add(item.alias)
    names: list[str] = []
    for position, item in enumerate(items, start=1):
        if item.alias is not None:
            names.append(item.alias)
            continue
        name = base = derived_name(item.expr, position)
        suffix = 0
        while name in taken:
            suffix += 1
            name = f"{base}_{suffix}"
        taken.add(name)
        names.append(name)
    return names
