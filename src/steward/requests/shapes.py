"""A request row as each audience sees it: the public (no personal details), the requester
(their own words and the history), the agency (everything)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from steward.requests.clocks import Clocks
from steward.requests.models import DataRequest, DataRequestEvent
from steward.requests.schemas import (
    Clock,
    DataRequestItem,
    DataRequestPrivate,
    DataRequestPublic,
    EventItem,
    EventPublic,
)


def clock_of(request: DataRequest, clocks: Clocks, now: datetime) -> Clock:
    return clocks.clock(
        received_on=request.received_on,
        ack_due=request.ack_due,
        response_due=request.response_due,
        acknowledged_at=request.acknowledged_at,
        closed_at=request.closed_at,
        now=now,
    )


def referred_from(events: list[DataRequestEvent]) -> str | None:
    """The agency that referred the request on, if its last move was a referral."""
    for index in range(len(events) - 1, 0, -1):
        if events[index].status == "referred":
            previous = events[index - 1].agency
            return previous.name if previous else "the Chief Data Officer"
    return None


def _public_fields(request: DataRequest, clocks: Clocks, now: datetime) -> dict[str, Any]:
    return {
        "id": request.id,
        "title": request.title,
        "agency": request.agency.slug if request.agency else None,
        "agency_name": request.agency.name if request.agency else None,
        "dataset_id": request.dataset_id,
        "dataset_title": request.dataset.title if request.dataset else None,
        "requester_kind": request.requester_kind,
        "status": request.status,
        "clock": clock_of(request, clocks, now),
        "outcome_url": request.outcome_url,
        "decline_reason": request.decline_reason,
        "referred_from": referred_from(request.events) if request.status == "referred" else None,
    }


def public_of(request: DataRequest, clocks: Clocks, now: datetime) -> DataRequestPublic:
    return DataRequestPublic.model_validate(_public_fields(request, clocks, now))


def _private_fields(request: DataRequest) -> dict[str, Any]:
    return {
        "description": request.description,
        "purpose": request.purpose,
        "period": request.period,
        "granularity": request.granularity,
        "data_format": request.data_format,
        "frequency": request.frequency,
        "created_at": request.created_at,
    }


def _event(event: DataRequestEvent) -> dict[str, Any]:
    return {
        "status": event.status,
        "note": event.note,
        "at": event.at,
        "agency_name": event.agency.name if event.agency else None,
    }


def private_of(request: DataRequest, clocks: Clocks, now: datetime) -> DataRequestPrivate:
    return DataRequestPrivate.model_validate(
        {
            **_public_fields(request, clocks, now),
            **_private_fields(request),
            "events": [EventPublic.model_validate(_event(e)) for e in request.events],
        }
    )


def item_of(request: DataRequest, clocks: Clocks, now: datetime) -> DataRequestItem:
    return DataRequestItem.model_validate(
        {
            **_public_fields(request, clocks, now),
            **_private_fields(request),
            "requester_name": request.requester_name,
            "requester_email": request.requester_email,
            "organization": request.organization,
            "filed_by": request.filed_by,
            "events": [
                EventItem.model_validate({**_event(e), "actor": e.actor}) for e in request.events
            ],
        }
    )
