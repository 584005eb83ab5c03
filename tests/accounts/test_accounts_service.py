"""Account use cases through the service: who may add people and hand out which roles, sign-in
rules, sessions and tokens, and the sign-in throttle."""

from __future__ import annotations

from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from steward.accounts import credentials, service
from steward.accounts.models import ApiToken, User
from steward.accounts.policy import ANONYMOUS, SYSTEM, Actor
from steward.accounts.schemas import (
    PasswordChange,
    RoleGrant,
    TokenCreate,
    UserCreate,
    UserPublic,
)
from steward.accounts.throttle import LoginThrottle
from steward.db import Database
from steward.db.base import utcnow
from steward.errors import (
    Conflict,
    Invalid,
    NotAuthenticated,
    NotAuthorized,
    NotFound,
    RateLimited,
)

from .conftest import PASSWORD, add_user

People = dict[str, UserPublic]


def actor(database: Database, email: str) -> Actor:
    with database.session() as session:
        return service.actor_by_email(session, email)


def new_person(
    email: str, agency: str | None = "dph", roles: list[str] | None = None
) -> UserCreate:
    grants = [
        RoleGrant.model_validate(
            {"role": r.partition("@")[0], "agency": r.partition("@")[2] or None}
        )
        for r in roles or []
    ]
    return UserCreate(email=email, name="A Person", agency=agency, roles=grants)


def roles_of(user: UserPublic) -> set[str]:
    return {f"{r.role}@{r.agency}" if r.agency else r.role for r in user.roles}


# people and roles -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["analyst", "steward", "ado"])
def test_an_ado_adds_people_with_roles_in_their_own_agency(
    store: Database, people: People, role: str
) -> None:
    ado = actor(store, "ado@dph.ct.gov")
    with store.session() as session:
        added = service.create_user(
            session, ado, new_person("new@dph.ct.gov", roles=[f"{role}@dph"])
        )
    assert roles_of(added) == {f"{role}@dph"} and added.agency == "dph"
    assert added.roles[0].granted_by == "ado@dph.ct.gov"
    assert not added.has_password  # they get one from the operator or SSO later


@pytest.mark.parametrize(
    ("agency", "roles"),
    [("opm", []), ("dph", ["steward@opm"]), ("dph", ["cdo"]), (None, [])],
    ids=["other-agency", "role-elsewhere", "cdo-role", "no-agency"],
)
def test_an_ado_cannot_reach_beyond_their_agency(
    store: Database, people: People, agency: str | None, roles: list[str]
) -> None:
    ado = actor(store, "ado@dph.ct.gov")
    with pytest.raises(NotAuthorized), store.session() as session:
        service.create_user(session, ado, new_person("new@dph.ct.gov", agency, roles))
    with store.session() as session:  # nothing half-made
        assert session.scalar(select(User).where(User.email == "new@dph.ct.gov")) is None


def test_an_ado_grants_and_revokes_roles_in_their_agency_only(
    store: Database, people: People
) -> None:
    ado = actor(store, "ado@dph.ct.gov")
    analyst = "analyst@dph.ct.gov"
    with store.session() as session:
        user = service.grant_role(session, ado, analyst, RoleGrant(role="steward", agency="dph"))
        assert roles_of(user) == {"analyst@dph", "steward@dph"}
        with pytest.raises(Conflict):
            service.grant_role(session, ado, analyst, RoleGrant(role="steward", agency="dph"))
        user = service.revoke_role(session, ado, analyst, RoleGrant(role="analyst", agency="dph"))
        assert roles_of(user) == {"steward@dph"}
        with pytest.raises(NotFound):
            service.revoke_role(session, ado, analyst, RoleGrant(role="analyst", agency="dph"))
    for grant in (RoleGrant(role="analyst", agency="opm"), RoleGrant(role="cdo")):
        with pytest.raises(NotAuthorized), store.session() as session:
            service.grant_role(session, ado, analyst, grant)
    with pytest.raises(NotAuthorized), store.session() as session:
        service.revoke_role(session, ado, "ado@opm.ct.gov", RoleGrant(role="ado", agency="opm"))


