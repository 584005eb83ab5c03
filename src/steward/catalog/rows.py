"""Resolve a dataset for reading its rows: access check, visible fields, the current file.

The query endpoints (SODA, native, pages) all start here, so the rule of who sees which rows and
fields lives in one place (`access.py`). A caller's grant under a data sharing agreement widens
it (`open_granted_rows`, called by the query service once `steward.sharing` found the grant).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from steward.catalog.access import check_public_rows, public_fields
from steward.catalog.schemas import DatasetPublic, FieldPublic
from steward.catalog.service import load_dataset, to_public
from steward.catalog.versions import version_file


@dataclass(frozen=True)
class RowSource:
    dataset: DatasetPublic
    fields: list[FieldPublic]  # only those the caller may see, in dictionary order
    parquet: Path
    version: int
    sha256: str
    data_updated_at: datetime


def open_public_rows(
    session: Session, data_dir: Path, dataset_id: str, number: int | None = None
) -> RowSource:
    dataset = load_dataset(session, dataset_id)
    check_public_rows(dataset)
    version, path = version_file(session, data_dir, dataset_id, number)
    return RowSource(
        dataset=to_public(dataset),
        fields=[FieldPublic.model_validate(field) for field in public_fields(dataset)],
        parquet=path,
        version=version.number,
        sha256=version.sha256,
        data_updated_at=version.created_at,
    )


def open_granted_rows(
    session: Session, data_dir: Path, dataset_id: str, names: frozenset[str]
) -> RowSource:
    """The current version with the fields `names` (those a grant and its row filter use), for
    a caller whose grant the sharing service has already checked."""
    dataset = load_dataset(session, dataset_id)
    version, path = version_file(session, data_dir, dataset_id, None)
    return RowSource(
        dataset=to_public(dataset),
        fields=[FieldPublic.model_validate(f) for f in dataset.fields if f.name in names],
        parquet=path,
        version=version.number,
        sha256=version.sha256,
        data_updated_at=version.created_at,
    )
