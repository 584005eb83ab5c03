"""Appending to the audit log: the one write path, called by every service that reads
non-public data or changes governance, inside that service's own transaction.

Appends are serialized by first updating the head row (id 1): on PostgreSQL the UPDATE takes
the row lock, so a second appender waits for the first to commit and then reads its new head;
on SQLite the UPDATE takes the database's write lock. Either way two processes cannot both
chain onto the same previous entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from steward.audit.chain import GENESIS, Link, canonical, entry_hash, timestamp
from steward.audit.models import AuditEntry, AuditHead
from steward.catalog.models import Dataset
from steward.db.base import utcnow
from steward.errors import Invalid

HEAD_ID = 1


def _lock_head(session: Session) -> AuditHead:
    """Take the append lock and return the head (creating it on a store that lacks it)."""
    locked = session.execute(
        update(AuditHead).where(AuditHead.id == HEAD_ID).values(seq=AuditHead.seq)
    )
    if getattr(locked, "rowcount", 0) == 0:
        session.add(AuditHead(id=HEAD_ID, seq=0, hash=GENESIS))
        session.flush()
    head = session.scalar(
        select(AuditHead).where(AuditHead.id == HEAD_ID).execution_options(populate_existing=True)
    )
    assert head is not None
    return head


def append(
    session: Session,
    *,
    actor: str,
    action: str,
    agency_id: int | None = None,
    dataset_id: str | None = None,
    details: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Add one entry at the end of the chain (in the caller's transaction) and return it.

    When only the dataset is given, the entry is filed under the dataset's agency, so that
    agency's data officer sees it.
    """
    if not action or len(action) > 64:
        raise Invalid("an audit action is 1 to 64 characters")
    if agency_id is None and dataset_id is not None:
        agency_id = session.scalar(select(Dataset.agency_id).where(Dataset.id == dataset_id))
    head = _lock_head(session)
    now = utcnow()
    link = Link(
        seq=head.seq + 1,
        at=timestamp(now),
        actor=actor[:320],
        action=action,
        agency_id=agency_id,
        dataset_id=dataset_id,
        details=canonical(details),
        prev_hash=head.hash,
        hash="",
    )
    link = link._replace(hash=entry_hash(link))
    entry = AuditEntry(
        seq=link.seq,
        at=now,
        actor=link.actor,
        action=link.action,
        agency_id=link.agency_id,
        dataset_id=link.dataset_id,
        details=link.details,
        prev_hash=link.prev_hash,
        hash=link.hash,
    )
    session.add(entry)
    head.seq, head.hash = link.seq, link.hash
    session.flush()
    return entry


def to_link(entry: AuditEntry) -> Link:
    """A stored entry as the chain hashes it."""
    return Link(
        seq=entry.seq,
        at=timestamp(entry.at),
        actor=entry.actor,
        action=entry.action,
        agency_id=entry.agency_id,
        dataset_id=entry.dataset_id,
        details=entry.details,
        prev_hash=entry.prev_hash,
        hash=entry.hash,
    )