def test_the_cdo_manages_everyone(store: Database, people: People) -> None:
    cdo = actor(store, "cdo@ct.gov")
    with store.session() as session:
        added = service.create_user(
            session, cdo, new_person("deputy@ct.gov", None, ["cdo", "ado@opm"])
        )
        assert roles_of(added) == {"cdo", "ado@opm"}
        service.revoke_role(session, cdo, "deputy@ct.gov", RoleGrant(role="cdo"))
        service.set_active(session, cdo, "ado@opm.ct.gov", False)
        everyone = service.list_users(session, cdo)
    assert [u.email for u in everyone] == sorted(u.email for u in everyone)
    assert {u.email for u in everyone if not u.is_active} == {"ado@opm.ct.gov"}


def test_role_grants_name_an_agency_except_cdo(store: Database, people: People) -> None:
    cdo = actor(store, "cdo@ct.gov")
    for grant, error in [
        (RoleGrant(role="steward"), Invalid),
        (RoleGrant(role="cdo", agency="dph"), Invalid),
        (RoleGrant(role="steward", agency="nope"), NotFound),
    ]:
        with pytest.raises(error), store.session() as session:
            service.grant_role(session, cdo, "analyst@dph.ct.gov", grant)


def test_people_are_seen_by_their_agencies_and_the_cdo(store: Database, people: People) -> None:
    with store.session() as session:
        dph = service.list_users(session, actor(store, "analyst@dph.ct.gov"), agency="dph")
        assert {u.email for u in dph} == {
            "analyst@dph.ct.gov",
            "steward@dph.ct.gov",
            "ado@dph.ct.gov",
        }
        seen = service.get_user(session, actor(store, "analyst@dph.ct.gov"), "ado@dph.ct.gov")
        assert seen.email == "ado@dph.ct.gov"
        mine = service.get_user(session, actor(store, "ado@opm.ct.gov"), "ADO@opm.ct.gov")
        assert mine.email == "ado@opm.ct.gov"
    checks = [
        (
            lambda s: service.list_users(s, actor(store, "ado@opm.ct.gov"), agency="dph"),
            NotAuthorized,
        ),
        (lambda s: service.list_users(s, actor(store, "ado@dph.ct.gov")), NotAuthorized),
        (lambda s: service.list_users(s, ANONYMOUS, agency="dph"), NotAuthenticated),
        (lambda s: service.get_user(s, ANONYMOUS, "ado@dph.ct.gov"), NotAuthenticated),
    ]
    for call, error in checks:
        with pytest.raises(error), store.session() as session:
            call(session)


def test_emails_cannot_be_probed(store: Database, people: People) -> None:
    """Someone who may not see a person gets the same refusal whether or not they exist."""
    outsider = actor(store, "ado@opm.ct.gov")
    answers = []
    for email in ("steward@dph.ct.gov", "nobody@dph.ct.gov"):
        for call in (
            lambda s, e=email: service.get_user(s, outsider, e),
            lambda s, e=email: service.set_active(s, outsider, e, False),
            lambda s, e=email: service.grant_role(
                s, outsider, e, RoleGrant(role="analyst", agency="dph")
            ),
        ):
            with pytest.raises(NotAuthorized) as refused, store.session() as session:
                call(session)
            answers.append((type(refused.value), refused.value.message.replace(email, "")))
    assert answers[:3] == answers[3:]
    with pytest.raises(NotFound), store.session() as session:  # the CDO may know
        service.get_user(session, actor(store, "cdo@ct.gov"), "nobody@dph.ct.gov")


