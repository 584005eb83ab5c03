"""Which decision is in force for a person on a day, and whether their row may be released
(pure).

The decision in force is the person's latest record for the program and purpose (records for
purpose `any` count for every purpose) that took effect on or before the day, by effective date
then by when it was recorded; if that record has expired by the day, no decision is in force.

- an `opt_out` program releases a person unless the decision in force is `opt_out` or `revoked`;
- an `opt_in` program releases a person only when the decision in force is `opt_in`.

>>> r = [Choice(1, "opt_in", date(2024, 1, 1), None), Choice(2, "revoked", date(2025, 3, 1), None)]
>>> released("opt_out", r, date(2025, 1, 1)), released("opt_out", r, date(2025, 3, 1))
(True, False)
>>> released("opt_in", r, date(2025, 1, 1)), released("opt_in", [], date(2025, 1, 1))
(True, False)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

DECISIONS = ("opt_in", "opt_out", "revoked")
MODELS = ("opt_out", "opt_in")
ANY_PURPOSE = "any"


class Choice(NamedTuple):
    id: int
    decision: str
    effective_on: date
    expires_on: date | None


def normalize_purpose(value: str) -> str:
    """Purposes compare case-folded with single spaces.

    >>> normalize_purpose("  Program   Evaluation ")
    'program evaluation'
    """
    return " ".join(value.split()).casefold()


def in_force(choices: Iterable[Choice], on: date) -> Choice | None:
    started = [c for c in choices if c.effective_on <= on]
    if not started:
        return None
    latest = max(started, key=lambda c: (c.effective_on, c.id))
    if latest.expires_on is not None and on > latest.expires_on:
        return None
    return latest


def released(model: str, choices: Iterable[Choice], on: date) -> bool:
    current = in_force(choices, on)
    if model == "opt_in":
        return current is not None and current.decision == "opt_in"
    return current is None or current.decision == "opt_in"
