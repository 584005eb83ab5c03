"""The agreement registry: create, edit, move through the lifecycle, read, list, catalog.

Who may do what (the policy's `sharing.*` actions): the provider agency's ADO (and the CDO)
drafts, edits and moves an agreement; the recipient agency's ADO reads it; an authorized user
reads the agreements that name them; anyone reads the public catalog of active agreements (no
named people). Every change is in the agreement's history and in the audit log, in the same
transaction.
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from steward.accounts.models import User
from steward.accounts.policy import Actor, permits, require
from steward.audit import log as audit
from steward.catalog.models import Agency, Dataset
from steward.catalog.service import get_agency, load_dataset
from steward.db.base import utcnow
from steward.errors import Conflict, Invalid, NotAuthorized, NotFound
from steward.query.params import parse_soda_params
from steward.query.schema import FieldInfo
from steward.query.translate import compile_query
from steward.sharing import lifecycle, shapes
from steward.sharing.models import AccessGrant, Agreement, AgreementEvent, SharedDataset
from steward.sharing.schemas import (
    STATUSES,
    AgreementCreate,
    AgreementFields,
    AgreementPublic,
    AgreementSummary,
    CatalogEntry,
    SharedDatasetIn,
    Signatory,
    StatusChange,
)

SIMPLE = (
    "title",
    "kind",
    "recipient_organization",
    "purposes",
    "prohibited_uses",
    "legal_authorities",
    "state_statute",
    "data_level",
    "program",
    "consent_purpose",
    "suppression_rule",
    "transfer_security",
    "redisclosure",
    "retention",
    "destruction_method",
    "destruction_due",
    "destruction_certificate",
    "effective_date",
    "end_date",
    "renewal_reminder_days",
)


def today() -> date:
    """The date agreements are judged by (tests replace it to freeze the clock)."""
    return date.today()


# reading -----------------------------------------------------------------------------------


MAX_ID = 2**31 - 1  # the largest id a row can have (a PostgreSQL `integer`)
Row = TypeVar("Row")


def get_row(session: Session, model: type[Row], row_id: int) -> Row | None:
    """The row with this id, or None; an id no row can have is not looked up (SQLite and
    PostgreSQL refuse integers past their range)."""
    return session.get(model, row_id) if 0 < row_id <= MAX_ID else None


def load_agreement(session: Session, agreement_id: int) -> Agreement:
    agreement = get_row(session, Agreement, agreement_id)
    if agreement is None:
        raise NotFound(f"no agreement {agreement_id}")
    return agreement


def may_view(actor: Actor, agreement: Agreement) -> bool:
    if permits(actor, "sharing.view", agreement.provider_agency_id):
        return True
    recipient = agreement.recipient_agency_id
    if recipient is not None and permits(actor, "sharing.view", recipient):
        return True
    return actor.user_id is not None and any(
        g.user_id == actor.user_id and g.revoked_at is None for g in agreement.grants
    )


def viewable(session: Session, actor: Actor, agreement_id: int) -> Agreement:
    require(actor, "sharing.use", what=f"agreement {agreement_id}")
    agreement = load_agreement(session, agreement_id)
    if not may_view(actor, agreement):
        raise NotAuthorized(
            f"agreement {agreement_id} is for the data officers of its parties and its "
            "authorized users"
        )
    return agreement


def managed(session: Session, actor: Actor, agreement_id: int) -> Agreement:
    agreement = load_agreement(session, agreement_id)
    require(
        actor,
        "sharing.manage",
        agreement.provider_agency_id,
        what=f"agreement {agreement_id} of {agreement.provider.name}",
    )
    return agreement


def get_agreement(session: Session, actor: Actor, agreement_id: int) -> AgreementPublic:
    return shapes.public(viewable(session, actor, agreement_id), today())


def list_agreements(
    session: Session, actor: Actor, *, status: str | None = None, agency: str | None = None
) -> list[AgreementSummary]:
    """The agreements the actor may read, newest first; `agency` matches either party."""
    require(actor, "sharing.use", what="the list of agreements")
    if status is not None and status not in STATUSES:
        raise Invalid(f"status must be one of {', '.join(STATUSES)}")
    query = select(Agreement).order_by(Agreement.id.desc())
    if agency:
        found = get_agency(session, agency).id
        query = query.where(
            or_(Agreement.provider_agency_id == found, Agreement.recipient_agency_id == found)
        )
    now = today()
    found_rows = [shapes.summary(a, now) for a in session.scalars(query) if may_view(actor, a)]
    return [row for row in found_rows if status is None or row.status == status]


def catalog(session: Session) -> list[CatalogEntry]:
    """Agreements in force today, as the public sees them (parties, datasets, purpose, term)."""
    now = today()
    rows = session.scalars(select(Agreement).where(Agreement.status == "active"))
    return [
        shapes.catalog_entry(a)
        for a in sorted(rows, key=lambda a: a.title.lower())
        if shapes.status_of(a, now) == "active"
    ]


def manageable_agencies(session: Session, actor: Actor) -> list[tuple[str, str]]:
    agencies = session.scalars(select(Agency).order_by(Agency.name))
    return [(a.slug, a.name) for a in agencies if permits(actor, "sharing.manage", a.id)]


# writing -----------------------------------------------------------------------------------


def create_agreement(session: Session, actor: Actor, data: AgreementCreate) -> AgreementPublic:
    provider = get_agency(session, data.provider)
    require(actor, "sharing.manage", provider.id, what=f"an agreement of {provider.name}")
    agreement = Agreement(
        provider=provider,
        title=data.title,
        kind=data.kind,
        created_by=actor.label,
        updated_by=actor.label,
    )
    session.add(agreement)
    _apply(session, actor, agreement, data)
    session.flush()
    note(session, agreement, actor, "created", to_status="draft")
    audit_change(session, actor, agreement, "agreement.create", {"title": agreement.title})
    session.flush()
    return shapes.public(agreement, today())


def update_agreement(
    session: Session, actor: Actor, agreement_id: int, data: AgreementFields
) -> AgreementPublic:
    agreement = managed(session, actor, agreement_id)
    if agreement.status == "terminated":
        raise Conflict(f"agreement {agreement_id} is terminated and can no longer be changed")
    changed = sorted(data.model_dump(exclude_unset=True))
    _apply(session, actor, agreement, data)
    if agreement.status == "active" and agreement.end_date is None:
        raise Invalid("an active agreement needs an end date (it is when access stops)")
    agreement.updated_at, agreement.updated_by = utcnow(), actor.label
    session.flush()
    note(session, agreement, actor, "updated", note_text="changed: " + ", ".join(changed))
    audit_change(session, actor, agreement, "agreement.update", {"changed": changed})
    session.flush()
    return shapes.public(agreement, today())


def change_status(
    session: Session, actor: Actor, agreement_id: int, change: StatusChange
) -> AgreementPublic:
    """Move the agreement (the effective status counts: an agreement past its end is expired)."""
    agreement = managed(session, actor, agreement_id)
    current = shapes.status_of(agreement, today())
    problem = lifecycle.check_move(current, change.status)
    if problem:
        raise Conflict(problem)
    if change.status == "active":
        _check_activation(agreement)
    agreement.status = change.status
    agreement.updated_at, agreement.updated_by = utcnow(), actor.label
    note(session, agreement, actor, "status", current, change.status, note_text=change.note)
    details = {"from": current, "to": change.status, "note": change.note}
    audit_change(session, actor, agreement, "agreement.status", details)
    session.flush()
    return shapes.public(agreement, today())


def _check_activation(agreement: Agreement) -> None:
    if agreement.end_date is None:
        raise Conflict("set the agreement's end date before making it active")
    if agreement.end_date < today():
        raise Conflict("the end date has passed: set a new end date to renew the agreement")
    if not agreement.datasets:
        raise Conflict("name at least one dataset and its fields before making it active")


def note(
    session: Session,
    agreement: Agreement,
    actor: Actor,
    action: str,
    from_status: str | None = None,
    to_status: str | None = None,
    *,
    note_text: str = "",
) -> None:
    agreement.events.append(
        AgreementEvent(
            by=actor.label,
            action=action,
            from_status=from_status,
            to_status=to_status,
            note=note_text,
        )
    )


def audit_change(
    session: Session, actor: Actor, agreement: Agreement, action: str, details: dict[str, Any]
) -> None:
    audit.append(
        session,
        actor=actor.label,
        action=action,
        agency_id=agreement.provider_agency_id,
        details={"agreement_id": agreement.id, **details},
    )


def _apply(session: Session, actor: Actor, agreement: Agreement, data: AgreementFields) -> None:
    given = data.model_dump(exclude_unset=True)
    for name in SIMPLE:
        if name in given and (given[name] is not None or name in NULLABLE):
            setattr(agreement, name, given[name])
    if "recipient_agency" in given:
        slug = given["recipient_agency"]
        agreement.recipient = get_agency(session, slug) if slug else None
    if "signatories" in given:
        agreement.signatories = [
            Signatory.model_validate(s).model_dump(mode="json") for s in given["signatories"] or []
        ]
    if agreement.recipient is not None and agreement.recipient.id == agreement.provider.id:
        raise Invalid("the recipient must be another agency than the provider")
    if data.datasets is not None:
        _set_datasets(session, agreement, data.datasets)
    if data.authorized_users is not None:
        _set_users(session, actor, agreement, data.authorized_users)
    if (
        agreement.effective_date
        and agreement.end_date
        and agreement.end_date < agreement.effective_date
    ):
        raise Invalid("the end date is before the effective date")


NULLABLE = {"recipient_organization", "destruction_due", "effective_date", "end_date"}


def _set_datasets(session: Session, agreement: Agreement, items: list[SharedDatasetIn]) -> None:
    """Replace the shared datasets (rows kept per dataset, so no unique clash on flush)."""
    current = {s.dataset_id: s for s in agreement.datasets}
    wanted: list[SharedDataset] = []
    named = [item.dataset_id for item in items]
    twice = next((d for d in named if named.count(d) > 1), None)
    if twice is not None:
        raise Invalid(f"dataset {twice} is named twice")
    for item in items:
        dataset = load_dataset(session, item.dataset_id)
        check_shared(dataset, agreement.provider_agency_id or agreement.provider.id, item)
        row = current.get(dataset.id) or SharedDataset(dataset=dataset)
        row.fields, row.row_filter = item.fields, item.row_filter
        row.identifier_fields = item.identifier_fields
        wanted.append(row)
    agreement.datasets = wanted


def check_shared(dataset: Dataset, provider_id: int, item: SharedDatasetIn) -> None:
    """The dataset is the provider's, the fields are in its dictionary, the filter is valid."""
    if dataset.agency_id != provider_id:
        raise Invalid(f"dataset {dataset.id} is not the provider agency's")
    names = {field.name for field in dataset.fields}
    wanted = [*item.fields, *(n.partition("=")[0] for n in item.identifier_fields)]
    unknown = [n for n in wanted if n not in names]
    if unknown:
        raise Invalid(f"dataset {dataset.id} has no field {unknown[0]!r}")
    if item.row_filter:
        check_row_filter(dataset, item.row_filter)


