"""What normalizing one value gives: a status, the standard form, its code and a confidence.

Statuses: `matched` (the value is a permitted value, or maps to one with enough confidence),
`review` (a candidate exists but a steward should confirm it; `normalized` holds the candidate),
`out_of_state` (a real place, outside the state: flagged, never forced onto a town) and
`invalid` (blank, or nothing in the standard matches).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Status = Literal["matched", "review", "invalid", "out_of_state"]
STATUSES: tuple[Status, ...] = ("matched", "review", "out_of_state", "invalid")


@dataclass(frozen=True, slots=True)
class Outcome:
    status: Status
    normalized: str | None = None
    code: str | None = None
    confidence: float = 0.0
    reason: str = ""

    @property
    def matched(self) -> bool:
        return self.status == "matched"


BLANK = Outcome("invalid", reason="blank")


def invalid(reason: str) -> Outcome:
    return Outcome("invalid", reason=reason)
