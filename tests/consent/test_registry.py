"""The registry: generated people, some opted out; the filter keeps exactly the others; no
table holds a raw identifier."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlalchemy import String, Text, inspect, select, text

from steward.accounts.policy import SYSTEM
from steward.audit.models import AuditEntry
from steward.consent import service
from steward.consent.schemas import (
    ConsentCreate,
    ConsentLookup,
    ConsentRevoke,
    Identifiers,
    ProgramCreate,
)
from steward.db.base import Base
from steward.errors import NotAuthorized, NotFound

from .conftest import World

FIRST = ["Maria", "José", "Wei", "Aisha", "Liam", "Olivia", "Noah", "Sofía", "Kwame", "Chloé"]
LAST = ["Garcia", "O'Brien", "Nguyen", "Smith-Jones", "Kowalski", "Okafor", "Lee", "Müller"]
TODAY = date(2026, 6, 1)


def people(count: int, seed: int = 7) -> list[dict[str, str]]:
    rng = random.Random(seed)
    made = []
    for number in range(count):
        born = date(1940, 1, 1) + timedelta(days=rng.randrange(0, 25_000))
        made.append(
            {
                "first_name": rng.choice(FIRST),
                "last_name": rng.choice(LAST) + f"{chr(65 + number % 26)}x{number}",
                "dob": born.isoformat(),
                "ssn": f"{rng.randrange(100, 899):03}{rng.randrange(10, 99):02}{number:04}",
                "case": f"C{number}",
            }
        )
    return made


def program(world: World, key: str = "snap-eval", model: str = "opt_out") -> None:
    data = ProgramCreate(key=key, name="SNAP evaluation", agency="dss", model=model)  # type: ignore[arg-type]
    with world.database.session() as session:
        service.create_program(session, SYSTEM, data)


def record(world: World, person: dict[str, str], decision: str, **extra: object) -> None:
    who = Identifiers(**{k: v for k, v in person.items() if k != "case"})
    values = {"program": "snap-eval", "person": who, "purpose": "Evaluation", **extra}
    data = ConsentCreate.model_validate({"decision": decision, **values})
    with world.database.session() as session:
        service.record_consent(session, world.actors["ado@dss.ct.gov"], data)


def released(world: World, rows: list[dict[str, str]], purpose: str = "evaluation") -> set[str]:
    columns = ["last_name", "first_name", "dob"]
    with world.database.session() as session:
        kept, excluded = service.filter_opted_out(
            session,
            rows,
            identifier_columns=columns,
            program="snap-eval",
            purpose=purpose,
            on=TODAY,
        )
    assert len(kept) + excluded == len(rows)
    return {row["case"] for row in kept}


def test_the_filter_keeps_exactly_those_who_did_not_opt_out(world: World) -> None:
    program(world)
    crowd = people(60)
    out = crowd[::4]
    for person in out:
        record(world, person, "opt_out", effective_on=date(2025, 1, 1))
    record(world, crowd[1], "opt_in", effective_on=date(2025, 1, 1))
    # the extract writes names its own way: case, spaces, US dates
    rows = [
        {
            **p,
            "last_name": "  " + p["last_name"].upper(),
            "dob": f"{p['dob'][5:7]}/{p['dob'][8:]}/{p['dob'][:4]}",
        }
        for p in crowd
    ]
    assert released(world, rows) == {p["case"] for p in crowd} - {p["case"] for p in out}
    assert released(world, rows, purpose="research") == {p["case"] for p in crowd}


def test_revoking_and_expiry_and_ssn_keys(world: World) -> None:
    program(world)
    crowd = people(3)
    by_name = {k: crowd[0][k] for k in ("first_name", "last_name", "dob")}
    record(world, by_name, "opt_in", effective_on=date(2025, 1, 1))
    data = ConsentRevoke(
        program="snap-eval",
        person=Identifiers(ssn=crowd[0]["ssn"]),
        purpose="evaluation",
        effective_on=date(2026, 1, 1),
    )
    with world.database.session() as session, pytest.raises(NotFound):
        service.revoke_consent(session, SYSTEM, data)  # known only by name and DOB so far
    record(world, {"ssn": crowd[0]["ssn"]}, "opt_in", effective_on=date(2025, 2, 1))
    with world.database.session() as session:
        service.revoke_consent(session, SYSTEM, data)
    # an opt-out that expired before the day no longer excludes
    record(world, crowd[1], "opt_out", effective_on=date(2025, 1, 1), expires_on=date(2025, 12, 31))
    rows = [{"ssn": p["ssn"], "case": p["case"]} for p in crowd]
    with world.database.session() as session:
        kept, excluded = service.filter_opted_out(
            session,
            rows,
            identifier_columns=["ssn"],
            program="snap-eval",
            purpose="evaluation",
            on=TODAY,
        )
    assert {r["case"] for r in kept} == {"C1", "C2"} and excluded == 1


def test_an_opt_in_program_releases_only_people_with_consent(world: World) -> None:
    program(world, model="opt_in")
    crowd = people(10)
    for person in crowd[:3]:
        record(world, person, "opt_in", effective_on=date(2026, 1, 1), signature_present=True)
    record(world, crowd[3], "opt_in", effective_on=date(2026, 1, 1), purpose="any")
    rows = [*crowd, {"case": "nobody", "first_name": "", "last_name": "", "dob": ""}]
    assert released(world, rows) == {"C0", "C1", "C2", "C3"}


def test_no_table_holds_a_raw_identifier(world: World) -> None:
    program(world)
    crowd = people(20, seed=11)
    for person in crowd:
        record(world, person, "opt_out", effective_on=date(2025, 1, 1))
    with world.database.session() as session:
        service.lookup(
            session,
            SYSTEM,
            ConsentLookup(
                program="snap-eval",
                person=Identifiers(**{k: v for k, v in crowd[0].items() if k != "case"}),
            ),
        )
    needles = {p[k].casefold() for p in crowd for k in ("last_name", "dob", "ssn")}
    needles |= {p["dob"].replace("-", "") for p in crowd}
    with world.database.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            if not inspect(connection).has_table(table.name):
                continue
            texts = [c.name for c in table.columns if isinstance(c.type, String | Text)]
            for row in connection.execute(select(*[table.c[n] for n in texts])) if texts else []:
                for value in row:
                    found = [n for n in needles if value and n in str(value).casefold()]
                    assert not found, (table.name, found)
        count = connection.execute(text("SELECT count(*) FROM consent_record")).scalar()
    assert count == 20
    with world.database.session() as session:
        actions = set(session.scalars(select(AuditEntry.action)))
    assert {"consent.program", "consent.record", "consent.lookup"} <= actions


def test_only_the_programs_agency_manages_its_consent(world: World) -> None:
    program(world)
    person = people(1)[0]
    data = ConsentCreate.model_validate(
        {
            "program": "snap-eval",
            "person": {"ssn": person["ssn"]},
            "purpose": "x",
            "decision": "opt_out",
        }
    )
    with world.database.session() as session, pytest.raises(NotAuthorized):
        service.record_consent(session, world.actors["ado@dph.ct.gov"], data)
    with world.database.session() as session:
        assert (
            service.record_consent(session, world.actors["cdo@ct.gov"], data).decision == "opt_out"
        )
