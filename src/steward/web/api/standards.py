"""Standards API: the registry, normalizing values, suggesting an element, conformance reports.

Recording a steward's decision on a value is a write: it goes through the CLI until accounts
exist (an anonymous write here would let anyone redirect an agency's data).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from steward.standards import conformance, service
from steward.standards.schemas import (
    ConformanceReport,
    ElementPublic,
    NormalizedDetail,
    NormalizedValue,
    NormalizeRequest,
    Registry,
    Suggestion,
    SuggestRequest,
)
from steward.standards.suggest import suggest_elements
from steward.web.api.deps import SessionDep, SettingsDep

router = APIRouter(prefix="/api/v1", tags=["standards"])


@router.get("/standards", response_model=Registry, summary="The standards registry (public)")
def registry() -> Registry:
    return service.registry()


@router.get(
    "/standards/{element}",
    response_model=ElementPublic,
    summary="One standard element with its permitted values (public)",
)
def element(element: str) -> ElementPublic:
    return service.element_detail(element)


@router.post(
    "/standards/{element}/normalize",
    response_model=list[NormalizedDetail] | list[NormalizedValue],
    summary="Normalize values under a standard element, in order (public)",
)
def normalize(
    session: SessionDep,
    element: str,
    body: NormalizeRequest,
    detail: Annotated[bool, Query(description="Add each value's `reason`")] = False,
) -> list[NormalizedDetail] | list[NormalizedValue]:
    results = service.normalize_values(session, element, body.values, body.agency)
    if detail:
        return results
    return [NormalizedValue(**result.model_dump(exclude={"reason"})) for result in results]


@router.post(
    "/standards/suggest",
    response_model=list[Suggestion],
    summary="Which elements a field's name and values suggest (public)",
)
def suggest(body: SuggestRequest) -> list[Suggestion]:
    return suggest_elements(body.name, body.values)


@router.get(
    "/datasets/{dataset_id}/conformance",
    response_model=ConformanceReport,
    summary="A dataset version's conformance to the standards (public rows only)",
)
def dataset_conformance(
    session: SessionDep,
    settings: SettingsDep,
    dataset_id: str,
    version: Annotated[int | None, Query(ge=1, description="Version; current if omitted")] = None,
    top: Annotated[int, Query(ge=1, le=100, description="Problem values listed per field")] = 10,
) -> ConformanceReport:
    return conformance.conformance_report(
        session, settings.data_dir, dataset_id, version, public=True, top=top
    )
