"""Normalizing identifiers and hashing them with the registry key (pure).

Normalization, so that the same person typed two ways hashes the same:
- names: Unicode compatibility-decomposed, accents dropped, case folded, and everything but
  letters removed ("O'Brien-Smith " and "obrien smith" are the same);
- dates of birth: YYYY-MM-DD, MM/DD/YYYY, M/D/YYYY, MM-DD-YYYY or YYYYMMDD, kept as ISO dates;
- SSNs: digits only, exactly nine, not all zeros.

A person has up to two keys: one from last name + first name + date of birth, one from the
SSN. Each is HMAC-SHA-256 under the registry key, so without the key nobody can test a guessed
name and birth date against the table.

>>> normalize_name("  O'Brien-Smith ") == normalize_name("OBRIEN SMITH")
True
>>> normalize_dob("7/4/1990"), normalize_dob("19900704"), normalize_ssn("123-45-6789")
('1990-07-04', '1990-07-04', '123456789')
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from steward.errors import Invalid

KINDS = ("last_name", "first_name", "dob", "ssn")
ALIASES = {
    "last_name": ("last_name", "lastname", "last", "surname", "family_name"),
    "first_name": ("first_name", "firstname", "first", "given_name"),
    "dob": ("dob", "date_of_birth", "birth_date", "birthdate", "birthday"),
    "ssn": ("ssn", "social_security_number"),
}
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m-%d-%Y", "%Y%m%d")


@dataclass(frozen=True)
class PersonKeys:
    name_dob: str | None
    ssn: str | None

    def any(self) -> list[str]:
        return [key for key in (self.name_dob, self.ssn) if key]


def normalize_name(value: Any) -> str:
    text = unicodedata.normalize("NFKD", str(value or ""))
    return "".join(ch for ch in text.casefold() if ch.isalpha() and not unicodedata.combining(ch))


def normalize_dob(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value or "").strip()
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    raise Invalid(f"not a date of birth: {text[:20]!r} (use YYYY-MM-DD or MM/DD/YYYY)")


def normalize_ssn(value: Any) -> str:
    digits = re.sub(r"\D", "", str(value or ""))
    if len(digits) != 9 or digits == "0" * 9:
        raise Invalid("an SSN has nine digits")
    return digits


def _mac(key: bytes, *parts: str) -> str:
    return hmac.new(key, "|".join(("v1", *parts)).encode(), hashlib.sha256).hexdigest()


def _blank(value: Any) -> bool:
    return value is None or str(value).strip() == ""


def person_keys(key: bytes, identifiers: Mapping[str, Any], *, strict: bool = True) -> PersonKeys:
    """The person's keyed hashes from whichever identifiers are given.

    `strict` raises `Invalid` for a malformed value or when no key can be made; otherwise a
    malformed or missing identifier simply yields no key.
    """
    name_dob = ssn = None
    try:
        parts = [identifiers.get(kind) for kind in ("last_name", "first_name", "dob")]
        if not any(_blank(p) for p in parts):
            last, first = normalize_name(parts[0]), normalize_name(parts[1])
            if last and first:
                name_dob = _mac(key, "name_dob", last, first, normalize_dob(parts[2]))
        if not _blank(identifiers.get("ssn")):
            ssn = _mac(key, "ssn", normalize_ssn(identifiers.get("ssn")))
    except Invalid:
        if strict:
            raise
        return PersonKeys(None, None)
    if strict and not (name_dob or ssn):
        raise Invalid("identify the person by last name, first name and date of birth, or SSN")
    return PersonKeys(name_dob, ssn)


def resolve_columns(columns: list[str] | tuple[str, ...]) -> dict[str, str]:
    """Map identifier kinds to row columns: `col=kind` explicitly, or a known column name.

    >>> resolve_columns(["Last Name", "given_name", "DOB=dob"])
    {'last_name': 'Last Name', 'first_name': 'given_name', 'dob': 'DOB'}
    """
    found: dict[str, str] = {}
    for spec in columns:
        column, _, kind = spec.partition("=")
        if not kind:
            plain = re.sub(r"[^a-z]+", "_", column.casefold()).strip("_")
            kind = next((k for k, names in ALIASES.items() if plain in names), "")
        if kind not in KINDS:
            raise Invalid(f"{spec!r} is not an identifier column (name it column=kind: {KINDS})")
        found[kind] = column
    return found
