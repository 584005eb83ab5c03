"""Importing consent decisions from a CSV file: identifiers are hashed row by row as they are
read, and the file is taken whole or not at all (a bad row rejects the import, named by its
line number only, never by the person's identifiers)."""

from __future__ import annotations

import csv
import io
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from steward.accounts.policy import Actor
from steward.audit import log
from steward.consent import keys
from steward.consent.identity import person_keys
from steward.consent.schemas import ConsentElements, Identifiers, ImportResult
from steward.consent.service import managed_program, write_record
from steward.errors import Invalid

IDENTIFIER_COLUMNS = tuple(Identifiers.model_fields)
ELEMENT_COLUMNS = tuple(ConsentElements.model_fields)
MAX_ROWS = 200_000


def _elements(row: dict[str, Any]) -> ConsentElements:
    values = {k: v.strip() for k, v in row.items() if k in ELEMENT_COLUMNS and v and v.strip()}
    for flag in ("revocation_noted", "signature_present"):
        if flag in values:
            values[flag] = values[flag].casefold() in {"1", "true", "yes", "y", "x"}
    return ConsentElements.model_validate(values)


def import_csv(
    session: Session, actor: Actor, program_key: str, text: str, key: bytes | None = None
) -> ImportResult:
    """Record every row of a CSV (columns: last_name, first_name, dob and/or ssn, purpose,
    decision, and any of the consent elements)."""
    program = managed_program(session, actor, program_key)
    secret = key or keys.key_for(session)
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    columns = set(reader.fieldnames or ())
    if not columns & set(IDENTIFIER_COLUMNS) or not {"purpose", "decision"} <= columns:
        raise Invalid(
            "the CSV needs identifier columns (last_name, first_name, dob or ssn), "
            "purpose and decision"
        )
    made = []
    rejected: list[str] = []
    for line, row in enumerate(reader, start=2):
        if line > MAX_ROWS + 1:
            raise Invalid(f"at most {MAX_ROWS} rows per import")
        try:
            who = {k: (row.get(k) or "").strip() for k in IDENTIFIER_COLUMNS}
            made.append((person_keys(secret, who), _elements(row)))
        except (Invalid, ValidationError) as error:
            reason = error.message if isinstance(error, Invalid) else _first(error)
            rejected.append(f"line {line}: {reason}")
    if rejected:
        raise Invalid(
            f"{len(rejected)} rows rejected, nothing recorded; " + "; ".join(rejected[:5])
        )
    for person, elements in made:
        write_record(session, actor, program, person, elements, audit=False)
    details = {"program": program.key, "recorded": len(made)}
    log.append(
        session,
        actor=actor.label,
        action="consent.import",
        agency_id=program.agency_id,
        details=details,
    )
    return ImportResult(recorded=len(made), rejected=[])


def _first(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}"
