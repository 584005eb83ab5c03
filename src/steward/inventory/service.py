"""Inventory use cases: cycles, agency submissions, the review workflow, history, dashboard.

Who may do what (the policy's `inventory.*` actions): the CDO opens cycles, reviews and sees
every agency; an agency's analysts and above see its submission; stewards and above edit its
assets (`assets.py`); only its ADO submits. Submissions are not public: they hold unpublished
descriptions of non-public data and reviewers' comments. What the public learns about
non-public data is the catalog's listing of it; `exports.py` serves the non-public part of
`data.json` to the CDO (and to an agency for its own submission) for harvesting.

A submission moves draft -> submitted -> returned -> submitted -> accepted; its assets change
only in draft or returned. Every change is written to the history (`changes.py`).
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from steward.accounts.policy import Actor, permits, require
from steward.catalog.models import Agency
from steward.catalog.service import get_agency
from steward.db.base import utcnow
from steward.errors import Conflict, Invalid, NotFound
from steward.inventory import changes, rules
from steward.inventory.models import InventoryAsset, InventoryCycle, InventorySubmission
from steward.inventory.schemas import (
    AssetFields,
    ChangePublic,
    CycleCreate,
    CyclePublic,
    Dashboard,
    DashboardRow,
    SubmissionPublic,
)
from steward.inventory.shapes import EDITABLE, submission_public, summary

# status -> the statuses a submission may reach it from
TRANSITIONS: dict[str, frozenset[str]] = {
    "submitted": EDITABLE,
    "returned": frozenset({"submitted"}),
    "accepted": frozenset({"submitted"}),
}


def today() -> date:
    """The date overdue is judged by: the server's local date, as agencies read a due date."""
    return date.today()


# cycles ------------------------------------------------------------------------------------


def open_cycle(session: Session, actor: Actor, data: CycleCreate) -> CyclePublic:
    """Open a year's cycle: every agency gets a draft, carried forward from its last one."""
    require(actor, "inventory.open_cycle", what=f"the {data.year} inventory")
    if session.scalar(select(InventoryCycle.id).where(InventoryCycle.year == data.year)):
        raise Conflict(f"the {data.year} inventory cycle is already open")
    cycle = InventoryCycle(year=data.year, due_date=data.due_date, opened_by=actor.label)
    session.add(cycle)
    session.flush()
    all_submissions(session, cycle)
    return _cycle_public(session, actor, cycle)


def list_cycles(session: Session, actor: Actor) -> list[CyclePublic]:
    """Every cycle, newest first, with the submissions the caller may see."""
    require(actor, "inventory.cycles", what="the inventory cycles")
    cycles = list(session.scalars(select(InventoryCycle).order_by(InventoryCycle.year.desc())))
    return [_cycle_public(session, actor, cycle) for cycle in cycles]


def get_cycle(session: Session, actor: Actor, year: int) -> CyclePublic:
    require(actor, "inventory.cycles", what="the inventory cycles")
    return _cycle_public(session, actor, load_cycle(session, year))


def load_cycle(session: Session, year: int) -> InventoryCycle:
    cycle = session.scalar(select(InventoryCycle).where(InventoryCycle.year == year))
    if cycle is None:
        raise NotFound(f"no inventory cycle for {year}")
    return cycle


def _cycle_public(session: Session, actor: Actor, cycle: InventoryCycle) -> CyclePublic:
    if permits(actor, "inventory.view_all"):
        submissions = all_submissions(session, cycle)
    else:
        ids = actor.agencies("analyst")
        query = select(Agency).where(Agency.id.in_(ids)).order_by(Agency.name)
        agencies = list(session.scalars(query)) if ids else []
        submissions = [_submission(session, cycle, agency) for agency in agencies]
    now = today()
    visible = [summary(submission, now) for submission in submissions]
    return CyclePublic(
        year=cycle.year,
        due_date=cycle.due_date,
        opened_by=cycle.opened_by,
        opened_at=cycle.opened_at,
        submissions=visible,
    )


