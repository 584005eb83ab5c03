"""The inventory entry form: what the page shows and what the browser sends back.

Form field names are the service's field names; a criterion is a checkbox `criterion_C` (value
`yes`) and a text `criterion_C_justification`; the protected-information flags are checkboxes.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData

from steward.inventory.criteria import CRITERIA, LETTERS, STATUTE
from steward.inventory.schemas import (
    ACCESS_LEVELS,
    CLASSIFICATIONS,
    FLAGS,
    OPEN_DATA_STATUSES,
    TEXT_FIELDS,
    AssetFields,
    AssetPublic,
    ChangePublic,
)

CHOICE_FIELDS = ("classification", "access_level", "open_data_status", "planned_date")
FLAG_LABELS = {
    "contains_pii": "Personally identifiable information (PII)",
    "contains_phi": "Protected health information (PHI)",
    "contains_fti": "Federal tax information (FTI)",
    "contains_education_records": "Education records (FERPA)",
}
FORM_OPTIONS = {
    "criteria": CRITERIA,
    "statute": STATUTE,
    "classifications": CLASSIFICATIONS,
    "access_levels": ACCESS_LEVELS,
    "statuses": OPEN_DATA_STATUSES,
    "flags": FLAG_LABELS,
}


def form_values(form: FormData) -> dict[str, Any]:
    """The form as sent, for showing it again: text as text, checkboxes as booleans."""
    names = (*TEXT_FIELDS, "dataset_id", *CHOICE_FIELDS)
    values: dict[str, Any] = {name: str(form.get(name) or "") for name in names}
    for letter in LETTERS:
        values[f"criterion_{letter}"] = form.get(f"criterion_{letter}") == "yes"
        values[f"criterion_{letter}_justification"] = str(
            form.get(f"criterion_{letter}_justification") or ""
        )
    for flag in FLAGS:
        values[flag] = form.get(flag) == "yes"
    return values


def fields(values: dict[str, Any]) -> dict[str, Any]:
    """Form values as the service's input: blanks are None, every criterion answered."""
    names = (*TEXT_FIELDS, "dataset_id", *CHOICE_FIELDS)
    data: dict[str, Any] = {name: values[name] or None for name in names}
    data["criteria"] = {
        letter: {
            "applies": values[f"criterion_{letter}"],
            "justification": values[f"criterion_{letter}_justification"],
        }
        for letter in LETTERS
    }
    data.update({flag: values[flag] for flag in FLAGS})
    return data


def raw(asset: AssetFields | AssetPublic) -> dict[str, Any]:
    """An entry's values as the form shows them."""
    plain = asset.model_dump()
    values: dict[str, Any] = {
        name: "" if plain.get(name) is None else str(plain[name])
        for name in (*TEXT_FIELDS, "dataset_id", *CHOICE_FIELDS)
    }
    answers = plain.get("criteria") or {}
    if isinstance(answers, list):  # AssetPublic lists them; AssetFields maps them
        answers = {item["letter"]: item for item in answers}
    for letter in LETTERS:
        answer = answers.get(letter) or {}
        values[f"criterion_{letter}"] = bool(answer.get("applies"))
        values[f"criterion_{letter}_justification"] = answer.get("justification") or ""
    values.update({flag: bool(plain.get(flag)) for flag in FLAGS})
    return values


def change_view(change: ChangePublic) -> dict[str, Any]:
    """A history entry with its changed values written out for people."""
    rows = [
        {"field": c.field.replace("_", " "), "before": shown(c.before), "after": shown(c.after)}
        for c in change.changes
    ]
    return {**change.model_dump(exclude={"changes", "before", "after"}), "changes": rows}


def shown(value: Any) -> str:
    """A dash for nothing, yes/no, and the criteria that apply with their justifications."""
    if value is None or value == "":
        return "\N{EN DASH}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        applied = [
            f"{k}: {v.get('justification') or ''}" for k, v in value.items() if v.get("applies")
        ]
        return "; ".join(applied) or "none apply"
    return str(value)


def field_of(loc: tuple[Any, ...]) -> str:
    """The form field a Pydantic error is about (criteria errors name the letter)."""
    parts = [str(part) for part in loc]
    if parts and parts[0] == "criteria" and len(parts) >= 2:
        return f"criterion_{parts[1]}_justification"
    return parts[0] if parts else ""
