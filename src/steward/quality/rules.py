"""Rule kinds: checking a declaration against the data dictionary, and the SQL condition that
picks a version's failing rows (values bound as parameters, names quoted).

A rule is `warn` or `block`; a failing `block` rule keeps a new version from becoming current.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb

from steward.errors import Invalid
from steward.quality import standards
from steward.quality.duck import ident
from steward.quality.references import REFERENCES, reference_values
from steward.quality.schemas import RuleCreate
from steward.query.translate import FieldInfo, compile_query, parse_soda_params

ROW_ID = "__id"
ONE_FIELD = {"not_null", "allowed_values", "range", "regex", "reference", "standard"}
VALUE_TYPES = {"text", "number", "checkbox"}
RANGE_TYPES = {"number", "floating_timestamp", "calendar_date"}


@dataclass(frozen=True)
class Declared:
    """A checked declaration: kind, the fields it reads and its normalized parameters."""

    kind: str
    fields: list[str]
    params: dict[str, Any]


def declare(rule: RuleCreate, types: Mapping[str, str]) -> Declared:
    """Check `rule` against the dictionary's field types; raise Invalid with the reason."""
    fields = list(dict.fromkeys(rule.fields))
    unknown = [name for name in fields if name not in types]
    if unknown:
        raise Invalid(f"no field {unknown[0]!r} in this dataset", data={"field": unknown[0]})
    if rule.kind in ONE_FIELD and len(fields) != 1:
        raise Invalid(f"a {rule.kind} rule names exactly one field")
    if rule.kind == "unique" and not fields:
        raise Invalid("a unique rule names one or more fields")
    if rule.kind in {"row_count_change", "soql"} and fields:
        raise Invalid(f"a {rule.kind} rule applies to the whole dataset; name no field")
    params = _PARAMS[rule.kind](rule, types[fields[0]] if fields else "", types)
    return Declared(rule.kind, fields, params)


def _no_params(rule: RuleCreate, kind: str, types: Mapping[str, str]) -> dict[str, Any]:
    return {}


def _allowed(rule: RuleCreate, kind: str, types: Mapping[str, str]) -> dict[str, Any]:
    if not rule.values:
        raise Invalid("an allowed_values rule needs at least one value")
    return {"values": _typed_values(rule.values, kind), "ignore_case": rule.ignore_case}


def _typed_values(raw: Sequence[str | float | bool], kind: str) -> list[Any]:
    if kind not in VALUE_TYPES:
        raise Invalid(f"allowed values apply to text, number or checkbox fields, not {kind}")
    try:
        if kind == "number":
            return [float(value) for value in raw]
        if kind == "checkbox":
            return [_boolean(value) for value in raw]
    except ValueError as exc:
        raise Invalid(f"not a {kind} value: {exc}") from None
    return [str(value) for value in raw]


def _boolean(value: str | float | bool) -> bool:
    text = str(value).strip().lower()
    if text in {"true", "1", "yes"}:
        return True
    if text in {"false", "0", "no"}:
        return False
    raise ValueError(repr(value))


def _range(rule: RuleCreate, kind: str, types: Mapping[str, str]) -> dict[str, Any]:
    if kind not in RANGE_TYPES:
        raise Invalid(f"a range applies to number or date fields, not {kind}")
    if rule.min is None and rule.max is None:
        raise Invalid("a range rule needs a minimum, a maximum or both")
    convert: Callable[[Any], Any] = float if kind == "number" else _timestamp
    try:
        low = None if rule.min is None else convert(rule.min)
        high = None if rule.max is None else convert(rule.max)
    except ValueError as exc:
        raise Invalid(f"range bound is not a {kind}: {exc}") from None
    if low is not None and high is not None and low > high:
        raise Invalid("the range's minimum is above its maximum")
    return {"min": low, "max": high}


def _timestamp(value: Any) -> str:
    return datetime.fromisoformat(str(value)).replace(tzinfo=None).isoformat()


def _regex(rule: RuleCreate, kind: str, types: Mapping[str, str]) -> dict[str, Any]:
    if not rule.pattern:
        raise Invalid("a regex rule needs a pattern")
    try:
        duckdb.connect().execute("SELECT regexp_full_match('', $1)", [rule.pattern])
    except duckdb.Error as exc:
        raise Invalid(f"not a valid regular expression: {str(exc).splitlines()[0]}") from None
    return {"pattern": rule.pattern}


def _reference(rule: RuleCreate, kind: str, types: Mapping[str, str]) -> dict[str, Any]:
    if rule.table not in REFERENCES:
        known = ", ".join(sorted(REFERENCES))
        raise Invalid(f"unknown reference table {rule.table!r}; known: {known}")
    numeric = REFERENCES[rule.table].numeric
    if kind != ("number" if numeric else "text"):
        raise Invalid(f"reference {rule.table} does not apply to a {kind} field")
    return {"table": rule.table, "ignore_case": rule.ignore_case}


