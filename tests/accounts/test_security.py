"""Security of signing in and of credentials: argon2 password hashes, tokens kept only as digests,
CSRF on every form and on cookie-authenticated API writes, no session fixation, no open
redirects, throttled guessing, deactivation that bites at once, and careful cookies."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import String, Text, select, update

from steward.accounts.models import ApiToken, User, UserSession
from steward.accounts.schemas import UserPublic
from steward.app import create_app
from steward.config import Settings
from steward.db import Database
from steward.db.base import Base, utcnow
from steward.web.auth import CSRF_COOKIE, SESSION_COOKIE

from .conftest import PASSWORD, add_user, csrf_of, page_token, sign_in

People = dict[str, UserPublic]


def new_token(web: TestClient, name: str = "script") -> dict[str, Any]:
    answer = web.post(
        "/api/v1/me/tokens", json={"name": name}, headers={"X-CSRF-Token": page_token(web)}
    )
    assert answer.status_code == 201, answer.text
    created: dict[str, Any] = answer.json()
    return created


def me(client: TestClient, **headers: str) -> int:
    return client.get("/api/v1/me", headers=headers).status_code


def session_cookie(web: TestClient) -> str | None:
    return web.cookies.get(SESSION_COOKIE)


def plant(client: TestClient, name: str, value: str) -> TestClient:
    """Put a cookie in a client's jar as if this site had set it."""
    client.cookies.set(name, value, domain="testserver.local", path="/")
    return client


def with_session(web: TestClient, value: str | None) -> TestClient:
    """A new browser holding a copy of a session cookie."""
    return plant(TestClient(web.app), SESSION_COOKIE, value or "")


# credentials at rest ----------------------------------------------------------------------


def test_passwords_are_stored_as_argon2id(
    real_argon2: None, web: TestClient, store: Database
) -> None:
    add_user(store, "cdo@ct.gov", ["cdo"])
    with store.session() as session:
        stored = session.scalar(select(User.password_hash).where(User.email == "cdo@ct.gov"))
    # argon2id in PHC format with the library's recommended cost (RFC 9106, 64 MiB, t=3, p=4)
    assert stored is not None and stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert PASSWORD not in stored
    assert PasswordHasher().verify(stored, PASSWORD)
    assert sign_in(web, "cdo@ct.gov").status_code == 303
    assert sign_in(TestClient(web.app), "cdo@ct.gov", "wrong-password").status_code == 401


def test_api_tokens_are_kept_only_as_sha256(
    web: TestClient, store: Database, people: People
) -> None:
    assert sign_in(web, "steward@dph.ct.gov").status_code == 303
    created = new_token(web)
    secret = created["token"]
    assert secret.startswith("stw_") and len(secret) > 40
    with store.session() as session:
        row = session.get(ApiToken, created["id"])
        assert row is not None
        assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
        for table in Base.metadata.sorted_tables:  # the secret is nowhere in the store
            texts = [c for c in table.columns if isinstance(c.type, String | Text)]
            for values in session.execute(select(*texts)) if texts else []:
                assert not any(secret in str(value) for value in values), table.name
    listed = web.get("/api/v1/me/tokens").json()
    assert secret not in str(listed) and listed[0]["prefix"] == secret[:10]
    assert secret not in web.get("/account").text


