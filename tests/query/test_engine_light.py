"""Light queries (small pages in file order) run on a one-thread database, with equal results."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from steward.query.engine import EngineLimits, QueryEngine
from steward.query.translate import LIGHT_ROWS, FieldInfo, compile_query, parse_soda_params

LIGHT = [
    {},
    {"town": "Hartford", "$limit": "10"},
    {"$where": "total_cases > 20", "$limit": "5", "$offset": "3"},
    {"$q": "haven", "$limit": "7"},
    {"$select": "town, total_cases * 2 AS twice, upper(town)", "$limit": "50"},
    {"$limit": str(LIGHT_ROWS)},
    {"$limit": "1000", "$offset": str(LIGHT_ROWS - 1000)},
    {"$order": ":id", "$limit": "10"},  # file order: nothing to sort
]
HEAVY = [
    {"$order": "town"},
    {"$order": ":id DESC", "$limit": "10"},
    {"$select": "town, sum(total_cases)", "$group": "town"},
    {"$select": "count(*)"},
    {"$select": "town", "$having": "town = 'Hartford'", "$group": "town"},
    {"$limit": "1000", "$offset": str(LIGHT_ROWS)},
]


@pytest.mark.parametrize("params", LIGHT, ids=repr)
def test_small_pages_in_file_order_are_light(
    params: dict[str, str], covid_fields: list[FieldInfo]
) -> None:
    compiled = compile_query(parse_soda_params(params, covid_fields), covid_fields)
    assert compiled.light
    assert "ORDER BY" not in compiled.sql


@pytest.mark.parametrize("params", HEAVY, ids=repr)
def test_sorted_grouped_or_deep_queries_are_not_light(
    params: dict[str, str], covid_fields: list[FieldInfo]
) -> None:
    compiled = compile_query(parse_soda_params(params, covid_fields), covid_fields, max_limit=None)
    assert not compiled.light


def test_unbounded_or_unordered_files_are_not_light(covid_fields: list[FieldInfo]) -> None:
    query = parse_soda_params({}, covid_fields)
    assert not compile_query(query, covid_fields, default_limit=None, max_limit=None).light
    # Without the file's `__id` order the implicit order must be sorted for.
    assert not compile_query(query, covid_fields, rows_in_id_order=False).light
    assert not compile_query(query, covid_fields, dialect="sqlite").light


@pytest.fixture(scope="module")
def engine(covid_store: tuple[Path, Path]) -> Iterator[QueryEngine]:
    engine = QueryEngine(covid_store[0], EngineLimits(threads=2, timeout_s=10))
    yield engine
    engine.close()


@pytest.mark.parametrize("params", LIGHT + HEAVY, ids=repr)
def test_results_are_the_same_on_either_database(
    params: dict[str, str],
    engine: QueryEngine,
    covid_store: tuple[Path, Path],
    covid_fields: list[FieldInfo],
) -> None:
    compiled = compile_query(parse_soda_params(params, covid_fields), covid_fields, max_limit=None)
    results = []
    for light in (False, True):
        forced = dataclasses.replace(compiled, light=light)
        results.append(engine.execute(forced, covid_store[1]))
        streamed = list(engine.stream(forced, covid_store[1], batch_rows=16))
        assert [r for b in streamed for r in b.to_pylist()] == results[-1].to_pylist()
    assert results[0].equals(results[1])
    assert len(engine._light_databases) == 1  # only the first (not cautious) one was needed


def test_light_queries_use_the_one_thread_database(
    engine: QueryEngine, covid_store: tuple[Path, Path], covid_fields: list[FieldInfo]
) -> None:
    compiled = compile_query(parse_soda_params({"$limit": "3"}, covid_fields), covid_fields)
    engine.execute(compiled, covid_store[1])
    keys = [key for key in engine._idle if key[0] == covid_store[1].resolve()]
    assert (covid_store[1].resolve(), "dataset", False, True) in keys
    database = engine._light_databases[False]
    assert database.execute("SELECT current_setting('threads')").fetchone() == (1,)


def test_one_thread_engines_need_no_second_database(
    covid_store: tuple[Path, Path], covid_fields: list[FieldInfo]
) -> None:
    engine = QueryEngine(covid_store[0], EngineLimits(threads=1))
    try:
        compiled = compile_query(parse_soda_params({"$limit": "3"}, covid_fields), covid_fields)
        assert compiled.light
        assert len(engine.execute(compiled, covid_store[1])) == 3
        assert not engine._light_databases and list(engine._databases) == [False]
    finally:
        engine.close()
