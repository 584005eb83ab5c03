"""The hash chain, pure: canonical bytes of an entry, its hash, and a walk that finds the first
break. No database here; `log.py` and `service.py` feed it rows.

An entry's hash is SHA-256 over the canonical JSON of all its fields and the previous entry's
hash, so changing any field, removing an entry or swapping two changes every hash after it.

>>> first = Link(1, "2026-01-02T03:04:05.000006+00:00", "cdo@ct.gov", "dataset.publish",
...              1, "abcd-1234", canonical({"access": "public"}), GENESIS, "")
>>> first = first._replace(hash=entry_hash(first))
>>> find_break([first], head=(1, first.hash)) is None
True
>>> find_break([first._replace(actor="someone")], head=(1, first.hash)).seq
1
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

# The "previous hash" of the first entry: a fixed, documented constant.
GENESIS = hashlib.sha256(b"steward audit log genesis").hexdigest()


class Link(NamedTuple):
    """An entry as the chain sees it (timestamps as ISO text, details as canonical JSON)."""

    seq: int
    at: str
    actor: str
    action: str
    agency_id: int | None
    dataset_id: str | None
    details: str
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class Break:
    """The first entry where the chain does not hold, and why."""

    seq: int
    reason: str


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    return str(value)


def canonical(details: Mapping[str, Any] | None) -> str:
    """Details as canonical JSON: sorted keys, no spaces, UTF-8 kept, non-JSON values as text.

    >>> canonical({"b": 1, "a": [2, "x"]})
    '{"a":[2,"x"],"b":1}'
    """
    return json.dumps(
        dict(details or {}),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=_plain,
        allow_nan=False,
    )


def timestamp(at: datetime) -> str:
    """The text a timestamp is hashed as: UTC, microseconds, offset written out."""
    return at.isoformat(timespec="microseconds")


def entry_bytes(link: Link) -> bytes:
    fields = [
        link.seq,
        link.at,
        link.actor,
        link.action,
        link.agency_id,
        link.dataset_id,
        link.details,
        link.prev_hash,
    ]
    return json.dumps(fields, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(link: Link) -> str:
    return hashlib.sha256(entry_bytes(link)).hexdigest()


def checkpoint_mac(key: bytes, seq: int, head_hash: str) -> str:
    """HMAC-SHA-256 over "seq:hash" with the store's secret key."""
    return hmac.new(key, f"audit:{seq}:{head_hash}".encode(), hashlib.sha256).hexdigest()


def find_break(
    links: Iterable[Link], head: tuple[int, str] | None, start: tuple[int, str] = (0, GENESIS)
) -> Break | None:
    """Walk the entries in sequence order; the first one that breaks the chain, or None.

    `start` is the (seq, hash) the walk begins after; `head` the head pointer, if kept, which
    catches a removed tail.
    """
    expected_seq, prev = start
    for link in links:
        expected_seq += 1
        if link.seq != expected_seq:
            return Break(expected_seq, f"entry {expected_seq} is missing (next is {link.seq})")
        if link.prev_hash != prev:
            return Break(link.seq, "its previous-entry hash does not match the entry before it")
        if entry_hash(link) != link.hash:
            return Break(link.seq, "its contents do not match its hash (edited)")
        prev = link.hash
    if head is not None:
        head_seq, head_hash = head
        if head_seq > expected_seq:
            return Break(expected_seq + 1, f"entries {expected_seq + 1}..{head_seq} are missing")
        if head_seq < expected_seq or head_hash != prev:
            return Break(expected_seq, "the head pointer does not match the last entry")
    return None


def mac_matches(key: bytes, seq: int, head_hash: str, mac: str) -> bool:
    return hmac.compare_digest(checkpoint_mac(key, seq, head_hash), mac)
