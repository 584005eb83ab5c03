"""Columns of the bundled demo datasets, read with the csv module (every value as text)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

DATASETS = Path(__file__).resolve().parents[2] / "src" / "steward" / "demo" / "data" / "datasets"
FILES = {
    "population": "dph_population_by_town_1996-2020_ctdata.csv",
    "covid_towns": "covid19_tests_cases_deaths_by_town_28fr-iqnx.csv",
    "opm_grants": "opm_municipal_grants_2010-2015_5w85-2euh.csv",
    "drug_deaths": "accidental_drug_related_deaths_2012-2017_rybz-nyjw.csv",
}


@cache
def _rows(dataset: str) -> tuple[dict[str, str], ...]:
    """Rows of a demo dataset by its short name (a key of FILES)."""
    with (DATASETS / FILES[dataset]).open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def read_column(dataset: str, column: str) -> list[str | None]:
    """One column of a demo dataset; blanks become None, as the query service returns them."""
    return [row[column] or None for row in _rows(dataset)]


@pytest.fixture(scope="session")
def column() -> Callable[[str, str], list[str | None]]:
    return read_column


@pytest.fixture(scope="session")
def rows() -> Callable[[str], tuple[dict[str, str], ...]]:
    return _rows
