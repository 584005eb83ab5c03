"""Dataset versions: ingest a file as the new current version, find a version's file.

A version's Parquet file is written whole or not at all (the store renames a finished temporary
file), and its row is added in the same transaction that makes it current, so a failed or killed
ingest leaves the previous version serving.
"""

from __future__ import annotations

import fcntl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from steward.accounts.policy import Actor
from steward.catalog import hooks
from steward.catalog.models import Dataset, DatasetVersion, Field
from steward.catalog.schemas import VersionPublic
from steward.catalog.service import authorize, load_dataset
from steward.db.base import utcnow
from steward.errors import NotFound
from steward.store import ColumnSpec, IngestResult, ingest_file

Progress = Callable[[int, int], None]


def ingest_version(
    session: Session,
    actor: Actor,
    data_dir: Path,
    dataset_id: str,
    source: Path,
    *,
    created_by: str | None = None,
    skip_bad_rows: bool = False,
    notes: str = "",
    progress: Progress | None = None,
    source_name: str | None = None,
) -> VersionPublic:
    """Load `source` as the dataset's new version (current unless a CHECK hook blocks it).

    `created_by` defaults to the actor's label; `source_name` is the name recorded for the file
    when `source` is a temporary copy (a web upload), never used as a path.
    """
    dataset = authorize(session, actor, "dataset.upload", dataset_id)
    created_by = created_by or actor.label
    folder = data_dir / "datasets" / dataset.id
    folder.mkdir(parents=True, exist_ok=True)
    with _dataset_lock(folder):
        _remove_leftovers(folder)
        number = _next_number(session, dataset.id)
        relative = Path("datasets") / dataset.id / f"v{number}.parquet"
        result = ingest_file(
            source, data_dir / relative, skip_bad_rows=skip_bad_rows, progress=progress
        )
        if source_name:
            result = replace(result, source_filename=source_name)
        try:
            for path in hooks.PREPARE:
                result = hooks.load(path)(session, dataset, data_dir / relative, result)
            version = _record_version(session, dataset, number, relative, result, created_by, notes)
            _check_and_promote(session, dataset, version, data_dir / relative)
        except BaseException:
            (data_dir / relative).unlink(missing_ok=True)
            raise
    return VersionPublic.model_validate(version)


def _check_and_promote(
    session: Session, dataset: Dataset, version: DatasetVersion, path: Path
) -> None:
    """Run the CHECK hooks; the version becomes current unless one of them blocks it."""
    verdicts = [hooks.load(hook)(session, dataset, version, path) for hook in hooks.CHECK]
    notes = [verdict.notes for verdict in verdicts if verdict.notes]
    if notes:
        version.notes = "\n\n".join([version.notes, *notes]).strip()
    if any(verdict.block for verdict in verdicts):
        version.notes = (version.notes + "\n\nNot made current: a blocking check failed.").strip()
        session.flush()
        return
    for old in dataset.versions:
        old.is_current = False
    session.flush()
    version.is_current = True
    _sync_fields(dataset, [_column_spec(column) for column in version.schema])
    dataset.modified_at = utcnow()
    session.flush()


def _record_version(
    session: Session,
    dataset: Dataset,
    number: int,
    relative: Path,
    result: IngestResult,
    created_by: str,
    notes: str,
) -> DatasetVersion:
    """Add the version row, not yet current."""
    version = DatasetVersion(
        dataset_id=dataset.id,
        number=number,
        path=relative.as_posix(),
        row_count=result.row_count,
        byte_size=result.byte_size,
        sha256=result.sha256,
        schema=[_column_json(column) for column in result.columns],
        source_filename=result.source_filename,
        created_by=created_by,
        notes=_version_notes(notes, result),
        is_current=False,
    )
    dataset.versions.append(version)
    session.flush()
    return version


def _column_spec(column: dict[str, str]) -> ColumnSpec:
    return ColumnSpec(
        name=column["name"], label=column["label"], type=column["type"], physical=column["physical"]
    )


def _column_json(column: ColumnSpec) -> dict[str, str]:
    return {
        "name": column.name,
        "label": column.label,
        "type": column.type,
        "physical": column.physical,
    }


def _version_notes(notes: str, result: IngestResult) -> str:
    if not result.skipped:
        return notes
    lines = [f"line {row.line}: {row.reason}" for row in result.skipped]
    skipped = f"Skipped {len(result.skipped)} unreadable row(s):\n" + "\n".join(lines)
    return f"{notes}\n\n{skipped}".strip()


def _sync_fields(dataset: Dataset, columns: list[ColumnSpec]) -> None:
    """Make the dictionary follow the new schema, keeping what stewards wrote about each field."""
    existing = {field.name: field for field in dataset.fields}
    keep: list[Field] = []
    for position, column in enumerate(columns, start=1):
        field = existing.get(column.name)
        if field is None:
            field = Field(name=column.name, label=column.label, description="")
            field.classification = dataset.classification if dataset.classification else "public"
        field.type = column.type
        field.position = position
        keep.append(field)
    dataset.fields[:] = keep


def _remove_leftovers(folder: Path) -> None:
    """Temporary files of an ingest that was killed; safe to delete while holding the lock."""
    for leftover in folder.glob(".v*.parquet.tmp-*"):
        leftover.unlink(missing_ok=True)


def _next_number(session: Session, dataset_id: str) -> int:
    numbers = session.scalars(
        select(DatasetVersion.number).where(DatasetVersion.dataset_id == dataset_id)
    ).all()
    return max(numbers, default=0) + 1


@contextmanager
def _dataset_lock(folder: Path) -> Iterator[None]:
    """One ingest per dataset at a time, across processes."""
    with open(folder / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def list_versions(session: Session, dataset_id: str) -> list[VersionPublic]:
    dataset = load_dataset(session, dataset_id)
    return [VersionPublic.model_validate(version) for version in dataset.versions]


def version_file(
    session: Session, data_dir: Path, dataset_id: str, number: int | None = None
) -> tuple[DatasetVersion, Path]:
    """The version (current if number is None) and its Parquet file, checked to be in the store."""
    dataset = load_dataset(session, dataset_id)
    versions = [
        version
        for version in dataset.versions
        if (version.is_current if number is None else version.number == number)
    ]
    if not versions:
        which = "no data yet" if number is None else f"no version {number}"
        raise NotFound(f"dataset {dataset_id} has {which}")
    root = (data_dir / "datasets").resolve()
    path = (data_dir / versions[0].path).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise NotFound(f"the file of version {versions[0].number} of {dataset_id} is missing")
    return versions[0], path
