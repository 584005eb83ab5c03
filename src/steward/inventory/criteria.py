"""The statutory criteria of "high value data", kept as data in this one module.

Connecticut General Statutes § 4-67p (as amended by Public Act 18-175) defines high value data as
data that the agency head determines (A) is critical to the operation of an executive branch
agency; (B) can increase executive branch agency accountability and responsiveness; (C) can
improve public knowledge of the executive branch agency and its operations; (D) can further the
core mission of the executive branch agency; (E) can create economic opportunity; (F) is
frequently requested by the public; (G) responds to a need and demand as identified by the agency
through public consultation; or (H) is used to satisfy any legislative or other reporting
requirements.

Everything else (forms, pages, the spreadsheet template, validation messages) reads the letters
and wording from `CRITERIA`, so a state profile with other criteria changes only this table. An
asset is "high value" when at least one criterion applies.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Criterion:
    """One statutory criterion: its letter, a short label for tables, the statute's words."""

    letter: str
    label: str
    text: str


STATUTE = "CGS § 4-67p (Public Act 18-175)"

CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "A", "Critical to operations", "is critical to the operation of an executive branch agency"
    ),
    Criterion(
        "B",
        "Accountability",
        "can increase executive branch agency accountability and responsiveness",
    ),
    Criterion(
        "C",
        "Public knowledge",
        "can improve public knowledge of the executive branch agency and its operations",
    ),
    Criterion("D", "Core mission", "can further the core mission of the executive branch agency"),
    Criterion("E", "Economic opportunity", "can create economic opportunity"),
    Criterion("F", "Frequently requested", "is frequently requested by the public"),
    Criterion(
        "G",
        "Public demand",
        "responds to a need and demand as identified by the agency through public consultation",
    ),
    Criterion(
        "H",
        "Reporting requirement",
        "is used to satisfy any legislative or other reporting requirements",
    ),
)
LETTERS: tuple[str, ...] = tuple(criterion.letter for criterion in CRITERIA)
BY_LETTER: dict[str, Criterion] = {criterion.letter: criterion for criterion in CRITERIA}


class Answer(Protocol):
    applies: bool
    justification: str


def met(answers: Mapping[str, Answer]) -> list[str]:
    """The letters that apply, in the statute's order.

    >>> from types import SimpleNamespace as Ans
    >>> met({"C": Ans(applies=True, justification="x"), "A": Ans(applies=False, justification="")})
    ['C']
    """
    return [letter for letter in LETTERS if letter in answers and answers[letter].applies]


def is_high_value(answers: Mapping[str, Answer]) -> bool:
    """High value when at least one criterion applies."""
    return bool(met(answers))
