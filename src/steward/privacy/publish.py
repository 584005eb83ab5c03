"""Publishing a release, and reading an extract.

An approved table release is ingested as an ordinary public dataset through the catalog (so it
has versions, search, SODA and downloads like any other), whose description points back to its
source dataset and its policy, with a recorded classification assessment (the release is a
protected aggregate) so the publish gates let it through. An extract is a research release: it
is never published, only downloaded by the agency's staff.
"""

from __future__ import annotations

import csv
import io
import secrets
from pathlib import Path

from sqlalchemy.orm import Session

from steward.accounts.policy import Actor
from steward.catalog import service as catalog
from steward.catalog.schemas import DatasetCreate
from steward.catalog.versions import ingest_version
from steward.classification.service import record_public_assessment
from steward.errors import Conflict
from steward.privacy.models import PrivacyRelease, PrivacyReleaseTable
from steward.privacy.rates import STATUS_MEANING
from steward.privacy.releases import load_release, release_public, release_tables
from steward.privacy.schemas import ReleasePublic

HIDDEN_COLUMNS = frozenset({"reason"})


def published_csv(tables: list[PrivacyReleaseTable]) -> str:
    """Every table of the release in one CSV: a `table` column, the union of the tables'
    dimension columns (a dimension a table lacks is at its total), the count and the status."""
    dims: dict[str, None] = {}
    tail: dict[str, None] = {}
    for table in tables:
        count = table.columns.index("status") - 1
        for position, column in enumerate(table.columns):
            if column not in HIDDEN_COLUMNS:
                (tail if position >= count else dims)[column] = None
    columns = ["table", *dims, *tail]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for table in tables:
        for row in table.rows:
            values = dict(zip(table.columns, row, strict=True))
            writer.writerow([table.name, *(_cell(values, c, c in dims) for c in columns[1:])])
    return out.getvalue()


def _cell(values: dict[str, object], column: str, is_dimension: bool) -> object:
    """A table's value in the column; a dimension it lacks is at its total, a rate column it
    lacks is empty."""
    if column in values:
        return values[column]
    if not is_dimension:
        return ""
    return "total" if column.endswith("_level") else "Total"


def _description(release: PrivacyRelease, source_title: str) -> str:
    policy = f"{release.policy_name} (version {release.policy_version})"
    if release.policy_version == 0:
        policy = f"{release.policy_name} (built in)"
    summary = release.summary
    return (
        f"Protected aggregate release #{release.id} of “{source_title}” "
        f"(/d/{release.source_dataset_id}, version {release.source_version}), a dataset that is "
        f"not public. Made under the suppression policy {policy}: "
        f"/privacy/policies/{release.policy_name}. Each row is one cell of a table, margins "
        f"included; a suppressed cell has an empty count and the status `primary` (too small to "
        f"publish) or `secondary` (hidden so that a primary cell cannot be worked out). "
        f"{summary.get('primary', 0)} primary and {summary.get('secondary', 0)} secondary cells; "
        f"every suppressed cell passed an independent audit. "
        f"{_rates_note(release)}{release.policy_rules.get('footnote', '')}"
    ).strip()


def _rates_note(release: PrivacyRelease) -> str:
    columns = release.summary.get("rates", {}).get("columns", [])
    if not columns:
        return ""
    decimals = release.policy_rules.get("percent_decimals", 1)
    meaning = "; ".join(f"`{code}`: {text}" for code, text in STATUS_MEANING.items())
    return (
        f"Rate columns ({', '.join(columns)}): `percent` is the cell's share of its row total, "
        f"`rate_per_N` its count per N residents of its area ({_populations_note(release)}); "
        f"both rounded to {decimals} decimal(s). Each `<column>_status` says why a "
        f"rate is empty ({meaning}); the audit included every published rate. "
    )


def _populations_note(release: PrivacyRelease) -> str:
    year = release.parameters.get("population_year", 2020)
    used = release.summary.get("rates", {}).get("populations", {})
    if not used.get("year_dimension"):
        return f"DPH population estimates for {year}"
    missing = used.get("years_without_estimates", [])
    instead = f"; for {', '.join(missing)}, those for {year}" if missing else ""
    return (
        f"DPH population estimates of each cell's year (`{used['year_dimension']}`){instead}; "
        "a cell over several years is divided by the sum of their populations (person-years), "
        "so its rate is a yearly average"
    )


def publish_release(
    session: Session, actor: Actor, data_dir: Path, release_id: int
) -> ReleasePublic:
    """Make an approved table release a public dataset of the source's agency."""
    release = load_release(session, actor, release_id, "privacy.release")
    if release.kind != "table":
        raise Conflict("an extract is a research release: it is never published")
    if release.status != "approved":
        raise Conflict(f"release {release_id} is {release.status}; approve it before publishing")
    source = catalog.load_dataset(session, release.source_dataset_id)
    created = catalog.create_dataset(
        session,
        actor,
        DatasetCreate(
            agency=source.agency.slug,
            title=release.title,
            description=_description(release, source.title),
            category=source.category,
            keywords=[*(source.keywords or [])[:8], "privacy release"],
            access_level="public",
            classification="public",
            update_frequency=source.update_frequency,
            temporal_coverage=source.temporal_coverage,
            spatial_coverage=source.spatial_coverage,
            source_system=f"Steward privacy release {release.id} of dataset {source.id}",
        ),
    )
    _ingest(session, actor, data_dir, created.id, release)
    record_public_assessment(
        session,
        created.id,
        f"Protected aggregate release {release.id} of {source.id}: counts with small cells "
        "suppressed and audited, approved by " + (release.approved_by or ""),
        actor,
    )
    release.published_dataset_id = created.id
    session.flush()
    catalog.set_status(session, actor, created.id, "published")
    release.status = "published"
    session.flush()
    return release_public(session, release)


def _ingest(
    session: Session, actor: Actor, data_dir: Path, dataset_id: str, release: PrivacyRelease
) -> None:
    text = published_csv(release_tables(session, release.id))
    folder = data_dir / "tmp"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"privacy-release-{release.id}-{secrets.token_hex(6)}.csv"
    path.write_text(text, encoding="utf-8")
    try:
        ingest_version(
            session,
            actor,
            data_dir,
            dataset_id,
            path,
            notes=f"Privacy release {release.id}",
            source_name=f"privacy-release-{release.id}.csv",
        )
    finally:
        path.unlink(missing_ok=True)


def extract_csv(session: Session, actor: Actor, release_id: int) -> tuple[str, str]:
    """An extract's file name and CSV text, for the agency's stewards (and the CDO)."""
    release = load_release(session, actor, release_id, "privacy.extract")
    if release.kind != "extract":
        raise Conflict(f"release {release_id} is a table; its data are published as a dataset")
    (table,) = release_tables(session, release.id)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows(table.rows)
    return f"privacy-extract-{release.id}.csv", out.getvalue()
