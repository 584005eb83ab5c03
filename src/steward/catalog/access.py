"""Who may read a dataset's rows. Metadata is public for every dataset (the inventory of data
assets is public); rows are another matter.

Until accounts exist every web caller is anonymous; the sharing issue narrows this further with
grants. Kept in one place so the query layer, downloads and pages all apply the same rule.
"""

from __future__ import annotations

from steward.catalog.models import Dataset, Field
from steward.errors import NotAuthorized

HIDDEN_CLASSES = frozenset({"personal", "private"})
READABLE_STATUSES = frozenset({"published", "retired"})


def check_public_rows(dataset: Dataset) -> None:
    """Raise NotAuthorized unless anonymous callers may read this dataset's rows."""
    if dataset.access_level != "public":
        raise NotAuthorized(
            f"dataset {dataset.id} is {dataset.access_level}; its rows are not served publicly"
        )
    if dataset.classification in HIDDEN_CLASSES:
        raise NotAuthorized(f"dataset {dataset.id} is classified {dataset.classification}")
    if dataset.status not in READABLE_STATUSES:
        raise NotAuthorized(f"dataset {dataset.id} is not published")


def public_fields(dataset: Dataset) -> list[Field]:
    """The fields an anonymous caller may see: never personal or private ones."""
    return [field for field in dataset.fields if field.classification not in HIDDEN_CLASSES]
