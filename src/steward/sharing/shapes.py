"""ORM rows of an agreement -> the public shapes (templates and the API never get ORM objects).

Everything time-dependent (expired, renewal reminder, a grant in force) is computed here from the
`today` given, never stored.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from steward.sharing import checklists, lifecycle
from steward.sharing.models import AccessGrant, Agreement, SharedDataset, UseSession
from steward.sharing.schemas import (
    KINDS,
    AgreementPublic,
    AgreementSummary,
    CatalogEntry,
    CheckItemPublic,
    DocumentPublic,
    EventPublic,
    GrantPublic,
    SharedDatasetPublic,
    Signatory,
    UsePublic,
)


def recipient_name(agreement: Agreement) -> str:
    if agreement.recipient is not None:
        return agreement.recipient.name
    return agreement.recipient_organization or ""


def status_of(agreement: Agreement, today: date) -> str:
    return lifecycle.effective_status(agreement.status, agreement.end_date, today)


def shared(item: SharedDataset) -> SharedDatasetPublic:
    return SharedDatasetPublic(
        dataset_id=item.dataset_id,
        title=item.dataset.title,
        fields=list(item.fields),
        row_filter=item.row_filter,
        identifier_fields=list(item.identifier_fields or []),
    )


def summary(agreement: Agreement, today: date) -> AgreementSummary:
    status = status_of(agreement, today)
    return AgreementSummary(
        id=agreement.id,
        title=agreement.title,
        kind=agreement.kind,
        kind_label=KINDS.get(agreement.kind, agreement.kind),
        provider=agreement.provider.slug,
        provider_name=agreement.provider.name,
        recipient_name=recipient_name(agreement),
        status=status,
        effective_date=agreement.effective_date,
        end_date=agreement.end_date,
        renewal_due=lifecycle.renewal_due(
            status, agreement.end_date, agreement.renewal_reminder_days, today
        ),
        days_left=lifecycle.days_left(agreement.end_date, today),
        dataset_ids=[item.dataset_id for item in agreement.datasets],
    )


def check_values(agreement: Agreement) -> dict[str, Any]:
    """The agreement's attributes as the checklist reads them."""
    return {
        "legal_authorities": agreement.legal_authorities,
        "purposes": agreement.purposes,
        "prohibited_uses": agreement.prohibited_uses,
        "end_date": agreement.end_date,
        "datasets": [{"fields": item.fields} for item in agreement.datasets],
        "authorized_users": [g.user_id for g in agreement.grants if g.revoked_at is None],
        "redisclosure": agreement.redisclosure,
        "destruction_method": agreement.destruction_method,
        "destruction_due": agreement.destruction_due,
        "transfer_security": agreement.transfer_security,
        "suppression_rule": agreement.suppression_rule,
        "data_level": agreement.data_level,
        "state_statute": agreement.state_statute,
        "signatories": agreement.signatories,
        "program": agreement.program,
        "consent_purpose": agreement.consent_purpose,
    }


def checklist(values: dict[str, Any]) -> list[CheckItemPublic]:
    return [
        CheckItemPublic(authority=i.authority, element=i.element, text=i.text, met=i.met)
        for i in checklists.check(values)
    ]


def public(agreement: Agreement, today: date) -> AgreementPublic:
    status = status_of(agreement, today)
    return AgreementPublic(
        **summary(agreement, today).model_dump(),
        stored_status=agreement.status,
        recipient_agency=agreement.recipient.slug if agreement.recipient else None,
        recipient_organization=agreement.recipient_organization,
        purposes=list(agreement.purposes),
        prohibited_uses=agreement.prohibited_uses,
        legal_authorities=list(agreement.legal_authorities),
        state_statute=agreement.state_statute,
        data_level=agreement.data_level,
        program=agreement.program,
        consent_purpose=agreement.consent_purpose,
        suppression_rule=agreement.suppression_rule,
        transfer_security=agreement.transfer_security,
        redisclosure=agreement.redisclosure,
        retention=agreement.retention,
        destruction_method=agreement.destruction_method,
        destruction_due=agreement.destruction_due,
        destruction_certificate=agreement.destruction_certificate,
        renewal_reminder_days=agreement.renewal_reminder_days,
        signatories=[Signatory.model_validate(s) for s in agreement.signatories],
        datasets=[shared(item) for item in agreement.datasets],
        grants=[grant_public(g, today, None) for g in agreement.grants],
        history=[EventPublic.model_validate(e, from_attributes=True) for e in agreement.events],
        documents=[
            DocumentPublic.model_validate(d, from_attributes=True) for d in agreement.documents
        ],
        checklist=checklist(check_values(agreement)),
        next_statuses=sorted(lifecycle.TRANSITIONS.get(status, frozenset())),
    )


def catalog_entry(agreement: Agreement) -> CatalogEntry:
    return CatalogEntry(
        id=agreement.id,
        title=agreement.title,
        kind_label=KINDS.get(agreement.kind, agreement.kind),
        provider_name=agreement.provider.name,
        recipient_name=recipient_name(agreement),
        purposes=list(agreement.purposes),
        legal_authorities=[checklists.AUTHORITIES.get(a, a) for a in agreement.legal_authorities],
        data_level=agreement.data_level,
        effective_date=agreement.effective_date,
        end_date=agreement.end_date,
        datasets=[shared(item) for item in agreement.datasets],
    )


def grant_reason(grant: AccessGrant, today: date) -> str:
    """'' when the grant gives access today, else why not."""
    if grant.revoked_at is not None:
        return "the grant is revoked: the user is no longer named on the agreement"
    if grant.suspended_at is not None:
        return "the grant is suspended by the provider's data officer"
    agreement = grant.agreement
    return lifecycle.in_force(agreement.status, agreement.effective_date, agreement.end_date, today)


def grant_public(grant: AccessGrant, today: date, use: UseSession | None) -> GrantPublic:
    reason = grant_reason(grant, today)
    state = "active" if not reason else _inactive_state(grant)
    agreement = grant.agreement
    return GrantPublic(
        id=grant.id,
        agreement_id=agreement.id,
        agreement_title=agreement.title,
        provider_name=agreement.provider.name,
        user_email=grant.user.email,
        user_name=grant.user.name,
        state=state,
        reason=reason,
        end_date=agreement.end_date,
        suspended_at=grant.suspended_at,
        suspend_reason=grant.suspend_reason,
        revoked_at=grant.revoked_at,
        datasets=[shared(item) for item in agreement.datasets],
        open_use=UsePublic.model_validate(use, from_attributes=True) if use else None,
    )


def _inactive_state(grant: AccessGrant) -> str:
    if grant.revoked_at is not None:
        return "revoked"
    return "suspended" if grant.suspended_at is not None else "inactive"
