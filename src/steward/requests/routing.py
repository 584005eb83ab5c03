"""Who handles a request: its agency's data officers, or the CDO when the agency is unknown (or
has no data officer yet); and which requests an actor may work."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from steward.accounts.models import RoleAssignment, User
from steward.accounts.policy import RANK, RULES, Actor, permits, require


def handlers(session: Session, agency_id: int | None) -> list[str]:
    """Emails of the active ADOs of the agency; the CDOs when there are none."""
    if agency_id is not None:
        ados = _emails(session, "ado", agency_id)
        if ados:
            return ados
    return _emails(session, "cdo", None)


def _emails(session: Session, role: str, agency_id: int | None) -> list[str]:
    query = (
        select(User.email)
        .join(RoleAssignment, RoleAssignment.user_id == User.id)
        .where(RoleAssignment.role == role, User.is_active.is_(True))
    )
    if agency_id is not None:
        query = query.where(RoleAssignment.agency_id == agency_id)
    return sorted(set(session.scalars(query)))


def agencies_for(actor: Actor, action: str) -> frozenset[int] | None:
    """The agencies whose requests the actor may `action`: None means every agency (the CDO, the
    system), which includes requests no agency holds yet. Raises when there is none at all."""
    if permits(actor, action, None):
        return None
    need = RULES[action]
    ids = frozenset(agency for agency, role in actor.agency_roles if RANK[role] >= need)
    if not ids:
        require(actor, action, None, what="data requests")
    return ids


def may(scope: frozenset[int] | None, agency_id: int | None) -> bool:
    return scope is None or agency_id in scope
