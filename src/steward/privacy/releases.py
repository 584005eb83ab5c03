"""Releases: protected tables and de-identified extracts made from a non-public dataset.

A steward of the source dataset's agency makes a release (a draft: built, protected and audited
at once, with the policy version, parameters, summary and audit stored with it); the agency's
data officer or the CDO approves it, and not the person who made it; then it is published
(`publish.py`): a table release becomes an ordinary public dataset, an extract never does.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from steward.accounts.policy import Actor, permits, require
from steward.catalog.models import Agency, Dataset
from steward.catalog.service import load_dataset
from steward.catalog.versions import version_file
from steward.db.base import utcnow
from steward.errors import Conflict, Invalid, NotAuthorized, NotFound
from steward.privacy import build
from steward.privacy.inner import ct_town_populations
from steward.privacy.models import PrivacyRelease, PrivacyReleaseTable
from steward.privacy.policy import Policy, policy_from_dict
from steward.privacy.schemas import (
    ExtractCreate,
    ReleaseCreate,
    ReleaseDetail,
    ReleasePublic,
    ReleaseSource,
    ReleaseTablePublic,
)
from steward.privacy.service import stored_policy
from steward.privacy.source import derived_rows, parse_derivations, read_columns

PREVIEW_ROWS = 2000


def release_public(session: Session, release: PrivacyRelease) -> ReleasePublic:
    agency = session.get(Agency, release.agency_id)
    return ReleasePublic(
        id=release.id,
        title=release.title,
        kind=release.kind,
        source_dataset_id=release.source_dataset_id,
        source_version=release.source_version,
        agency=agency.slug if agency else "",
        policy_name=release.policy_name,
        policy_version=release.policy_version,
        parameters=release.parameters,
        summary=release.summary,
        passed=release.passed,
        status=release.status,
        created_by=release.created_by,
        created_at=release.created_at,
        approved_by=release.approved_by,
        approved_at=release.approved_at,
        published_dataset_id=release.published_dataset_id,
    )


def _source_rows(
    session: Session,
    data_dir: Path,
    dataset: Dataset,
    columns: Sequence[str],
) -> tuple[int, list[dict[str, str | None]]]:
    """The current version's number and its rows, the named columns only (each checked to be a
    field of the dataset before it is read)."""
    known = {field.name for field in dataset.fields}
    wanted = list(dict.fromkeys(columns))
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise Invalid(f"dataset {dataset.id} has no column(s) {', '.join(unknown)}")
    version, path = version_file(session, data_dir, dataset.id)
    return version.number, read_columns(path, wanted)


def release_sources(session: Session, actor: Actor) -> list[ReleaseSource]:
    """The datasets (with rows) the actor may release from: those of the agencies where they
    are a steward (every one for the CDO); non-public ones first."""
    require(actor, "console.view", what="the datasets to release from")
    query = select(Dataset).where(Dataset.versions.any()).order_by(Dataset.title)
    if not (actor.is_cdo or actor.is_system):
        query = query.where(Dataset.agency_id.in_(actor.agencies("steward")))
    found = [
        ReleaseSource(
            id=dataset.id,
            title=dataset.title,
            agency=dataset.agency.slug,
            classification=dataset.classification,
            access_level=dataset.access_level,
            fields=[(field.name, field.type) for field in dataset.fields],
        )
        for dataset in session.scalars(query).unique()
    ]
    return sorted(found, key=lambda source: source.access_level == "public")


def _authorized_source(session: Session, actor: Actor, dataset_id: str) -> Dataset:
    dataset = load_dataset(session, dataset_id)
    require(actor, "privacy.release", dataset.agency_id, what=f"a release of {dataset.id}")
    return dataset


def create_table_release(
    session: Session, actor: Actor, data_dir: Path, data: ReleaseCreate
) -> ReleasePublic:
    """Build the tables from the dataset's rows, protect them jointly under the policy, audit
    the result and store it as a draft release."""
    dataset = _authorized_source(session, actor, data.dataset_id)
    policy, policy_version = stored_policy(session, data.policy, data.policy_version)
    if any(table.rate_per for table in data.tables):
        ct_town_populations(str(data.population_year))  # an unknown year fails before the work
    options = [option for table in data.tables for option in table.dims]
    derive = build.implicit_derivations(options, parse_derivations(data.derive))
    dim_columns = build.referenced_columns(options)
    sources = [c for c in dim_columns if c not in derive] + [c for _k, c in derive.values()]
    if data.count:
        sources.append(data.count)
    number, raw = _source_rows(session, data_dir, dataset, sources)
    rows, left_out = derived_rows(raw, derive)
    built = build.build_tables(rows, data.count, [(t.name, t.dims) for t in data.tables])
    protection = build.protect_built(built, policy, data.time_limit)
    asks = [build.RateAsk(t.percent, t.rate_per) for t in data.tables]
    year_dimension = build.year_dimension_of(options, derive)
    rates = build.protect_rates(
        protection, asks, built.area_dimension, data.population_year, year_dimension
    )
    rates_summary = build.rates_summary(protection, rates)
    if any(ask.per for ask in asks):
        rates_summary["populations"] = build.population_years(
            protection.table, year_dimension, data.population_year
        )
    summary = {
        **build.summary_of(protection),
        "rows_read": len(raw),
        "rows_used": len(rows),
        "left_out": left_out,
        "rates": rates_summary,
    }
    release = _new_release(session, actor, dataset, number, "table", data.title, policy)
    release.policy_version = policy_version
    release.parameters = data.model_dump(exclude={"title"})
    release.summary = summary
    release.audit = {**protection.audit.to_dict(), "rate_facts": summary["rates"]["facts"]}
    release.passed = protection.audit.passed
    names = [t.name for t in data.tables]
    tables = build.released_tables(protection, names, built.count_name, rates)
    return _store(session, release, tables)


def create_extract(
    session: Session, actor: Actor, data_dir: Path, data: ExtractCreate
) -> ReleasePublic:
    """A k-anonymous research extract, stored for the agency's staff (never made public)."""
    dataset = _authorized_source(session, actor, data.dataset_id)
    quasi = parse_derivations(data.quasi)
    extra = [data.identifier] if data.identifier else []
    columns = [column for _kind, column in quasi.values()] + list(data.keep) + extra
    number, raw = _source_rows(session, data_dir, dataset, columns)
    spec = build.ExtractSpec(
        quasi, data.k, data.keep, data.identifier, data.sensitive, data.l_diversity
    )
    extract = build.build_extract(raw, spec)
    policy = policy_from_dict({"name": f"k{data.k}"})
    release = _new_release(session, actor, dataset, number, "extract", data.title, policy)
    release.policy_name = f"k-anonymity (k = {data.k})"
    release.parameters = data.model_dump(exclude={"title"})
    passed = extract.risk["in_classes_under_k_after"] == 0 and bool(extract.rows)
    release.summary = {"records": len(extract.rows), **extract.risk, "k": data.k}
    release.audit = {"passed": passed, "risk": extract.risk, "utility": extract.utility}
    release.passed = passed
    columns_out = list(extract.rows[0]) if extract.rows else []
    rows = [[row[c] for c in columns_out] for row in extract.rows]
    return _store(session, release, [("extract", columns_out, rows)])