def test_an_ado_cannot_switch_off_the_cdo_or_people_of_other_agencies(
    store: Database, people: People
) -> None:
    add_user(store, "shared@dph.ct.gov", ["analyst@dph", "steward@opm"])
    add_user(store, "chief@ct.gov", ["cdo"], agency="dph")
    ado = actor(store, "ado@dph.ct.gov")
    for email in ("shared@dph.ct.gov", "chief@ct.gov"):
        with pytest.raises(NotAuthorized), store.session() as session:
            service.set_active(session, ado, email, False)
    with store.session() as session:
        assert service.set_active(session, ado, "steward@dph.ct.gov", False).is_active is False
        with pytest.raises(Conflict):
            service.set_active(session, ado, "ado@dph.ct.gov", False)


def test_new_people_are_checked(store: Database, people: People) -> None:
    cdo = actor(store, "cdo@ct.gov")
    with pytest.raises(Conflict), store.session() as session:
        service.create_user(session, cdo, new_person("Steward@DPH.ct.gov "))
    for password, message in [
        ("short", "at least 10"),
        ("x" * 257, "at most 256"),
        ("new@dph.ct.gov", "may not be the email"),
    ]:
        data = new_person("new@dph.ct.gov").model_copy(update={"password": password})
        with pytest.raises(Invalid, match=message), store.session() as session:
            service.create_user(session, cdo, data)


# passwords, sign-in, sessions -----------------------------------------------------------------


def test_sign_in_checks_the_password_and_the_account(store: Database, people: People) -> None:
    with store.session() as session:
        user = service.authenticate(session, " Steward@DPH.ct.gov ", PASSWORD)
        assert user.email == "steward@dph.ct.gov" and user.last_login_at is not None
        for email, password in [
            ("steward@dph.ct.gov", "wrong-password"),
            ("nobody@dph.ct.gov", PASSWORD),
            ("", ""),
        ]:
            with pytest.raises(NotAuthenticated, match="wrong email or password"):
                service.authenticate(session, email, password)
        service.set_active(session, SYSTEM, "analyst@dph.ct.gov", False)
        with pytest.raises(NotAuthenticated, match="wrong email or password"):
            service.authenticate(session, "analyst@dph.ct.gov", PASSWORD)
    add_user(store, "nopass@dph.ct.gov", ["analyst@dph"], password=None)
    with pytest.raises(NotAuthenticated), store.session() as session:
        service.authenticate(session, "nopass@dph.ct.gov", "")


