"""Whether a dataset's rows are open, and why not, read from its public metadata.

The rule itself lives in `catalog/access.py` (over the table); this applies the same constants to
the `DatasetPublic` shape the metadata builders receive, so a catalog never advertises a download
the API would refuse.
"""

from __future__ import annotations

from steward.catalog.access import HIDDEN_CLASSES, READABLE_STATUSES
from steward.catalog.schemas import DatasetPublic, FieldPublic

RIGHTS_MAX = 255  # DCAT-US `rights` is at most 255 characters

_WHY = {
    "personal": "it holds information about individual people",
    "private": "it is classified private",
    "protected": "it is classified protected",
    "public": "of its access level",
}


def rows_are_public(dataset: DatasetPublic) -> bool:
    """True when anonymous callers may download the rows (the rule of `catalog/access.py`)."""
    return (
        dataset.access_level == "public"
        and dataset.classification not in HIDDEN_CLASSES
        and dataset.status in READABLE_STATUSES
    )


def access_level(dataset: DatasetPublic) -> str:
    """The access level to advertise: a "public" dataset classified personal or private is not."""
    if dataset.access_level == "public" and dataset.classification in HIDDEN_CLASSES:
        return "non-public"
    return dataset.access_level


def rights(dataset: DatasetPublic) -> str | None:
    """Why the rows are not open (DCAT-US `rights`), or None when they are."""
    if rows_are_public(dataset):
        return None
    level = access_level(dataset)
    why = _WHY.get(dataset.classification, f"it is classified {dataset.classification}")
    if level == "restricted public":
        text = (
            f"Restricted public: the rows are available only under conditions because {why}. "
            "Ask the contact point how to request access."
        )
    else:
        text = (
            f"Non-public: the rows are not published because {why} "
            f"(classification: {dataset.classification}). Access is possible only under a data "
            "sharing agreement; ask the contact point."
        )
    return text[:RIGHTS_MAX]


def visible_fields(fields: list[FieldPublic]) -> list[FieldPublic]:
    """The data dictionary entries whose values may be shown to anyone."""
    return [field for field in fields if field.classification not in HIDDEN_CLASSES]
