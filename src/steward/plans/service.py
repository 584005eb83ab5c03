"""Open Data Access Plans: an agency's plan per two-year period, drafted, then published.

Who may do what (the policy's `plans.*` actions): anyone reads a published plan; the agency's
analysts and above (and the CDO) see drafts; stewards and above add and change entries
(`entries.py`); the ADO creates a plan, edits its summary and publishes it.

Adherence is computed, never entered (`adherence.py`, `shapes.py`): a planned entry counts as
released on time or late from the linked dataset's publication date, against the target the
plan committed to when it was published. For progress reports and the CDO dashboard,
`adherence_summary()` and `plan_summaries()` read it without an actor (published plans are
public).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from steward.accounts.policy import Actor, permits, require
from steward.catalog.models import Agency
from steward.catalog.service import get_agency
from steward.db.base import utcnow
from steward.errors import Conflict, NotFound
from steward.plans.adherence import current_period, normalize_period
from steward.plans.models import AccessPlan
from steward.plans.schemas import (
    AdherenceSummary,
    AgencyPlan,
    AgencyPlanPage,
    PlanCreate,
    PlanPublic,
    PlanSummary,
    PlanUpdate,
)
from steward.plans.shapes import PlanView


def today() -> date:
    """The date adherence is judged by: the server's local date, as agencies read a target."""
    return date.today()


def visible_agencies(actor: Actor, action: str) -> frozenset[int] | None:
    """The agencies where the actor may do `action` (None: every agency)."""
    if actor.is_system or actor.is_cdo:
        return None
    return frozenset(a for a, _ in actor.agency_roles if permits(actor, action, a))


# reading -----------------------------------------------------------------------------------


def load_plan(session: Session, agency: Agency, period: str) -> AccessPlan:
    try:
        period = normalize_period(period)
    except ValueError:
        raise NotFound(f"no plan {period!r}: a period looks like 2026-2027") from None
    plan = session.scalar(
        select(AccessPlan).where(AccessPlan.agency_id == agency.id, AccessPlan.period == period)
    )
    if plan is None:
        raise NotFound(f"{agency.name} has no Open Data Access Plan for {period}")
    return plan


def plan_for(session: Session, actor: Actor, action: str, slug: str, period: str) -> AccessPlan:
    """The plan, once the actor may do `action` in its agency (checked before it is looked up)."""
    agency = get_agency(session, slug)
    require(actor, action, agency.id, what=f"the {period} plan of {agency.name}")
    return load_plan(session, agency, period)


def readable_plan(session: Session, actor: Actor, slug: str, period: str) -> AccessPlan:
    """A published plan for anyone; a draft for the agency's staff."""
    agency = get_agency(session, slug)
    plan = load_plan(session, agency, period)
    if plan.status != "published":
        require(actor, "plans.view", agency.id, what=f"the draft {period} plan of {agency.name}")
    return plan


def get_plan(
    session: Session, actor: Actor, slug: str, period: str, as_of: date | None = None
) -> PlanPublic:
    plan = readable_plan(session, actor, slug, period)
    return PlanView(session, plan, as_of or today()).public()


def list_plans(session: Session, actor: Actor, agency: str | None = None) -> list[PlanSummary]:
    """Published plans, and the drafts the actor may see; by agency name, newest period first."""
    query = select(AccessPlan).join(Agency).order_by(Agency.name, AccessPlan.period.desc())
    if agency is not None:
        query = query.where(AccessPlan.agency_id == get_agency(session, agency).id)
    drafts = visible_agencies(actor, "plans.view")
    now = today()
    return [
        PlanView(session, plan, now).summary()
        for plan in session.scalars(query)
        if plan.status == "published" or drafts is None or plan.agency_id in drafts
    ]


def current_plan(
    session: Session, slug: str, period: str | None = None, as_of: date | None = None
) -> PlanPublic | None:
    """The agency's published plan for `period`, or the current one (public; None if none)."""
    agency = get_agency(session, slug)
    when = as_of or today()
    if period is not None:
        plan = load_plan(session, agency, period)
        if plan.status != "published":
            raise NotFound(f"{agency.name} has not published its {plan.period} plan")
        return PlanView(session, plan, when).public()
    current = _current(session, agency.id, when)
    return PlanView(session, current, when).public() if current else None


def public_page(session: Session, slug: str, period: str | None = None) -> AgencyPlanPage:
    """What the agency's public plan page shows: the current (or asked-for) published plan."""
    agency = get_agency(session, slug)
    query = select(AccessPlan.period).where(
        AccessPlan.agency_id == agency.id, AccessPlan.status == "published"
    )
    periods = sorted(session.scalars(query), reverse=True)
    return AgencyPlanPage(
        agency=agency.slug,
        agency_name=agency.name,
        plan=current_plan(session, slug, period),
        periods=periods,
    )


