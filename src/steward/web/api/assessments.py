"""Assessments API: governance maturity self-assessments per agency, data ethics assessments of
datasets and projects, and the risks they open.

Each route names the least role it needs; `steward.plans` checks it. Completed maturity ratings
are public (their notes are not); everything about ethics is for the agency's staff.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from steward.plans import ethics_service, maturity_service
from steward.plans.assessment_schemas import (
    EthicsCreate,
    EthicsPublic,
    EthicsSummary,
    EthicsUpdate,
    MaturityPublic,
    MaturitySummary,
    MaturityUpdate,
    RiskClose,
    RiskPublic,
    RiskUpdate,
)
from steward.web.api.deps import ActorDep, get_session

SessionDep = Annotated[Session, Depends(get_session, scope="function")]
router = APIRouter(prefix="/api/v1/assessments", tags=["assessments"])
MATURITY = "/maturity/{agency}"
ETHICS = "/ethics/{assessment_id}"


# maturity ----------------------------------------------------------------------------------


@router.get(
    MATURITY,
    response_model=list[MaturitySummary],
    summary="An agency's maturity self-assessments: completed ones public, drafts for analysts",
)
def list_maturity(session: SessionDep, actor: ActorDep, agency: str) -> list[MaturitySummary]:
    return maturity_service.list_maturity(session, actor, agency)


@router.post(
    MATURITY,
    response_model=MaturityPublic,
    status_code=201,
    summary="Start a self-assessment from the last completed one (ado)",
)
def start_maturity(session: SessionDep, actor: ActorDep, agency: str) -> MaturityPublic:
    return maturity_service.start_maturity(session, actor, agency)


@router.get(
    MATURITY + "/{number}",
    response_model=MaturityPublic,
    summary="The matrix compared with the previous one (public once completed; notes: analyst)",
)
def get_maturity(session: SessionDep, actor: ActorDep, agency: str, number: int) -> MaturityPublic:
    return maturity_service.get_maturity(session, actor, agency, number)


@router.patch(
    MATURITY + "/{number}",
    response_model=MaturityPublic,
    summary="Rate cells, write notes or the summary of a draft (ado)",
)
def rate_maturity(
    session: SessionDep, actor: ActorDep, agency: str, number: int, data: MaturityUpdate
) -> MaturityPublic:
    return maturity_service.rate_maturity(session, actor, agency, number, data)


@router.post(
    MATURITY + "/{number}/complete",
    response_model=MaturityPublic,
    summary="Complete once all 30 cells are rated (ado)",
)
def complete_maturity(
    session: SessionDep, actor: ActorDep, agency: str, number: int
) -> MaturityPublic:
    return maturity_service.complete_maturity(session, actor, agency, number)


# ethics ------------------------------------------------------------------------------------


@router.get("/ethics", response_model=list[EthicsSummary], summary="Ethics assessments (analyst)")
def list_ethics(
    session: SessionDep,
    actor: ActorDep,
    agency: Annotated[str | None, Query(max_length=64)] = None,
    dataset: Annotated[str | None, Query(max_length=9)] = None,
) -> list[EthicsSummary]:
    return ethics_service.list_ethics(session, actor, agency, dataset)


@router.post(
    "/ethics",
    response_model=EthicsPublic,
    status_code=201,
    summary="Start an ethics assessment of a dataset or project (steward)",
)
def start_ethics(session: SessionDep, actor: ActorDep, data: EthicsCreate) -> EthicsPublic:
    return ethics_service.start_ethics(session, actor, data)


@router.get(ETHICS, response_model=EthicsPublic, summary="One ethics assessment (analyst)")
def get_ethics(session: SessionDep, actor: ActorDep, assessment_id: int) -> EthicsPublic:
    return ethics_service.get_ethics(session, actor, assessment_id)


@router.patch(
    ETHICS,
    response_model=EthicsPublic,
    summary="Score principles 0-5 with notes; 2 or less opens a risk (steward)",
)
def score_ethics(
    session: SessionDep, actor: ActorDep, assessment_id: int, data: EthicsUpdate
) -> EthicsPublic:
    return ethics_service.score_ethics(session, actor, assessment_id, data)


@router.post(
    ETHICS + "/complete",
    response_model=EthicsPublic,
    summary="Complete: every principle scored, every risk owned and mitigated (steward)",
)
def complete_ethics(session: SessionDep, actor: ActorDep, assessment_id: int) -> EthicsPublic:
    return ethics_service.complete_ethics(session, actor, assessment_id)


@router.get("/risks", response_model=list[RiskPublic], summary="Ethics risks (analyst)")
def list_risks(
    session: SessionDep,
    actor: ActorDep,
    status: Annotated[Literal["open", "closed"] | None, Query()] = None,
    agency: Annotated[str | None, Query(max_length=64)] = None,
) -> list[RiskPublic]:
    return ethics_service.list_risks(session, actor, status, agency)


@router.patch(
    "/risks/{risk_id}", response_model=RiskPublic, summary="Set owner and mitigation (steward)"
)
def update_risk(session: SessionDep, actor: ActorDep, risk_id: int, data: RiskUpdate) -> RiskPublic:
    return ethics_service.update_risk(session, actor, risk_id, data)


@router.post(
    "/risks/{risk_id}/close",
    response_model=RiskPublic,
    summary="Close a risk of a completed assessment, with a note (steward)",
)
def close_risk(session: SessionDep, actor: ActorDep, risk_id: int, data: RiskClose) -> RiskPublic:
    return ethics_service.close_risk(session, actor, risk_id, data)
