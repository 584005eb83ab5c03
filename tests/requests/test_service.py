"""Data requests through the service (SQLite and PostgreSQL): routing, clocks with a frozen
`now`, the workflow, the public view, metrics and reminders."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from steward.accounts.policy import ANONYMOUS, SYSTEM
from steward.db.base import Base
from steward.db.models import import_all_models
from steward.errors import Conflict, Invalid, NotAuthenticated, NotAuthorized, NotFound
from steward.requests import metrics, outbox, reminders, service, workflow
from steward.requests.models import OutboxMessage
from steward.requests.schemas import DataRequestCreate, RequestTransition

from .conftest import World, eastern

Make = Callable[..., DataRequestCreate]
JULY_1 = eastern(2026, 7, 1, 10)


def file(world: World, data: DataRequestCreate, when=JULY_1):  # type: ignore[no-untyped-def]
    with world.database.session() as session:
        return service.file_request(session, ANONYMOUS, data, world.settings, now=when)


def move(world: World, actor, request_id: int, when=JULY_1, **fields):  # type: ignore[no-untyped-def]
    data = RequestTransition.model_validate(fields)
    with world.database.session() as session:
        return workflow.transition(session, actor, request_id, data, world.settings, now=when)


def messages(world: World) -> list[tuple[str, str, str]]:
    with world.database.session() as session:
        rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        return [(m.to_address, m.kind, m.subject) for m in rows]


def test_the_migration_matches_the_tables(world: World) -> None:
    import_all_models()
    with world.database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    mine = ("data_request", "outbox_message", "dataset_usage", "dataset_use_case")
    assert [d for d in differences if any(name in str(d) for name in mine)] == []


def test_a_request_reaches_its_agencys_ado_with_clocks_in_business_days(
    world: World, make_request: Make
) -> None:
    filed = file(world, make_request())
    clock = filed.request.clock
    # received Wednesday July 1, 2026; Friday 3 is Independence Day observed and Tuesday 7 is
    # the configured closed day, so five business days end on Friday 10, twenty on Friday 31
    assert (clock.received_on, clock.ack_due, clock.response_due) == (
        JULY_1.date(),
        JULY_1.date().replace(day=10),
        JULY_1.date().replace(day=31),
    )
    assert filed.request.status == "received" and not clock.overdue
    assert messages(world) == [
        (
            "ado@dph.ct.gov",
            "new_request",
            f"Data request #{filed.request.id}: Clinic inspections by town",
        ),
        ("pat.reyes@example.org", "receipt", f"We received your data request #{filed.request.id}"),
    ]
    with world.database.session() as session:
        mine = service.queue(session, world.ado, world.settings, now=JULY_1)
        assert [item.id for item in mine] == [filed.request.id]
        assert mine[0].requester_email == "pat.reyes@example.org"
        assert service.queue(session, world.ocme_ado, world.settings, now=JULY_1) == []
        everyone = service.queue(session, world.cdo, world.settings, now=JULY_1)
        assert [item.id for item in everyone] == [filed.request.id]


def test_it_shows_overdue_once_late(world: World, make_request: Make) -> None:
    request_id = file(world, make_request()).request.id
    with world.database.session() as session:
        due_day = service.get_public(
            session, request_id, world.settings, now=eastern(2026, 7, 10, 17)
        )
        late = service.get_public(session, request_id, world.settings, now=eastern(2026, 7, 13, 9))
        overdue = service.queue(
            session, world.ado, world.settings, overdue_only=True, now=eastern(2026, 7, 13)
        )
    assert not due_day.clock.overdue
    assert late.clock.ack_overdue and late.clock.overdue
    assert [item.id for item in overdue] == [request_id]


def test_without_an_agency_it_goes_to_the_cdo(world: World, make_request: Make) -> None:
    filed = file(world, make_request(agency=None))
    assert filed.request.agency is None
    assert messages(world)[0][:2] == ("cdo@ct.gov", "new_request")
    with world.database.session() as session:
        assert service.queue(session, world.ado, world.settings) == []
        with pytest.raises(NotAuthorized):
            service.get_item(session, world.ado, filed.request.id, world.settings)
        assert service.get_item(session, world.cdo, filed.request.id, world.settings)


def test_an_agency_without_an_ado_falls_back_to_the_cdo(world: World, make_request: Make) -> None:
    file(world, make_request(agency="opm"))
    assert messages(world)[0][:2] == ("cdo@ct.gov", "new_request")


def test_a_dataset_names_its_agency(world: World, make_request: Make) -> None:
    filed = file(world, make_request(agency=None, dataset_id="dead-0001"))
    assert (filed.request.agency, filed.request.dataset_title) == ("ocme", "Deaths")
    assert messages(world)[0][0] == "ado@ocme.ct.gov"
    with pytest.raises(Invalid, match="published by Office of the Chief Medical Examiner"):
        file(world, make_request(agency="dph", dataset_id="dead-0001"))
    with pytest.raises(Invalid, match="no agency 'nope'"):
        file(world, make_request(agency="nope"))
    with pytest.raises(Invalid, match="no dataset"):
        file(world, make_request(dataset_id="zzzz-0000"))


def test_the_private_link_and_the_public_view(world: World, make_request: Make) -> None:
    filed = file(world, make_request())
    with world.database.session() as session:
        mine = service.follow(session, filed.token, world.settings)
        assert mine.purpose == "To map where inspections find problems most often."
        with pytest.raises(NotFound):
            service.follow(session, filed.token[:-2] + "xx", world.settings)
        with pytest.raises(NotFound):
            service.follow(session, "../../etc", world.settings)
        listed = service.list_public(session, world.settings)
    public = listed[0].model_dump_json()
    for private in ("Pat Reyes", "pat.reyes", "Hartford Health Equity", "map where"):
        assert private not in public
    assert listed[0].title == "Clinic inspections by town"


def test_the_workflow_to_fulfilment(world: World, make_request: Make) -> None:
    request_id = file(world, make_request()).request.id
    item = move(world, world.ado, request_id, eastern(2026, 7, 2), action="acknowledge")
    assert item.status == "acknowledged" and item.clock.acknowledged_on.isoformat() == "2026-07-02"
    with pytest.raises(Conflict, match="cannot be acknowledged"):
        move(world, world.ado, request_id, action="acknowledge")
    move(world, world.ado, request_id, eastern(2026, 7, 6), action="progress", note="Pulling it")
    with pytest.raises(Invalid, match="write a note"):
        move(world, world.ado, request_id, action="progress")
    move(world, world.ado, request_id, eastern(2026, 7, 8), action="progress", note="Half done")
    with pytest.raises(Invalid, match="needs a link"):
        move(world, world.ado, request_id, action="fulfil")
    with pytest.raises(Invalid, match="web address"):
        move(world, world.ado, request_id, action="fulfil", link="ftp://x")
    with pytest.raises(Invalid, match="web address"):
        move(world, world.ado, request_id, action="fulfil", link="//evil.example/x")
    done = move(
        world, world.ado, request_id, eastern(2026, 7, 9), action="fulfil", dataset_id="clin-0001"
    )
    assert (done.status, done.outcome_url) == ("fulfilled", "/d/clin-0001")
    assert [e.status for e in done.events] == [
        "received",
        "acknowledged",
        "in_progress",
        "in_progress",
        "fulfilled",
    ]
    assert done.events[1].actor == "ado@dph.ct.gov"
    with pytest.raises(Conflict, match="fulfilled"):
        move(world, world.ado, request_id, action="decline", reason="late")
    to_requester = [m for m in messages(world) if m[0] == "pat.reyes@example.org"]
    assert [m[2] for m in to_requester][-1] == f"Your data request #{request_id} is fulfilled"


def test_declining_needs_a_reason(world: World, make_request: Make) -> None:
    request_id = file(world, make_request()).request.id
    with pytest.raises(Invalid, match="reason"):
        move(world, world.ado, request_id, action="decline")
    declined = move(world, world.ado, request_id, action="decline", reason="Not collected")
    assert declined.decline_reason == "Not collected" and declined.clock.closed_on


def test_only_the_agencys_ado_or_the_cdo_works_a_request(world: World, make_request: Make) -> None:
    request_id = file(world, make_request()).request.id
    for actor in (world.steward, world.analyst, world.ocme_ado):
        with pytest.raises(NotAuthorized):
            move(world, actor, request_id, action="acknowledge")
    with pytest.raises(NotAuthenticated):
        move(world, ANONYMOUS, request_id, action="acknowledge")
    with world.database.session() as session:
        with pytest.raises(NotAuthorized):
            service.queue(session, world.steward, world.settings)
        with pytest.raises(NotAuthorized):
            service.queue(session, world.ocme_ado, world.settings, agency="dph")
        with pytest.raises(NotAuthorized):
            outbox.list_messages(session, world.analyst)
    assert move(world, world.cdo, request_id, action="acknowledge").status == "acknowledged"


def test_a_referral_reroutes_and_restarts_the_clocks(world: World, make_request: Make) -> None:
    request_id = file(world, make_request()).request.id
    move(world, world.ado, request_id, eastern(2026, 7, 2), action="acknowledge")
    with pytest.raises(Invalid, match="already with"):
        move(world, world.ado, request_id, action="refer", agency="dph")
    referred = move(
        world,
        world.ado,
        request_id,
        eastern(2026, 7, 8),
        action="refer",
        agency="ocme",
        note="The medical examiner holds these",
    )
    assert (referred.status, referred.agency, referred.referred_from) == (
        "referred",
        "ocme",
        "Department of Public Health",
    )
    clock = referred.clock
    assert (clock.received_on.isoformat(), clock.ack_due.isoformat()) == (
        "2026-07-08",
        "2026-07-15",
    )
    assert clock.acknowledged_on is None
    assert ("ado@ocme.ct.gov", "new_request") in [m[:2] for m in messages(world)]
    with pytest.raises(NotAuthorized):  # dph no longer holds it
        move(world, world.ado, request_id, action="acknowledge")
    assert move(world, world.ocme_ado, request_id, action="acknowledge").status == "acknowledged"


def test_metrics_by_agency_in_business_days(world: World, make_request: Make) -> None:
    fast = file(world, make_request()).request.id
    slow = file(world, make_request(title="Restaurant grades")).request.id
    file(world, make_request(title="Never answered"))
    ocme = file(world, make_request(agency="ocme", title="Autopsy counts")).request.id
    move(world, world.ado, fast, eastern(2026, 7, 2), action="acknowledge")  # 1 day
    move(world, world.ado, fast, eastern(2026, 7, 9), action="fulfil", link="https://x.gov/r")  # 4
    move(world, world.ado, slow, eastern(2026, 7, 13), action="acknowledge")  # 6 days: late
    move(world, world.ado, slow, eastern(2026, 8, 3), action="decline", reason="No")  # 21: late
    move(world, world.ocme_ado, ocme, eastern(2026, 7, 6), action="acknowledge")  # 2 days
    with world.database.session() as session:
        found = metrics.metrics(session, world.settings, now=eastern(2026, 8, 3))
    dph = next(row for row in found.agencies if row.agency == "dph")
    assert (dph.received, dph.open, dph.overdue, dph.acknowledged, dph.responded) == (3, 1, 1, 2, 2)
    assert dph.median_days_to_acknowledge == 3.5  # 1 and 6
    assert dph.median_days_to_respond == 12.5  # 4 and 21
    assert dph.acknowledged_on_time == pytest.approx(1 / 3)  # 1 on time; 1 late; 1 overdue
    assert dph.responded_on_time == pytest.approx(1 / 3)
    assert (found.state.received, found.state.acknowledged) == (4, 3)
    assert found.state.median_days_to_acknowledge == 2.0


def test_reminders_once_per_request_and_day(world: World, make_request: Make) -> None:
    request_id = file(world, make_request()).request.id
    file(world, make_request(agency="ocme", title="Autopsy counts"), eastern(2026, 7, 9))

    def remind(when):  # type: ignore[no-untyped-def]
        with world.database.session() as session:
            return reminders.remind(session, SYSTEM, world.settings, now=when)

    early = remind(eastern(2026, 7, 2))  # acknowledgement due in 4 business days: not yet
    assert (early.checked, early.queued) == (2, 0)
    near = remind(eastern(2026, 7, 8))  # due Friday 10: within two business days
    assert (near.queued, near.already_reminded) == (1, 0)
    again = remind(eastern(2026, 7, 8, 16))
    assert (again.queued, again.already_reminded) == (0, 1)
    late = remind(eastern(2026, 7, 13))  # overdue: every day
    assert late.queued == 1
    reminded = [m for m in messages(world) if m[1] == "reminder"]
    assert reminded == [
        (
            "ado@dph.ct.gov",
            "reminder",
            f"Reminder: data request #{request_id} is to acknowledge by Friday, July 10",
        ),
        ("ado@dph.ct.gov", "reminder", f"Reminder: data request #{request_id} is overdue"),
    ]
    with world.database.session() as session:
        only_ocme = reminders.remind(
            session, world.ocme_ado, world.settings, now=eastern(2026, 7, 13)
        )
    assert only_ocme.checked == 1
