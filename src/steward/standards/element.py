"""What a standard element is: its definition, permitted values or pattern, and normalizer.

Every element's `normalize` takes one text value and never raises; a value is *valid* when it
is already in the standard form (`normalized` equals the value as given) and *normalizable*
when it maps to a permitted value (`matched`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from steward.standards.outcome import BLANK, Outcome

Kind = Literal["code list", "pattern"]
MAX_LENGTH = 1000
"""Longer values are cut before normalizing (no standard value is anywhere near this long)."""
Getter = Callable[[Outcome], str | None]


@dataclass(frozen=True)
class PermittedValue:
    code: str
    label: str
    note: str = ""


@dataclass(frozen=True)
class Companion:
    """A standardized column added next to the original on ingest: `<field><suffix>`."""

    suffix: str
    label: str
    get: Getter


def normalized_of(outcome: Outcome) -> str | None:
    return outcome.normalized if outcome.matched else None


def code_of(outcome: Outcome) -> str | None:
    return outcome.code if outcome.matched else None


@dataclass(frozen=True)
class Element:
    id: str
    name: str
    definition: str
    kind: Kind
    normalize_text: Callable[[str], Outcome] = field(repr=False)
    standard: str
    provenance: tuple[str, ...] = ()
    pattern: str | None = None
    code_meaning: str = ""
    values: Callable[[], list[PermittedValue]] | None = field(default=None, repr=False)
    companions: tuple[Companion, ...] = ()
    name_hints: tuple[str, ...] = ()
    """Words in a field's name or label that suggest this element ("town", "zip")."""
    detect_by_values: bool = True
    """Whether values alone may suggest this element (off where random text would match)."""
    notes: tuple[str, ...] = ()

    def normalize(self, value: str | None) -> Outcome:
        """Never raises: a failure inside a normalizer is reported as `invalid`."""
        text = (value or "").strip()
        if not text:
            return BLANK
        return _normalized(self.normalize_text, text[:MAX_LENGTH])

    def validate(self, value: str | None) -> bool:
        """True when the value is already in this standard's form."""
        outcome = self.normalize(value)
        return outcome.matched and outcome.normalized == (value or "").strip()

    def normalize_many(self, values: Iterable[str | None]) -> list[Outcome]:
        """Normalize in order, each distinct value once."""
        seen: dict[str | None, Outcome] = {}
        results = []
        for value in values:
            outcome = seen.get(value)
            if outcome is None:
                outcome = seen[value] = self.normalize(value)
            results.append(outcome)
        return results


@lru_cache(maxsize=1 << 17)
def _normalized(normalize_text: Callable[[str], Outcome], text: str) -> Outcome:
    """Each element and value once per process: columns and pages repeat the same values."""
    try:
        return normalize_text(text)
    except Exception as exc:  # a bad value must never stop a whole column
        return Outcome("invalid", reason=f"could not be read ({type(exc).__name__})")
