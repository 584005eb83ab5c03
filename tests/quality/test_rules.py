"""Rules: declaration checks, every kind's failing rows, and the acceptance test that a blocking
failure keeps the old version current until fixed data arrives."""

from __future__ import annotations

import pytest

from steward.catalog import service as catalog
from steward.db import Database
from steward.errors import Invalid, NotFound, QueryError
from steward.quality import declarations, service
from steward.quality.schemas import RuleCreate

from .conftest import Ingest

GOOD = (
    "Date,Town,Town Number,Cases,Code\n"
    "01/01/2021,Andover,1,5,AB-0001\n"
    "01/01/2021,Ansonia,2,7,AB-0002\n"
    "01/02/2021,Andover,1,6,AB-0003\n"
)
BAD = (
    "Date,Town,Town Number,Cases,Code\n"
    "01/01/2021,Andover,1,5,AB-0001\n"
    "01/01/2021,Springfield,2,-7,X\n"
    "01/02/2021,,1,6,AB-0001\n"
)


def add(store: Database, **rule: object) -> int:
    with store.session() as session:
        return (
            declarations.add_rule(session, "qual-0001", RuleCreate.model_validate(rule), "test").id
            or 0
        )


def current(store: Database) -> int | None:
    with store.session() as session:
        return catalog.get_dataset(session, "qual-0001").current_version


def results(store: Database, version: int) -> dict[str, tuple[bool, int, list]]:
    with store.session() as session:
        quality = service.get_quality(session, "qual-0001", version, public=False)
    return {
        f"{r.rule.kind}:{','.join(r.rule.fields)}": (r.passed, r.failing_count, r.samples or [])
        for r in quality.results
    }


def test_a_blocking_failure_keeps_the_old_version_until_the_data_is_fixed(
    store: Database, ingest: Ingest
) -> None:
    assert ingest(GOOD).is_current
    add(store, kind="reference", fields=["town"], table="ct_town_name", severity="block")
    add(store, kind="range", fields=["cases"], min=0, severity="warn")
    blocked = ingest(BAD)
    assert not blocked.is_current and current(store) == 1
    assert "Not made current: a blocking check failed." in blocked.notes
    assert "Rule 1 (reference on town, block) failed: 1 of 3 rows fail" in blocked.notes
    found = results(store, 2)
    assert found["reference:town"][:2] == (False, 1)
    assert found["reference:town"][2][0]["town"] == "Springfield"
    assert found["range:cases"][:2] == (False, 1)
    with store.session() as session:  # the blocked version stays there to inspect
        assert service.get_quality(session, "qual-0001", 2, public=False).blocked
    fixed = ingest(GOOD.replace("7,AB", "8,AB"))
    assert fixed.is_current and current(store) == 3
    assert all(passed for passed, _, _ in results(store, 3).values())


def test_a_warning_does_not_block(store: Database, ingest: Ingest) -> None:
    ingest(GOOD)
    add(store, kind="not_null", fields=["town"], severity="warn")
    version = ingest(BAD)
    assert version.is_current
    assert results(store, 2)["not_null:town"][:2] == (False, 1)


# Each rule, its failing row count on BAD and the `:id` of its first failing row.
KINDS = [
    ({"kind": "not_null", "fields": ["town"]}, 1, 3),
    ({"kind": "unique", "fields": ["code"]}, 2, 1),
    ({"kind": "unique", "fields": ["date", "town_number"]}, 0, None),
    ({"kind": "allowed_values", "fields": ["town"], "values": ["Andover"]}, 1, 2),
    ({"kind": "allowed_values", "fields": ["cases"], "values": ["5", "6"]}, 1, 2),
    ({"kind": "range", "fields": ["cases"], "min": "0", "max": "5.5"}, 2, 2),
    ({"kind": "range", "fields": ["date"], "max": "2021-01-01"}, 1, 3),
    ({"kind": "regex", "fields": ["code"], "pattern": "[A-Z]{2}-[0-9]{4}"}, 1, 2),
    ({"kind": "reference", "fields": ["town"], "table": "ct_town_name"}, 1, 2),
    ({"kind": "reference", "fields": ["town_number"], "table": "ct_town_number"}, 0, None),
    ({"kind": "reference", "fields": ["town"], "table": "ct_town_name", "ignore_case": True}, 1, 2),
    ({"kind": "soql", "where": "cases > 0 AND town IS NOT NULL"}, 2, 2),
    ({"kind": "standard", "fields": ["town"], "element": "ct_town"}, 1, 2),
]