def _new_release(
    session: Session,
    actor: Actor,
    dataset: Dataset,
    number: int,
    kind: str,
    title: str,
    policy: Policy,
) -> PrivacyRelease:
    rules = {key: value for key, value in policy.to_dict().items() if key != "name"}
    return PrivacyRelease(
        title=title,
        kind=kind,
        source_dataset_id=dataset.id,
        source_version=number,
        agency_id=dataset.agency_id,
        policy_name=policy.name,
        policy_version=0,
        policy_rules=rules,
        status="draft",
        created_by=actor.label,
        notes="",
    )


def _store(
    session: Session,
    release: PrivacyRelease,
    tables: Sequence[tuple[str, list[str], list[list[Any]]]],
) -> ReleasePublic:
    session.add(release)
    session.flush()
    for position, (name, columns, rows) in enumerate(tables):
        session.add(
            PrivacyReleaseTable(
                release_id=release.id, position=position, name=name, columns=columns, rows=rows
            )
        )
    session.flush()
    return release_public(session, release)


def load_release(session: Session, actor: Actor, release_id: int, action: str) -> PrivacyRelease:
    release = session.get(PrivacyRelease, release_id)
    if release is None:
        raise NotFound(f"no release {release_id}")
    require(actor, action, release.agency_id, what=f"release {release_id}")
    return release


