"""The publish gate: what keeps a dataset from being made public.

Registered in `steward.catalog.hooks.PUBLISH`, so the catalog runs it whenever a dataset is about
to be served to the public (published with access level `public`, or a published dataset
opened to `public`).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from steward.catalog.models import Dataset
from steward.classification.questionnaire import LEVEL_LABELS
from steward.classification.records import latest_assessment, status_of
from steward.errors import Conflict

HIDDEN = ("personal", "private")


def blockers(
    status: str,
    assessed_level: str | None,
    dataset_level: str,
    fields: Sequence[tuple[str, str]],
    review_reason: str = "",
) -> list[str]:
    """Every reason the dataset may not be made public yet (none: it may).

    >>> blockers("current", "public", "public", [("town", "public")])
    []
    >>> blockers("missing", None, "public", [])
    ['no classification assessment yet: answer the questionnaire first']
    >>> blockers("current", "personal", "personal", [("age", "personal"), ("sex", "private")])
    ['the dataset is classified Personal; only Public data may be made public', \
'fields classified Personal or Private: age (Personal), sex (Private)']
    """
    reasons = []
    if status == "missing":
        reasons.append("no classification assessment yet: answer the questionnaire first")
    elif status == "needs_review":
        why = f" ({review_reason})" if review_reason else ""
        reasons.append(f"the classification assessment needs review{why}")
    level = assessed_level if assessed_level not in (None, "public") else dataset_level
    if level != "public":
        label = LEVEL_LABELS.get(level, level)
        reasons.append(f"the dataset is classified {label}; only Public data may be made public")
    hidden = [f"{name} ({LEVEL_LABELS[level]})" for name, level in fields if level in HIDDEN]
    if hidden:
        reasons.append(f"fields classified Personal or Private: {', '.join(hidden)}")
    return reasons


def dataset_blockers(session: Session, dataset: Dataset) -> list[str]:
    assessment = latest_assessment(session, dataset.id)
    return blockers(
        status_of(assessment),
        assessment.level if assessment else None,
        dataset.classification,
        [(field.name, field.classification) for field in dataset.fields],
        assessment.review_reason if assessment else "",
    )


def check_publishable(session: Session, dataset: Dataset) -> None:
    """Hook for `steward.catalog.hooks.PUBLISH`: raise Conflict with every reason, or pass."""
    reasons = dataset_blockers(session, dataset)
    if reasons:
        raise Conflict(
            f"dataset {dataset.id} cannot be made public: {'; '.join(reasons)}",
            data={"blockers": reasons},
        )
