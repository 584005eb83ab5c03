"""Access grants: an authorized user of an agreement in force may query exactly its fields of
exactly its datasets, after stating the purpose of the session of use.

A grant gives access while its agreement is active, between its effective and end dates (checked
at every query against `agreements.today()`, so expiry needs no job) and while the provider's
data officer has not suspended it. Each query under a grant is written to the audit log
(`data.read`) with the purpose, the fields, the query and the row count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from steward.accounts.policy import Actor, require
from steward.audit import log as audit
from steward.catalog.service import get_agency
from steward.db.base import utcnow
from steward.errors import Conflict, NotAuthorized, NotFound
from steward.sharing import agreements, shapes
from steward.sharing.models import AccessGrant, Agreement, SharedDataset, UseSession
from steward.sharing.schemas import GrantPublic, UsePublic

USE_HOURS = 8
PURPOSE_HOW = (
    "state the purpose of this session of use first: POST /api/v1/grants/{grant}/use with "
    '{{"purpose": "..."}}, send the header X-Steward-Purpose, or use the "My grants" page'
)


def now() -> datetime:
    return utcnow()


@dataclass(frozen=True)
class GrantScope:
    """What one query may read under a grant, and the use session it is recorded under."""

    grant_id: int
    agreement_id: int
    agency_id: int
    dataset_id: str
    fields: tuple[str, ...]
    row_filter: str | None
    use_id: int
    purpose: str
    actor: str


# the grantee ------------------------------------------------------------------------------


def my_grants(session: Session, actor: Actor) -> list[GrantPublic]:
    require(actor, "sharing.use", what="your grants")
    rows = session.scalars(
        select(AccessGrant).where(AccessGrant.user_id == actor.user_id).order_by(AccessGrant.id)
    )
    day = agreements.today()
    return [shapes.grant_public(g, day, _open_use(session, g.id)) for g in rows]


def own_grant(session: Session, actor: Actor, grant_id: int) -> AccessGrant:
    require(actor, "sharing.use", what=f"grant {grant_id}")
    grant = agreements.get_row(session, AccessGrant, grant_id)
    if grant is None or grant.user_id != actor.user_id:
        raise NotFound(f"you have no grant {grant_id}")
    return grant


def open_use(session: Session, actor: Actor, grant_id: int, purpose: str) -> UsePublic:
    """State the purpose of a session of use (valid for some hours)."""
    grant = own_grant(session, actor, grant_id)
    reason = shapes.grant_reason(grant, agreements.today())
    if reason:
        raise NotAuthorized(f"grant {grant_id} gives no access now: {reason}")
    use = _start_use(session, grant, purpose)
    return UsePublic.model_validate(use, from_attributes=True)


def _start_use(session: Session, grant: AccessGrant, purpose: str) -> UseSession:
    purpose = purpose.strip()
    if len(purpose) < 5:
        raise NotAuthorized("state the purpose in a few words (at least 5 characters)")
    started = now()
    use = UseSession(
        grant_id=grant.id,
        purpose=purpose[:2000],
        opened_at=started,
        expires_at=started + timedelta(hours=USE_HOURS),
    )
    session.add(use)
    session.flush()
    return use


def _open_use(session: Session, grant_id: int) -> UseSession | None:
    query = (
        select(UseSession)
        .where(UseSession.grant_id == grant_id, UseSession.expires_at > now())
        .order_by(UseSession.opened_at.desc(), UseSession.id.desc())
        .limit(1)
    )
    return session.scalar(query)


# enforcement (called by the query service) ------------------------------------------------


def scope_for(
    session: Session, actor: Actor, dataset_id: str, purpose: str | None = None
) -> GrantScope:
    """The grant this signed-in actor reads `dataset_id` under, or NotAuthorized with why not."""
    covering = list(
        session.scalars(
            select(AccessGrant)
            .join(SharedDataset, SharedDataset.agreement_id == AccessGrant.agreement_id)
            .where(AccessGrant.user_id == actor.user_id, SharedDataset.dataset_id == dataset_id)
            .order_by(AccessGrant.id)
        )
    )
    if not covering:
        raise NotAuthorized(
            f"dataset {dataset_id} is not public, and no data sharing agreement grants you "
            "access to it"
        )
    day = agreements.today()
    live = [g for g in covering if not shapes.grant_reason(g, day)]
    if not live:
        first = covering[0]
        raise NotAuthorized(
            f"your access to {dataset_id} under agreement {first.agreement_id} has stopped: "
            f"{shapes.grant_reason(first, day)}"
        )
    grant, use = _pick(session, live, purpose)
    shared = next(s for s in grant.agreement.datasets if s.dataset_id == dataset_id)
    return GrantScope(
        grant_id=grant.id,
        agreement_id=grant.agreement_id,
        agency_id=grant.agreement.provider_agency_id,
        dataset_id=dataset_id,
        fields=tuple(shared.fields),
        row_filter=shared.row_filter,
        use_id=use.id,
        purpose=use.purpose,
        actor=actor.label,
    )


def _pick(
    session: Session, live: Sequence[AccessGrant], purpose: str | None
) -> tuple[AccessGrant, UseSession]:
    """The grant with an open use session (the newest), or a new one for a stated purpose."""
    opened = [(g, u) for g in live if (u := _open_use(session, g.id)) is not None]
    if purpose and purpose.strip():
        for grant, use in opened:
            if use.purpose == purpose.strip():
                return grant, use
        return live[0], _start_use(session, live[0], purpose)
    if not opened:
        raise NotAuthorized(PURPOSE_HOW.format(grant=live[0].id), data={"grant_id": live[0].id})
    return max(opened, key=lambda pair: (pair[1].opened_at, pair[1].id))


def record_read(
    session: Session, scope: GrantScope, fields: Sequence[str], query: str, row_count: int
) -> None:
    """Write one `data.read` entry for a query answered under a grant."""
    use = session.get(UseSession, scope.use_id)
    if use is not None:
        use.reads += 1
    audit.append(
        session,
        actor=scope.actor,
        action="data.read",
        agency_id=scope.agency_id,
        dataset_id=scope.dataset_id,
        details={
            "agreement_id": scope.agreement_id,
            "grant_id": scope.grant_id,
            "fields": list(fields),
            "query": query[:4000],
            "row_count": row_count,
            "purpose": scope.purpose,
        },
    )
    session.flush()


# the provider's data officer --------------------------------------------------------------


def agency_grants(session: Session, actor: Actor, slug: str) -> list[GrantPublic]:
    """Every grant of the agency's agreements as provider (its ADO, the CDO)."""
    agency = get_agency(session, slug)
    require(actor, "sharing.grants", agency.id, what=f"the grants of {agency.name}")
    rows = session.scalars(
        select(AccessGrant)
        .join(Agreement, Agreement.id == AccessGrant.agreement_id)
        .where(Agreement.provider_agency_id == agency.id)
        .order_by(AccessGrant.agreement_id, AccessGrant.id)
    )
    day = agreements.today()
    return [shapes.grant_public(g, day, _open_use(session, g.id)) for g in rows]


