"""An agreement's lifecycle (#10 part 1): every allowed and refused move, the history of each
(who, when, from, to, note), expiry derived from the end date, renewal reminders on the list and
through the outbox, and taking a user off an agreement (the grant revoked, its records kept)."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from steward.accounts.policy import SYSTEM
from steward.db import Database
from steward.db.base import Base
from steward.db.models import import_all_models
from steward.errors import Conflict, NotAuthorized
from steward.query.engine import QueryEngine
from steward.requests.models import OutboxMessage
from steward.sharing import agreements, extracts, grants, lifecycle, reminders
from steward.sharing.models import AccessGrant, Extract, UseSession
from steward.sharing.schemas import (
    STATUSES,
    AgreementCreate,
    AgreementUpdate,
    ExtractCreate,
    StatusChange,
)

from .conftest import DATASET, END, TODAY, World

ADO = "ado@dph.ct.gov"
PURPOSE = {"X-Steward-Purpose": "Quarterly evaluation tables"}
ALLOWED = {(a, b) for a, targets in lifecycle.TRANSITIONS.items() for b in targets}


def draft(world: World, **changes: object) -> int:
    values = {
        "title": "Lifecycle agreement",
        "provider": "dph",
        "recipient_agency": "dss",
        "end_date": END.isoformat(),
        "datasets": [{"dataset_id": DATASET, "fields": ["town"]}],
        **changes,
    }
    with world.database.session() as session:
        made = agreements.create_agreement(
            session, world.actor(ADO), AgreementCreate.model_validate(values)
        )
    return made.id


PATHS = {
    "draft": [],
    "legal_review": ["legal_review"],
    "signed": ["legal_review", "signed"],
    "active": ["legal_review", "signed", "active"],
    "expired": ["legal_review", "signed", "active", "expired"],
    "terminated": ["terminated"],
}


def at(world: World, status: str) -> int:
    """A fresh agreement moved to `status`."""
    made = draft(world)
    with world.database.session() as session:
        for step in PATHS[status]:
            agreements.change_status(session, world.actor(ADO), made, StatusChange(status=step))
    return made


def test_the_pure_rules() -> None:
    assert lifecycle.effective_status("active", END, END) == "active"
    assert lifecycle.effective_status("active", END, END + timedelta(days=1)) == "expired"
    assert lifecycle.effective_status("signed", END, END + timedelta(days=1)) == "expired"
    assert lifecycle.effective_status("draft", END, END + timedelta(days=1)) == "draft"
    assert lifecycle.effective_status("active", None, END) == "active"
    assert lifecycle.renewal_due("active", END, 60, END - timedelta(days=60))
    assert not lifecycle.renewal_due("active", END, 60, END - timedelta(days=61))
    assert not lifecycle.renewal_due("active", END, 60, END + timedelta(days=1))
    assert not lifecycle.renewal_due("draft", END, 60, END)
    assert lifecycle.in_force("active", END, None, TODAY).startswith("the agreement takes effect")
    assert lifecycle.check_move("terminated", "draft").endswith("nothing, not draft")
    assert "already" in lifecycle.check_move("draft", "draft")


@pytest.mark.parametrize(
    ("current", "target"),
    sorted(itertools.product(PATHS, STATUSES)),
)
def test_every_move_is_allowed_or_refused(world: World, current: str, target: str) -> None:
    made = at(world, current)
    change = StatusChange(status=target, note=f"{current} to {target}")  # type: ignore[arg-type]
    with world.database.session() as session:
        if (current, target) not in ALLOWED:
            with pytest.raises(Conflict):
                agreements.change_status(session, world.actor(ADO), made, change)
            return
        moved = agreements.change_status(session, world.actor(ADO), made, change)
    assert moved.stored_status == target
    last = moved.history[-1]
    assert (last.by, last.action, last.from_status, last.to_status) == (
        ADO,
        "status",
        current,
        target,
    )
    assert last.note == f"{current} to {target}" and last.at is not None


def test_the_history_names_who_when_from_and_to(world: World) -> None:
    made = at(world, "active")
    with world.database.session() as session:
        found = agreements.get_agreement(session, world.actor(ADO), made)
    moves = [(e.action, e.from_status, e.to_status, e.by) for e in found.history]
    assert moves == [
        ("created", None, "draft", ADO),
        ("status", "draft", "legal_review", ADO),
        ("status", "legal_review", "signed", ADO),
        ("status", "signed", "active", ADO),
    ]
    stamps = [e.at for e in found.history]
    assert stamps == sorted(stamps)


def test_activation_needs_an_end_date_a_dataset_and_a_future_end(world: World) -> None:
    def try_activate(made: int) -> str:
        with world.database.session() as session:
            for step in ("legal_review", "signed"):
                agreements.change_status(session, SYSTEM, made, StatusChange(status=step))
        with world.database.session() as session, pytest.raises(Conflict) as caught:
            agreements.change_status(session, SYSTEM, made, StatusChange(status="active"))
        return caught.value.message

    assert "end date" in try_activate(draft(world, end_date=None))
    assert "dataset" in try_activate(draft(world, datasets=[]))
    world.clock["today"] = END + timedelta(days=1)
    assert "passed" in try_activate(draft(world))


def test_the_analyst_and_other_agencies_cannot_move_it(world: World) -> None:
    made = at(world, "draft")
    for email in ("analyst@dph.ct.gov", "ado@dss.ct.gov", "analyst@dss.ct.gov"):
        with world.database.session() as session, pytest.raises(NotAuthorized):
            agreements.change_status(
                session, world.actor(email), made, StatusChange(status="legal_review")
            )


def test_the_day_after_the_end_date_it_is_expired_and_can_be_renewed(
    world: World, client: TestClient
) -> None:
    made = world.agreement()
    auth = {**world.token("analyst@dss.ct.gov"), **PURPOSE}
    url = f"/resource/{DATASET}.json?$select=town"
    world.clock["today"] = END + timedelta(days=1)
    with world.database.session() as session:
        found = agreements.get_agreement(session, SYSTEM, made)
        assert (found.status, found.stored_status) == ("expired", "active")
        assert found.next_statuses == ["active", "terminated"]
        assert agreements.list_agreements(session, SYSTEM, status="expired")[0].id == made
        assert agreements.catalog(session) == []
    assert client.get(url, headers=auth).status_code == 403
    # renewed: a new end date, then active again
    with world.database.session() as session:
        new_end = {"end_date": (END + timedelta(days=365)).isoformat()}
        agreements.update_agreement(
            session, world.actor(ADO), made, AgreementUpdate.model_validate(new_end)
        )
        assert agreements.get_agreement(session, SYSTEM, made).status == "active"
    assert client.get(url, headers=auth).status_code == 200


def test_a_terminated_agreement_cannot_be_edited(world: World) -> None:
    made = at(world, "terminated")
    with world.database.session() as session, pytest.raises(Conflict):
        agreements.update_agreement(
            session, world.actor(ADO), made, AgreementUpdate(retention="Ten years")
        )


def test_the_renewal_reminder_is_flagged_on_the_list(world: World) -> None:
    made = world.agreement(renewal_reminder_days=30)
    with world.database.session() as session:
        world.clock["today"] = END - timedelta(days=31)
        (row,) = agreements.list_agreements(session, SYSTEM)
        assert (row.renewal_due, row.days_left) == (False, 31)
        world.clock["today"] = END - timedelta(days=30)
        (row,) = agreements.list_agreements(session, SYSTEM)
        assert (row.id, row.renewal_due, row.days_left) == (made, True, 30)
        world.clock["today"] = END + timedelta(days=1)
        (row,) = agreements.list_agreements(session, SYSTEM)
        assert (row.renewal_due, row.status) == (False, "expired")


def outbox(world: World) -> list[tuple[str, str, str]]:
    with world.database.session() as session:
        rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        return [(m.to_address, m.kind, m.subject) for m in rows]


def test_renewal_reminders_go_to_the_provider_ado_once_per_term(world: World) -> None:
    made = world.agreement(renewal_reminder_days=30)
    world.agreement(title="Another agreement, not yet due", end_date="2027-06-30")
    world.clock["today"] = END - timedelta(days=31)
    with world.database.session() as session:
        run = reminders.remind(session, SYSTEM)
    assert (run.checked, run.due, run.queued) == (2, [], 0)
    world.clock["today"] = END - timedelta(days=10)
    with world.database.session() as session:
        run = reminders.remind(session, world.actor(ADO), "https://data.ct.gov")
    assert (run.due, run.queued, run.already_reminded) == ([made], 1, 0)
    ((to, kind, subject),) = outbox(world)
    assert (to, kind) == (ADO, "renewal") and f"#{made}" in subject and "10 days" in subject
    with world.database.session() as session:
        body = session.scalars(select(OutboxMessage.body)).one()
    assert "Program evaluation of home visiting" in body and END.isoformat() in body
    assert f"https://data.ct.gov/console/sharing/{made}" in body
    with world.database.session() as session:  # again the same term: nothing new
        run = reminders.remind(session, SYSTEM)
    assert (run.queued, run.already_reminded) == (0, 1) and len(outbox(world)) == 1
    # the recipient's data officer manages none of dph's agreements
    with world.database.session() as session:
        assert reminders.remind(session, world.actor("ado@dss.ct.gov")).checked == 0
    with world.database.session() as session, pytest.raises(NotAuthorized):
        reminders.remind(session, world.actor("analyst@dph.ct.gov"))


# taking a user off an agreement ----------------------------------------------------------------


def test_removing_a_user_revokes_the_grant_and_keeps_the_records(
    world: World, client: TestClient
) -> None:
    shared = {
        "dataset_id": DATASET,
        "fields": ["person_id", "town"],
        "identifier_fields": ["last_name", "first_name", "birth_date", "ssn"],
    }
    made = world.agreement(datasets=[shared], authorized_users=["analyst@dss.ct.gov", ADO])
    auth = {**world.token("analyst@dss.ct.gov"), **PURPOSE}
    url = f"/resource/{DATASET}.json?$select=town"
    assert client.get(url, headers=auth).status_code == 200
    analyst = world.actor("analyst@dss.ct.gov")
    with world.database.session() as session:
        extracts.create_extract(
            session,
            analyst,
            QueryEngine(world.settings.datasets_dir),
            world.settings.data_dir,
            made,
            ExtractCreate(dataset_id=DATASET, purpose="Link to program outcomes"),
        )
    with world.database.session() as session:
        agreements.update_agreement(
            session, world.actor(ADO), made, AgreementUpdate(authorized_users=[ADO])
        )
    with world.database.session() as session:
        grant = session.scalars(
            select(AccessGrant).where(AccessGrant.user_id == analyst.user_id)
        ).one()
        assert grant.revoked_at is not None and grant.revoked_by == ADO
        assert session.scalar(select(func.count()).where(UseSession.grant_id == grant.id)) == 1
        assert session.scalar(select(func.count()).where(Extract.grant_id == grant.id)) == 1
        found = agreements.get_agreement(session, SYSTEM, made)
        revoked = next(g for g in found.grants if g.user_email == "analyst@dss.ct.gov")
        assert revoked.state == "revoked" and "revoked" in revoked.reason
        assert found.history[-2].action == "grant.revoke"
        assert "analyst@dss.ct.gov" in found.history[-2].note
        with pytest.raises(Conflict):
            grants.suspend(session, world.actor(ADO), grant.id, "no")
    refused = client.get(url, headers=auth)
    assert refused.status_code == 403 and "revoked" in refused.json()["message"]
    # the provider's ADO still sees the extract made under the revoked grant
    listed = client.get(f"/api/v1/agreements/{made}/extracts", headers=world.token(ADO))
    assert [e["created_by"] for e in listed.json()] == ["analyst@dss.ct.gov"]
    # the user no longer reads the agreement; their grants list says why
    assert client.get(f"/api/v1/agreements/{made}", headers=auth).status_code == 403
    mine = client.get("/api/v1/grants/mine", headers=auth).json()
    assert [g["state"] for g in mine] == ["revoked"]
    # named again: the same grant, restored
    with world.database.session() as session:
        agreements.update_agreement(
            session,
            world.actor(ADO),
            made,
            AgreementUpdate(authorized_users=[ADO, "analyst@dss.ct.gov"]),
        )
    with world.database.session() as session:
        assert session.get(AccessGrant, grant.id).revoked_at is None  # type: ignore[union-attr]
        found = agreements.get_agreement(session, SYSTEM, made)
        assert found.history[-2].action == "grant.restore"
    assert client.get(url, headers=auth).status_code == 200


def test_the_migration_matches_the_sharing_tables(database: Database) -> None:
    import_all_models()
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert [d for d in differences if "sharing_" in str(d)] == []