def test_revoked_and_expired_tokens_get_401(
    web: TestClient, store: Database, people: People
) -> None:
    sign_in(web, "steward@dph.ct.gov")
    revoked, expired, kept = new_token(web, "a"), new_token(web, "b"), new_token(web, "c")
    csrf = {"X-CSRF-Token": page_token(web)}
    assert web.delete(f"/api/v1/me/tokens/{revoked['id']}", headers=csrf).json()["status"] == (
        "revoked"
    )
    with store.session() as session:
        session.execute(
            update(ApiToken)
            .where(ApiToken.id == expired["id"])
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    anonymous = TestClient(web.app)
    for token in (revoked, expired):
        answer = anonymous.get("/api/v1/datasets", headers=bearer(token))
        assert answer.status_code == 401 and answer.headers["www-authenticate"] == "Bearer"
    assert me(anonymous, **bearer(kept)) == 200
    assert me(anonymous, Authorization="Bearer stw_made-up") == 401
    # Socrata's app token is a rate-limit key only: it never identifies anyone.
    assert me(anonymous, **{"X-App-Token": kept["token"]}) == 401


def bearer(token: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {token['token']}"}


# CSRF -----------------------------------------------------------------------------------


def test_page_forms_without_the_right_token_are_refused(
    web: TestClient, store: Database, people: People, settings: Settings
) -> None:
    sign_in(web, "steward@dph.ct.gov")
    good = page_token(web)
    other = TestClient(web.app)
    sign_in(other, "analyst@dph.ct.gov")
    someone_elses = page_token(other)
    altered = good[:-1] + ("1" if good.endswith("0") else "0")
    for token in (None, "", "0" * 64, someone_elses, altered):
        data = {"name": "forged"} | ({"csrf_token": token} if token is not None else {})
        answer = web.post("/account/tokens", data=data)
        assert answer.status_code == 403 and "expired" in answer.text
    assert web.post("/logout", data={}).status_code == 403
    assert me(web) == 200  # still signed in: the forged sign-out did nothing
    with store.session() as session:
        assert session.scalars(select(ApiToken)).all() == []
    assert web.post("/account/tokens", data={"name": "real", "csrf_token": good}).status_code == 201


def test_a_token_from_before_sign_in_does_not_work_after_it(
    web: TestClient, people: People
) -> None:
    before = csrf_of(web.get("/login").text)
    sign_in(web, "steward@dph.ct.gov")
    assert web.post("/account/tokens", data={"name": "x", "csrf_token": before}).status_code == 403


def test_sign_in_form_needs_its_token(web: TestClient, people: People) -> None:
    form = {"email": "steward@dph.ct.gov", "password": PASSWORD}
    answer = web.post("/login", data=form, follow_redirects=False)
    assert answer.status_code == 403 and session_cookie(web) is None


def test_api_writes_with_the_cookie_need_the_header(web: TestClient, people: People) -> None:
    sign_in(web, "steward@dph.ct.gov")
    body = {"name": "from a page script"}
    refused = web.post("/api/v1/me/tokens", json=body)
    assert refused.status_code == 403 and "X-CSRF-Token" in refused.json()["error"]["message"]
    wrong = web.post("/api/v1/me/tokens", json=body, headers={"X-CSRF-Token": "0" * 64})
    assert wrong.status_code == 403
    assert web.get("/api/v1/me/tokens").json() == []  # reads need no header
    token = new_token(web)  # with the page's token: accepted
    scripted = TestClient(web.app)  # a script with a bearer token needs no CSRF token
    answer = scripted.post("/api/v1/me/tokens", json=body, headers=bearer(token))
    assert answer.status_code == 201


# sessions -------------------------------------------------------------------------------


def test_signing_in_always_starts_a_new_session(web: TestClient, people: People) -> None:
    sign_in(web, "steward@dph.ct.gov")
    first = session_cookie(web)
    sign_in(web, "steward@dph.ct.gov")
    second = session_cookie(web)
    assert first and second and first != second
    assert me(with_session(web, second)) == 200
    assert me(with_session(web, first)) == 401  # the session before was ended, not carried over


def test_a_planted_session_cookie_never_becomes_signed_in(
    web: TestClient, people: People, settings: Settings
) -> None:
    attacker = TestClient(web.app)
    sign_in(attacker, "analyst@dph.ct.gov")
    planted = session_cookie(attacker)
    assert planted is not None
    for value in (planted, "made-up", planted.split(".")[0] + ".forged"):
        victim = with_session(web, value)
        plant(victim, CSRF_COOKIE, "attacker-chosen-nonce-0123456789")
        assert sign_in(victim, "steward@dph.ct.gov").status_code == 303
        assert session_cookie(victim) != value
        assert victim.get("/api/v1/me").json()["email"] == "steward@dph.ct.gov"
        assert victim.cookies.get(CSRF_COOKIE) != "attacker-chosen-nonce-0123456789"
        assert me(with_session(web, value)) == 401


def test_signing_out_ends_the_session_on_the_server(web: TestClient, people: People) -> None:
    sign_in(web, "steward@dph.ct.gov")
    old = session_cookie(web)
    assert me(with_session(web, old)) == 200  # a copy of the cookie works while signed in
    answer = web.post("/logout", data={"csrf_token": page_token(web)}, follow_redirects=False)
    assert answer.status_code == 303 and me(web) == 401
    replay = with_session(web, old)
    assert me(replay) == 401
    assert "Sign in" in replay.get("/").text


def test_changing_the_password_ends_the_other_sessions(
    web: TestClient, store: Database, people: People
) -> None:
    other = TestClient(web.app)
    sign_in(other, "steward@dph.ct.gov")
    sign_in(web, "steward@dph.ct.gov")
    new = "a-much-better-passphrase"
    form = {"current_password": PASSWORD, "new_password": new, "confirm_password": new}
    answer = web.post(
        "/account/password", data={**form, "csrf_token": page_token(web)}, follow_redirects=False
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/account?changed=1"
    assert me(web) == 200 and me(other) == 401
    assert sign_in(TestClient(web.app), "steward@dph.ct.gov").status_code == 401
    assert sign_in(TestClient(web.app), "steward@dph.ct.gov", new).status_code == 303
    with store.session() as session:
        live = session.scalars(
            select(UserSession).where(
                UserSession.user_id == people["steward"].id, UserSession.revoked_at.is_(None)
            )
        ).all()
    assert len(live) == 2  # this browser's fresh session and the sign-in just above


# sign-in form ---------------------------------------------------------------------------

HOSTILE_NEXT = [
    "//evil.example",
    "https://evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "%2F%2Fevil.example",
    "/%0d%0aSet-Cookie:x=1",
    "/\r\nLocation: https://evil.example",
    "/\t/evil.example",
    "http:evil.example",
    " //evil.example",
]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_sign_in_never_redirects_off_the_site(web: TestClient, people: People, target: str) -> None:
    answer = sign_in(web, "steward@dph.ct.gov", next_url=target)
    assert answer.status_code == 303
    assert_local(answer.headers["location"])
    again = web.get("/login", params={"next": target}, follow_redirects=False)  # signed in
    assert again.status_code == 303
    assert_local(again.headers["location"])
    if target.isprintable():  # sent as typed, so %2F%2F arrives decoded as //
        raw = web.get(f"/login?next={target}", follow_redirects=False)
        assert_local(raw.headers["location"])


def assert_local(location: str) -> None:
    assert location.startswith("/") and not location.startswith(("//", "/\\")), location
    assert not any(ord(char) < 32 for char in location), location
    assert "evil.example" not in location or location.startswith("/%"), location


def test_a_local_next_is_kept(web: TestClient, people: People) -> None:
    answer = sign_in(web, "steward@dph.ct.gov", next_url="/d/28fr-iqnx?eq.town=Hartford")
    assert answer.headers["location"] == "/d/28fr-iqnx?eq.town=Hartford"


def test_unknown_email_and_wrong_password_look_the_same(web: TestClient, people: People) -> None:
    wrong = sign_in(web, "steward@dph.ct.gov", "not-the-password")
    unknown = sign_in(web, "nobody@dph.ct.gov", "not-the-password")
    assert wrong.status_code == unknown.status_code == 401
    assert "wrong email or password" in wrong.text
    # The whole page is the same but for the email typed in, which the form keeps.
    assert wrong.text.replace("steward@dph.ct.gov", "X") == unknown.text.replace(
        "nobody@dph.ct.gov", "X"
    )


def test_guessing_is_throttled_per_account(web: TestClient, people: People) -> None:
    spellings = ["steward@dph.ct.gov", "STEWARD@dph.ct.gov", " steward@dph.ct.gov "]
    codes = [sign_in(web, spellings[i % 3], f"guess-number-{i}").status_code for i in range(5)]
    assert codes == [401] * 5
    blocked = sign_in(web, "steward@dph.ct.gov", PASSWORD)  # even the right password, now
    assert blocked.status_code == 429 and "too many failed sign-ins" in blocked.text
    assert session_cookie(web) is None
    assert sign_in(web, "analyst@dph.ct.gov").status_code == 303  # others are unaffected


def test_deactivated_people_are_shut_out_at_once(
    web: TestClient, store: Database, people: People
) -> None:
    sign_in(web, "steward@dph.ct.gov")
    token = new_token(web)
    admin = TestClient(web.app)
    sign_in(admin, "ado@dph.ct.gov")
    answer = admin.patch(
        "/api/v1/users/steward@dph.ct.gov",
        json={"is_active": False},
        headers={"X-CSRF-Token": page_token(admin)},
    )
    assert answer.status_code == 200 and answer.json()["is_active"] is False
    assert me(web) == 401
    assert me(TestClient(web.app), **bearer(token)) == 401
    refused = sign_in(TestClient(web.app), "steward@dph.ct.gov")
    assert refused.status_code == 401 and "wrong email or password" in refused.text
    admin.patch(
        "/api/v1/users/steward@dph.ct.gov",
        json={"is_active": True},
        headers={"X-CSRF-Token": page_token(admin)},
    )
    assert sign_in(TestClient(web.app), "steward@dph.ct.gov").status_code == 303
    assert me(TestClient(web.app), **bearer(token)) == 401  # its tokens stay revoked


def test_cookies_are_http_only_and_same_site(web: TestClient, people: People) -> None:
    answer = sign_in(web, "steward@dph.ct.gov")
    cookies = answer.headers.get_list("set-cookie")
    assert {c.split("=")[0] for c in cookies} == {SESSION_COOKIE, CSRF_COOKIE}
    for cookie in cookies:
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
        assert "Secure" not in cookie


def test_cookies_are_secure_over_https(settings: Settings, store: Database, people: People) -> None:
    with TestClient(create_app(settings), base_url="https://steward.example") as web:
        answer = sign_in(web, "steward@dph.ct.gov")
        assert answer.status_code == 303
        for cookie in answer.headers.get_list("set-cookie"):
            assert "Secure" in cookie and "HttpOnly" in cookie
        assert me(web) == 200


def test_sign_in_pages_are_not_cached(web: TestClient, people: People) -> None:
    sign_in(web, "steward@dph.ct.gov")
    assert web.get("/account").headers["cache-control"] == "no-store"
