"""The consent and opt-out registry: programs, decisions, look-ups, and the filter that keeps
opted-out people out of person-level releases.

Who may do what (`consent.manage`): the data officer of a program's agency, and the CDO,
create programs and record, revoke and look up decisions. Every write and look-up is written to
the audit log without the person's identifiers. `filter_opted_out` needs no actor: the sharing
service calls it on rows it is already releasing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from steward.accounts.policy import Actor, require
from steward.audit import log
from steward.catalog.models import Agency
from steward.catalog.service import get_agency
from steward.consent import keys
from steward.consent.decide import ANY_PURPOSE, Choice, in_force, normalize_purpose, released
from steward.consent.identity import PersonKeys, person_keys, resolve_columns
from steward.consent.models import ConsentProgram, ConsentRecord
from steward.consent.schemas import (
    ConsentCreate,
    ConsentElements,
    ConsentLookup,
    ConsentPublic,
    ConsentRevoke,
    ConsentStatus,
    ProgramCreate,
    ProgramPublic,
)
from steward.db.base import utcnow
from steward.errors import Conflict, NotFound

CHUNK = 500


# programs ----------------------------------------------------------------------------------


def _program_public(program: ConsentProgram) -> ProgramPublic:
    return ProgramPublic(
        key=program.key,
        name=program.name,
        agency=program.agency.slug,
        model=program.model,
        description=program.description,
    )


def create_program(session: Session, actor: Actor, data: ProgramCreate) -> ProgramPublic:
    agency = get_agency(session, data.agency)
    require(actor, "consent.manage", agency.id, what=f"consent programs of {agency.name}")
    if session.scalar(select(ConsentProgram).where(ConsentProgram.key == data.key)):
        raise Conflict(f"a consent program {data.key!r} exists")
    program = ConsentProgram(
        key=data.key,
        name=data.name,
        agency_id=agency.id,
        model=data.model,
        description=data.description,
    )
    program.agency = agency
    session.add(program)
    session.flush()
    details = {"program": program.key, "model": program.model}
    log.append(
        session, actor=actor.label, action="consent.program", agency_id=agency.id, details=details
    )
    return _program_public(program)


def list_programs(session: Session, actor: Actor) -> list[ProgramPublic]:
    """The programs whose consent the actor manages."""
    query = select(ConsentProgram).join(Agency).order_by(Agency.slug, ConsentProgram.key)
    if not (actor.is_system or actor.is_cdo):
        if actor.is_anonymous or not actor.agencies("ado"):
            require(actor, "consent.manage", None, what="consent programs")
        query = query.where(ConsentProgram.agency_id.in_(sorted(actor.agencies("ado"))))
    return [_program_public(program) for program in session.scalars(query)]


def managed_program(session: Session, actor: Actor, key: str) -> ConsentProgram:
    program = session.scalar(select(ConsentProgram).where(ConsentProgram.key == key))
    if program is None:
        require(actor, "consent.manage", None, what="the consent registry")
        raise NotFound(f"no consent program {key!r}")
    require(actor, "consent.manage", program.agency_id, what=f"consent for {program.name}")
    return program


# recording ---------------------------------------------------------------------------------


def _public(record: ConsentRecord) -> ConsentPublic:
    person = record.name_dob_hash or record.ssn_hash or ""
    return ConsentPublic(
        id=record.id,
        program=record.program.key,
        person=person[:12],
        **{
            name: getattr(record, name)
            for name in ConsentPublic.model_fields
            if name not in {"id", "program", "person"}
        },
    )


def write_record(
    session: Session,
    actor: Actor,
    program: ConsentProgram,
    person: PersonKeys,
    data: ConsentElements,
    *,
    audit: bool = True,
) -> ConsentRecord:
    values = data.model_dump(include=set(ConsentElements.model_fields))
    values["purpose"] = normalize_purpose(data.purpose)
    values["effective_on"] = data.effective_on or date.today()
    record = ConsentRecord(
        program_id=program.id,
        name_dob_hash=person.name_dob,
        ssn_hash=person.ssn,
        recorded_at=utcnow(),
        recorded_by=actor.label,
        **{k: v for k, v in values.items() if k != "effective_on"},
        effective_on=values["effective_on"],
    )
    record.program = program
    session.add(record)
    session.flush()
    if not audit:  # an import writes one entry for the whole file
        return record
    details = {
        "program": program.key,
        "record": record.id,
        "purpose": record.purpose,
        "decision": record.decision,
        "effective_on": record.effective_on,
    }
    log.append(
        session,
        actor=actor.label,
        action="consent.record",
        agency_id=program.agency_id,
        details=details,
    )
    return record


def record_consent(
    session: Session, actor: Actor, data: ConsentCreate, key: bytes | None = None
) -> ConsentPublic:
    program = managed_program(session, actor, data.program)
    person = person_keys(key or keys.key_for(session), data.person.model_dump())
    return _public(write_record(session, actor, program, person, data))


def revoke_consent(
    session: Session, actor: Actor, data: ConsentRevoke, key: bytes | None = None
) -> ConsentPublic:
    """Record a revocation; refused when the person has no decision on record to revoke."""
    program = managed_program(session, actor, data.program)
    person = person_keys(key or keys.key_for(session), data.person.model_dump())
    if not _records(session, program.id, person.any()):
        raise NotFound(f"no consent on record for this person in {program.key}")
    elements = ConsentElements(
        purpose=data.purpose, decision="revoked", effective_on=data.effective_on, note=data.note
    )
    return _public(write_record(session, actor, program, person, elements))


# reading -----------------------------------------------------------------------------------


def _records(session: Session, program_id: int, hashes: Sequence[str]) -> list[ConsentRecord]:
    if not hashes:
        return []
    query = select(ConsentRecord).where(
        ConsentRecord.program_id == program_id,
        or_(ConsentRecord.name_dob_hash.in_(hashes), ConsentRecord.ssn_hash.in_(hashes)),
    )
    return list(session.scalars(query.order_by(ConsentRecord.effective_on, ConsentRecord.id)))


def _choices(records: Iterable[ConsentRecord], purpose: str) -> list[Choice]:
    wanted = {normalize_purpose(purpose), ANY_PURPOSE}
    return [
        Choice(r.id, r.decision, r.effective_on, r.expires_on)
        for r in records
        if r.purpose in wanted
    ]


def lookup(
    session: Session, actor: Actor, data: ConsentLookup, key: bytes | None = None
) -> ConsentStatus:
    """A person's history in a program and, for a purpose, whether they may be released."""
    program = managed_program(session, actor, data.program)
    person = person_keys(key or keys.key_for(session), data.person.model_dump())
    records = _records(session, program.id, person.any())
    on = data.on or date.today()
    purpose = normalize_purpose(data.purpose or ANY_PURPOSE)
    choices = _choices(records, purpose)
    current = in_force(choices, on)
    details = {"program": program.key, "purpose": purpose, "found": len(records)}
    log.append(
        session,
        actor=actor.label,
        action="consent.lookup",
        agency_id=program.agency_id,
        details=details,
    )
    return ConsentStatus(
        program=program.key,
        purpose=purpose,
        on=on,
        released=released(program.model, choices, on),
        in_force=current.decision if current else None,
        history=[_public(r) for r in records],
    )


