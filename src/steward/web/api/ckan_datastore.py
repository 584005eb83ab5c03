"""CKAN DataStore over the query service: `datastore_search` and `/datastore/dump/{id}`.

The CKAN parameters become SODA parameters (`filters` -> equality filters or `IN`, `q` -> `$q`,
`sort` -> `$order`, `fields` -> `$select`, `limit`/`offset`), so the access rules, the SoQL
compiler and its bound parameters are the same as for `/resource/`. Field names are checked
against the dataset's visible fields before any SoQL is written. Rows come in `_id` order (the
row ordinal, SoQL `:id`) or in the requested order with `_id` as the last key, so paging with
`offset` never repeats or skips a row.
"""

from __future__ import annotations

import json
import math
from typing import Any
from urllib.parse import urlencode

import pyarrow as pa

from steward.catalog.rows import open_public_rows
from steward.catalog.schemas import FieldPublic
from steward.query.service import prepare_query, run_query
from steward.web.api import ckan_params as p
from steward.web.api.soda_encoding import typed_json_value

DEFAULT_LIMIT = 100
MAX_LIMIT = 32_000  # CKAN's ckan.datastore.search.rows_max default
MAX_FILTER_VALUES = 100
ID = "_id"
CKAN_TYPES = {
    "text": "text",
    "number": "numeric",
    "checkbox": "bool",
    "floating_timestamp": "timestamp",
    "calendar_date": "timestamp",
    "point": "json",
}


def datastore_search(ctx: p.ActionContext, params: p.Params) -> dict[str, Any]:
    resource_id = p.required(params, "resource_id", "id")
    limit = min(p.integer(params, "limit", DEFAULT_LIMIT), MAX_LIMIT)
    offset = p.integer(params, "offset", 0)
    records_format = p.text(params, "records_format") or "objects"
    if records_format not in {"objects", "lists"}:
        raise p.invalid("records_format", "use objects or lists")
    source = open_public_rows(ctx.session, ctx.settings.data_dir, resource_id)
    fields = {field.name: field for field in source.fields}
    selected = _selected(params, fields)
    conditions = _conditions(params, fields)
    order = _order(params, fields)
    soql = [
        ("$select", ", ".join(":id" if name == ID else name for name in selected)),
        ("$order", order),
        ("$limit", str(max(limit, 1))),
        ("$offset", str(offset)),
        *conditions,
    ]
    prepared = prepare_query(ctx.session, ctx.settings, resource_id, soql)
    table = run_query(ctx.engine, prepared) if limit else None
    types = [_ckan_type(name, fields) for name in selected]
    result: dict[str, Any] = {
        "resource_id": resource_id,
        "fields": [{"id": name, "type": kind} for name, kind in zip(selected, types, strict=True)],
        "records": _records(table, prepared.columns, selected, records_format),
        "records_format": records_format,
        "limit": limit,
        "offset": offset,
        "sort": order,
        "_links": _links(params, resource_id, limit, offset),
    }
    if p.boolean(params, "include_total", True):
        result["total"] = _total(ctx, resource_id, conditions)
        result["total_was_estimated"] = False
    return result


def _selected(params: p.Params, fields: dict[str, FieldPublic]) -> list[str]:
    names = p.text_list(params, "fields") or [ID, *fields]
    unknown = [name for name in names if name != ID and name not in fields]
    if unknown:
        raise p.invalid("fields", f"field {unknown[0]!r} not in the resource")
    return list(dict.fromkeys(names))


def _conditions(params: p.Params, fields: dict[str, FieldPublic]) -> list[tuple[str, str]]:
    conditions: list[tuple[str, str]] = []
    filters = p.json_value(params, "filters") or {}
    if not isinstance(filters, dict):
        raise p.invalid("filters", "must be a JSON object of field: value")
    wheres = []
    for name, value in filters.items():
        if name not in fields and name != ID:
            raise p.invalid("filters", f"field {name!r} not in the resource")
        column = ":id" if name == ID else name
        if isinstance(value, list):
            wheres.append(_in_list(column, value, fields.get(name)))
        else:
            conditions.append((column, _scalar(value)))
    if wheres:
        conditions.append(("$where", " AND ".join(wheres)))
    q = p.json_value(params, "q")
    if isinstance(q, dict):
        raise p.invalid("q", "search by field is not supported; give q as text")
    if q not in (None, ""):
        conditions.append(("$q", p.text({"q": q}, "q") or ""))
    return conditions


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return str(value)
    raise p.invalid("filters", "values must be text, numbers or lists of them")


def _in_list(column: str, values: list[Any], field: FieldPublic | None) -> str:
    """`column IN (...)` with every value a SoQL literal (text quoted, numbers checked)."""
    if not values or len(values) > MAX_FILTER_VALUES:
        raise p.invalid("filters", f"a list of values needs 1 to {MAX_FILTER_VALUES} items")
    numeric = field is None or field.type == "number"
    literals = [_number_literal(v) if numeric else _text_literal(_scalar(v)) for v in values]
    return f"{column} IN ({', '.join(literals)})"


def _number_literal(value: Any) -> str:
    try:
        number = float(_scalar(value))
    except ValueError:
        raise p.invalid("filters", f"{value!r} is not a number") from None
    if not math.isfinite(number):
        raise p.invalid("filters", f"{value!r} is not a number")
    return repr(int(number)) if number.is_integer() else repr(number)


def _text_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _order(params: p.Params, fields: dict[str, FieldPublic]) -> str:
    sort = p.json_value(params, "sort")
    parts = sort if isinstance(sort, list) else (sort or "").split(",")
    keys = []
    for part in parts:
        words = str(part).split()
        if not words:
            continue
        name = words[0].strip('"')
        direction = words[1].upper() if len(words) > 1 else "ASC"
        if (
            (name not in fields and name != ID)
            or direction not in {"ASC", "DESC"}
            or len(words) > 2
        ):
            raise p.invalid("sort", f"cannot sort by {str(part).strip()!r}")
        keys.append(f"{':id' if name == ID else name} {direction}")
    if not any(key.startswith(":id ") for key in keys):
        keys.append(":id ASC")
    return ", ".join(keys)


def _ckan_type(name: str, fields: dict[str, FieldPublic]) -> str:
    return "int" if name == ID else CKAN_TYPES.get(fields[name].type, "text")


def _records(
    table: pa.Table | None, columns: list[Any], names: list[str], records_format: str
) -> list[Any]:
    if table is None:
        return []
    values = [table.column(i).to_pylist() for i in range(table.num_columns)]
    types = [column.type for column in columns]
    rows = [
        [typed_json_value(kind, value) for kind, value in zip(types, row, strict=True)]
        for row in zip(*values, strict=True)
    ]
    if records_format == "lists":
        return rows
    return [dict(zip(names, row, strict=True)) for row in rows]


def _total(ctx: p.ActionContext, resource_id: str, conditions: list[tuple[str, str]]) -> int:
    counted = prepare_query(
        ctx.session, ctx.settings, resource_id, [("$select", "count(*) AS n"), *conditions]
    )
    table = run_query(ctx.engine, counted)
    return int(table.column(0)[0].as_py())


def _links(params: p.Params, resource_id: str, limit: int, offset: int) -> dict[str, str]:
    kept = {
        key: value if isinstance(value, str) else _json(value)
        for key, value in params.items()
        if key in {"q", "filters", "fields", "sort", "limit", "include_total"}
    }
    start = {"resource_id": resource_id, **kept}
    path = "/api/3/action/datastore_search?"
    return {
        "start": path + urlencode(start),
        "next": path + urlencode({**start, "offset": offset + limit}),
    }


def _json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))