def release_tables(session: Session, release_id: int) -> list[PrivacyReleaseTable]:
    return list(
        session.scalars(
            select(PrivacyReleaseTable)
            .where(PrivacyReleaseTable.release_id == release_id)
            .order_by(PrivacyReleaseTable.position)
        )
    )


def list_releases(session: Session, actor: Actor, agency: str | None = None) -> list[ReleasePublic]:
    """The releases of the agencies where the actor is staff (all of them for the CDO)."""
    require(actor, "console.view", what="the list of privacy releases")
    query = select(PrivacyRelease).order_by(PrivacyRelease.id.desc())
    if not (actor.is_cdo or actor.is_system):
        query = query.where(PrivacyRelease.agency_id.in_(actor.agencies("analyst")))
    if agency:
        query = query.join(Agency, Agency.id == PrivacyRelease.agency_id).where(
            Agency.slug == agency
        )
    return [release_public(session, release) for release in session.scalars(query)]


def get_release(
    session: Session, actor: Actor, release_id: int, limit: int | None = None
) -> ReleaseDetail:
    """A release, its tables (the first `limit` rows of each) and its audit; for the agency's
    staff."""
    release = load_release(session, actor, release_id, "privacy.view")
    policy = policy_from_dict(
        {"name": release.policy_name[:64] or "policy", **release.policy_rules}
    )
    tables = [
        ReleaseTablePublic(
            name=table.name,
            columns=table.columns,
            rows=table.rows[:limit] if limit is not None else table.rows,
            total_rows=len(table.rows),
        )
        for table in release_tables(session, release.id)
    ]
    return ReleaseDetail(
        release=release_public(session, release),
        policy_rule=policy.describe_rule() if release.kind == "table" else "",
        symbol=policy.symbol,
        footnote=policy.footnote,
        can_approve=_may_approve(actor, release),
        can_publish=release.kind == "table"
        and release.status == "approved"
        and permits(actor, "privacy.release", release.agency_id),
        tables=tables,
        audit=release.audit,
    )


def _may_approve(actor: Actor, release: PrivacyRelease) -> bool:
    return (
        release.status == "draft"
        and release.passed
        and permits(actor, "privacy.approve", release.agency_id)
        and (actor.is_system or actor.label != release.created_by)
    )


def approve_release(session: Session, actor: Actor, release_id: int) -> ReleasePublic:
    """The agency's data officer (or the CDO) approves a release that passed its audit; whoever
    made the release cannot approve it alone."""
    release = load_release(session, actor, release_id, "privacy.approve")
    if release.status != "draft":
        raise Conflict(f"release {release_id} is {release.status}, not a draft")
    if not release.passed:
        raise Conflict(f"release {release_id} failed its audit; it cannot be approved")
    if not actor.is_system and actor.label == release.created_by:
        raise NotAuthorized(f"release {release_id}: someone other than its maker must approve it")
    release.status = "approved"
    release.approved_by = actor.label
    release.approved_at = utcnow()
    session.flush()
    return release_public(session, release)