def test_each_rule_kind_finds_its_failing_rows(store: Database, ingest: Ingest) -> None:
    ingest(GOOD)
    for rule, _, _ in KINDS:
        add(store, **rule)
    ingest(BAD)
    with store.session() as session:
        found = service.get_quality(session, "qual-0001", 2, public=False).results
    assert len(found) == len(KINDS)
    for result, (rule, failing, first_id) in zip(found, KINDS, strict=True):
        first = result.samples[0][":id"] if result.samples else None
        assert (result.passed, result.failing_count, first) == (failing == 0, failing, first_id), (
            rule
        )
    assert found[0].samples == [
        {
            ":id": 3,
            "date": "2021-01-02T00:00:00",
            "town": None,
            "town_number": 1,
            "cases": 6,
            "code": "AB-0001",
        }
    ]


def test_row_count_change_within_bounds(store: Database, ingest: Ingest) -> None:
    ingest(GOOD)
    add(store, kind="row_count_change", min=-10, max=10, severity="block")
    shrunk = ingest(GOOD.rsplit("\n", 2)[0] + "\n")  # 3 rows -> 2: -33%
    assert not shrunk.is_current
    assert "rows changed by -33.3% (from 3 to 2); allowed: at least -10% and at most 10%" in (
        shrunk.notes
    )
    assert ingest(GOOD).is_current


def test_a_rule_on_a_field_the_version_lacks_fails(store: Database, ingest: Ingest) -> None:
    ingest(GOOD)
    add(store, kind="not_null", fields=["code"], severity="block")
    version = ingest("Date,Town,Town Number,Cases\n01/01/2021,Andover,1,5\n")
    assert not version.is_current
    assert results(store, 2)["not_null:code"][:2] == (False, 1)


BAD_DECLARATIONS = [
    ({"kind": "not_null", "fields": ["nope"]}, "no field 'nope'"),
    ({"kind": "not_null", "fields": []}, "exactly one field"),
    ({"kind": "range", "fields": ["town"], "min": 1}, "number or date fields"),
    ({"kind": "range", "fields": ["cases"]}, "a minimum, a maximum or both"),
    ({"kind": "range", "fields": ["cases"], "min": 5, "max": 1}, "above its maximum"),
    ({"kind": "allowed_values", "fields": ["cases"], "values": ["x"]}, "not a number"),
    ({"kind": "regex", "fields": ["code"], "pattern": "(unclosed"}, "regular expression"),
    ({"kind": "reference", "fields": ["town"], "table": "nowhere"}, "unknown reference"),
    ({"kind": "reference", "fields": ["cases"], "table": "ct_town_name"}, "does not apply"),
    ({"kind": "row_count_change", "fields": ["town"], "min": 1}, "whole dataset"),
    ({"kind": "soql"}, "needs a predicate"),
    ({"kind": "standard", "fields": ["town"], "element": "nope"}, "no standard element"),
]


def test_bad_declarations_are_refused(store: Database, ingest: Ingest) -> None:
    ingest(GOOD)
    for rule, message in BAD_DECLARATIONS:
        with pytest.raises(Invalid, match=message):
            add(store, **rule)


def test_a_soql_rule_must_compile(store: Database, ingest: Ingest) -> None:
    ingest(GOOD)
    with pytest.raises(QueryError):
        add(store, kind="soql", where="cases >>> 1")
    with pytest.raises(QueryError):
        add(store, kind="soql", where="nope = 1")


def test_rules_are_listed_and_removed(store: Database, ingest: Ingest) -> None:
    ingest(GOOD)
    rule_id = add(store, kind="not_null", fields=["town"], description="towns are required")
    with store.session() as session:
        (listed,) = declarations.list_rules(session, "qual-0001")
        assert listed.description == "towns are required" and listed.created_by == "test"
        declarations.remove_rule(session, "qual-0001", rule_id)
        assert declarations.list_rules(session, "qual-0001") == []
        with pytest.raises(NotFound):
            declarations.remove_rule(session, "qual-0001", rule_id)