def _managed_grant(session: Session, actor: Actor, grant_id: int) -> AccessGrant:
    grant = agreements.get_row(session, AccessGrant, grant_id)
    if grant is None:
        raise NotFound(f"no grant {grant_id}")
    provider = grant.agreement.provider
    require(actor, "sharing.grants", provider.id, what=f"grant {grant_id} of {provider.name}")
    return grant


def _refuse_revoked(grant: AccessGrant) -> None:
    if grant.revoked_at is not None:
        raise Conflict(
            f"grant {grant.id} is revoked: name {grant.user.email} on the agreement again to "
            "restore it"
        )


def suspend(session: Session, actor: Actor, grant_id: int, reason: str = "") -> GrantPublic:
    """Stop a grant at once (until resumed)."""
    grant = _managed_grant(session, actor, grant_id)
    _refuse_revoked(grant)
    if grant.suspended_at is not None:
        raise Conflict(f"grant {grant_id} is already suspended")
    grant.suspended_at, grant.suspended_by, grant.suspend_reason = now(), actor.label, reason
    _note(session, actor, grant, "grant.suspend", reason)
    return shapes.grant_public(grant, agreements.today(), None)


def resume(session: Session, actor: Actor, grant_id: int) -> GrantPublic:
    grant = _managed_grant(session, actor, grant_id)
    _refuse_revoked(grant)
    if grant.suspended_at is None:
        raise Conflict(f"grant {grant_id} is not suspended")
    grant.suspended_at = grant.suspended_by = grant.suspend_reason = None
    _note(session, actor, grant, "grant.resume", "")
    return shapes.grant_public(grant, agreements.today(), None)


def _note(session: Session, actor: Actor, grant: AccessGrant, action: str, reason: str) -> None:
    verb = "resumed" if action == "grant.resume" else "suspended"
    text = f"grant of {grant.user.email} {verb}"
    agreements.note(session, grant.agreement, actor, action, note_text=f"{text} {reason}".strip())
    audit.append(
        session,
        actor=actor.label,
        action=action,
        agency_id=grant.agreement.provider_agency_id,
        details={"agreement_id": grant.agreement_id, "grant_id": grant.id, "reason": reason},
    )
    session.flush()
