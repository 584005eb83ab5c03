"""The Connecticut Open Data Portal metadata standard, plus column descriptions, as a checklist.

Each field of the standard (data.ct.gov's metadata form, transcribed in
`demo/data/inventory/ct_open_data_metadata_schema.csv`) that a steward fills in becomes a check
with a weight; a dataset's score is the weighted share it passes and it *meets the standard*
when every required check passes. Basic and publishing fields are required; Source Link and Row
Label are recommended (Steward has no separate row-label field, so the description must say what
a row is). Not scored: fields the portal fills itself (Number of Rows, Dataset Owner, Last
Updated) and Related Documents / Attachments, which Steward cannot hold yet.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from steward.catalog.schemas import DatasetPublic
from steward.metadata.coverage import geographic_unit, temporal_interval
from steward.metadata.licenses import license_url
from steward.metadata.links import is_web_url
from steward.metadata.schemas import CheckResult, Completeness

# The standard's permitted categories (its "Drop down menu" for Category).
CATEGORIES = (
    "Business",
    "Education",
    "Environment and Natural Resources",
    "Government",
    "Health and Human Services",
    "Housing and Development",
    "Local Government",
    "Public Safety",
    "Tax and Revenue",
    "Transportation",
)
NOT_SCORED = {
    "Number of Rows": "filled by Steward from the current version",
    "Dataset Owner": "filled by Steward from the publishing agency",
    "Last Updated": "filled by Steward when data or metadata change",
    "Related Documents / Attachments": "Steward cannot hold attachments yet",
}
MIN_TITLE_WORDS = 3
MIN_DESCRIPTION_WORDS = 30
MIN_KEYWORDS = 3
_ROW_LABEL = re.compile(
    r"\b(?:each|every|one)\s+(?:row|record)\b|\brows?\s+(?:is|are|represents?|gives?|holds?)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Check:
    id: str
    label: str
    standard_field: str
    weight: int
    required: bool
    test: Callable[[DatasetPublic], bool]
    hint: str


def _words(text: str | None) -> int:
    return len((text or "").split())


def _filled(text: str | None) -> bool:
    return bool(text and text.strip())


def _category(dataset: DatasetPublic) -> bool:
    wanted = (dataset.category or "").strip().lower()
    return any(wanted == category.lower() for category in CATEGORIES)


def _fields_described(dataset: DatasetPublic) -> bool:
    return bool(dataset.fields) and all(_filled(field.description) for field in dataset.fields)


def _source_link(dataset: DatasetPublic) -> bool:
    return is_web_url(dataset.landing_page)


CHECKS: tuple[Check, ...] = (
    Check(
        id="title",
        label=f"Title of at least {MIN_TITLE_WORDS} words",
        standard_field="Title",
        weight=5,
        required=True,
        test=lambda d: _words(d.title) >= MIN_TITLE_WORDS,
        hint="steward dataset update ID --title '...' (plain words, no acronyms)",
    ),
    Check(
        id="description",
        label=f"Description of at least {MIN_DESCRIPTION_WORDS} words",
        standard_field="Description",
        weight=10,
        required=True,
        test=lambda d: _words(d.description) >= MIN_DESCRIPTION_WORDS,
        hint="steward dataset update ID --description '...' (for non-technical readers)",
    ),
    Check(
        id="category",
        label="Category from the permitted list",
        standard_field="Category",
        weight=10,
        required=True,
        test=_category,
        hint="steward dataset update ID --category one of: " + ", ".join(CATEGORIES),
    ),
    Check(
        id="agency",
        label="Publishing agency",
        standard_field="Agency",
        weight=5,
        required=True,
        test=lambda d: _filled(d.agency_name),
        hint="every dataset belongs to an agency",
    ),
    Check(
        id="row_label",
        label="Description says what each row represents",
        standard_field="Row Label",
        weight=5,
        required=False,
        test=lambda d: bool(_ROW_LABEL.search(d.description or "")),
        hint="start the description with 'Each row is ...'",
    ),
    Check(
        id="keywords",
        label=f"At least {MIN_KEYWORDS} keywords",
        standard_field="Tags/Keywords",
        weight=10,
        required=True,
        test=lambda d: len(d.keywords) >= MIN_KEYWORDS,
        hint="steward dataset update ID --keyword a --keyword b --keyword c",
    ),
    Check(
        id="source_link",
        label="Link to the program's web page",
        standard_field="Source Link",
        weight=5,
        required=False,
        test=_source_link,
        hint="steward dataset update ID --landing-page https://...",
    ),
    Check(
        id="geographic_unit",
        label="Spatial coverage naming a geographic unit",
        standard_field="Geographic Unit",
        weight=5,
        required=True,
        test=lambda d: geographic_unit(d.spatial_coverage) is not None,
        hint="steward dataset update ID --spatial-coverage 'Connecticut, by town'",
    ),
    Check(
        id="temporal_coverage",
        label="Temporal coverage as start and end dates",
        standard_field="Temporal Coverage",
        weight=5,
        required=True,
        test=lambda d: temporal_interval(d.temporal_coverage) is not None,
        hint="steward dataset update ID --temporal-coverage 2015-01-01/2020-12-31",
    ),
    Check(
        id="attribution",
        label="Source system or attribution",
        standard_field="Data Provided By / Attribution",
        weight=5,
        required=True,
        test=lambda d: _filled(d.source_system),
        hint="steward dataset update ID --source-system '...'",
    ),
    Check(
        id="contact_email",
        label="Contact email",
        standard_field="Contact Email",
        weight=10,
        required=True,
        test=lambda d: _filled(d.contact_email),
        hint="steward dataset update ID --contact-email someone@ct.gov",
    ),
    Check(
        id="update_frequency",
        label="Update frequency",
        standard_field="Update Frequency",
        weight=5,
        required=True,
        test=lambda d: _filled(d.update_frequency),
        hint="steward dataset update ID --update-frequency R/P1M (or irregular)",
    ),
    Check(
        id="license",
        label="A recognised public license",
        standard_field="Public License Type",
        weight=10,
        required=True,
        test=lambda d: license_url(d.license) is not None,
        hint="steward dataset update ID --license 'Public Domain' (or CC BY 4.0, ODbL ...)",
    ),
    Check(
        id="field_descriptions",
        label="Every field described in the data dictionary",
        standard_field="",
        weight=10,
        required=True,
        test=_fields_described,
        hint="steward dataset field ID NAME --description '...'",
    ),
)
TOTAL_WEIGHT = sum(check.weight for check in CHECKS)  # 100, so a score reads as points


def evaluate(dataset: DatasetPublic) -> Completeness:
    """Score one dataset against the checklist (pure: the dataset's metadata and fields)."""
    results = [
        CheckResult(
            id=check.id,
            label=check.label,
            standard_field=check.standard_field,
            required=check.required,
            weight=check.weight,
            passed=check.test(dataset),
            hint=check.hint.replace("ID", dataset.id, 1),
        )
        for check in CHECKS
    ]
    passed = sum(result.weight for result in results if result.passed)
    failing = sorted((r for r in results if not r.passed), key=lambda r: not r.required)
    return Completeness(
        dataset_id=dataset.id,
        title=dataset.title,
        agency=dataset.agency,
        agency_name=dataset.agency_name,
        score=round(100 * passed / TOTAL_WEIGHT),
        meets_standard=all(result.passed for result in results if result.required),
        missing=[result.id for result in failing],
        undescribed_fields=[f.name for f in dataset.fields if not _filled(f.description)],
        checks=results,
    )