def list_records(
    session: Session, actor: Actor, program_key: str, limit: int = 100, offset: int = 0
) -> list[ConsentPublic]:
    """The program's records, newest first (people shown only by a hash prefix)."""
    program = managed_program(session, actor, program_key)
    query = (
        select(ConsentRecord)
        .where(ConsentRecord.program_id == program.id)
        .order_by(ConsentRecord.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return [_public(record) for record in session.scalars(query)]


# releasing ---------------------------------------------------------------------------------


def _choices_by_hash(
    session: Session, program: ConsentProgram, hashes: set[str], purpose: str
) -> dict[str, list[Choice]]:
    found: dict[str, list[Choice]] = defaultdict(list)
    ordered = sorted(hashes)
    for start in range(0, len(ordered), CHUNK):
        records = _records(session, program.id, ordered[start : start + CHUNK])
        for record in records:
            for choice in _choices([record], purpose):
                for person in {record.name_dob_hash, record.ssn_hash} - {None}:
                    found[str(person)].append(choice)
    return found


def filter_opted_out(
    session: Session,
    rows: Sequence[Mapping[str, Any]],
    *,
    identifier_columns: Sequence[str],
    program: str,
    purpose: str,
    on: date,
    key: bytes | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """The rows whose people may be released for this program and purpose on this day, and how
    many were excluded.

    `identifier_columns` names the rows' identifier columns (last_name, first_name, dob, ssn
    or `column=kind`). A program nobody registered has no opt-outs: every row is kept. In an
    opt-in program a row that cannot be identified is excluded; in an opt-out one it is kept.
    """
    registered = session.scalar(select(ConsentProgram).where(ConsentProgram.key == program))
    if registered is None:
        return [dict(row) for row in rows], 0
    secret = key or keys.key_for(session)
    columns = resolve_columns(tuple(identifier_columns))
    people = [
        person_keys(secret, {kind: row.get(col) for kind, col in columns.items()}, strict=False)
        for row in rows
    ]
    hashes = {h for person in people for h in person.any()}
    choices = _choices_by_hash(session, registered, hashes, purpose)
    kept = [
        dict(row)
        for row, person in zip(rows, people, strict=True)
        if _release(registered.model, person, choices, on)
    ]
    return kept, len(rows) - len(kept)


def _release(model: str, person: PersonKeys, choices: Mapping[str, list[Choice]], on: date) -> bool:
    if not person.any():
        return model != "opt_in"
    mine = {c for h in person.any() for c in choices.get(h, [])}
    return released(model, mine, on)
