"""Open Data Access Plans API: plans per agency and period, their entries, publication, adherence
and exports (CSV, XLSX).

Each route names the least role it needs; `steward.plans` checks it. Published plans are public.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from steward.plans import entries, exports, service
from steward.plans.schemas import (
    EntryCreate,
    EntryPublic,
    EntryUpdate,
    PlanCreate,
    PlanPublic,
    PlanSummary,
    PlanUpdate,
)
from steward.web.api.deps import ActorDep, get_session

# Commit before the answer is sent (FastAPI's default ends a `yield` dependency after it): a
# script's next call must see the change just made.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
router = APIRouter(prefix="/api/v1/plans", tags=["plans"])
PLAN = "/{agency}/{period}"
ENTRY = PLAN + "/entries/{entry_id}"


class InventoryAdded(BaseModel):
    year: int
    added: list[EntryPublic]


@router.get("", response_model=list[PlanSummary], summary="Plans: published, and your drafts")
def list_plans(
    session: SessionDep,
    actor: ActorDep,
    agency: Annotated[str | None, Query(max_length=64, description="Agency slug")] = None,
) -> list[PlanSummary]:
    return service.list_plans(session, actor, agency)


@router.post("", response_model=PlanPublic, status_code=201, summary="Create a draft plan (ado)")
def create_plan(session: SessionDep, actor: ActorDep, data: PlanCreate) -> PlanPublic:
    return service.create_plan(session, actor, data)


@router.get(
    PLAN,
    response_model=PlanPublic,
    summary="A plan with its entries and adherence (public once published; analyst for a draft)",
)
def get_plan(session: SessionDep, actor: ActorDep, agency: str, period: str) -> PlanPublic:
    return service.get_plan(session, actor, agency, period)


@router.patch(PLAN, response_model=PlanPublic, summary="Change the plan's summary (ado)")
def update_plan(
    session: SessionDep, actor: ActorDep, agency: str, period: str, data: PlanUpdate
) -> PlanPublic:
    return service.update_plan(session, actor, agency, period, data)


@router.post(
    PLAN + "/publish",
    response_model=PlanPublic,
    summary="Publish: the targets become the commitments (ado)",
)
def publish_plan(session: SessionDep, actor: ActorDep, agency: str, period: str) -> PlanPublic:
    return service.publish_plan(session, actor, agency, period)


@router.get(PLAN + "/export", summary="The plan as CSV or XLSX (as readable as the plan)")
def export_plan(
    session: SessionDep,
    actor: ActorDep,
    agency: str,
    period: str,
    fmt: Annotated[Literal["csv", "xlsx"], Query(alias="format")] = "csv",
) -> Response:
    made = exports.export_plan(session, actor, agency, period, fmt)
    headers = {"Content-Disposition": f'attachment; filename="{made.filename}"'}
    return Response(made.content, media_type=made.media_type, headers=headers)


@router.post(
    PLAN + "/entries", response_model=EntryPublic, status_code=201, summary="Add an entry (steward)"
)
def add_entry(
    session: SessionDep, actor: ActorDep, agency: str, period: str, data: EntryCreate
) -> EntryPublic:
    return entries.add_entry(session, actor, agency, period, data)


@router.post(
    PLAN + "/from-inventory",
    response_model=InventoryAdded,
    summary="Add the latest inventory's published and planned assets not in the plan (steward)",
)
def add_from_inventory(
    session: SessionDep, actor: ActorDep, agency: str, period: str
) -> InventoryAdded:
    year, added = entries.add_from_inventory(session, actor, agency, period)
    return InventoryAdded(year=year, added=added)


@router.get(ENTRY, response_model=EntryPublic, summary="One entry (as readable as the plan)")
def get_entry(
    session: SessionDep, actor: ActorDep, agency: str, period: str, entry_id: int
) -> EntryPublic:
    return entries.get_entry(session, actor, agency, period, entry_id)


@router.patch(
    ENTRY, response_model=EntryPublic, summary="Change an entry: the fields sent (steward)"
)
def update_entry(
    session: SessionDep,
    actor: ActorDep,
    agency: str,
    period: str,
    entry_id: int,
    data: EntryUpdate,
) -> EntryPublic:
    return entries.update_entry(session, actor, agency, period, entry_id, data)


@router.delete(ENTRY, status_code=204, summary="Remove an entry of a draft plan (steward)")
def remove_entry(
    session: SessionDep, actor: ActorDep, agency: str, period: str, entry_id: int
) -> Response:
    entries.remove_entry(session, actor, agency, period, entry_id)
    return Response(status_code=204)
