"""Account use cases: people, their roles, signing in, sessions and API tokens.

Pages, the API and the CLI call these; each takes the acting `Actor` and checks the policy.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from steward.accounts import credentials
from steward.accounts.models import ApiToken, RoleAssignment, User, UserSession
from steward.accounts.policy import SYSTEM, Actor, permits, require
from steward.accounts.schemas import (
    PasswordChange,
    RoleGrant,
    RolePublic,
    TokenCreate,
    TokenCreated,
    TokenPublic,
    UserCreate,
    UserPublic,
)
from steward.audit import log as audit_log
from steward.catalog.models import Agency
from steward.db.base import utcnow
from steward.errors import Conflict, Invalid, NotAuthenticated, NotFound

SIGN_IN_FAILED = "wrong email or password"


def create_user(session: Session, actor: Actor, data: UserCreate) -> UserPublic:
    home = _agency(session, data.agency) if data.agency else None
    require(actor, "people.manage", home.id if home else None, what=f"user {data.email}")
    if session.scalar(select(User.id).where(User.email == data.email)) is not None:
        raise Conflict(f"a user with email {data.email} exists")
    user = User(email=data.email, name=data.name.strip(), agency_id=home.id if home else None)
    if data.password is not None:
        _set_password(user, data.password)
    session.add(user)
    session.flush()
    for grant in data.roles:
        _grant(session, actor, user, grant)
    session.flush()
    return user_public(session, user)


def require_signed_in(actor: Actor) -> None:
    require(actor, "account.self")
    if actor.user_id is None:
        raise Invalid("the system actor has no account; use --as EMAIL")


def list_users(session: Session, actor: Actor, agency: str | None = None) -> list[UserPublic]:
    """Everyone (CDO) or the people of one agency: its home users and its role holders."""
    query = select(User).order_by(User.email)
    if agency is None:
        require(actor, "people.manage_cdo", what="all users")
    else:
        found = _agency(session, agency)
        require(actor, "people.view", found.id, what=f"the people of {found.name}")
        holders = select(RoleAssignment.user_id).where(RoleAssignment.agency_id == found.id)
        query = query.where((User.agency_id == found.id) | User.id.in_(holders))
    return [user_public(session, user) for user in session.scalars(query)]


def get_user(session: Session, actor: Actor, email: str) -> UserPublic:
    if actor.email is not None and actor.email == email.strip().lower():
        return user_public(session, _user(session, email))
    return user_public(session, _permitted_user(session, actor, "people.view", email))


def grant_role(session: Session, actor: Actor, email: str, grant: RoleGrant) -> UserPublic:
    _grant_agency_id(session, actor, grant)  # may the actor hand this out at all? (before 404)
    user = _user(session, email)
    _grant(session, actor, user, grant)
    session.flush()
    session.refresh(user)
    return user_public(session, user)


def revoke_role(session: Session, actor: Actor, email: str, grant: RoleGrant) -> UserPublic:
    agency_id = _grant_agency_id(session, actor, grant)
    user = _user(session, email)
    held = next((r for r in user.roles if r.role == grant.role and r.agency_id == agency_id), None)
    if held is None:
        raise NotFound(f"{email} does not hold {_grant_label(grant)}")
    user.roles.remove(held)
    session.flush()
    details = {"user": user.email, "role": grant.role}
    audit_log.append(
        session, actor=actor.label, action="role.revoke", agency_id=agency_id, details=details
    )
    return user_public(session, user)


def set_active(session: Session, actor: Actor, email: str, active: bool) -> UserPublic:
    """Deactivate (or reactivate) a user; deactivation ends their sessions and tokens at once."""
    user = _permitted_user(session, actor, "people.manage", email)
    if actor.user_id == user.id and not active:
        raise Conflict("you cannot deactivate yourself")
    user.is_active = active
    if not active:
        _end_all_sessions(session, user.id)
        session.execute(
            update(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
    session.flush()
    return user_public(session, user)


def reset_password(session: Session, actor: Actor, email: str, password: str) -> None:
    """Set a password without the old one: the local operator only (CLI), e.g. the first CDO."""
    if not actor.is_system:
        require(actor, "people.manage_cdo", what=f"the password of {email}")
    user = _user(session, email)
    _set_password(user, password)
    _end_all_sessions(session, user.id)
    session.flush()


def change_password(session: Session, actor: Actor, change: PasswordChange) -> None:
    """A signed-in user changes their own password; every session of theirs ends."""
    require(actor, "account.self")
    user = session.get(User, actor.user_id)
    if user is None or not credentials.verify_password(user.password_hash, change.current_password):
        raise Invalid("the current password is wrong")
    _set_password(user, change.new_password)
    _end_all_sessions(session, user.id)
    session.flush()


# signing in -------------------------------------------------------------------------------


def authenticate(session: Session, email: str, password: str) -> User:
    """The active user with this email and password, or NotAuthenticated (same message either
    way, so the answer does not reveal which accounts exist)."""
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.is_active:
        credentials.verify_password(None, password)
        raise NotAuthenticated(SIGN_IN_FAILED)
    if not credentials.verify_password(user.password_hash, password):
        raise NotAuthenticated(SIGN_IN_FAILED)
    if user.password_hash and credentials.needs_rehash(user.password_hash):
        user.password_hash = credentials.hash_password(password)
    user.last_login_at = utcnow()
    session.flush()
    return user


def start_session(session: Session, user: User, hours: float) -> str:
    """A fresh session for a user who just proved who they are; returns the cookie token."""
    token = credentials.new_token("")
    session.add(
        UserSession(
            token_hash=credentials.digest(token),
            user_id=user.id,
            expires_at=utcnow() + timedelta(hours=hours),
        )
    )
    session.flush()
    return token


def end_session(session: Session, token: str) -> None:
    session.execute(
        update(UserSession)
        .where(UserSession.token_hash == credentials.digest(token))
        .values(revoked_at=utcnow())
    )


def actor_for_session(session: Session, token: str) -> Actor | None:
    row = session.scalar(
        select(UserSession).where(UserSession.token_hash == credentials.digest(token))
    )
    if row is None or row.revoked_at is not None or row.expires_at <= utcnow():
        return None
    user = session.get(User, row.user_id)
    return actor_of(user) if user is not None and user.is_active else None


def actor_for_token(session: Session, token: str) -> Actor | None:
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == credentials.digest(token)))
    if row is None or _token_status(row) != "active":
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        return None
    row.last_used_at = utcnow()
    return actor_of(user)


def actor_of(user: User) -> Actor:
    agency_roles = frozenset(
        (role.agency_id, role.role) for role in user.roles if role.agency_id is not None
    )
    return Actor(
        user_id=user.id,
        name=user.name,
        email=user.email,
        agency_roles=agency_roles,
        is_cdo=any(role.role == "cdo" for role in user.roles),
    )


def actor_by_email(session: Session, email: str | None) -> Actor:
    """The CLI's `--as EMAIL`; without it the local operator acts as the system."""
    if email is None:
        return SYSTEM
    user = _user(session, email)
    if not user.is_active:
        raise Invalid(f"user {email} is deactivated")
    return actor_of(user)


