"""The CHECK hook: profile a new version, run its dataset's rules, compare it with the version
it would replace, store all of it with the version, and block it when a `block` rule fails."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from steward.catalog.hooks import Verdict
from steward.catalog.models import Dataset, DatasetVersion
from steward.catalog.public import current_version
from steward.quality import standards
from steward.quality.compare import compare
from steward.quality.duck import connect
from steward.quality.evaluate import Outcome, evaluate
from steward.quality.models import QualityReport, QualityRule, QualitySetting, RuleResult
from steward.quality.profiling import columns_of, profile_view
from steward.quality.schemas import Comparison, Profile, RulePublic
from steward.quality.score import stored_parts


def check_version(
    session: Session, dataset: Dataset, version: DatasetVersion, path: Path
) -> Verdict:
    """Hook for `steward.catalog.hooks.CHECK`: the version being ingested, not yet current."""
    report = run_checks(session, dataset, version, path, baseline=current_version(dataset))
    return Verdict(block=report.blocked, notes=summary(report))


def run_checks(
    session: Session,
    dataset: Dataset,
    version: DatasetVersion,
    path: Path,
    baseline: DatasetVersion | None,
) -> QualityReport:
    """Profile, check and compare `version` (its file at `path`) and store the report,
    replacing an earlier report of the same version."""
    setting = session.get(QualitySetting, dataset.id)
    columns = columns_of(version.schema)
    types = {column.name: column.type for column in columns}
    key = [name for name in (setting.key_fields if setting else []) if name in types]
    rules = session.scalars(
        select(QualityRule).where(QualityRule.dataset_id == dataset.id).order_by(QualityRule.id)
    ).all()
    views = {"dataset": path}
    if baseline is not None and baseline.id != version.id:
        views["previous"] = path.with_name(Path(baseline.path).name)
    else:
        baseline = None
    with connect(path.parent.parent, views) as con:
        profile = profile_view(con, "dataset", columns, key)
        profile.dataset_id, profile.version = dataset.id, version.number
        _conformance(con, dataset, profile)
        previous_rows = baseline.row_count if baseline is not None else None
        outcomes = [
            (rule, evaluate(con, rule_facts(rule), types, profile.row_count, previous_rows))
            for rule in rules
        ]
        comparison = _compare(session, con, baseline, version, profile, key)
    return _store(session, dataset, version, profile, outcomes, comparison)


def _conformance(con: duckdb.DuckDBPyConnection, dataset: Dataset, profile: Profile) -> None:
    """Each field whose dictionary entry names a standard element: the share of valid rows."""
    declared = {field.name: standards.declared_element(field.standard) for field in dataset.fields}
    for field in profile.fields:
        element = declared.get(field.name)
        if element is not None and field.type == "text":
            field.standard = standards.share_valid(con, "dataset", field.name, element)


def _compare(
    session: Session,
    con: duckdb.DuckDBPyConnection,
    baseline: DatasetVersion | None,
    version: DatasetVersion,
    profile: Profile,
    key: list[str],
) -> Comparison | None:
    if baseline is None:
        return None
    stored = session.scalar(select(QualityReport).where(QualityReport.version_id == baseline.id))
    if stored is not None:
        before = Profile.model_validate(stored.profile)
    else:
        before = profile_view(con, "previous", columns_of(baseline.schema))
    facts = [
        {"dataset_id": v.dataset_id, "number": v.number, "schema": v.schema}
        for v in (baseline, version)
    ]
    return compare(con, ("previous", "dataset"), (facts[0], facts[1]), (before, profile), key)


def _store(
    session: Session,
    dataset: Dataset,
    version: DatasetVersion,
    profile: Profile,
    outcomes: list[tuple[QualityRule, Outcome]],
    comparison: Comparison | None,
) -> QualityReport:
    session.execute(delete(QualityReport).where(QualityReport.version_id == version.id))
    results = [
        RuleResult(
            rule_id=rule.id,
            rule=rule_public(rule).model_dump(mode="json"),
            passed=outcome.passed,
            failing_count=outcome.failing_count,
            checked_count=outcome.checked_count,
            message=outcome.message,
            samples=outcome.samples,
        )
        for rule, outcome in outcomes
    ]
    report = QualityReport(
        version_id=version.id,
        dataset_id=dataset.id,
        profile=profile.model_dump(mode="json"),
        comparison=comparison.model_dump(mode="json") if comparison else None,
        parts=stored_parts(profile, [vars(outcome) for _, outcome in outcomes]),
        blocked=any(not o.passed and rule.severity == "block" for rule, o in outcomes),
        seconds=profile.seconds,
        results=results,
    )
    session.add(report)
    session.flush()
    return report


def rule_facts(rule: QualityRule) -> dict[str, Any]:
    return {"kind": rule.kind, "fields": list(rule.fields), "params": dict(rule.params)}


def rule_public(rule: QualityRule) -> RulePublic:
    return RulePublic(
        id=rule.id,
        dataset_id=rule.dataset_id,
        kind=rule.kind,
        fields=list(rule.fields),
        params=dict(rule.params),
        severity=rule.severity,
        description=rule.description,
        created_by=rule.created_by,
        created_at=rule.created_at,
    )


def summary(report: QualityReport) -> str:
    """The rule outcomes for the version's notes; nothing when the dataset has no rules (the
    profile and score are shown with the version, not repeated in its notes)."""
    if not report.results:
        return ""
    failed = [result for result in report.results if not result.passed]
    if not failed:
        return f"Quality rules: all {len(report.results)} passed."
    lines = [f"Quality rules: {len(failed)} of {len(report.results)} failed."]
    for result in failed:
        rule = result.rule
        on = f" on {', '.join(rule['fields'])}" if rule["fields"] else ""
        lines.append(
            f"Rule {rule['id']} ({rule['kind']}{on}, {rule['severity']}) failed: {result.message}."
        )
    return "\n".join(lines)
