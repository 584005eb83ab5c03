"""The emails data requests send, as plain text (pure: a request's shape in, subject and body
out). The requester's private link is never put in an email: only its hash is stored, and a
message kept in the outbox must not become a way to read someone's request."""

from __future__ import annotations

from dataclasses import dataclass

from steward.requests.schemas import KIND_LABELS, STATUS_LABELS, DataRequestItem


@dataclass(frozen=True)
class Mail:
    subject: str
    body: str


def _when(item: DataRequestItem) -> str:
    clock = item.clock
    return (
        f"Received {clock.received_on:%A, %B %-d, %Y}. Acknowledge by {clock.ack_due:%B %-d}; "
        f"answer by {clock.response_due:%B %-d, %Y} (business days, state holidays excluded)."
    )


def _link(site: str, path: str) -> str:
    return f"{site.rstrip('/')}{path}" if site else path


def new_request(item: DataRequestItem, site: str) -> Mail:
    """To the agency's data officers (or the CDO): a request to work."""
    where = item.agency_name or "no agency named (the Chief Data Officer routes it)"
    lines = [
        f"A data request for {where}.",
        "",
        f"What data: {item.title}",
        item.description,
        "",
        f"Purpose and use: {item.purpose}",
        *[
            f"{label}: {value}"
            for label, value in (
                ("Period", item.period),
                ("Granularity", item.granularity),
                ("Format", item.data_format),
                ("Frequency", item.frequency),
                ("Dataset", item.dataset_id),
            )
            if value
        ],
        "",
        f"From: {item.requester_name} <{item.requester_email}>"
        + (f", {item.organization}" if item.organization else ""),
        f"Requester: {KIND_LABELS[item.requester_kind]}",
        "",
        _when(item),
        f"Work it at {_link(site, f'/console/requests/{item.id}')}",
    ]
    return Mail(f"Data request #{item.id}: {item.title}", "\n".join(lines))


def receipt(item: DataRequestItem) -> Mail:
    """To the requester: what happens next (no private link: see the module docstring)."""
    where = item.agency_name or "the Chief Data Officer, who will send it to the right agency"
    body = "\n".join(
        [
            f"Hello {item.requester_name},",
            "",
            f"We received your data request #{item.id}, “{item.title}”. It went to {where}.",
            _when(item),
            "",
            "This is not a Freedom of Information Act request. Follow your request with the",
            "private link shown when you sent it; we will also write to you when it changes.",
        ]
    )
    return Mail(f"We received your data request #{item.id}", body)


def status_changed(item: DataRequestItem, note: str) -> Mail:
    """To the requester: the request moved on."""
    status = STATUS_LABELS[item.status]
    lines = [f"Hello {item.requester_name},", "", f"Your data request #{item.id}, “{item.title}”,"]
    if item.status == "fulfilled":
        lines.append(f"was fulfilled: {item.outcome_url}")
    elif item.status == "declined":
        lines.append(f"was declined: {item.decline_reason}")
    elif item.status == "referred":
        lines.append(f"was referred to {item.agency_name}, which now handles it.")
        lines.append(_when(item))
    else:
        lines.append(f"is now {status} ({item.agency_name}).")
    if note:
        lines += ["", note]
    return Mail(f"Your data request #{item.id} is {status}", "\n".join(lines))


def reminder(item: DataRequestItem, site: str) -> Mail:
    """To the data officers: a request due soon or overdue."""
    clock = item.clock
    if clock.ack_overdue:
        state = f"overdue: acknowledgement was due {clock.ack_due:%B %-d}"
    elif clock.response_overdue:
        state = f"overdue: the answer was due {clock.response_due:%B %-d}"
    elif clock.acknowledged_on is None:
        state = f"to acknowledge by {clock.ack_due:%A, %B %-d}"
    else:
        state = f"to answer by {clock.response_due:%A, %B %-d}"
    body = "\n".join(
        [
            f"Data request #{item.id}, “{item.title}”, is {state}.",
            f"Status: {STATUS_LABELS[item.status]}. {_when(item)}",
            f"Work it at {_link(site, f'/console/requests/{item.id}')}",
        ]
    )
    return Mail(f"Reminder: data request #{item.id} is {state.split(':')[0]}", body)
