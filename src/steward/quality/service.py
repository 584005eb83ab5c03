"""Quality use cases for the API, pages and CLI: a version's profile, its quality (score, rule
results, comparison, freshness), comparisons of any two versions, and checking a version again.

`public=True` is the anonymous caller: profiles and comparisons need rows that are public, and
personal or private fields, and failing rows of non-public datasets, are never returned.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from steward.catalog.access import check_public_rows, public_fields
from steward.catalog.models import Dataset, DatasetVersion
from steward.catalog.public import current_version
from steward.catalog.service import load_dataset
from steward.catalog.versions import version_file
from steward.errors import NotAuthorized, NotFound
from steward.quality import freshness, score
from steward.quality.check import run_checks
from steward.quality.compare import compare
from steward.quality.duck import connect
from steward.quality.models import QualityReport, QualitySetting
from steward.quality.profiling import columns_of, profile_view
from steward.quality.schemas import (
    Comparison,
    Freshness,
    Profile,
    RulePublic,
    RuleResultPublic,
    VersionQuality,
)


def find_version(dataset: Dataset, number: int | None) -> DatasetVersion:
    """The current version, or version `number`."""
    for version in dataset.versions:
        if version.is_current if number is None else version.number == number:
            return version
    which = "no data yet" if number is None else f"no version {number}"
    raise NotFound(f"dataset {dataset.id} has {which}")


def find_report(session: Session, version: DatasetVersion) -> QualityReport:
    report = session.scalar(select(QualityReport).where(QualityReport.version_id == version.id))
    if report is None:
        raise NotFound(
            f"version {version.number} of {version.dataset_id} has not been checked; "
            f"run `steward quality check {version.dataset_id} --version {version.number}`"
        )
    return report


def get_profile(
    session: Session, dataset_id: str, number: int | None = None, *, public: bool = True
) -> Profile:
    dataset = load_dataset(session, dataset_id)
    if public:
        check_public_rows(dataset)
    profile = Profile.model_validate(find_report(session, find_version(dataset, number)).profile)
    if public:
        visible = {field.name for field in public_fields(dataset)}
        profile.fields = [field for field in profile.fields if field.name in visible]
    return profile


def get_quality(
    session: Session,
    dataset_id: str,
    number: int | None = None,
    *,
    public: bool = True,
    now: datetime | None = None,
) -> VersionQuality:
    dataset = load_dataset(session, dataset_id)
    version = find_version(dataset, number)
    report = find_report(session, version)
    fresh = version_freshness(session, dataset, version, now=now)
    parts = {**report.parts, "timeliness": score.timeliness(fresh)}
    rows_open = _rows_open(dataset) or not public
    visible = {":id", *(field.name for field in public_fields(dataset))}
    return VersionQuality(
        dataset_id=dataset.id,
        version=version.number,
        is_current=version.is_current,
        blocked=report.blocked,
        checked_at=report.created_at,
        score=score.combine(parts),
        freshness=fresh,
        results=[
            RuleResultPublic(
                rule=RulePublic.model_validate(result.rule),
                passed=result.passed,
                failing_count=result.failing_count,
                checked_count=result.checked_count,
                message=result.message,
                samples=[_only(sample, visible, public) for sample in result.samples]
                if rows_open
                else None,
            )
            for result in report.results
        ],
        comparison=Comparison.model_validate(report.comparison)
        if report.comparison and rows_open
        else None,
    )


def _rows_open(dataset: Dataset) -> bool:
    try:
        check_public_rows(dataset)
    except NotAuthorized:
        return False
    return True


def _only(sample: dict[str, Any], visible: set[str], public: bool) -> dict[str, Any]:
    return {key: value for key, value in sample.items() if not public or key in visible}


def version_freshness(
    session: Session, dataset: Dataset, version: DatasetVersion | None, *, now: datetime | None
) -> Freshness:
    """Freshness of the current version now, or of another version as of its own load."""
    if version is None:
        return freshness.assess(dataset.update_frequency, None, None)
    report = session.scalar(select(QualityReport).where(QualityReport.version_id == version.id))
    setting = session.get(QualitySetting, dataset.id)
    last, basis, field = freshness.last_date(
        report.profile if report else None,
        setting.date_field if setting else None,
        dataset.temporal_coverage,
        version.created_at,
    )
    when = now if version.is_current else version.created_at.astimezone(UTC).replace(tzinfo=None)
    return freshness.assess(dataset.update_frequency, last, basis, now=when, basis_field=field)


def dataset_freshness(
    session: Session, dataset_id: str, *, now: datetime | None = None
) -> Freshness:
    """What the dataset page's badge and the CDO's summary both show."""
    dataset = load_dataset(session, dataset_id)
    return version_freshness(session, dataset, current_version(dataset), now=now)


def compare_versions(
    session: Session,
    data_dir: Path,
    dataset_id: str,
    older: int,
    newer: int,
    *,
    public: bool = True,
) -> Comparison:
    dataset = load_dataset(session, dataset_id)
    if public:
        check_public_rows(dataset)
    setting = session.get(QualitySetting, dataset.id)
    pair = [version_file(session, data_dir, dataset.id, number) for number in (older, newer)]
    views = {"previous": pair[0][1], "dataset": pair[1][1]}
    with connect(data_dir / "datasets", views) as con:
        profiles = [
            _stored_profile(session, version) or profile_view(con, view, columns_of(version.schema))
            for (version, _), view in zip(pair, views, strict=True)
        ]
        facts = [
            {"dataset_id": dataset.id, "number": version.number, "schema": version.schema}
            for version, _ in pair
        ]
        key = setting.key_fields if setting else []
        return compare(
            con, ("previous", "dataset"), (facts[0], facts[1]), (profiles[0], profiles[1]), key
        )


def _stored_profile(session: Session, version: DatasetVersion) -> Profile | None:
    report = session.scalar(select(QualityReport).where(QualityReport.version_id == version.id))
    return Profile.model_validate(report.profile) if report else None


def check_again(
    session: Session, data_dir: Path, dataset_id: str, number: int | None = None
) -> VersionQuality:
    """Profile and check a stored version again with today's rules (its currency is unchanged)."""
    dataset = load_dataset(session, dataset_id)
    version, path = version_file(session, data_dir, dataset.id, number)
    run_checks(session, dataset, version, path, baseline=_baseline(session, dataset, version))
    return get_quality(session, dataset.id, version.number, public=False)


def _baseline(session: Session, dataset: Dataset, version: DatasetVersion) -> DatasetVersion | None:
    """The version `version` was (or would have been) compared with when it arrived."""
    earlier = [v for v in dataset.versions if v.number < version.number]
    current = next((v for v in earlier if v.is_current), None)
    if current is not None:
        return current
    for candidate in sorted(earlier, key=lambda v: v.number, reverse=True):
        report = session.scalar(
            select(QualityReport).where(QualityReport.version_id == candidate.id)
        )
        if report is None or not report.blocked:
            return candidate
    return None
