"""QueryEngine: real queries on a small Parquet file, paging, limits and the DuckDB lockdown."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from steward.errors import NotFound, QueryError, QueryTimeout
from steward.query.engine import EngineLimits, QueryEngine
from steward.query.translate import FieldInfo, compile_query, parse_soda_params

Rows = list[dict[str, object]]


@pytest.fixture(scope="module")
def engine(covid_store: tuple[Path, Path]) -> Iterator[QueryEngine]:
    engine = QueryEngine(covid_store[0], EngineLimits(timeout_s=10))
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def rows(covid_store: tuple[Path, Path]) -> Rows:
    con = duckdb.connect()
    table = con.sql(
        f"SELECT * FROM read_parquet('{covid_store[1]}') ORDER BY __id"
    ).to_arrow_table()
    return table.to_pylist()


@pytest.fixture
def run(
    engine: QueryEngine, covid_store: tuple[Path, Path], covid_fields: list[FieldInfo]
) -> Callable[..., Rows]:
    def run(params: dict[str, str] | list[tuple[str, str]], **options: object) -> Rows:
        query = parse_soda_params(params, covid_fields)
        compiled = compile_query(query, covid_fields, **options)  # type: ignore[arg-type]
        result = engine.execute(compiled, covid_store[1])
        assert result.column_names == [c.name for c in compiled.columns]
        return result.to_pylist()

    return run


def test_group_by_sums_match_python(run: Callable[..., Rows], rows: Rows) -> None:
    result = run({"$select": "town, sum(total_cases) AS total", "$group": "town",
                  "$order": "total DESC"})  # fmt: skip
    expected: dict[str, float] = {}
    for row in rows:
        expected[str(row["town"])] = expected.get(str(row["town"]), 0) + float(row["total_cases"])  # type: ignore[arg-type]
    assert {r["town"]: r["total"] for r in result} == expected
    totals = [r["total"] for r in result]
    assert totals == sorted(totals, reverse=True)


def test_filters_and_operators(run: Callable[..., Rows], rows: Rows) -> None:
    result = run({"$select": ":id", "$where": "NOT (town = 'Hartford' OR town = 'Stamford') "
                  "AND total_cases BETWEEN 10 AND 100 AND last_update_date >= '2020-04-01'",
                  "$limit": "1000"})  # fmt: skip
    expected = [
        r["__id"]
        for r in rows
        if r["town"] not in ("Hartford", "Stamford")
        and 10 <= r["total_cases"] <= 100  # type: ignore[operator]
        and r["last_update_date"] >= datetime(2020, 4, 1)  # type: ignore[operator]
    ]
    assert [r[":id"] for r in result] == expected and expected


def test_simple_filters_and_search(run: Callable[..., Rows], rows: Rows) -> None:
    hartford = run({"town": "Hartford", "$select": ":id"})
    assert [r[":id"] for r in hartford] == [r["__id"] for r in rows if r["town"] == "Hartford"]
    words = run({"$q": "west HART", "$select": "town", "$group": "town"})
    assert words == [{"town": "West Hartford"}]
    assert run({"$q": "%", "$select": "town"}) == []  # a wildcard is searched for literally


def test_nulls_sort_last_ascending_and_first_descending(run: Callable[..., Rows]) -> None:
    ascending = run({"$select": "confirmed_deaths", "$order": "confirmed_deaths"})
    assert (
        ascending[-1]["confirmed_deaths"] is None and ascending[0]["confirmed_deaths"] is not None
    )
    descending = run({"$select": "confirmed_deaths", "$order": "confirmed_deaths DESC"})
    assert descending[0]["confirmed_deaths"] is None


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"$order": "town"},
        {"$order": "provisional DESC, town"},
        {"$where": "total_cases > 20", "$order": "case_rate"},
        {"$where": "-case_rate IS NOT NULL"},  # exercises the cautious retry (DuckDB 2.0 bug)
    ],
    ids=["default", "town", "two-keys", "filtered", "expression-filter"],
)
def test_pages_cover_every_row_exactly_once(
    run: Callable[..., Rows], params: dict[str, str]
) -> None:
    whole = [r[":id"] for r in run({**params, "$select": ":id"}, default_limit=None)]
    pages: list[object] = []
    for offset in range(0, len(whole) + 7, 7):
        page = run({**params, "$select": ":id", "$limit": "7", "$offset": str(offset)})
        pages += [r[":id"] for r in page]
    assert pages == whole
    assert len(set(pages)) == len(pages) > 20


def test_default_order_is_id_order(run: Callable[..., Rows], rows: Rows) -> None:
    ids = [r[":id"] for r in run({"$select": ":id", "$offset": "13", "$limit": "40"})]
    assert ids == [r["__id"] for r in rows[13:53]]


def test_functions(run: Callable[..., Rows], haversine: Callable[..., float]) -> None:
    [row] = run(
        {
            "$select": "date_extract_dow(last_update_date) AS dow, "
            "date_extract_woy(last_update_date) AS woy, date_trunc_ym(last_update_date) AS ym, "
            "upper(town) AS up, unaccent('Café') AS plain, starts_with(town, 'Hart') AS sw, "
            "case(total_cases > 1000, 'big', true, 'small') AS size, greatest(1, 5, 3) AS g, "
            "least(4, 2) AS l, abs(-3) AS a, ln(1) AS zero, town || '/' || town_number AS label, "
            "distance_in_meters(location, 'POINT (-72.7420 41.7621)') AS meters",
            "$where": "town = 'Hartford' AND last_update_date = '2020-03-24'",
        }
    )
    assert (row["dow"], row["woy"]) == (2, 13)  # 2020-03-24 was a Tuesday, in ISO week 13
    assert row["ym"] == datetime(2020, 3, 1)
    assert (row["up"], row["plain"], row["sw"], row["size"]) == ("HARTFORD", "Cafe", True, "small")
    assert (row["g"], row["l"], row["a"], row["zero"]) == (5, 2, 3, 0)
    assert row["label"] == "Hartford/1"
    expected = haversine(-72.6851, 41.7637, -72.7420, 41.7621)
    assert row["meters"] == pytest.approx(expected, rel=1e-9)


def test_geo_filters(run: Callable[..., Rows]) -> None:
    near = run({"$select": "town", "$group": "town",
                "$where": "within_circle(location, 41.7637, -72.6851, 6000)"})  # fmt: skip
    assert {r["town"] for r in near} == {"Hartford", "West Hartford"}
    boxed = run({"$select": "town", "$group": "town",
                 "$where": "within_box(location, 41.8, -72.8, 41.75, -72.7)"})  # fmt: skip
    assert {r["town"] for r in boxed} == {"West Hartford"}


def test_system_fields(
    engine: QueryEngine, covid_store: tuple[Path, Path], covid_fields: list[FieldInfo]
) -> None:
    stamp = datetime(2024, 1, 2, 3, 4, 5)
    query = parse_soda_params({"$select": ":*", "$limit": "2"}, covid_fields)
    compiled = compile_query(query, covid_fields, system_values={"updated_at": stamp})
    first = engine.execute(compiled, covid_store[1]).to_pylist()[0]
    assert (first[":id"], first[":created_at"], first[":updated_at"]) == (1, None, stamp)
    assert list(first)[:4] == [":id", ":created_at", ":updated_at", "last_update_date"]


def test_stream_yields_everything_in_batches(
    engine: QueryEngine, covid_store: tuple[Path, Path], covid_fields: list[FieldInfo], rows: Rows
) -> None:
    query = parse_soda_params({"$select": ":id, town"}, covid_fields)
    compiled = compile_query(query, covid_fields, default_limit=None, max_limit=None)
    batches = list(engine.stream(compiled, covid_store[1], batch_rows=32))
    assert len(batches) > 1
    ids = pa.Table.from_batches(batches).column(":id").to_pylist()
    assert ids == [r["__id"] for r in rows]
    abandoned = engine.stream(compiled, covid_store[1], batch_rows=8)
    next(abandoned)
    abandoned.close()  # the consumer went away: its cursor is closed, the engine carries on
    assert engine.execute(compiled, covid_store[1]).num_rows == len(rows)


def test_runtime_conversion_error_is_a_query_error(run: Callable[..., Rows]) -> None:
    with pytest.raises(QueryError, match="could not be run: Conversion Error"):
        run({"$select": "town::number"})
    with pytest.raises(QueryError, match="Division by zero"):
        run({"$select": "town_number % 0"})


def test_concurrent_queries(
    engine: QueryEngine, covid_store: tuple[Path, Path], covid_fields: list[FieldInfo]
) -> None:
    query = parse_soda_params({"$select": "town, count(*)", "$group": "town"}, covid_fields)
    compiled = compile_query(query, covid_fields)
    expected = engine.execute(compiled, covid_store[1]).to_pylist()
    results: list[object] = []

    def work() -> None:
        for _ in range(5):
            results.append(engine.execute(compiled, covid_store[1]).to_pylist())

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 20


# ---------------------------------------------------------------- limits and lockdown


@pytest.fixture(scope="module")
def big_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    store = tmp_path_factory.mktemp("big")
    path = store / "big.parquet"
    con = duckdb.connect()
    con.execute(
        f"COPY (SELECT range AS __id, (range % 1000)::DOUBLE AS n, 'town' || (range % 5000) "
        f"AS town FROM range(2000000)) TO '{path}' (FORMAT parquet)"
    )
    return store, path


BIG_FIELDS = [FieldInfo("n", "number", "n"), FieldInfo("town", "text", "town")]


def test_timeout_interrupts_the_query(big_store: tuple[Path, Path]) -> None:
    engine = QueryEngine(big_store[0], EngineLimits(timeout_s=0.001))
    query = parse_soda_params(
        {"$select": "town, count(distinct n), stddev_samp(n)", "$group": "town"}, BIG_FIELDS
    )
    compiled = compile_query(query, BIG_FIELDS, default_limit=None, max_limit=None)
    with pytest.raises(QueryTimeout, match=r"longer than the 0\.001 s limit"):
        engine.execute(compiled, big_store[1])
    with pytest.raises(QueryTimeout):
        engine.stream(compiled, big_store[1])  # raised before the first batch is handed out
    engine.close()


def test_memory_limit_stops_the_query(big_store: tuple[Path, Path]) -> None:
    engine = QueryEngine(big_store[0], EngineLimits(memory_limit="8MB", threads=1))
    query = parse_soda_params({"$order": "town DESC, n"}, BIG_FIELDS)
    compiled = compile_query(query, BIG_FIELDS, default_limit=None, max_limit=None)
    with pytest.raises(QueryTimeout, match="more memory than the 8MB limit"):
        engine.execute(compiled, big_store[1])
    engine.close()


def test_spill_dir_lets_big_sorts_finish(big_store: tuple[Path, Path], tmp_path: Path) -> None:
    limits = EngineLimits(memory_limit="30MB", threads=1, spill_dir=tmp_path)
    engine = QueryEngine(big_store[0], limits)
    query = parse_soda_params({"$select": "town, n", "$order": "town DESC, n"}, BIG_FIELDS)
    compiled = compile_query(query, BIG_FIELDS, default_limit=None, max_limit=None)
    assert engine.execute(compiled, big_store[1]).num_rows == 2_000_000
    engine.close()


def test_paths_outside_the_store_or_missing_are_refused(
    engine: QueryEngine, covid_fields: list[FieldInfo], tmp_path: Path
) -> None:
    compiled = compile_query(parse_soda_params({}, covid_fields), covid_fields)
    outside = tmp_path / "elsewhere.parquet"
    duckdb.connect().execute(f"COPY (SELECT 1 AS __id) TO '{outside}' (FORMAT parquet)")
    with pytest.raises(ValueError, match="outside the store"):
        engine.execute(compiled, outside)
    with pytest.raises(ValueError, match="outside the store"):
        engine.execute(compiled, engine.store_dir / ".." / outside.name)
    with pytest.raises(NotFound):
        engine.execute(compiled, engine.store_dir / "missing.parquet")


@pytest.mark.parametrize("light", [False, True], ids=["threads", "light"])
def test_the_connection_is_locked_down(
    engine: QueryEngine, covid_store: tuple[Path, Path], covid_fields: list[FieldInfo],
    tmp_path: Path, light: bool,
) -> None:  # fmt: skip
    # A first page is light (the one-thread database); a sorted query uses the other one.
    params = {} if light else {"$order": "town"}
    compiled = compile_query(parse_soda_params(params, covid_fields), covid_fields)
    assert compiled.light is light
    engine.execute(compiled, covid_store[1])
    # The engine's own connection, as a query would use it.
    database = (engine._light_databases if light else engine._databases)[False]
    if light:
        assert database.execute("SELECT current_setting('threads')").fetchone() == (1,)
    outside = tmp_path / "secret.parquet"
    duckdb.connect().execute(f"COPY (SELECT 42 AS answer) TO '{outside}' (FORMAT parquet)")
    refused = [
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_text('/etc/passwd')",
        f"SELECT * FROM read_parquet('{outside}')",
        f"SELECT * FROM read_parquet('{covid_store[0]}/../{outside.name}')",
        "SELECT * FROM glob('/etc/*')",
        f"ATTACH '{tmp_path / 'x.db'}'",
        f"COPY (SELECT 1) TO '{tmp_path / 'out.csv'}'",
        "SET enable_external_access = true",
        "SET allowed_directories = ['/']",
        "SET lock_configuration = false",
        "INSTALL httpfs",
        "LOAD httpfs",
    ]
    for sql in refused:
        with pytest.raises(duckdb.Error):
            database.execute(sql)
    inside = database.execute(f"SELECT count(*) FROM read_parquet('{covid_store[1]}')").fetchone()
    assert inside is not None and inside[0] > 0


def test_duckdb_internal_error_is_retried_without_late_materialization(
    run: Callable[..., Rows], engine: QueryEngine, rows: Rows
) -> None:
    # DuckDB 2.0.1 fails this shape (expression IS NULL, LIMIT and OFFSET) with an internal
    # error in its late-materialization optimizer; the engine runs it again on the cautious
    # database. When DuckDB is fixed the retry simply stops happening.
    result = run({"$select": "total_cases", "$where": "-confirmed_deaths IS NULL",
                  "$limit": "3", "$offset": "1"})  # fmt: skip
    expected = [r["total_cases"] for r in rows if r["confirmed_deaths"] is None][1:4]
    assert [r["total_cases"] for r in result] == expected
