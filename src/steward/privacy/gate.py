"""The release gate: Personal or Private data reaches the public only through a privacy release.

Registered in `steward.catalog.hooks.PUBLISH` beside the classification gate (which keeps a
Personal or Private dataset itself from being made public). This one covers its derivatives:

- a dataset made by publishing a release may be public only while that release passed its audit
  and was approved;
- any other dataset whose current file is byte for byte a version of a Personal or Private
  dataset (the raw file uploaded again under another name) may not be made public: its public
  derivative has to be a release.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from steward.catalog.access import HIDDEN_CLASSES
from steward.catalog.models import Dataset, DatasetVersion
from steward.catalog.public import current_version
from steward.errors import Conflict
from steward.privacy.models import PrivacyRelease

RELEASED = ("approved", "published")


def check_publishable(session: Session, dataset: Dataset) -> None:
    """Hook for `steward.catalog.hooks.PUBLISH`: raise Conflict, or pass."""
    release = session.scalar(
        select(PrivacyRelease).where(PrivacyRelease.published_dataset_id == dataset.id).limit(1)
    )
    if release is not None:
        if not release.passed or release.status not in RELEASED:
            raise Conflict(
                f"dataset {dataset.id} is privacy release {release.id}, which is "
                f"{release.status}{'' if release.passed else ' and failed its audit'}; only an "
                "audited, approved release may be public"
            )
        return
    source = raw_copy_of(session, dataset)
    if source is not None:
        raise Conflict(
            f"dataset {dataset.id} holds the same file as dataset {source}, which is classified "
            "Personal or Private; publish a privacy release of it instead (/console/privacy)"
        )


def raw_copy_of(session: Session, dataset: Dataset) -> str | None:
    """The id of a Personal or Private dataset one of whose versions is this dataset's current
    file, if any."""
    current = current_version(dataset)
    if current is None:
        return None
    found = session.scalar(
        select(Dataset.id)
        .join(DatasetVersion, DatasetVersion.dataset_id == Dataset.id)
        .where(
            DatasetVersion.sha256 == current.sha256,
            Dataset.id != dataset.id,
            Dataset.classification.in_(sorted(HIDDEN_CLASSES)),
        )
        .limit(1)
    )
    return found
