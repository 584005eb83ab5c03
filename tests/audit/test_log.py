"""The chain: appends, verification, and tampering made directly in the database."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

from steward.accounts.policy import SYSTEM, Actor
from steward.audit import log, service
from steward.audit.chain import GENESIS
from steward.audit.models import AuditEntry
from steward.db import Database
from steward.errors import NotAuthorized


def fill(database: Database, count: int = 5) -> None:
    with database.session() as session:
        for number in range(count):
            log.append(
                session,
                actor="analyst@dss.ct.gov",
                action="data.read",
                dataset_id="dphx-0001",
                details={"agreement_id": 7, "row_count": number, "purpose": "evaluation"},
            )


def check(database: Database) -> service.VerifyReport:
    with database.session() as session:
        return service.verify(session, SYSTEM)


def test_entries_chain_from_the_genesis_and_verify(database: Database) -> None:
    fill(database, 3)
    with database.session() as session:
        entries = list(session.query(AuditEntry).order_by(AuditEntry.seq))
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[0].prev_hash == GENESIS
    assert entries[1].prev_hash == entries[0].hash
    assert entries[0].details == '{"agreement_id":7,"purpose":"evaluation","row_count":0}'
    report = check(database)
    assert report.ok and report.entries == 3 and report.head_seq == 3


@pytest.mark.parametrize(
    ("statement", "seq"),
    [
        ("UPDATE audit_entry SET actor = 'someone@else' WHERE seq = 3", 3),
        ("UPDATE audit_entry SET details = '{}' WHERE seq = 2", 2),
        ("UPDATE audit_entry SET at = at WHERE seq = 0", None),  # a no-op stays verified
        ("DELETE FROM audit_entry WHERE seq = 4", 4),
        ("DELETE FROM audit_entry WHERE seq = 5", 5),  # the tail, caught by the head
        ("DELETE FROM audit_entry WHERE seq >= 2", 2),
        ("UPDATE audit_entry SET seq = seq + 100 WHERE seq = 2", 2),
    ],
)
def test_tampering_in_the_database_names_the_first_broken_entry(
    database: Database, statement: str, seq: int | None
) -> None:
    fill(database)
    with database.engine.begin() as connection:
        connection.execute(text(statement))
    report = check(database)
    if seq is None:
        assert report.ok
    else:
        assert not report.ok and report.first_break is not None
        assert report.first_break.seq == seq, report.first_break


def test_swapping_two_entries_breaks_the_chain(database: Database) -> None:
    fill(database)
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE audit_entry SET seq = 99 WHERE seq = 2"))
        connection.execute(text("UPDATE audit_entry SET seq = 2 WHERE seq = 3"))
        connection.execute(text("UPDATE audit_entry SET seq = 3 WHERE seq = 99"))
    report = check(database)
    assert report.first_break is not None and report.first_break.seq == 2


def test_a_recomputed_chain_is_caught_by_the_signed_checkpoint(database: Database) -> None:
    fill(database)
    key = b"k" * 32
    with database.session() as session:
        service.seal(session, SYSTEM, key)
    # an attacker with the database but not the key rewrites entry 2 and every hash after it
    with database.session() as session:
        from steward.audit.chain import entry_hash

        prev = session.get(AuditEntry, 1).hash  # type: ignore[union-attr]
        for seq in range(2, 6):
            entry = session.get(AuditEntry, seq)
            assert entry is not None
            if seq == 2:
                entry.actor = "nobody"
            entry.prev_hash = prev
            entry.hash = entry_hash(log.to_link(entry))
            prev = entry.hash
        session.execute(text("UPDATE audit_head SET hash = :h"), {"h": prev})
    with database.session() as session:
        unsigned = service.verify(session, SYSTEM)
        signed = service.verify(session, SYSTEM, key)
    assert unsigned.first_break is not None  # the checkpoint's hash no longer matches
    assert signed.first_break is not None and signed.first_break.seq == 5
    assert signed.signed


def test_concurrent_appends_never_fork_the_chain(database: Database) -> None:
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(10):
                fill(database, 1)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    report = check(database)
    assert report.ok and report.entries == 40


def test_only_the_cdo_verifies(database: Database) -> None:
    with database.session() as session, pytest.raises(NotAuthorized):
        service.verify(session, Actor(9, "ado", agency_roles=frozenset({(1, "ado")})))
