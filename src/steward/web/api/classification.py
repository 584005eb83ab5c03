"""Classification API under `/api/v1`: the questionnaire (public), a dataset's assessment,
field proposals and history (analyst+ of its agency), and recording assessments and field
decisions (steward+)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from steward.classification import service
from steward.classification.schemas import (
    AssessmentCreate,
    AssessmentPublic,
    ClassificationHistory,
    ClassificationPublic,
    FieldDecisionCreate,
    FieldDecisionPublic,
    Questionnaire,
)
from steward.web.api.deps import ActorDep, SettingsDep, get_session

# The transaction commits before the response leaves, so a client that follows a redirect or
# reads right after a write sees the write.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
router = APIRouter(prefix="/api/v1", tags=["classification"])


@router.get(
    "/classification/questionnaire",
    response_model=Questionnaire,
    summary="The classification questions and what each level means (public)",
)
def get_questionnaire() -> Questionnaire:
    return service.questionnaire()


@router.get(
    "/datasets/{dataset_id}/classification",
    response_model=ClassificationPublic,
    summary="Current assessment, field levels and proposals, publish blockers (analyst+)",
)
def get_classification(
    session: SessionDep, settings: SettingsDep, actor: ActorDep, dataset_id: str
) -> ClassificationPublic:
    return service.get_classification(session, actor, settings.data_dir, dataset_id)


@router.post(
    "/datasets/{dataset_id}/classification",
    response_model=AssessmentPublic,
    status_code=201,
    summary="Record an assessment: answers, rationale, FIPS 199 impacts (steward+)",
)
def record_assessment(
    session: SessionDep, actor: ActorDep, dataset_id: str, data: AssessmentCreate
) -> AssessmentPublic:
    return service.record_assessment(session, actor, dataset_id, data)


@router.put(
    "/datasets/{dataset_id}/classification/fields/{name}",
    response_model=FieldDecisionPublic,
    summary="Confirm or override a field's classification (steward+)",
)
def decide_field(
    session: SessionDep,
    settings: SettingsDep,
    actor: ActorDep,
    dataset_id: str,
    name: str,
    data: FieldDecisionCreate,
) -> FieldDecisionPublic:
    return service.decide_field(session, actor, settings.data_dir, dataset_id, name, data)


@router.get(
    "/datasets/{dataset_id}/classification/history",
    response_model=ClassificationHistory,
    summary="Every assessment and field decision, newest first (analyst+)",
)
def get_history(session: SessionDep, actor: ActorDep, dataset_id: str) -> ClassificationHistory:
    return service.get_history(session, actor, dataset_id)