# submissions -------------------------------------------------------------------------------


def submission_for(
    session: Session, actor: Actor, action: str, year: int, slug: str
) -> InventorySubmission:
    """An agency's submission for a year, once the actor may do `action` to it.

    An agency added after the cycle opened gets its submission here, on first access.
    """
    cycle = load_cycle(session, year)
    agency = get_agency(session, slug)
    require(actor, action, agency.id, what=f"the {year} inventory of {agency.name}")
    return _submission(session, cycle, agency)


def require_editable(submission: InventorySubmission) -> None:
    if submission.status not in EDITABLE:
        raise Conflict(
            f"the {submission.cycle.year} inventory of {submission.agency.name} is "
            f"{submission.status}; entries change only while it is a draft or returned"
        )


def get_submission(session: Session, actor: Actor, year: int, slug: str) -> SubmissionPublic:
    submission = submission_for(session, actor, "inventory.view", year, slug)
    return submission_public(submission, today())


def history(session: Session, actor: Actor, year: int, slug: str) -> list[ChangePublic]:
    submission = submission_for(session, actor, "inventory.view", year, slug)
    return changes.history(session, submission)


def submit(
    session: Session, actor: Actor, year: int, slug: str, comment: str = ""
) -> SubmissionPublic:
    """The ADO sends the inventory to the CDO; every entry must still pass the rules."""
    submission = submission_for(session, actor, "inventory.submit", year, slug)
    _check_transition(submission, "submitted")
    if not submission.assets:
        raise Conflict("add at least one data asset before submitting")
    for asset in submission.assets:
        found = rules.problems(AssetFields.model_validate(changes.snapshot(asset)))
        if found:
            raise Invalid(f"{asset.name}: {found[0].message}")
    submission.submitted_at, submission.submitted_by = utcnow(), actor.label
    return _move(session, actor, submission, "submitted", comment)


def return_submission(
    session: Session, actor: Actor, year: int, slug: str, comment: str
) -> SubmissionPublic:
    """The CDO sends the inventory back with what needs to change (a comment is required)."""
    submission = submission_for(session, actor, "inventory.review", year, slug)
    _check_transition(submission, "returned")
    if not comment.strip():
        raise Invalid("say what needs to change: returning an inventory needs a comment")
    return _review(session, actor, submission, "returned", comment)


def accept(
    session: Session, actor: Actor, year: int, slug: str, comment: str = ""
) -> SubmissionPublic:
    submission = submission_for(session, actor, "inventory.review", year, slug)
    _check_transition(submission, "accepted")
    return _review(session, actor, submission, "accepted", comment)


def _review(
    session: Session, actor: Actor, submission: InventorySubmission, status: str, comment: str
) -> SubmissionPublic:
    submission.reviewed_at, submission.reviewed_by = utcnow(), actor.label
    submission.review_comment = comment.strip() or None
    return _move(session, actor, submission, status, comment)


def _check_transition(submission: InventorySubmission, status: str) -> None:
    sources = TRANSITIONS[status]
    if submission.status not in sources:
        allowed = " or ".join(sorted(sources))
        raise Conflict(
            f"the {submission.cycle.year} inventory of {submission.agency.name} is "
            f"{submission.status}; only a {allowed} one can be {status}"
        )


def _move(
    session: Session, actor: Actor, submission: InventorySubmission, status: str, comment: str
) -> SubmissionPublic:
    before = submission.status
    submission.status = status
    changes.record(
        session,
        submission,
        actor.label,
        status,
        before={"status": before},
        after={"status": status},
        comment=comment.strip(),
    )
    session.flush()
    return submission_public(submission, today())


def all_submissions(session: Session, cycle: InventoryCycle) -> list[InventorySubmission]:
    """Every agency's submission for the cycle, by agency name (late-added agencies included)."""
    agencies = list(session.scalars(select(Agency).order_by(Agency.name)))
    return [_submission(session, cycle, agency) for agency in agencies]


