"""What makes an inventory entry complete and consistent: a pure function over an asset's values.

Each problem names the form field it belongs to, so a page can show the message next to that
field, the API can list them, and the spreadsheet import can prefix them with the row number.
"""

from __future__ import annotations

from dataclasses import dataclass

from steward.catalog.access import HIDDEN_CLASSES
from steward.errors import Invalid
from steward.inventory.criteria import BY_LETTER, LETTERS
from steward.inventory.schemas import AssetFields


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


def justification_field(letter: str) -> str:
    return f"criterion_{letter}_justification"


def problems(asset: AssetFields) -> list[Problem]:
    """Everything wrong with an asset, in form order (empty when it may be saved).

    >>> bad = AssetFields(name="Vital records", criteria={"C": {"applies": True}},
    ...     classification="personal", access_level="non-public", open_data_status="planned")
    >>> [p.message for p in problems(bad)]  # doctest: +NORMALIZE_WHITESPACE
    ['criterion C is marked yes but has no justification',
     'the access level is non-public, so give the reason the asset is not public',
     'the open-data status is planned, so give the planned date']
    """
    found = [] if asset.name else [Problem("name", "give the asset a name")]
    found += _criteria_problems(asset)
    found += _access_problems(asset)
    found += _status_problems(asset)
    return found


def _criteria_problems(asset: AssetFields) -> list[Problem]:
    found = []
    answers = asset.criteria or {}
    for letter in answers:
        if letter not in BY_LETTER:
            known = f"{LETTERS[0]} to {LETTERS[-1]}"
            found.append(Problem("criteria", f"there is no criterion {letter} (they are {known})"))
    for letter in LETTERS:
        answer = answers.get(letter)
        if answer is not None and answer.applies and not answer.justification:
            message = f"criterion {letter} is marked yes but has no justification"
            found.append(Problem(justification_field(letter), message))
    return found


def _access_problems(asset: AssetFields) -> list[Problem]:
    found = []
    if asset.classification is None:
        found.append(Problem("classification", "choose a classification"))
    if asset.access_level is None:
        found.append(Problem("access_level", "choose an access level"))
    elif asset.access_level != "public" and not asset.access_reason:
        message = (
            f"the access level is {asset.access_level}, so give the reason the asset is not public"
        )
        found.append(Problem("access_reason", message))
    elif asset.access_level == "public" and asset.classification in HIDDEN_CLASSES:
        message = f"an asset classified {asset.classification} cannot have access level public"
        found.append(Problem("access_level", message))
    return found


def _status_problems(asset: AssetFields) -> list[Problem]:
    status = asset.open_data_status
    if status is None:
        return [Problem("open_data_status", "choose the open-data status")]
    if status == "planned" and asset.planned_date is None:
        return [
            Problem("planned_date", "the open-data status is planned, so give the planned date")
        ]
    if status == "not publishable" and not asset.not_publishable_reason:
        message = "the open-data status is not publishable, so give the reason"
        return [Problem("not_publishable_reason", message)]
    if status == "published" and asset.access_level not in (None, "public"):
        message = "only an asset with access level public can be published as open data"
        return [Problem("open_data_status", message)]
    return []


def check(asset: AssetFields) -> None:
    """Raise Invalid listing every problem (`data["errors"]`: field and message each)."""
    found = problems(asset)
    if found:
        raise Invalid(
            "; ".join(problem.message for problem in found),
            data={"errors": [{"field": p.field, "message": p.message} for p in found]},
        )


def tidy(asset: AssetFields) -> AssetFields:
    """Drop the values that no longer mean anything, e.g. a planned date once published."""
    drop: dict[str, None] = {}
    if asset.open_data_status != "planned":
        drop["planned_date"] = None
    if asset.open_data_status != "not publishable":
        drop["not_publishable_reason"] = None
    if asset.access_level == "public":
        drop["access_reason"] = None
    return asset.model_copy(update=drop)