def test_an_outdated_hash_is_upgraded_at_sign_in(
    store: Database, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    stronger = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    monkeypatch.setattr(credentials, "_hasher", stronger)
    with store.session() as session:
        service.authenticate(session, "steward@dph.ct.gov", PASSWORD)
    with store.session() as session:
        stored = session.scalar(
            select(User.password_hash).where(User.email == "steward@dph.ct.gov")
        )
    assert stored is not None and "m=2048,t=2,p=1" in stored


def test_sessions_end_with_password_changes_and_sign_out(store: Database, people: People) -> None:
    with store.session() as session:
        user = service.authenticate(session, "steward@dph.ct.gov", PASSWORD)
        first, second = (
            service.start_session(session, user, 1),
            service.start_session(session, user, 1),
        )
        me = service.actor_for_session(session, first)
        assert me is not None and me.email == "steward@dph.ct.gov"
        service.end_session(session, first)
        assert service.actor_for_session(session, first) is None
        assert service.actor_for_session(session, second) is not None
        with pytest.raises(Invalid, match="current password is wrong"):
            service.change_password(
                session, me, PasswordChange(current_password="nope", new_password="x" * 12)
            )
        service.change_password(
            session, me, PasswordChange(current_password=PASSWORD, new_password="x" * 12)
        )
        assert service.actor_for_session(session, second) is None
        short = service.start_session(session, user, hours=-1)
        assert service.actor_for_session(session, short) is None
        assert service.actor_for_session(session, "not-a-session") is None


def test_only_the_operator_and_the_cdo_set_passwords(store: Database, people: People) -> None:
    with store.session() as session:
        service.reset_password(session, SYSTEM, "analyst@dph.ct.gov", "operator-chosen-1")
        service.reset_password(
            session, actor(store, "cdo@ct.gov"), "analyst@dph.ct.gov", "cdo-chosen-12"
        )
        service.authenticate(session, "analyst@dph.ct.gov", "cdo-chosen-12")
    with pytest.raises(NotAuthorized), store.session() as session:
        service.reset_password(
            session, actor(store, "ado@dph.ct.gov"), "analyst@dph.ct.gov", "ado-chosen-12"
        )


def test_the_system_and_the_public_have_no_account(store: Database, people: People) -> None:
    with pytest.raises(Invalid, match="--as"):
        service.require_signed_in(SYSTEM)
    with pytest.raises(NotAuthenticated):
        service.require_signed_in(ANONYMOUS)
    with pytest.raises(Invalid, match="--as"), store.session() as session:
        service.create_token(session, SYSTEM, TokenCreate(name="x"))
    with pytest.raises(NotFound), store.session() as session:
        service.actor_by_email(session, "nobody@ct.gov")
    with store.session() as session:
        assert service.actor_by_email(session, None) is SYSTEM
        service.set_active(session, SYSTEM, "analyst@dph.ct.gov", False)
    with pytest.raises(Invalid, match="deactivated"), store.session() as session:
        service.actor_by_email(session, "analyst@dph.ct.gov")


# tokens ---------------------------------------------------------------------------------


def test_tokens_belong_to_their_owner_and_expire(store: Database, people: People) -> None:
    steward, analyst = actor(store, "steward@dph.ct.gov"), actor(store, "analyst@dph.ct.gov")
    with store.session() as session:
        made = service.create_token(session, steward, TokenCreate(name=" nightly load "))
        forever = service.create_token(
            session, steward, TokenCreate(name="x", expires_in_days=None)
        )
        assert made.name == "nightly load" and made.status == "active"
        assert made.expires_at is not None and forever.expires_at is None
        found = service.actor_for_token(session, made.token)
        assert found is not None and found.email == "steward@dph.ct.gov"
        with pytest.raises(NotFound):
            service.revoke_token(session, analyst, made.id)  # not theirs
        assert [t.id for t in service.list_tokens(session, analyst)] == []
        session.get(ApiToken, forever.id).expires_at = utcnow() - timedelta(seconds=1)  # type: ignore[union-attr]
        assert service.actor_for_token(session, forever.token) is None
        listed = {t.id: t.status for t in service.list_tokens(session, steward)}
        assert listed == {made.id: "active", forever.id: "expired"}
        assert service.revoke_token(session, steward, made.id).status == "revoked"
        assert service.revoke_token(session, steward, made.id).status == "revoked"  # again: same
        assert service.actor_for_token(session, made.token) is None
        used = {t.id: t.last_used_at for t in service.list_tokens(session, steward)}
        assert used[made.id] is not None and used[forever.id] is None


# the sign-in throttle ---------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_throttle_counts_failures_per_account_and_address() -> None:
    clock = Clock()
    throttle = LoginThrottle(per_account=2, per_address=3, window_s=60, clock=clock)
    throttle.failed("A@x.gov ", "1.1.1.1")
    throttle.failed(" a@X.gov", "2.2.2.2")
    with pytest.raises(RateLimited) as limited:
        throttle.check("a@x.gov", "3.3.3.3")
    assert limited.value.data["retry_after"] == 61
    throttle.check("b@x.gov", "1.1.1.1")  # another account from the same address: fine
    throttle.failed("b@x.gov", "1.1.1.1")
    throttle.failed("c@x.gov", "1.1.1.1")
    with pytest.raises(RateLimited):
        throttle.check("d@x.gov", "1.1.1.1")  # the address has used its three
    clock.now = 61
    throttle.check("a@x.gov", "1.1.1.1")  # the window has passed
    throttle.failed("e@x.gov", "4.4.4.4")
    throttle.failed("e@x.gov", "4.4.4.4")
    throttle.succeeded("E@x.gov")  # a success clears the account's count
    throttle.check("e@x.gov", "5.5.5.5")
