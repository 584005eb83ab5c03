"""Acceptance with a real client: sodapy 2.2 against a running server over the demo catalog,
answers compared with DuckDB over the source CSV files."""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pytest
from sodapy import Socrata

import requests
from steward.demo.loader import DATA_DIR

COVID_CSV = str(DATA_DIR / "datasets" / "covid19_tests_cases_deaths_by_town_28fr-iqnx.csv")


@pytest.fixture
def soda(demo_server: str) -> Iterator[Socrata]:
    adapter = {"prefix": "http://", "adapter": requests.adapters.HTTPAdapter()}
    client = Socrata(demo_server, None, session_adapter=adapter, timeout=60)
    yield client
    client.close()


def source(sql: str) -> list[tuple[object, ...]]:
    with duckdb.connect() as con:
        path = COVID_CSV.replace("'", "''")
        con.execute(f"CREATE TABLE covid AS SELECT * FROM read_csv('{path}', header=true)")
        return con.execute(sql).fetchall()


def test_group_order_select_match_duckdb(soda: Socrata) -> None:
    rows = soda.get(
        "28fr-iqnx",
        select="town, sum(total_deaths) AS deaths",
        group="town",
        order="town",
        limit=500,
    )
    expected = source('SELECT "Town", sum("Total deaths") FROM covid GROUP BY 1 ORDER BY 1')
    assert [(row["town"], float(row.get("deaths", "nan"))) for row in rows] == [
        (town, float(total)) for town, total in expected
    ]


def test_where_and_q_match_duckdb(soda: Socrata) -> None:
    rows = soda.get("28fr-iqnx", where="total_cases > 5000 AND town != 'Hartford'", limit=50000)
    expected = source(
        'SELECT count(*) FROM covid WHERE "Total cases" > 5000 AND "Town" != \'Hartford\''
    )
    assert len(rows) == expected[0][0]
    hits = soda.get("28fr-iqnx", q="WINDSOR locks", limit=50000)
    expected_q = source(
        "SELECT count(*) FROM covid WHERE lower(\"Town\") LIKE '%windsor%' "
        "AND lower(\"Town\") LIKE '%locks%'"
    )
    assert len(hits) == expected_q[0][0] > 0


def test_get_all_yields_every_row_exactly_once(soda: Socrata) -> None:
    keys = [(row["town"], row["last_update_date"]) for row in soda.get_all("28fr-iqnx")]
    assert len(keys) == 39_884
    assert len(set(keys)) == 39_884


def test_metadata_and_datasets(soda: Socrata) -> None:
    metadata = soda.get_metadata("28fr-iqnx")
    assert metadata["id"] == "28fr-iqnx"
    assert "town" in [column["fieldName"] for column in metadata["columns"]]
    listed = soda.datasets()
    assert len(listed) == 5


def test_bad_query_raises_http_error_with_steward_message(soda: Socrata) -> None:
    with pytest.raises(requests.HTTPError, match=r"no_such_column|No such column"):
        soda.get("28fr-iqnx", where="no_such_column > 1")
