"""Quality API under `/api/v1`: profiles, quality reports, rules, comparisons, freshness and
feedback counts (all reads; rules, settings and feedback status are written through the CLI
until accounts exist)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from steward.quality import declarations, feedback, service, summary
from steward.quality.schemas import (
    Comparison,
    FeedbackCounts,
    Freshness,
    FreshnessReport,
    Profile,
    QualityDeclarations,
    ResponseTimes,
    VersionQuality,
)
from steward.web.api.deps import SessionDep, SettingsDep

router = APIRouter(prefix="/api/v1", tags=["quality"])
VersionQuery = Annotated[
    int | None, Query(ge=1, description="Version number; the current version if omitted")
]


@router.get(
    "/datasets/{dataset_id}/profile",
    response_model=Profile,
    summary="A version's column profile (public rows only; personal fields left out)",
)
def get_profile(session: SessionDep, dataset_id: str, version: VersionQuery = None) -> Profile:
    return service.get_profile(session, dataset_id, version)


@router.get(
    "/datasets/{dataset_id}/quality",
    response_model=VersionQuality,
    summary="A version's quality score and its parts, rule results, comparison, freshness",
)
def get_quality(
    session: SessionDep, dataset_id: str, version: VersionQuery = None
) -> VersionQuality:
    return service.get_quality(session, dataset_id, version)


@router.get(
    "/datasets/{dataset_id}/rules",
    response_model=QualityDeclarations,
    summary="The dataset's quality rules, key and date field (public)",
)
def get_rules(session: SessionDep, dataset_id: str) -> QualityDeclarations:
    settings = declarations.get_settings(session, dataset_id)
    return QualityDeclarations(
        dataset_id=settings.dataset_id,
        key_fields=settings.key_fields,
        date_field=settings.date_field,
        rules=declarations.list_rules(session, dataset_id),
    )


@router.get(
    "/datasets/{dataset_id}/compare",
    response_model=Comparison,
    summary="What changed between two versions (public rows only)",
)
def compare_versions(
    session: SessionDep,
    settings: SettingsDep,
    dataset_id: str,
    older: Annotated[int, Query(alias="from", ge=1, description="The older version")],
    newer: Annotated[int, Query(alias="to", ge=1, description="The newer version")],
) -> Comparison:
    return service.compare_versions(session, settings.data_dir, dataset_id, older, newer)


@router.get(
    "/datasets/{dataset_id}/freshness",
    response_model=Freshness,
    summary="On schedule, due or overdue, from the data's own last date (public)",
)
def get_freshness(session: SessionDep, dataset_id: str) -> Freshness:
    return service.dataset_freshness(session, dataset_id)


@router.get(
    "/datasets/{dataset_id}/feedback",
    response_model=FeedbackCounts,
    summary="Counts of problems reported by the public: open, fixed, won't fix (public)",
)
def feedback_counts(session: SessionDep, dataset_id: str) -> FeedbackCounts:
    return feedback.counts(session, dataset_id)


@router.get(
    "/quality/freshness",
    response_model=FreshnessReport,
    summary="Share of published datasets updated on schedule, by agency (public)",
)
def freshness_report(session: SessionDep) -> FreshnessReport:
    return summary.freshness_report(session)


@router.get(
    "/quality/response-times",
    response_model=ResponseTimes,
    summary="How fast agencies respond to and resolve feedback reports (public)",
)
def response_times(session: SessionDep) -> ResponseTimes:
    return summary.response_times(session)
