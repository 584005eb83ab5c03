"""Fixtures for the SoQL tests: schema and data shaped like data.ct.gov's COVID-19 cases by town."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from steward.query.translate import FieldInfo

_NUMBERS = [
    "total_cases",
    "confirmed_cases",
    "probable_cases",
    "case_rate",
    "total_deaths",
    "confirmed_deaths",
    "probable_deaths",
    "people_tested",
    "rate_tested_per_100k",
    "number_of_tests",
]

COVID_FIELDS = [
    FieldInfo("last_update_date", "floating_timestamp", "last_update_date"),
    FieldInfo("town_number", "number", "Town number"),  # a physical name that needs quoting
    FieldInfo("town", "text", "town"),
    *(FieldInfo(name, "number", name) for name in _NUMBERS),
    FieldInfo("provisional", "checkbox", "provisional"),
    FieldInfo("location", "point", "location"),
]

TOWNS = [
    ("Hartford", -72.6851, 41.7637),
    ("West Hartford", -72.7420, 41.7621),
    ("New Haven", -72.9279, 41.3083),
    ("Bridgeport", -73.1952, 41.1865),
    ("Stamford", -73.5387, 41.0534),
    ("Waterbury", -73.0515, 41.5582),
    ("Norwalk", -73.4079, 41.1177),
    ("Danbury", -73.4540, 41.3948),
]
FIRST_DAY = datetime(2020, 3, 24)
DAYS = 25


def covid_rows() -> list[dict[str, object]]:
    """DAYS days x len(TOWNS) towns, deterministic; __id follows the row order."""
    rows: list[dict[str, object]] = []
    for day in range(DAYS):
        for number, (town, lon, lat) in enumerate(TOWNS, start=1):
            total = (day + 1) * number * 3 + (day * 7 + number * 5) % 11
            rows.append(
                {
                    "__id": len(rows) + 1,
                    "last_update_date": FIRST_DAY + timedelta(days=day),
                    "Town number": number,
                    "town": town,
                    "total_cases": total,
                    "confirmed_cases": total - total // 4,
                    "probable_cases": total // 4,
                    "case_rate": round(total / number / 10, 3),
                    "total_deaths": total // 20,
                    "confirmed_deaths": None if day % 5 == 0 else total // 25,
                    "probable_deaths": total // 100,
                    "people_tested": total * 9,
                    "rate_tested_per_100k": float(total * 9) / 3.0,
                    "number_of_tests": total * 10,
                    "provisional": day >= DAYS - 3,
                    "location": {"longitude": lon, "latitude": lat},
                }
            )
    return rows


def write_covid_parquet(path: Path, row_group_size: int = 16) -> list[dict[str, object]]:
    """Write covid_rows() to `path` in __id order, in small row groups so scans run in parallel."""
    rows = covid_rows()
    columns = list(rows[0])
    types = _column_types()
    con = duckdb.connect()
    try:
        ddl = ", ".join(f'"{c}" {types[c]}' for c in columns)
        con.execute(f"CREATE TABLE t ({ddl})")
        placeholders = ", ".join("?" for _ in columns)
        con.executemany(
            f"INSERT INTO t VALUES ({placeholders})", [[r[c] for c in columns] for r in rows]
        )
        con.execute(
            f"COPY (SELECT * FROM t ORDER BY __id) TO '{path}' "
            f"(FORMAT parquet, ROW_GROUP_SIZE {row_group_size})"
        )
    finally:
        con.close()
    return rows


def _column_types() -> dict[str, str]:
    types = {"__id": "BIGINT", "last_update_date": "TIMESTAMP", "Town number": "BIGINT"}
    types |= {"town": "VARCHAR", "provisional": "BOOLEAN"}
    types |= {"location": "STRUCT(longitude DOUBLE, latitude DOUBLE)"}  # as the store writes
    for name in _NUMBERS:
        types.setdefault(name, "DOUBLE")
    return types


@pytest.fixture(scope="session")
def covid_fields() -> list[FieldInfo]:
    return list(COVID_FIELDS)


@pytest.fixture(scope="session")
def covid_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(store directory, Parquet file inside it) holding covid_rows()."""
    store = tmp_path_factory.mktemp("store")
    path = store / "covid.parquet"
    write_covid_parquet(path)
    return store, path


@pytest.fixture(scope="session")
def haversine() -> object:
    return haversine_m


def haversine_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Reference great-circle distance, for checking the SQL version."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371008.8 * math.asin(math.sqrt(a))
