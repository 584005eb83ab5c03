"""The two clocks of a data request: acknowledge within `ack_days` business days, answer within
`response_days`, both counted from the day the current agency received it, in the state's
calendar and time zone. Pure: the caller passes `now`, so tests freeze the clock by passing it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from steward.config import Settings
from steward.errors import Invalid
from steward.requests.businessdays import BusinessCalendar, business_calendar
from steward.requests.schemas import Clock


@dataclass(frozen=True)
class Clocks:
    calendar: BusinessCalendar
    ack_days: int
    response_days: int
    reminder_days: int
    zone: ZoneInfo

    def local_date(self, moment: datetime) -> date:
        """The state's calendar date at `moment` (an aware datetime)."""
        return moment.astimezone(self.zone).date()

    def due_dates(self, received_on: date) -> tuple[date, date]:
        """(acknowledge by, answer by) for a request received on `received_on`."""
        return (
            self.calendar.add(received_on, self.ack_days),
            self.calendar.add(received_on, self.response_days),
        )

    def clock(
        self,
        *,
        received_on: date,
        ack_due: date,
        response_due: date,
        acknowledged_at: datetime | None,
        closed_at: datetime | None,
        now: datetime,
    ) -> Clock:
        """Where a request stands today: overdue means past the due date with the step not done
        (on the due date itself it is still on time)."""
        today = self.local_date(now)
        acknowledged_on = self.local_date(acknowledged_at) if acknowledged_at else None
        closed_on = self.local_date(closed_at) if closed_at else None
        ack_overdue = acknowledged_on is None and closed_on is None and today > ack_due
        response_overdue = closed_on is None and today > response_due
        return Clock(
            received_on=received_on,
            ack_due=ack_due,
            response_due=response_due,
            acknowledged_on=acknowledged_on,
            closed_on=closed_on,
            ack_overdue=ack_overdue,
            response_overdue=response_overdue,
            overdue=ack_overdue or response_overdue,
            business_days_open=self.calendar.between(received_on, closed_on or today),
        )


def clocks_from(settings: Settings) -> Clocks:
    try:
        zone = ZoneInfo(settings.request_timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise Invalid(f"unknown time zone {settings.request_timezone!r}") from None
    return Clocks(
        calendar=business_calendar(settings.request_holidays_file, settings.request_extra_holidays),
        ack_days=settings.request_ack_days,
        response_days=settings.request_response_days,
        reminder_days=settings.request_reminder_days,
        zone=zone,
    )