def _submission(session: Session, cycle: InventoryCycle, agency: Agency) -> InventorySubmission:
    query = select(InventorySubmission).where(
        InventorySubmission.cycle_id == cycle.id, InventorySubmission.agency_id == agency.id
    )
    found = session.scalar(query)
    if found is not None:
        return found
    try:
        with session.begin_nested():
            submission = _start_submission(session, cycle, agency, cycle.opened_by)
            session.flush()
    except IntegrityError:
        # Another request started this agency's draft at the same moment: use theirs.
        return session.scalars(query).one()
    return submission


def _start_submission(
    session: Session, cycle: InventoryCycle, agency: Agency, by: str
) -> InventorySubmission:
    """A draft for the agency, starting from its latest earlier submission's assets."""
    submission = InventorySubmission(cycle=cycle, agency=agency, status="draft")
    session.add(submission)
    previous = session.scalar(
        select(InventorySubmission)
        .join(InventoryCycle)
        .where(InventorySubmission.agency_id == agency.id, InventoryCycle.year < cycle.year)
        .order_by(InventoryCycle.year.desc())
        .limit(1)
    )
    session.flush()
    if previous is None or not previous.assets:
        changes.record(session, submission, by, "opened", comment=f"{cycle.year} cycle opened")
        return submission
    year = previous.cycle.year
    submission.carried_forward_from = year
    for old in previous.assets:
        submission.assets.append(_carry(old, year, by))
    note = f"{len(previous.assets)} entries carried forward from {year}"
    changes.record(session, submission, by, "carried_forward", comment=note)
    return submission


def _carry(old: InventoryAsset, year: int, by: str) -> InventoryAsset:
    values = {name: getattr(old, name) for name in changes.SNAPSHOT_FIELDS}
    return InventoryAsset(
        **values, key=old.key or uuid.uuid4().hex, carried_forward_from=year, updated_by=by
    )


def abilities(session: Session, actor: Actor, slug: str | None = None) -> dict[str, bool]:
    """What the actor may do, for pages to offer only the buttons that will work."""
    agency_id = get_agency(session, slug).id if slug is not None else None
    return {
        "open": permits(actor, "inventory.open_cycle"),
        "view_all": permits(actor, "inventory.view_all"),
        "edit": agency_id is not None and permits(actor, "inventory.edit", agency_id),
        "submit": agency_id is not None and permits(actor, "inventory.submit", agency_id),
        "review": permits(actor, "inventory.review", agency_id),
    }


# dashboard ---------------------------------------------------------------------------------


def dashboard(session: Session, actor: Actor, year: int, as_of: date | None = None) -> Dashboard:
    """For the CDO: each agency's status and counts, shares published, who is overdue."""
    require(actor, "inventory.view_all", what=f"the {year} inventory dashboard")
    cycle = load_cycle(session, year)
    when = as_of or today()
    rows = []
    for submission in all_submissions(session, cycle):
        item = summary(submission, when)
        share = item.published_count / item.asset_count if item.asset_count else None
        rows.append(
            DashboardRow(
                **item.model_dump(
                    include={"agency", "agency_name", "status", "asset_count", "overdue"}
                    | {"high_value_count", "published_count", "submitted_at"}
                ),
                published_share=share,
            )
        )
    assets = sum(row.asset_count for row in rows)
    published = sum(row.published_count for row in rows)
    statuses = ("draft", "submitted", "returned", "accepted")
    return Dashboard(
        year=cycle.year,
        due_date=cycle.due_date,
        as_of=when,
        agencies=rows,
        status_counts={status: sum(r.status == status for r in rows) for status in statuses},
        asset_count=assets,
        high_value_count=sum(row.high_value_count for row in rows),
        published_count=published,
        published_share=published / assets if assets else None,
        overdue=[row.agency for row in rows if row.overdue],
    )
