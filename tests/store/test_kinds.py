"""The value-level type rules, run in DuckDB exactly as an ingest runs them."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from steward.store.kinds import KINDS, KINDS_BY_KEY, accepted_by, choose_kind, classify

EXPECTED = {
    "12": ("integer", 12),
    "-5": ("integer", -5),
    "0": ("integer", 0),
    "1.5": ("decimal", 1.5),
    ".5": ("decimal", 0.5),
    "-0.25": ("decimal", -0.25),
    "1e3": ("decimal", 1000.0),
    "1,234": ("formatted_integer", 1234),
    "$5": ("formatted_integer", 5),
    "$14,132.07": ("formatted_decimal", 14132.07),
    "-$5.00": ("formatted_decimal", -5.0),
    "$-5.00": ("formatted_decimal", -5.0),
    "($5.00)": ("formatted_decimal", -5.0),
    "true": ("checkbox", True),
    "FALSE": ("checkbox", False),
    "05/12/2020": ("mdy", dt.datetime(2020, 5, 12)),
    "5/1/2020": ("mdy", dt.datetime(2020, 5, 1)),
    "05/12/2020 13:04:05": ("mdy_time", dt.datetime(2020, 5, 12, 13, 4, 5)),
    "05/12/2020 12:00:00 AM": ("mdy_time_ampm", dt.datetime(2020, 5, 12)),
    "05/12/2020 01:30:00 PM": ("mdy_time_ampm", dt.datetime(2020, 5, 12, 13, 30)),
    "2020-05-12": ("iso_date", dt.datetime(2020, 5, 12)),
    "2020-05-12T01:02:03": ("iso_datetime", dt.datetime(2020, 5, 12, 1, 2, 3)),
    "2020-05-12T01:02:03.123": ("iso_datetime", dt.datetime(2020, 5, 12, 1, 2, 3, 123000)),
    "2020-05-12 01:02:03": ("iso_datetime_space", dt.datetime(2020, 5, 12, 1, 2, 3)),
    "POINT (-72.07877 41.343693)": ("point", {"longitude": -72.07877, "latitude": 41.343693}),
}
# DuckDB's own casts take most of these; every one would silently change or misread the text.
NOT_TYPED = [
    "007", "0901301080", "06103", "00.5", " 12", "12 ", "+5", "1_000", "0x1F", "5.", "inf",
    "NaN", "1e400", "1,23", "(5)", "$05.00", "99999999999999999999", "yes", "05/12/20",
    " 05/12/2020", "02/30/2020", "13/01/2020", "2020-5-12", "2020-05-12T01:02:03+05:00",
    "05/12/2020 13:00:00 PM", "POINT (200 41)", "Andover", "",
]  # fmt: skip


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    return duckdb.connect()


def first_kind(con: duckdb.DuckDBPyConnection, value: str) -> str | None:
    for kind in KINDS:
        (accepted,) = con.execute(
            f"SELECT {kind.accepts('v')} FROM (SELECT $v AS v)", {"v": value}
        ).fetchall()[0]
        if accepted:
            return kind.key
    return None


@pytest.mark.parametrize(("value", "expected"), EXPECTED.items())
def test_values_are_read_as_their_kind(
    con: duckdb.DuckDBPyConnection, value: str, expected: tuple[str, object]
) -> None:
    key, typed = expected
    assert first_kind(con, value) == key
    parse = KINDS_BY_KEY[key].parse("v")
    assert con.execute(f"SELECT {parse} FROM (SELECT $v AS v)", {"v": value}).fetchall() == [
        (typed,)
    ]


@pytest.mark.parametrize("value", NOT_TYPED)
def test_doubtful_values_stay_text(con: duckdb.DuckDBPyConnection, value: str) -> None:
    assert first_kind(con, value) is None


def column_kind_by_classes(con: duckdb.DuckDBPyConnection, values: list[str | None]) -> str:
    rows = con.execute(
        f"SELECT bit_or({classify('v', KINDS)}) FROM (SELECT unnest($values) AS v)",
        {"values": values},
    ).fetchall()
    bits = rows[0][0] or 0
    return choose_kind(bool(bits), accepted_by(bits)).key


def column_kind_by_rules(con: duckdb.DuckDBPyConnection, values: list[str | None]) -> str:
    """The first kind whose rule accepts every non-blank value, checked value by value."""
    present = [value for value in values if value is not None and value.strip()]
    if not present:
        return "text"
    tests = ", ".join(kind.accepts("v") for kind in KINDS)
    verdicts = con.execute(
        f"SELECT {tests} FROM (SELECT unnest($values) AS v)", {"values": present}
    ).fetchall()
    for index, kind in enumerate(KINDS):
        if all(row[index] for row in verdicts):
            return kind.key
    return "text"


POOL = [*EXPECTED, *NOT_TYPED[:8], "  ", "2", "-3", "4.25", "$1,000", "07/04/2021"]


SHARED = duckdb.connect()


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(POOL) | st.none(), max_size=6))
def test_the_class_cascade_agrees_with_the_rules_value_by_value(values: list[str | None]) -> None:
    assert column_kind_by_classes(SHARED, values) == column_kind_by_rules(SHARED, values)


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        (["1", "2", "3"], "integer"),
        (["1", "2.5"], "decimal"),
        (["1", "1,234"], "formatted_integer"),
        (["$5.00", "1,234", "7"], "formatted_decimal"),
        (["$14,132.07", "$331.20", "n/a"], "text"),
        (["05/12/2020", "2020-05-12"], "text"),
        (["05/12/2020", None, "  "], "mdy"),
        ([None, " "], "text"),
    ],
)
def test_a_column_takes_the_most_specific_kind_fitting_every_value(
    con: duckdb.DuckDBPyConnection, values: list[str | None], kind: str
) -> None:
    assert column_kind_by_classes(con, values) == kind


# Reference rules, written the slow obvious way, for the shortcuts the real rules take.
REFERENCE = {
    "integer": r"CASE WHEN regexp_full_match(v, '0|-?[1-9][0-9]*') THEN TRY_CAST(v AS BIGINT) END",
    "mdy": r"CASE WHEN regexp_full_match(v, '[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}') "
    "THEN try_strptime(v, '%m/%d/%Y') END",
    "iso_date": r"CASE WHEN regexp_full_match(v, '[0-9]{4}-[0-9]{2}-[0-9]{2}') "
    "THEN CAST(TRY_CAST(v AS DATE) AS TIMESTAMP) END",
}
ODD_TEXT = st.text(alphabet="0123456789/-+ \t_x.", max_size=12) | st.sampled_from(
    ["05/12/2020", " 5/12/2020", "05/12/ 202", "5/1/2020", "2020-05-12", "0020-01-01", "-0", "007"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(ODD_TEXT, min_size=1, max_size=20))
def test_shortcuts_agree_with_the_reference_rules(values: list[str]) -> None:
    columns = ", ".join(
        f"{KINDS_BY_KEY[key].parse('v')} IS NOT DISTINCT FROM {reference}"
        for key, reference in REFERENCE.items()
    )
    rows = SHARED.execute(
        f"SELECT v, {columns} FROM (SELECT unnest($values) AS v)", {"values": values}
    ).fetchall()
    assert [row for row in rows if not all(row[1:])] == []