# API tokens -------------------------------------------------------------------------------


def create_token(session: Session, actor: Actor, data: TokenCreate) -> TokenCreated:
    require(actor, "account.self")
    if actor.user_id is None:
        raise Invalid("API tokens belong to a user; use --as EMAIL")
    secret = credentials.new_token()
    expires = utcnow() + timedelta(days=data.expires_in_days) if data.expires_in_days else None
    row = ApiToken(
        token_hash=credentials.digest(secret),
        prefix=secret[:10],
        user_id=actor.user_id,
        name=data.name.strip(),
        expires_at=expires,
    )
    session.add(row)
    session.flush()
    return TokenCreated(**_token_public(row).model_dump(), token=secret)


def list_tokens(session: Session, actor: Actor) -> list[TokenPublic]:
    require(actor, "account.self")
    rows = session.scalars(
        select(ApiToken).where(ApiToken.user_id == actor.user_id).order_by(ApiToken.id.desc())
    )
    return [_token_public(row) for row in rows]


def revoke_token(session: Session, actor: Actor, token_id: int) -> TokenPublic:
    require(actor, "account.self")
    row = session.get(ApiToken, token_id)
    if row is None or row.user_id != actor.user_id:
        raise NotFound(f"you have no token {token_id}")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.flush()
    return _token_public(row)


# shapes and helpers -----------------------------------------------------------------------


def user_public(session: Session, user: User) -> UserPublic:
    agencies = {a.id: a for a in session.scalars(select(Agency))}
    home = agencies.get(user.agency_id) if user.agency_id else None
    roles = [
        RolePublic(
            role=role.role,  # type: ignore[arg-type]
            agency=agencies[role.agency_id].slug if role.agency_id else None,
            agency_name=agencies[role.agency_id].name if role.agency_id else None,
            granted_by=role.granted_by,
            granted_at=role.granted_at,
        )
        for role in sorted(user.roles, key=lambda r: (r.agency_id or 0, r.role))
    ]
    return UserPublic(
        id=user.id,
        email=user.email,
        name=user.name,
        agency=home.slug if home else None,
        is_active=user.is_active,
        has_password=user.password_hash is not None,
        created_at=user.created_at,
        last_login_at=user.last_login_at,
        roles=roles,
    )


