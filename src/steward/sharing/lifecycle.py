"""An agreement's status lifecycle, pure: which moves are allowed and what status holds today.

>>> effective_status("active", date(2026, 6, 30), date(2026, 6, 30))
'active'
>>> effective_status("active", date(2026, 6, 30), date(2026, 7, 1))
'expired'
>>> sorted(TRANSITIONS["signed"])
['active', 'draft', 'terminated']
"""

from __future__ import annotations

from datetime import date

TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"legal_review", "terminated"}),
    "legal_review": frozenset({"draft", "signed", "terminated"}),
    "signed": frozenset({"active", "draft", "terminated"}),
    "active": frozenset({"expired", "terminated"}),
    "expired": frozenset({"active", "terminated"}),  # renewed: a new end date, then active
    "terminated": frozenset(),
}


def effective_status(stored: str, end_date: date | None, today: date) -> str:
    """The stored status, except that an agreement past its end date is expired."""
    if stored in {"active", "signed"} and end_date is not None and today > end_date:
        return "expired"
    return stored


def in_force(stored: str, effective: date | None, end: date | None, today: date) -> str:
    """'' when the agreement gives access today, else the reason it does not."""
    status = effective_status(stored, end, today)
    if status != "active":
        return f"the agreement is {status.replace('_', ' ')}"
    if effective is not None and today < effective:
        return f"the agreement takes effect on {effective.isoformat()}"
    return ""


def days_left(end_date: date | None, today: date) -> int | None:
    return None if end_date is None else (end_date - today).days


def renewal_due(status: str, end_date: date | None, reminder_days: int, today: date) -> bool:
    """True from `reminder_days` before the end date while the agreement is active."""
    left = days_left(end_date, today)
    return status == "active" and left is not None and 0 <= left <= reminder_days


def check_move(current: str, target: str) -> str:
    """'' when the move is allowed, else why not."""
    if target == current:
        return f"the agreement is already {current.replace('_', ' ')}"
    if target not in TRANSITIONS.get(current, frozenset()):
        allowed = ", ".join(sorted(TRANSITIONS.get(current, frozenset()))) or "nothing"
        return f"a {current.replace('_', ' ')} agreement can move to {allowed}, not {target}"
    return ""
