"""Credentials: argon2 password hashes, and random tokens kept only as SHA-256 digests.

Tokens carry 256 bits of randomness, so a fast digest is enough to store them (no dictionary to
guess from); passwords are chosen by people, so they get argon2id.
"""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from steward.errors import Invalid

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
TOKEN_PREFIX = "stw_"

_hasher = PasswordHasher()


def check_password_rules(password: str, *, email: str = "") -> None:
    """Raise Invalid unless the password is long enough and not the email itself."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise Invalid(f"a password may have at most {MAX_PASSWORD_LENGTH} characters")
    if email and password.lower() == email.lower():
        raise Invalid("a password may not be the email address")


def hash_password(password: str) -> str:
    """An argon2id hash in PHC string format (`$argon2id$v=19$...`)."""
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    if not stored_hash:
        # Spend the same time as a real check so timing does not reveal unknown accounts.
        _hasher.hash(password)
        return False
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)


def new_token(prefix: str = TOKEN_PREFIX) -> str:
    return prefix + secrets.token_urlsafe(32)


def digest(token: str) -> str:
    """The stored form of a token: hex SHA-256.

    >>> digest("stw_x") == digest("stw_x") and len(digest("stw_x"))
    64
    """
    return hashlib.sha256(token.encode()).hexdigest()