def check_row_filter(dataset: Dataset, row_filter: str) -> None:
    infos = [FieldInfo(f.name, f.type, f.name) for f in dataset.fields]
    try:
        query = parse_soda_params([("$where", row_filter)], infos)
        compile_query(query, infos)
    except Invalid as exc:
        raise Invalid(f"the row filter of {dataset.id} is not valid SoQL: {exc.message}") from exc


def _set_users(session: Session, actor: Actor, agreement: Agreement, emails: list[str]) -> None:
    """Name the authorized users. A user taken off keeps their grant, revoked, so the use
    sessions and extracts made under it stay on record; named again, it is restored."""
    users = {u.email: u for u in session.scalars(select(User).where(User.email.in_(emails)))}
    unknown = [email for email in emails if email not in users]
    if unknown:
        raise Invalid(f"no Steward user {unknown[0]!r}: authorized users must have an account")
    keep = {users[e].id for e in emails}
    have = {g.user_id: g for g in agreement.grants}
    for grant in agreement.grants:
        if grant.user_id not in keep and grant.revoked_at is None:
            grant.revoked_at, grant.revoked_by = utcnow(), actor.label
            _note_grant(session, actor, agreement, grant, "grant.revoke")
    for email in emails:
        known = have.get(users[email].id)
        if known is None:
            agreement.grants.append(AccessGrant(user=users[email]))
        elif known.revoked_at is not None:
            known.revoked_at = known.revoked_by = None
            _note_grant(session, actor, agreement, known, "grant.restore")


def _note_grant(
    session: Session, actor: Actor, agreement: Agreement, grant: AccessGrant, action: str
) -> None:
    verb = "revoked (taken off the agreement)" if action == "grant.revoke" else "restored"
    note(session, agreement, actor, action, note_text=f"grant of {grant.user.email} {verb}")
    details = {"grant_id": grant.id, "user": grant.user.email}
    audit_change(session, actor, agreement, action, details)


def set_imported_status(session: Session, actor: Actor, agreement_id: int, status: str) -> None:
    """An imported agreement keeps the status it has on paper (recorded as imported)."""
    agreement = managed(session, actor, agreement_id)
    if status == "active":
        _check_activation(agreement)
    note(session, agreement, actor, "imported", agreement.status, status)
    agreement.status = status
    session.flush()
