"""Import an agency's inventory spreadsheet (CSV or XLSX in the template's columns).

All or nothing: every row is read and checked first, and any problem (listed as `row N: ...`)
refuses the whole file; the changes are then made inside one savepoint, so a failure halfway
leaves the submission as it was. A row whose `Asset key` names an entry of the submission
replaces that entry (a blank cell clears its value); a row without a key, or with a key from
another year's export, adds an entry. With `replace`, entries the file does not mention are
removed. Rows must be complete: blanks are not filled from the catalog. Every change is in the
history, like an edit on the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from steward.accounts.policy import Actor
from steward.catalog.models import Dataset
from steward.errors import Invalid
from steward.inventory import assets, changes, sheets, template
from steward.inventory.models import InventoryAsset, InventorySubmission
from steward.inventory.schemas import AssetFields, AssetUpdate, ImportResult
from steward.inventory.service import require_editable, submission_for


@dataclass(frozen=True)
class Plan:
    updates: list[tuple[InventoryAsset, template.ParsedRow]]
    additions: list[template.ParsedRow]
    removals: list[InventoryAsset]


def import_file(
    session: Session,
    actor: Actor,
    year: int,
    slug: str,
    filename: str,
    content: bytes,
    *,
    replace: bool = False,
) -> ImportResult:
    submission = submission_for(session, actor, "inventory.edit", year, slug)
    require_editable(submission)
    header, rows = sheets.read_table(filename, content)
    parsed = template.parse(header, rows)
    if not parsed.errors and not parsed.rows:
        raise Invalid("the file has no entries under its header row")
    plan = _plan(submission, parsed.rows, replace)
    errors = parsed.errors + _link_problems(session, submission, plan)
    if errors:
        count = f"{len(errors)} problem{'s' if len(errors) > 1 else ''}"
        raise Invalid(
            f"nothing was imported; the file has {count}:\n" + "\n".join(errors),
            data={"errors": errors},
        )
    with session.begin_nested():
        result = _apply(session, submission, actor.label, plan, len(parsed.rows))
        note = (
            f"{filename}: {result.added} added, {result.updated} changed, {result.removed} removed"
        )
        changes.record(session, submission, actor.label, "imported", comment=note)
        session.flush()
    return result


def _plan(submission: InventorySubmission, rows: list[template.ParsedRow], replace: bool) -> Plan:
    by_key = {asset.key: asset for asset in submission.assets}
    updates = [(by_key[row.key], row) for row in rows if row.key in by_key]
    additions = [row for row in rows if row.key not in by_key]
    mentioned = {row.key for row in rows}
    removals = [a for a in submission.assets if replace and a.key not in mentioned]
    return Plan(updates, additions, removals)


def _link_problems(session: Session, submission: InventorySubmission, plan: Plan) -> list[str]:
    """Keys and catalog links that clash within the file or with the entries that stay."""
    problems: list[str] = []
    keys: dict[str, int] = {}
    datasets: dict[str, str] = {}  # dataset id -> where it is listed
    touched = {asset.id for asset, _ in plan.updates} | {asset.id for asset in plan.removals}
    for asset in submission.assets:
        if asset.id not in touched and asset.dataset_id:
            datasets[asset.dataset_id] = f"the entry “{asset.name}”"
    rows = sorted([row for _, row in plan.updates] + plan.additions, key=lambda r: r.number)
    for row in rows:
        if row.key is not None and row.key in keys:
            problems.append(f"row {row.number}: asset key {row.key} is also on row {keys[row.key]}")
        if row.key is not None:
            keys.setdefault(row.key, row.number)
        dataset_id = row.values.dataset_id
        if dataset_id is None:
            continue
        problem = _dataset_problem(session, submission, dataset_id, datasets.get(dataset_id))
        if problem:
            problems.append(f"row {row.number}: {problem}")
        datasets.setdefault(dataset_id, f"row {row.number}")
    return problems


def _dataset_problem(
    session: Session, submission: InventorySubmission, dataset_id: str, listed: str | None
) -> str | None:
    dataset = session.get(Dataset, dataset_id)
    if dataset is None:
        return f"the catalog has no dataset {dataset_id}"
    if dataset.agency_id != submission.agency_id:
        return f"dataset {dataset_id} belongs to {dataset.agency.name}, not this agency"
    if listed is not None:
        return f"dataset {dataset_id} is already listed ({listed})"
    return None


def _apply(
    session: Session, submission: InventorySubmission, by: str, plan: Plan, rows: int
) -> ImportResult:
    for asset in plan.removals:
        assets.drop_asset(session, submission, asset, by)
    updated = 0
    for asset, row in plan.updates:
        if assets.change_asset(session, submission, asset, by, _whole(row.values)):
            updated += 1
    for row in plan.additions:
        assets.new_asset(session, submission, by, row.values, key=row.key)
    return ImportResult(
        rows=rows, added=len(plan.additions), updated=updated, removed=len(plan.removals)
    )


def _whole(values: AssetFields) -> AssetUpdate:
    """Every field set, so a blank cell clears the old value and a blank criterion is a no."""
    full = {name: getattr(values, name) for name in AssetFields.model_fields}
    full["criteria"] = assets.columns(values)["criteria"]
    return AssetUpdate.model_validate(full)