def _grant(session: Session, actor: Actor, user: User, grant: RoleGrant) -> None:
    agency_id = _grant_agency_id(session, actor, grant)
    if any(r.role == grant.role and r.agency_id == agency_id for r in user.roles):
        raise Conflict(f"{user.email} already holds {_grant_label(grant)}")
    user.roles.append(RoleAssignment(role=grant.role, agency_id=agency_id, granted_by=actor.label))
    details = {"user": user.email, "role": grant.role}
    audit_log.append(
        session, actor=actor.label, action="role.grant", agency_id=agency_id, details=details
    )


def _grant_agency_id(session: Session, actor: Actor, grant: RoleGrant) -> int | None:
    """Check the actor may hand out (or take back) this role; return its agency id."""
    if grant.role == "cdo":
        if grant.agency is not None:
            raise Invalid("the cdo role is state-wide: give no agency")
        require(actor, "people.manage_cdo", what="the cdo role")
        return None
    if grant.agency is None:
        raise Invalid(f"the {grant.role} role is held in an agency: give its slug")
    agency = _agency(session, grant.agency)
    require(actor, "people.manage", agency.id, what=f"roles in {agency.name}")
    return agency.id


def _grant_label(grant: RoleGrant) -> str:
    return grant.role if grant.agency is None else f"{grant.role} in {grant.agency}"


def _set_password(user: User, password: str) -> None:
    credentials.check_password_rules(password, email=user.email)
    user.password_hash = credentials.hash_password(password)
    user.password_changed_at = utcnow()


def _end_all_sessions(session: Session, user_id: int) -> None:
    session.execute(
        update(UserSession)
        .where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def _token_status(row: ApiToken) -> str:
    if row.revoked_at is not None:
        return "revoked"
    if row.expires_at is not None and row.expires_at <= utcnow():
        return "expired"
    return "active"


def _token_public(row: ApiToken) -> TokenPublic:
    return TokenPublic(
        id=row.id,
        name=row.name,
        prefix=row.prefix,
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        last_used_at=row.last_used_at,
        status=_token_status(row),  # type: ignore[arg-type]
    )


def _permitted_user(session: Session, actor: Actor, action: str, email: str) -> User:
    """The user, once the actor may do `action` to them.

    Viewing needs the role in one of the agencies the person belongs to (home or role);
    managing needs it in all of them, and a CDO is managed only by the CDO, so an ADO cannot
    switch off someone who also works elsewhere. People the actor may not see and people who
    do not exist get the same refusal, so emails cannot be probed.
    """
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    agencies: set[int | None] = set()
    if user is not None:
        agencies = {user.agency_id} | {r.agency_id for r in user.roles if r.role != "cdo"}
        agencies.discard(None)
    # No agency has id 0: for someone unknown (or in no agency) only the CDO passes, and the
    # refusal reads exactly like the one for a person of another agency.
    checks = [(action, agency_id) for agency_id in agencies or {0}]
    if action != "people.view" and user is not None and any(r.role == "cdo" for r in user.roles):
        checks.append(("people.manage_cdo", None))
    passed = [permits(actor, name, agency_id) for name, agency_id in checks]
    if not (any(passed) if action == "people.view" else all(passed)):
        name, agency_id = checks[passed.index(False)]
        require(actor, name, agency_id, what=f"user {email}")
    if user is None:
        raise NotFound(f"no user {email!r}")
    return user


def _user(session: Session, email: str) -> User:
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise NotFound(f"no user {email!r}")
    return user


def _agency(session: Session, slug: str) -> Agency:
    agency = session.scalar(select(Agency).where(Agency.slug == slug))
    if agency is None:
        raise NotFound(f"no agency {slug!r}")
    return agency


def data_officers(session: Session, agency_slug: str) -> list[tuple[str, str]]:
    """The agency's data officers (active users holding `ado` there), as (name, email).

    Public: the Act has each agency designate its data officer, and the portal names them.
    """
    agency = _agency(session, agency_slug)
    rows = session.execute(
        select(User.name, User.email)
        .join(RoleAssignment, RoleAssignment.user_id == User.id)
        .where(
            RoleAssignment.agency_id == agency.id,
            RoleAssignment.role == "ado",
            User.is_active.is_(True),
        )
        .order_by(User.name)
    )
    return [(name, email) for name, email in rows]