def public_index(session: Session, as_of: date | None = None) -> list[AgencyPlan]:
    """Every agency with its current published plan (or none yet), by name."""
    when = as_of or today()
    found = []
    for agency in session.scalars(select(Agency).order_by(Agency.name)):
        plan = _current(session, agency.id, when)
        summary = PlanView(session, plan, when).summary() if plan else None
        found.append(AgencyPlan(agency=agency.slug, agency_name=agency.name, plan=summary))
    return found


def _current(session: Session, agency_id: int, when: date) -> AccessPlan | None:
    plans = {
        plan.period: plan
        for plan in session.scalars(
            select(AccessPlan).where(
                AccessPlan.agency_id == agency_id, AccessPlan.status == "published"
            )
        )
    }
    period = current_period(plans, when)
    return plans[period] if period else None


# for progress reports and the CDO dashboard ------------------------------------------------


def adherence_summary(
    session: Session, agency_id: int, period: str | None = None, as_of: date | None = None
) -> AdherenceSummary | None:
    """How the agency's published plan stands (the current one unless `period` is given).

    None when the agency has no published plan (for that period). Public information: no actor.
    """
    when = as_of or today()
    if period is None:
        plan = _current(session, agency_id, when)
    else:
        plan = session.scalar(
            select(AccessPlan).where(
                AccessPlan.agency_id == agency_id,
                AccessPlan.period == normalize_period(period),
                AccessPlan.status == "published",
            )
        )
    return PlanView(session, plan, when).adherence() if plan else None


def plan_summaries(session: Session, as_of: date | None = None) -> list[AdherenceSummary]:
    """The current published plan's adherence of every agency that has one, by agency name."""
    return [item.plan.adherence for item in public_index(session, as_of) if item.plan]


# writing -----------------------------------------------------------------------------------


def create_plan(session: Session, actor: Actor, data: PlanCreate) -> PlanPublic:
    agency = get_agency(session, data.agency)
    require(actor, "plans.create", agency.id, what=f"a {data.period} plan for {agency.name}")
    taken = select(AccessPlan.id).where(
        AccessPlan.agency_id == agency.id, AccessPlan.period == data.period
    )
    if session.scalar(taken) is not None:
        raise Conflict(f"{agency.name} already has a plan for {data.period}")
    plan = AccessPlan(
        agency=agency,
        period=data.period,
        summary=data.summary,
        created_by=actor.label,
        updated_by=actor.label,
    )
    session.add(plan)
    session.flush()
    return PlanView(session, plan, today()).public()


def update_plan(
    session: Session, actor: Actor, slug: str, period: str, data: PlanUpdate
) -> PlanPublic:
    plan = plan_for(session, actor, "plans.publish", slug, period)
    plan.summary = data.summary
    touch(plan, actor)
    session.flush()
    return PlanView(session, plan, today()).public()


def publish_plan(session: Session, actor: Actor, slug: str, period: str) -> PlanPublic:
    """Publish a draft: its targets become the commitments adherence is judged by."""
    plan = plan_for(session, actor, "plans.publish", slug, period)
    if plan.status == "published":
        raise Conflict(f"the {plan.period} plan of {plan.agency.name} is already published")
    if not plan.entries:
        raise Conflict("add at least one entry before publishing the plan")
    for entry in plan.entries:
        entry.committed_date = entry.target_date if entry.kind == "planned" else None
    plan.status = "published"
    plan.published_at, plan.published_by = utcnow(), actor.label
    touch(plan, actor)
    session.flush()
    return PlanView(session, plan, today()).public()


def touch(plan: AccessPlan, actor: Actor) -> None:
    plan.updated_at, plan.updated_by = utcnow(), actor.label


def abilities(session: Session, actor: Actor, slug: str | None = None) -> dict[str, bool]:
    """What the actor may do, for pages to offer only the buttons that will work."""
    agency_id = get_agency(session, slug).id if slug is not None else None
    return {
        "view": agency_id is not None and permits(actor, "plans.view", agency_id),
        "edit": agency_id is not None and permits(actor, "plans.edit", agency_id),
        "publish": agency_id is not None and permits(actor, "plans.publish", agency_id),
        "create_any": bool(creatable_agencies(session, actor)),
    }


def console_plans(
    session: Session, actor: Actor
) -> tuple[list[PlanSummary], list[tuple[str, str]]]:
    """For the console (signed in): the plans the actor sees, and where they may create one."""
    require(actor, "console.view", what="the plans console")
    return list_plans(session, actor), creatable_agencies(session, actor)


def creatable_agencies(session: Session, actor: Actor) -> list[tuple[str, str]]:
    """(slug, name) of the agencies where the actor may create a plan."""
    agencies = session.scalars(select(Agency).order_by(Agency.name))
    return [(a.slug, a.name) for a in agencies if permits(actor, "plans.create", a.id)]
