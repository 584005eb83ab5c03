"""Header text -> API field names."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from steward.errors import Invalid
from steward.store.names import MAX_NAME_LENGTH, derive_name, derive_names

IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")


@pytest.mark.parametrize(
    ("label", "position", "name"),
    [
        ("Total cases ", 4, "total_cases"),
        ("Race/ethnicity", 2, "race_ethnicity"),
        ("Morphine (not heroin)", 1, "morphine_not_heroin"),
        ("2020", 7, "_2020"),
        ("2020 Population", 1, "_2020_population"),
        ("", 3, "column_3"),
        ("   ", 5, "column_5"),
        ("---", 2, "column_2"),
        ("Año fiscal", 1, "ano_fiscal"),
        ("DeathLoc", 1, "deathloc"),
        ("__id", 1, "id"),
        ("Rate tested per 100k", 1, "rate_tested_per_100k"),
        ("日本", 9, "column_9"),
    ],
)
def test_derive_name(label: str, position: int, name: str) -> None:
    assert derive_name(label, position) == name


def test_long_headers_are_cut_to_the_identifier_limit() -> None:
    name = derive_name("word " * 40, 1)
    assert len(name) <= MAX_NAME_LENGTH
    assert not name.endswith("_")


def test_exact_duplicate_headers_name_both_columns() -> None:
    with pytest.raises(Invalid, match=r'duplicate column header "Town" \(columns 2 and 5\)'):
        derive_names(["Year", "Town", "A", "B", "Town"])


def test_headers_that_collide_after_normalization_name_both() -> None:
    with pytest.raises(Invalid) as caught:
        derive_names(["Town", "Count", "town "])
    assert caught.value.message == (
        'column headers "Town" (column 1) and "town" (column 3) both become the field name "town"'
    )
    assert caught.value.data == {"columns": [1, 3], "name": "town"}


@given(st.lists(st.text(max_size=80), max_size=12))
def test_names_are_unique_snake_case_identifiers_or_a_clear_error(labels: list[str]) -> None:
    try:
        names = derive_names(labels)
    except Invalid as error:
        assert "column" in error.message
        return
    assert len(names) == len(labels)
    assert len(set(names)) == len(names)
    for name in names:
        assert IDENTIFIER.fullmatch(name), name
        assert len(name) <= MAX_NAME_LENGTH
        assert not name.startswith("__")
