"""Person-level extracts under an agreement: the granted fields of one dataset (the agreement's
row filter applied), without the people who opted out of the agreement's program and purpose
(`steward.consent`). The file is kept under `<data dir>/sharing/extracts/`, recorded with the
number of people left out, audited (`data.extract`) and downloadable by the grantee.
"""

from __future__ import annotations

import csv
import io
import os
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from steward.accounts.policy import Actor, permits, require
from steward.audit import log as audit
from steward.catalog.versions import version_file
from steward.consent.service import filter_opted_out
from steward.errors import Invalid, NotAuthorized, NotFound
from steward.query import ast
from steward.query.engine import QueryEngine
from steward.query.params import parse_soda_params
from steward.query.schema import FieldInfo
from steward.query.translate import compile_query
from steward.sharing import agreements, shapes
from steward.sharing.models import AccessGrant, Agreement, Extract, SharedDataset
from steward.sharing.schemas import ExtractCreate, ExtractPublic


@dataclass(frozen=True)
class Download:
    path: Path
    filename: str
    media_type: str = "text/csv; charset=utf-8"


def store_dir(data_dir: Path) -> Path:
    return data_dir / "sharing" / "extracts"


def _grant_of(session: Session, actor: Actor, agreement: Agreement) -> AccessGrant:
    require(actor, "sharing.use", what=f"an extract under agreement {agreement.id}")
    grant = next((g for g in agreement.grants if g.user_id == actor.user_id), None)
    if grant is None:
        raise NotFound(f"you are not an authorized user of agreement {agreement.id}")
    reason = shapes.grant_reason(grant, agreements.today())
    if reason:
        raise NotAuthorized(f"no extract under agreement {agreement.id}: {reason}")
    return grant


def _shared(agreement: Agreement, dataset_id: str) -> SharedDataset:
    shared = next((s for s in agreement.datasets if s.dataset_id == dataset_id), None)
    if shared is None:
        raise Invalid(f"agreement {agreement.id} does not share dataset {dataset_id}")
    if not shared.identifier_fields:
        raise Invalid(
            f"agreement {agreement.id} names no identifier fields of {dataset_id}: they are "
            "needed to leave out the people who opted out"
        )
    if not agreement.program or not agreement.consent_purpose:
        raise Invalid(f"agreement {agreement.id} names no consent program and purpose")
    return shared


def _rows(
    session: Session, engine: QueryEngine, data_dir: Path, shared: SharedDataset
) -> list[dict[str, Any]]:
    """The granted and identifier fields of the rows the agreement's filter lets through."""
    infos = [FieldInfo(f.name, f.type, f.name) for f in shared.dataset.fields]
    identifiers = [spec.partition("=")[0] for spec in shared.identifier_fields]
    names = list(dict.fromkeys([*shared.fields, *identifiers]))
    where = None
    if shared.row_filter:
        where = parse_soda_params([("$where", shared.row_filter)], infos).where
    query = ast.SoqlQuery(select=tuple(ast.SelectExpr(ast.Column(n)) for n in names), where=where)
    compiled = compile_query(query, infos, default_limit=None, max_limit=None)
    _version, path = version_file(session, data_dir, shared.dataset_id)
    table = engine.execute(compiled, path)
    return [{k: _plain(v) for k, v in row.items()} for row in table.to_pylist()]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value
    return value.isoformat() if isinstance(value, date) else value


def create_extract(
    session: Session,
    actor: Actor,
    engine: QueryEngine,
    data_dir: Path,
    agreement_id: int,
    data: ExtractCreate,
) -> ExtractPublic:
    agreement = agreements.load_agreement(session, agreement_id)
    grant = _grant_of(session, actor, agreement)
    shared = _shared(agreement, data.dataset_id)
    rows = _rows(session, engine, data_dir, shared)
    kept, excluded = filter_opted_out(
        session,
        rows,
        identifier_columns=list(shared.identifier_fields),
        program=agreement.program,
        purpose=agreement.consent_purpose,
        on=agreements.today(),
    )
    stored = _write(data_dir, list(shared.fields), kept)
    extract = Extract(
        agreement_id=agreement.id,
        grant_id=grant.id,
        dataset_id=shared.dataset_id,
        purpose=data.purpose,
        fields=list(shared.fields),
        row_count=len(kept),
        excluded_opted_out=excluded,
        stored_name=stored,
        created_by=actor.label,
    )
    session.add(extract)
    session.flush()
    audit.append(
        session,
        actor=actor.label,
        action="data.extract",
        agency_id=agreement.provider_agency_id,
        dataset_id=shared.dataset_id,
        details={
            "agreement_id": agreement.id,
            "extract_id": extract.id,
            "fields": list(shared.fields),
            "row_count": len(kept),
            "excluded_opted_out": excluded,
            "purpose": data.purpose,
        },
    )
    return ExtractPublic.model_validate(extract, from_attributes=True)


def _write(data_dir: Path, fields: list[str], rows: Sequence[Mapping[str, Any]]) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(fields)
    for row in rows:
        writer.writerow(["" if row.get(f) is None else row.get(f) for f in fields])
    stored = f"{secrets.token_hex(16)}.csv"
    folder = store_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".{stored}.part"
    temporary.write_text(out.getvalue(), encoding="utf-8")
    os.replace(temporary, folder / stored)
    return stored


def _readable(session: Session, actor: Actor, extract: Extract) -> bool:
    grant = session.get(AccessGrant, extract.grant_id)
    mine = grant is not None and actor.user_id is not None and grant.user_id == actor.user_id
    agreement = agreements.load_agreement(session, extract.agreement_id)
    return mine or permits(actor, "sharing.grants", agreement.provider_agency_id)


def list_extracts(session: Session, actor: Actor, agreement_id: int) -> list[ExtractPublic]:
    agreements.viewable(session, actor, agreement_id)
    rows = session.scalars(
        select(Extract).where(Extract.agreement_id == agreement_id).order_by(Extract.id)
    )
    return [
        ExtractPublic.model_validate(e, from_attributes=True)
        for e in rows
        if _readable(session, actor, e)
    ]


def open_extract(
    session: Session, actor: Actor, data_dir: Path, agreement_id: int, extract_id: int
) -> Download:
    """The file, for the grantee who made it (while the grant is in force) or the provider's ADO."""
    require(actor, "sharing.use", what=f"extract {extract_id}")
    extract = agreements.get_row(session, Extract, extract_id)
    if extract is None or extract.agreement_id != agreement_id:
        raise NotFound(f"agreement {agreement_id} has no extract {extract_id}")
    if not _readable(session, actor, extract):
        raise NotFound(f"agreement {agreement_id} has no extract {extract_id} of yours")
    grant = session.get(AccessGrant, extract.grant_id)
    is_grantee = grant is not None and grant.user_id == actor.user_id
    if (
        is_grantee
        and grant is not None
        and (reason := shapes.grant_reason(grant, agreements.today()))
    ):
        raise NotAuthorized(f"extract {extract_id} is no longer available: {reason}")
    path = store_dir(data_dir) / extract.stored_name
    if not path.is_file():
        raise NotFound(f"the file of extract {extract_id} is missing from the store")
    return Download(path, f"agreement-{agreement_id}-extract-{extract_id}.csv")
