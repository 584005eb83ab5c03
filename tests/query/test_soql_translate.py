"""compile_query and parse_soda_params: names, types, parameters, visibility, ordering rules."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
import sqlglot

from steward.errors import QueryError
from steward.query.translate import (
    CompiledQuery,
    FieldInfo,
    OutputColumn,
    compile_query,
    parse_soda_params,
)


def compile_params(
    fields: list[FieldInfo], params: dict[str, str] | list[tuple[str, str]], **options: object
) -> CompiledQuery:
    return compile_query(parse_soda_params(params, fields), fields, **options)  # type: ignore[arg-type]


def placeholders(sql: str) -> set[int]:
    return {int(n) for n in re.findall(r"\$(\d+)", sql)}


def test_literals_become_typed_parameters(covid_fields: list[FieldInfo]) -> None:
    compiled = compile_params(
        covid_fields,
        {
            "$where": "town = 'Hartford' AND total_cases > 1.5 AND total_deaths < 7 "
            "AND last_update_date >= '2020-04-01T08:30:00' AND provisional = true"
        },
    )
    assert compiled.params == ["Hartford", 1.5, 7, datetime(2020, 4, 1, 8, 30), True]
    assert placeholders(compiled.sql) == {1, 2, 3, 4, 5}
    assert "Hartford" not in compiled.sql


def test_equal_literals_share_a_parameter(covid_fields: list[FieldInfo]) -> None:
    compiled = compile_params(covid_fields, {"$where": "total_cases > 2 AND total_deaths > 2"})
    assert compiled.params == [2]
    true_and_one = compile_params(
        covid_fields, {"$where": "provisional = true AND total_cases = 1"}
    )
    assert true_and_one.params == [True, 1]  # equal in Python, different types: not shared


def test_number_literals(covid_fields: list[FieldInfo]) -> None:
    compiled = compile_params(
        covid_fields, {"$where": "total_cases IN (-3, 1e2, 99999999999999999999, '12')"}
    )
    assert compiled.params == [-3, 100.0, 1e20, 12]


def test_output_columns_follow_socrata_naming(covid_fields: list[FieldInfo]) -> None:
    compiled = compile_params(
        covid_fields,
        {
            "$select": "town, count(*), sum(total_cases), date_trunc_ym(last_update_date), "
            "max(last_update_date) AS latest, total_cases * 2, :id, location",
            "$group": "town, date_trunc_ym(last_update_date), total_cases * 2, :id, location",
        },
    )
    assert compiled.columns == [
        OutputColumn("town", "text"),
        OutputColumn("count", "number"),
        OutputColumn("sum_total_cases", "number"),
        OutputColumn("date_trunc_ym_last_update_date", "floating_timestamp"),
        OutputColumn("latest", "floating_timestamp"),
        OutputColumn("expr_6", "number"),
        OutputColumn(":id", "number"),
        OutputColumn("location", "point"),
    ]


def test_generated_names_never_clash(covid_fields: list[FieldInfo]) -> None:
    compiled = compile_params(covid_fields, {"$select": "town, town, upper(town) AS town_1"})
    assert [c.name for c in compiled.columns] == ["town", "town_2", "town_1"]


def test_hidden_fields_are_absent(covid_fields: list[FieldInfo]) -> None:
    allowed = {"town", "total_cases"}
    full = compile_params(covid_fields, {}, allowed_fields=allowed)
    assert [c.name for c in full.columns] == ["town", "total_cases"]
    for params in (
        {"$select": "total_deaths"},
        {"$where": "total_deaths > 1"},
        {"$order": "total_deaths"},
        {"total_deaths": "1"},
        {"$select": "town, count(*)", "$group": "town", "$having": "max(total_deaths) > 1"},
    ):
        with pytest.raises(QueryError, match="No such column: total_deaths"):
            compile_params(covid_fields, params, allowed_fields=allowed)


def test_search_covers_only_visible_text_fields() -> None:
    fields = [FieldInfo("town", "text", "town"), FieldInfo("secret", "text", "secret")]
    compiled = compile_params(fields, {"$q": "x"}, allowed_fields={"town"})
    assert '"secret"' not in compiled.sql
    numbers_only = [FieldInfo("n", "number", "n")]
    assert "WHERE FALSE" in compile_params(numbers_only, {"$q": "x"}).sql


def test_search_term_count_is_bounded(covid_fields: list[FieldInfo]) -> None:
    with pytest.raises(QueryError, match="too many words"):
        compile_params(covid_fields, {"$q": " ".join(["w"] * 33)})


def test_system_fields(covid_fields: list[FieldInfo]) -> None:
    stamp = datetime(2024, 5, 6, 7, 8, 9)
    compiled = compile_params(
        covid_fields,
        {"$select": ":id, :created_at, :updated_at"},
        system_values={"created_at": stamp, ":updated_at": stamp},
    )
    assert compiled.params == [stamp]
    assert '"dataset"."__id" AS ":id"' in compiled.sql
    assert [c.type for c in compiled.columns] == [
        "number",
        "floating_timestamp",
        "floating_timestamp",
    ]
    assert "CAST(NULL AS TIMESTAMP)" not in compiled.sql


def test_limits(covid_fields: list[FieldInfo]) -> None:
    assert compile_params(covid_fields, {}).sql.endswith("LIMIT 1000")
    assert compile_params(covid_fields, {}, default_limit=7).sql.endswith("LIMIT 7")
    unbounded = compile_params(covid_fields, {}, default_limit=None, max_limit=None)
    assert "LIMIT" not in unbounded.sql
    assert compile_params(covid_fields, {"$limit": "0"}).sql.endswith("LIMIT 0")
    assert compile_params(covid_fields, {"$limit": "50000"}).sql.endswith("LIMIT 50000")
    for bad in ("50001", "-1", "1.5", "1e3", "0x10", "\uff11\uff12"):  # the last: full-width 12
        with pytest.raises(QueryError, match=r"\$limit"):
            compile_params(covid_fields, {"$limit": bad})
    with pytest.raises(QueryError, match=r"\$offset"):
        compile_params(covid_fields, {"$offset": "-1"})


def test_default_order_is_id_unless_duckdb_reads_rows_in_id_order(
    covid_fields: list[FieldInfo],
) -> None:
    assert "ORDER BY" not in compile_params(covid_fields, {}).sql
    explicit = compile_params(covid_fields, {}, rows_in_id_order=False).sql
    assert explicit.endswith('ORDER BY "dataset"."__id" ASC LIMIT 1000')
    postgres = compile_params(covid_fields, {}, dialect="postgres").sql
    assert postgres.endswith('ORDER BY "dataset"."__id" ASC LIMIT 1000')


def test_order_ties_are_broken_by_id_or_group_keys(covid_fields: list[FieldInfo]) -> None:
    plain = compile_params(covid_fields, {"$select": "town", "$order": "town DESC"}).sql
    assert plain.endswith('ORDER BY "town" DESC NULLS FIRST, "dataset"."__id" ASC LIMIT 1000')
    by_id = compile_params(covid_fields, {"$select": "town", "$order": ":id DESC"}).sql
    assert by_id.count("__id") == 1
    grouped = compile_params(
        covid_fields,
        {
            "$select": "town, town_number, count(*) AS n",
            "$group": "town, town_number",
            "$order": "n",
        },
    ).sql
    assert grouped.endswith('ORDER BY "n" ASC, "town" ASC, "town_number" ASC LIMIT 1000')
    whole_table = compile_params(covid_fields, {"$select": "count(*)"}).sql
    assert "ORDER BY" not in whole_table


def test_aliases_in_group_order_and_having(covid_fields: list[FieldInfo]) -> None:
    compiled = compile_params(
        covid_fields,
        {
            "$select": "date_trunc_ym(last_update_date) AS month, sum(total_cases) AS total",
            "$group": "month",
            "$having": "total > 10",
            "$order": "total DESC",
        },
    )
    assert 'GROUP BY DATE_TRUNC(\'MONTH\', "dataset"."last_update_date")' in compiled.sql
    assert 'HAVING SUM("dataset"."total_cases") > $1' in compiled.sql
    # In $group a field wins over an alias of the same name; in $order the alias wins.
    shadow = compile_params(
        covid_fields,
        {"$select": "upper(town) AS town, count(*)", "$group": "town", "$order": "town"},
    )
    assert 'GROUP BY "dataset"."town"' in shadow.sql
    assert 'ORDER BY "town" ASC' in shadow.sql


def test_parameter_in_group_key_matches_select(covid_fields: list[FieldInfo]) -> None:
    compiled = compile_params(
        covid_fields, {"$select": "total_cases * 2 AS t, count(*)", "$group": "t"}
    )
    assert 'GROUP BY "dataset"."total_cases" * $1' in compiled.sql
    assert compiled.params == [2]


def test_postgres_dialect_produces_parseable_sql(covid_fields: list[FieldInfo]) -> None:
    compiled = compile_params(
        covid_fields,
        {
            "$select": "town, sum(total_cases) AS total, avg(case_rate)",
            "$where": "last_update_date > '2020-04-01' AND town LIKE 'W%' AND total_cases / 2 > 1",
            "$group": "town",
            "$having": "sum(total_cases) > 5",
            "$order": "total DESC",
            "$q": "west",
            "$limit": "10",
            "$offset": "5",
        },
        dialect="postgres",
    )
    parsed = sqlglot.parse_one(compiled.sql, read="postgres")
    assert parsed.find(sqlglot.exp.Select) is not None
    assert "DOUBLE PRECISION" in compiled.sql  # SoQL division is decimal division
    assert placeholders(compiled.sql) == set(range(1, len(compiled.params) + 1))


def test_unsupported_field_type_is_refused() -> None:
    with pytest.raises(QueryError, match="unsupported type: blob"):
        compile_params([FieldInfo("x", "blob", "x")], {})


# ---------------------------------------------------------------- parse_soda_params


def test_params_accept_pairs_and_ignore_directives(covid_fields: list[FieldInfo]) -> None:
    query = parse_soda_params(
        [("$select", "town"), ("$$app_token", "x"), ("$$bom", "true"), ("town", "Hartford")],
        covid_fields,
    )
    assert query.select is not None and query.where is not None


def test_params_refuse_unknown_repeated_and_mixed(covid_fields: list[FieldInfo]) -> None:
    with pytest.raises(QueryError, match=r"Unknown parameter: \$selekt"):
        parse_soda_params({"$selekt": "town"}, covid_fields)
    with pytest.raises(QueryError, match="more than once"):
        parse_soda_params([("$where", "a"), ("$where", "b")], covid_fields)
    with pytest.raises(QueryError, match=r"\$query cannot be combined with \$limit"):
        parse_soda_params({"$query": "SELECT *", "$limit": "5"}, covid_fields)
    with pytest.raises(QueryError, match="No such column: nope"):
        parse_soda_params({"nope": "1"}, covid_fields)
    with pytest.raises(QueryError, match="too long"):
        parse_soda_params({"$q": "x" * 20_001}, covid_fields)


def test_simple_filters_are_coerced_to_the_field_type(covid_fields: list[FieldInfo]) -> None:
    compiled = compile_params(
        covid_fields,
        [
            ("town", "Hartford"),
            ("total_cases", "12"),
            ("provisional", "false"),
            ("last_update_date", "2020-03-24T00:00:00.000"),
            (":id", "3"),
        ],
    )
    assert compiled.params == ["Hartford", 12, False, datetime(2020, 3, 24), 3]
    with pytest.raises(QueryError, match="'twelve' is not a number"):
        compile_params(covid_fields, {"total_cases": "twelve"})


def test_simple_filter_and_where_and_query_combine(covid_fields: list[FieldInfo]) -> None:
    compiled = compile_params(covid_fields, {"$query": "SELECT town WHERE total_cases > 5",
                                             "town": "Hartford"})  # fmt: skip
    assert 'WHERE "dataset"."total_cases" > $1 AND "dataset"."town" = $2' in compiled.sql


def test_errors_carry_the_query_text(covid_fields: list[FieldInfo]) -> None:
    with pytest.raises(QueryError) as parse_error:
        parse_soda_params({"$where": "town = = 1", "$limit": "5"}, covid_fields)
    assert parse_error.value.data["query"] == "$where=town = = 1&$limit=5"
    assert parse_error.value.data["position"] == {"line": 1, "column": 8}
    with pytest.raises(QueryError) as compile_error:
        compile_params(covid_fields, {"$select": "nosuch"})
    assert compile_error.value.data["query"] == "$select=nosuch"
    assert compile_error.value.data["position"] == {"line": 1, "column": 1}