def _row_count(rule: RuleCreate, kind: str, types: Mapping[str, str]) -> dict[str, Any]:
    try:
        low = None if rule.min is None else float(rule.min)
        high = None if rule.max is None else float(rule.max)
    except ValueError:
        raise Invalid("row count change bounds are percents, such as -10 and 50") from None
    if low is None and high is None:
        raise Invalid("a row_count_change rule needs a minimum or maximum percent change")
    if low is not None and high is not None and low > high:
        raise Invalid("the minimum change is above the maximum")
    return {"min_change_pct": low, "max_change_pct": high}


def _soql(rule: RuleCreate, kind: str, types: Mapping[str, str]) -> dict[str, Any]:
    if not rule.where or not rule.where.strip():
        raise Invalid("a soql rule needs a predicate (`where`) that every row must satisfy")
    compile_passing(rule.where, types)  # raises QueryError (400) when it does not compile
    return {"where": rule.where.strip()}


def _standard(rule: RuleCreate, kind: str, types: Mapping[str, str]) -> dict[str, Any]:
    if not rule.element or not standards.is_element(rule.element):
        raise Invalid(f"no standard element {rule.element!r} (see `steward standards list`)")
    return {"element": rule.element}


_PARAMS: dict[str, Callable[[RuleCreate, str, Mapping[str, str]], dict[str, Any]]] = {
    "not_null": _no_params,
    "unique": _no_params,
    "allowed_values": _allowed,
    "range": _range,
    "regex": _regex,
    "reference": _reference,
    "row_count_change": _row_count,
    "soql": _soql,
    "standard": _standard,
}


def compile_passing(where: str, types: Mapping[str, str]) -> tuple[str, list[object]]:
    """SQL selecting the `:id` of rows satisfying a SoQL predicate over the table `dataset`."""
    fields = [FieldInfo(name=name, type=kind, column=name) for name, kind in types.items()]
    query = parse_soda_params([("$select", ":id"), ("$where", where)], fields)
    compiled = compile_query(query, fields, table="dataset", default_limit=None, max_limit=None)
    return compiled.sql, list(compiled.params)


class Binder:
    """Collects parameters and hands out their positional placeholders."""

    def __init__(self, params: Sequence[object] = ()) -> None:
        self.params: list[object] = list(params)

    def __call__(self, value: object) -> str:
        self.params.append(value)
        return f"${len(self.params)}"


def failing_condition(
    kind: str, fields: Sequence[str], params: Mapping[str, Any], types: Mapping[str, str]
) -> tuple[str, list[object]]:
    """A WHERE condition over the view `dataset` true for exactly the failing rows."""
    if kind == "soql":
        passing, bound = compile_passing(params["where"], types)
        return f"{ident(ROW_ID)} NOT IN ({passing})", bound
    bind = Binder()
    q = ident(fields[0])
    if kind == "not_null":
        return f"{q} IS NULL", []
    if kind == "unique":
        return _duplicated(fields), []
    if kind == "range":
        return _outside(q, params, types[fields[0]], bind), bind.params
    if kind == "regex":
        pattern = bind(params["pattern"])
        condition = f"{q} IS NOT NULL AND NOT regexp_full_match(CAST({q} AS VARCHAR), {pattern})"
        return condition, bind.params
    values = params.get("values") or list(reference_values(params["table"]))
    return _not_in(q, values, types[fields[0]], params.get("ignore_case", False), bind), bind.params


def _duplicated(fields: Sequence[str]) -> str:
    names = ", ".join(ident(name) for name in fields)
    present = " AND ".join(f"{ident(name)} IS NOT NULL" for name in fields)
    return (
        f"{present} AND hash({names}) IN (SELECT hash({names}) FROM {ident('dataset')} "
        f"WHERE {present} GROUP BY ALL HAVING count(*) > 1)"
    )


def _outside(q: str, params: Mapping[str, Any], kind: str, bind: Binder) -> str:
    cast = "DOUBLE" if kind == "number" else "TIMESTAMP"
    tests = []
    if params.get("min") is not None:
        tests.append(f"{q} < CAST({bind(params['min'])} AS {cast})")
    if params.get("max") is not None:
        tests.append(f"{q} > CAST({bind(params['max'])} AS {cast})")
    return " OR ".join(tests)


def _not_in(q: str, values: Sequence[Any], kind: str, ignore_case: bool, bind: Binder) -> str:
    if kind == "number":
        listed = f"CAST({bind([float(v) for v in values])} AS DOUBLE[])"
        return f"{q} IS NOT NULL AND CAST({q} AS DOUBLE) NOT IN (SELECT unnest({listed}))"
    if kind == "checkbox":
        listed = f"CAST({bind([bool(v) for v in values])} AS BOOLEAN[])"
        return f"{q} IS NOT NULL AND {q} NOT IN (SELECT unnest({listed}))"
    listed = f"CAST({bind([str(v) for v in values])} AS VARCHAR[])"
    if ignore_case:
        return f"{q} IS NOT NULL AND lower({q}) NOT IN (SELECT lower(unnest({listed})))"
    return f"{q} IS NOT NULL AND {q} NOT IN (SELECT unnest({listed}))"
