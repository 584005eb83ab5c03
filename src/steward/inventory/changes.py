"""The change log of a submission: who, when and what, for every edit and status change.

An asset change keeps the asset's values before and after as JSON, so nothing is lost when an
entry is edited again or removed; the differences are worked out when the history is read.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from steward.inventory.models import InventoryAsset, InventoryChange, InventorySubmission
from steward.inventory.schemas import AssetFields, ChangePublic, FieldChange

# The asset values a history entry keeps: every editable field.
SNAPSHOT_FIELDS: tuple[str, ...] = tuple(AssetFields.model_fields)


def snapshot(asset: InventoryAsset) -> dict[str, Any]:
    """The asset's editable values as plain JSON (dates as ISO text)."""
    values = {name: getattr(asset, name) for name in SNAPSHOT_FIELDS}
    return {
        key: value.isoformat() if isinstance(value, date) else value
        for key, value in values.items()
    }


def record(
    session: Session,
    submission: InventorySubmission,
    by: str,
    action: str,
    *,
    asset: InventoryAsset | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    comment: str | None = None,
) -> None:
    session.add(
        InventoryChange(
            submission_id=submission.id,
            actor=by,
            action=action,
            asset_id=asset.id if asset is not None else None,
            asset_name=asset.name if asset is not None else None,
            before=before,
            after=after,
            comment=comment or None,
        )
    )


def history(session: Session, submission: InventorySubmission) -> list[ChangePublic]:
    """Newest first."""
    rows = session.scalars(
        select(InventoryChange)
        .where(InventoryChange.submission_id == submission.id)
        .order_by(InventoryChange.id.desc())
    )
    return [_public(row) for row in rows]


def differences(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[FieldChange]:
    """The fields whose values differ, in form order.

    >>> differences({"name": "A", "owner": None}, {"name": "B", "owner": None})
    [FieldChange(field='name', before='A', after='B')]
    """
    if before is None or after is None:
        return []
    keys = [key for key in SNAPSHOT_FIELDS if key in before or key in after]
    return [
        FieldChange(field=key, before=before.get(key), after=after.get(key))
        for key in keys
        if before.get(key) != after.get(key)
    ]


def _public(row: InventoryChange) -> ChangePublic:
    return ChangePublic(
        id=row.id,
        at=row.at,
        actor=row.actor,
        action=row.action,
        asset_id=row.asset_id,
        asset_name=row.asset_name,
        comment=row.comment,
        changes=differences(row.before, row.after),
        before=row.before,
        after=row.after,
    )
