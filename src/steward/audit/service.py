"""Reading, verifying, sealing and exporting the audit log.

Who sees what (`audit.*` in the policy): the CDO (and the local system operator) sees every
entry; an agency's data officer sees the entries filed under their agencies (reads of their
data, changes to its governance). Only the CDO verifies and seals the whole chain. Nothing here
changes or removes an entry: the only write is `log.append` and the signed checkpoints.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from steward.accounts.policy import Actor, require
from steward.audit.chain import Break, Link, checkpoint_mac, find_break, mac_matches
from steward.audit.log import HEAD_ID, to_link
from steward.audit.models import AuditCheckpoint, AuditEntry, AuditHead
from steward.audit.schemas import (
    AuditEntryPublic,
    AuditFilter,
    AuditPage,
    BreakPublic,
    CheckpointPublic,
    VerifyReport,
)
from steward.catalog.models import Agency
from steward.catalog.service import get_agency
from steward.errors import Conflict, NotAuthorized

EXPORT_COLUMNS = ("seq", "at", "actor", "action", "agency", "dataset_id", "details", "hash")


def visible_agencies(actor: Actor) -> frozenset[int] | None:
    """The agencies whose entries the actor sees (None: all); refuses who sees none."""
    if actor.is_system or actor.is_cdo:
        return None
    if actor.is_anonymous:
        require(actor, "audit.view", None, what="the audit log")  # raises: sign in first
    agencies = actor.agencies("ado")
    if not agencies:
        raise NotAuthorized("audit.view the audit log needs the ado role in an agency")
    return agencies


def _query(session: Session, actor: Actor, where: AuditFilter) -> Select[AuditEntry]:
    query = select(AuditEntry)
    agencies = visible_agencies(actor)
    if agencies is not None:
        query = query.where(AuditEntry.agency_id.in_(sorted(agencies)))
    if where.agency:
        agency = get_agency(session, where.agency)
        require(actor, "audit.view", agency.id, what=f"the audit log of {agency.name}")
        query = query.where(AuditEntry.agency_id == agency.id)
    if where.dataset:
        query = query.where(AuditEntry.dataset_id == where.dataset)
    if where.action and where.action.endswith("."):
        query = query.where(AuditEntry.action.startswith(where.action, autoescape=True))
    elif where.action:
        query = query.where(AuditEntry.action == where.action)
    if where.actor:
        query = query.where(AuditEntry.actor == where.actor)
    if where.since:
        query = query.where(AuditEntry.at >= datetime.combine(where.since, time(), UTC))
    if where.until:
        end = datetime.combine(where.until + timedelta(days=1), time(), UTC)
        query = query.where(AuditEntry.at < end)
    return query


def _names(session: Session) -> dict[int, str]:
    return {row[0]: row[1] for row in session.execute(select(Agency.id, Agency.slug))}


def _public(entry: AuditEntry, names: dict[int, str]) -> AuditEntryPublic:
    shown = AuditEntryPublic.model_validate(entry)
    shown.agency = names.get(entry.agency_id) if entry.agency_id is not None else None
    return shown


def list_entries(
    session: Session, actor: Actor, where: AuditFilter, limit: int = 100, offset: int = 0
) -> AuditPage:
    """Entries the actor may see, newest first."""
    query = _query(session, actor, where)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(AuditEntry.seq.desc()).limit(limit).offset(offset))
    names = _names(session)
    entries = [_public(entry, names) for entry in rows]
    return AuditPage(entries=entries, total=total, limit=limit, offset=offset)


def export_csv(session: Session, actor: Actor, where: AuditFilter) -> Iterator[str]:
    """The entries as CSV text (oldest first), a chunk per batch, for auditors."""
    query = _query(session, actor, where).order_by(AuditEntry.seq)
    names = _names(session)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    for count, entry in enumerate(session.scalars(query.execution_options(yield_per=500)), 1):
        agency = names.get(entry.agency_id, "") if entry.agency_id is not None else ""
        row = (entry.seq, entry.at.isoformat(), entry.actor, entry.action, agency)
        writer.writerow((*row, entry.dataset_id or "", entry.details, entry.hash))
        if count % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _head(session: Session) -> tuple[int, str] | None:
    head = session.get(AuditHead, HEAD_ID)
    return (head.seq, head.hash) if head else None


def _walk(session: Session, head: tuple[int, str] | None) -> tuple[Break | None, dict[int, str]]:
    """The chain's first break, and the hash of every entry (kept only for checkpoints)."""
    wanted = set(session.scalars(select(AuditCheckpoint.seq)))
    seen: dict[int, str] = {}

    def links() -> Iterator[Link]:
        query = select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=1000)
        for entry in session.scalars(query):
            if entry.seq in wanted:
                seen[entry.seq] = entry.hash
            yield to_link(entry)

    return find_break(links(), head), seen


def _check_checkpoints(
    session: Session, key: bytes | None, seen: dict[int, str]
) -> tuple[Break | None, list[AuditCheckpoint]]:
    marks = list(session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.seq)))
    for mark in marks:
        if key is not None and not mac_matches(key, mark.seq, mark.hash, mark.mac):
            return Break(mark.seq, "the signed checkpoint at this entry was forged"), marks
        if seen.get(mark.seq) != mark.hash:
            reason = "the chain up to this entry was rewritten after it was signed"
            return Break(mark.seq, reason), marks
    return None, marks


def verify(session: Session, actor: Actor, key: bytes | None = None) -> VerifyReport:
    """Walk the whole chain; with the store's key, check the signed checkpoints too."""
    require(actor, "audit.verify", what="the audit log")
    head = _head(session)
    broken, seen = _walk(session, head)
    marks: list[AuditCheckpoint] = []
    if broken is None:
        broken, marks = _check_checkpoints(session, key, seen)
    entries = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
    return VerifyReport(
        ok=broken is None,
        entries=entries,
        head_seq=head[0] if head else 0,
        head_hash=head[1] if head else "",
        first_break=BreakPublic(seq=broken.seq, reason=broken.reason) if broken else None,
        checkpoints=len(marks),
        last_checkpoint_seq=marks[-1].seq if marks else None,
        signed=key is not None,
    )


def seal(session: Session, actor: Actor, key: bytes) -> CheckpointPublic:
    """Sign the current head with the store's key, once the chain verifies."""
    report = verify(session, actor, key)
    if not report.ok:
        assert report.first_break is not None
        raise Conflict(f"the audit log does not verify at entry {report.first_break.seq}")
    mark = AuditCheckpoint(
        seq=report.head_seq,
        hash=report.head_hash,
        at=datetime.now(UTC),
        mac=checkpoint_mac(key, report.head_seq, report.head_hash),
    )
    session.add(mark)
    session.flush()
    return CheckpointPublic.model_validate(mark)
