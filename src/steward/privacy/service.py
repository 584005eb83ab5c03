"""Suppression policies: the built-in ones and the versioned ones agencies (and the CDO, for the
state's model policy) store. Every change is a new version; releases keep the version they used.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from steward.accounts.policy import Actor, require
from steward.catalog.models import Agency
from steward.catalog.service import get_agency
from steward.errors import Conflict, NotFound
from steward.privacy.models import PrivacyPolicy
from steward.privacy.policy import BUILTIN, Policy, policy_from_dict
from steward.privacy.schemas import PolicyCreate, PolicyPublic


def _builtin_public(policy: Policy) -> PolicyPublic:
    return PolicyPublic(
        name=policy.name,
        version=0,
        agency=None,
        data_type="",
        is_model=False,
        builtin=True,
        rule=policy.describe_rule(),
        rules=policy.to_dict(),
        created_by="steward",
        created_at=None,
    )


def _public(session: Session, row: PrivacyPolicy) -> PolicyPublic:
    policy = policy_from_dict({"name": row.name, **row.rules})
    agency = session.get(Agency, row.agency_id) if row.agency_id is not None else None
    return PolicyPublic(
        name=row.name,
        version=row.version,
        agency=agency.slug if agency else None,
        data_type=row.data_type,
        is_model=row.is_model,
        builtin=False,
        rule=policy.describe_rule(),
        rules=policy.to_dict(),
        created_by=row.created_by,
        created_at=row.created_at,
    )


def _latest_rows(session: Session) -> list[PrivacyPolicy]:
    newest = (
        select(PrivacyPolicy.name, func.max(PrivacyPolicy.version).label("version"))
        .group_by(PrivacyPolicy.name)
        .subquery()
    )
    query = select(PrivacyPolicy).join(
        newest,
        (PrivacyPolicy.name == newest.c.name) & (PrivacyPolicy.version == newest.c.version),
    )
    return list(session.scalars(query.order_by(PrivacyPolicy.name)))


def list_policies(session: Session) -> list[PolicyPublic]:
    """Every policy (public: they are the rules the state publishes by), latest versions."""
    stored = [_public(session, row) for row in _latest_rows(session)]
    return [*(_builtin_public(p) for p in BUILTIN.values()), *stored]


def policy_versions(session: Session, name: str) -> list[PolicyPublic]:
    if name in BUILTIN:
        return [_builtin_public(BUILTIN[name])]
    rows = session.scalars(
        select(PrivacyPolicy).where(PrivacyPolicy.name == name).order_by(PrivacyPolicy.version)
    ).all()
    if not rows:
        raise NotFound(f"no policy {name!r}")
    return [_public(session, row) for row in rows]


def stored_policy(session: Session, name: str, version: int | None = None) -> tuple[Policy, int]:
    """A policy and its version (0 for a built-in one); the latest version unless one is named."""
    if name in BUILTIN:
        return BUILTIN[name], 0
    query = select(PrivacyPolicy).where(PrivacyPolicy.name == name)
    if version is not None:
        query = query.where(PrivacyPolicy.version == version)
    row = session.scalars(query.order_by(PrivacyPolicy.version.desc())).first()
    if row is None:
        known = ", ".join(sorted(BUILTIN))
        raise NotFound(f"no policy {name!r} (built in: {known}; or one stored for an agency)")
    return policy_from_dict({"name": row.name, **row.rules}), row.version


def resolve_policy(session: Session, name: str) -> Policy:
    return stored_policy(session, name)[0]


def create_policy(session: Session, actor: Actor, data: PolicyCreate) -> PolicyPublic:
    """Store a policy, or the next version of it. An agency's policy needs its ADO; the model
    policy (no agency) needs the CDO."""
    agency_id = get_agency(session, data.agency).id if data.agency else None
    if agency_id is None:
        require(actor, "privacy.model_policy", None, what="the model policy")
    else:
        require(actor, "privacy.policy", agency_id, what=f"a policy of {data.agency}")
    if data.name in BUILTIN:
        raise Conflict(f"{data.name!r} is a built-in policy; choose another name")
    policy = policy_from_dict({**data.rules, "name": data.name})
    latest = session.scalars(
        select(PrivacyPolicy)
        .where(PrivacyPolicy.name == data.name)
        .order_by(PrivacyPolicy.version.desc())
    ).first()
    if latest is not None and latest.agency_id != agency_id:
        raise Conflict(f"policy {data.name!r} belongs to another agency")
    rules = {key: value for key, value in policy.to_dict().items() if key != "name"}
    row = PrivacyPolicy(
        name=data.name,
        version=(latest.version + 1) if latest else 1,
        agency_id=agency_id,
        data_type=data.data_type,
        is_model=agency_id is None,
        rules=rules,
        created_by=actor.label,
    )
    session.add(row)
    session.flush()
    return _public(session, row)
