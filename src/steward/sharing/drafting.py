"""What the sharing pages need besides the registry itself: the choices a drafting form offers
(the provider agencies the actor manages and their data dictionaries), what the actor may do to
one agreement, and the agreement list with its filters.

Read-only and policy-checked like the rest of `steward.sharing`; the pages never look at the
policy themselves.
"""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from steward.accounts.policy import Actor, permits, require
from steward.catalog.models import Agency, Dataset
from steward.errors import NotAuthorized, NotFound
from steward.sharing import agreements, shapes
from steward.sharing.checklists import AUTHORITIES
from steward.sharing.models import AccessGrant
from steward.sharing.schemas import (
    DATA_LEVELS,
    KINDS,
    AgreementPublic,
    AgreementSummary,
)


class FieldChoice(BaseModel):
    name: str
    label: str
    type: str
    classification: str


class DatasetChoice(BaseModel):
    id: str
    title: str
    agency: str
    agency_name: str
    access_level: str
    fields: list[FieldChoice]


class DraftingChoices(BaseModel):
    """Everything a drafting form offers: the provider must be one the actor manages."""

    providers: list[tuple[str, str]]
    agencies: list[tuple[str, str]]
    datasets: list[DatasetChoice]
    kinds: dict[str, str] = KINDS
    levels: dict[str, str] = DATA_LEVELS
    authorities: dict[str, str] = AUTHORITIES


class Abilities(BaseModel):
    manage: bool  # edit, move through the lifecycle, attach documents
    grants: bool  # suspend and resume grants
    grantee: bool  # the actor is one of its authorized users


def drafting_choices(session: Session, actor: Actor) -> DraftingChoices:
    """The form's choices, or NotAuthorized when the actor manages no agency's agreements."""
    require(actor, "sharing.use", what="drafting an agreement")
    providers = agreements.manageable_agencies(session, actor)
    if not providers:
        raise NotAuthorized("drafting an agreement needs the ado role in the provider agency")
    slugs = [slug for slug, _ in providers]
    rows = session.scalars(
        select(Dataset)
        .join(Agency, Agency.id == Dataset.agency_id)
        .where(Agency.slug.in_(slugs))
        .order_by(Agency.name, Dataset.title)
    )
    agencies = session.scalars(select(Agency).order_by(Agency.name))
    return DraftingChoices(
        providers=providers,
        agencies=[(a.slug, a.name) for a in agencies],
        datasets=[_dataset_choice(d) for d in rows.unique()],
    )


def _dataset_choice(dataset: Dataset) -> DatasetChoice:
    return DatasetChoice(
        id=dataset.id,
        title=dataset.title,
        agency=dataset.agency.slug,
        agency_name=dataset.agency.name,
        access_level=dataset.access_level,
        fields=[
            FieldChoice(name=f.name, label=f.label, type=f.type, classification=f.classification)
            for f in dataset.fields
        ],
    )


def editable(session: Session, actor: Actor, agreement_id: int) -> AgreementPublic:
    """The agreement, for its provider's data officer (who may change it)."""
    return shapes.public(agreements.managed(session, actor, agreement_id), agreements.today())


def abilities(session: Session, actor: Actor, agreement_id: int) -> Abilities:
    agreement = agreements.load_agreement(session, agreement_id)
    provider = agreement.provider_agency_id
    return Abilities(
        manage=permits(actor, "sharing.manage", provider),
        grants=permits(actor, "sharing.grants", provider),
        grantee=actor.user_id is not None
        and any(g.user_id == actor.user_id and g.revoked_at is None for g in agreement.grants),
    )


def find_agreements(
    session: Session,
    actor: Actor,
    *,
    status: str | None = None,
    agency: str | None = None,
    kind: str | None = None,
    renewal_due: bool = False,
) -> list[AgreementSummary]:
    """The agreements the actor may read, filtered (status and agency as the registry does)."""
    found = agreements.list_agreements(session, actor, status=status, agency=agency)
    return [
        a for a in found if (kind is None or a.kind == kind) and (not renewal_due or a.renewal_due)
    ]


def can_draft(session: Session, actor: Actor) -> bool:
    return bool(agreements.manageable_agencies(session, actor))


def agreement_of_grant(session: Session, grant_id: int) -> int:
    grant = agreements.get_row(session, AccessGrant, grant_id)
    if grant is None:
        raise NotFound(f"no grant {grant_id}")
    return grant.agreement_id
