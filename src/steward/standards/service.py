"""Standards use cases: the registry, normalizing values (with an agency's remembered decisions),
recording decisions, and choosing fields to normalize on ingest.

The web API, the pages and the CLI all call these; they take an open session and return
Pydantic shapes.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from steward.catalog.models import Agency
from steward.catalog.service import get_agency, load_dataset
from steward.db.base import utcnow
from steward.errors import Invalid, NotFound
from steward.standards.columns import Normalize
from steward.standards.element import Element
from steward.standards.models import StandardDecision, StandardNormalization
from steward.standards.outcome import Outcome
from steward.standards.profile import default_profile, profile_summary
from steward.standards.registry import all_elements, get_element
from steward.standards.schemas import (
    CompanionOut,
    DecisionCreate,
    DecisionPublic,
    ElementPublic,
    ElementSummary,
    NormalizationSetting,
    NormalizedDetail,
    PermittedValueOut,
    ProfileSummary,
    Registry,
)
from steward.standards.text import strict_key


def _summary(element: Element) -> dict[str, object]:
    values = element.values() if element.values else None
    return {
        "id": element.id,
        "name": element.name,
        "definition": element.definition,
        "kind": element.kind,
        "standard": element.standard,
        "pattern": element.pattern,
        "code_meaning": element.code_meaning,
        "value_count": None if values is None else len(values),
        "companions": [CompanionOut(suffix=c.suffix, label=c.label) for c in element.companions],
        "provenance": list(element.provenance),
        "notes": list(element.notes),
    }


def registry() -> Registry:
    return Registry(
        profile=ProfileSummary.model_validate(profile_summary(default_profile())),
        elements=[ElementSummary.model_validate(_summary(element)) for element in all_elements()],
    )


def element_detail(element_id: str) -> ElementPublic:
    element = get_element(element_id)
    values = element.values() if element.values else None
    permitted = None if values is None else [PermittedValueOut(**vars(v)) for v in values]
    return ElementPublic.model_validate({**_summary(element), "values": permitted})


def decision_key(value: str) -> str:
    return strict_key(value)[:500]


def _decision_outcome(decision: StandardDecision) -> Outcome:
    reason = f"steward decision ({decision.decided_by})"
    if decision.status == "matched":
        return Outcome("matched", decision.normalized, decision.code, 1.0, reason)
    return Outcome(decision.status, None, None, 1.0, reason)  # type: ignore[arg-type]


def normalizer(session: Session, element: Element, agency_id: int | None) -> Normalize:
    """The element's normalizer with the agency's decisions applied first (each value once)."""
    decided: dict[str, Outcome] = {}
    if agency_id is not None:
        rows = session.scalars(
            select(StandardDecision).where(
                StandardDecision.agency_id == agency_id, StandardDecision.element == element.id
            )
        )
        decided = {row.value_key: _decision_outcome(row) for row in rows}
    cache: dict[str | None, Outcome] = {}

    def normalize(value: str | None) -> Outcome:
        found = cache.get(value)
        if found is None:
            key = decision_key(value) if value and decided else ""
            found = cache[value] = decided.get(key) or element.normalize(value)
        return found

    return normalize


def normalize_values(
    session: Session, element_id: str, values: Sequence[str | None], agency: str | None = None
) -> list[NormalizedDetail]:
    """Each value's outcome, in order (`reason` is dropped by the API's default shape)."""
    element = get_element(element_id)
    agency_id = get_agency(session, agency).id if agency else None
    normalize = normalizer(session, element, agency_id)
    return [_detail(value, normalize(value)) for value in values]


def _detail(value: str | None, outcome: Outcome) -> NormalizedDetail:
    return NormalizedDetail(
        value=value,
        status=outcome.status,
        normalized=outcome.normalized,
        code=outcome.code,
        confidence=round(outcome.confidence, 3),
        reason=outcome.reason,
    )


def record_decision(session: Session, data: DecisionCreate, decided_by: str) -> DecisionPublic:
    """Remember what a value means for an agency; a later decision on it replaces this one."""
    agency = get_agency(session, data.agency)
    element = get_element(data.element)
    normalized = code = None
    if data.status == "matched":
        if not data.target:
            raise Invalid("a matched decision needs the standard value it means (target)")
        outcome = element.normalize(data.target)
        if not outcome.matched:
            raise Invalid(f"{data.target!r} is not a value of {element.id} ({outcome.status})")
        normalized, code = outcome.normalized, outcome.code
    elif data.target:
        raise Invalid(f"a decision that a value is {data.status} takes no target")
    key = decision_key(data.value)
    row = _find_decision(session, agency.id, element.id, key) or StandardDecision(
        agency_id=agency.id, element=element.id, value_key=key
    )
    row.value, row.status, row.normalized, row.code = data.value, data.status, normalized, code
    row.note, row.decided_by, row.decided_at = data.note, decided_by, utcnow()
    session.add(row)
    session.flush()
    return _decision_public(row, agency)


def _find_decision(
    session: Session, agency_id: int, element: str, key: str
) -> StandardDecision | None:
    return session.scalar(
        select(StandardDecision).where(
            StandardDecision.agency_id == agency_id,
            StandardDecision.element == element,
            StandardDecision.value_key == key,
        )
    )


def forget_decision(session: Session, agency: str, element_id: str, value: str) -> None:
    found = _find_decision(session, get_agency(session, agency).id, element_id, decision_key(value))
    if found is None:
        raise NotFound(f"no decision on {value!r} for {agency} under {element_id}")
    session.delete(found)
    session.flush()


def list_decisions(
    session: Session, agency: str | None = None, element: str | None = None
) -> list[DecisionPublic]:
    query = select(StandardDecision, Agency).join(Agency, Agency.id == StandardDecision.agency_id)
    if agency:
        query = query.where(StandardDecision.agency_id == get_agency(session, agency).id)
    if element:
        query = query.where(StandardDecision.element == get_element(element).id)
    query = query.order_by(Agency.slug, StandardDecision.element, StandardDecision.value_key)
    return [_decision_public(row, owner) for row, owner in session.execute(query).all()]


def _decision_public(row: StandardDecision, agency: Agency) -> DecisionPublic:
    return DecisionPublic(
        agency=agency.slug,
        element=row.element,
        value=row.value,
        status=row.status,
        normalized=row.normalized,
        code=row.code,
        note=row.note,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
    )


def normalization_settings(session: Session, dataset_id: str) -> list[NormalizationSetting]:
    dataset = load_dataset(session, dataset_id)
    rows = session.scalars(
        select(StandardNormalization)
        .where(StandardNormalization.dataset_id == dataset.id)
        .order_by(StandardNormalization.field_name)
    )
    return [
        NormalizationSetting(
            dataset_id=row.dataset_id,
            field=row.field_name,
            element=row.element,
            created_by=row.created_by,
            created_at=row.created_at,
        )
        for row in rows
    ]


def normalize_on_ingest(
    session: Session, dataset_id: str, field: str, element_id: str, created_by: str
) -> list[NormalizationSetting]:
    """Opt a field in: each later ingest adds its standardized companion columns. The field's
    dictionary entry, when it has one, declares the element as its standard."""
    dataset = load_dataset(session, dataset_id)
    element = get_element(element_id)
    names = {item.name: item for item in dataset.fields}
    if names and field not in names:
        raise Invalid(f"dataset {dataset.id} has no field {field!r}; fields: {', '.join(names)}")
    row = session.scalar(
        select(StandardNormalization).where(
            StandardNormalization.dataset_id == dataset.id,
            StandardNormalization.field_name == field,
        )
    ) or StandardNormalization(dataset_id=dataset.id, field_name=field)
    row.element, row.created_by, row.created_at = element.id, created_by, utcnow()
    session.add(row)
    if field in names:
        names[field].standard = element.id
    session.flush()
    return normalization_settings(session, dataset.id)


def stop_normalizing(session: Session, dataset_id: str, field: str) -> list[NormalizationSetting]:
    dataset = load_dataset(session, dataset_id)
    result = session.execute(
        delete(StandardNormalization).where(
            StandardNormalization.dataset_id == dataset.id,
            StandardNormalization.field_name == field,
        )
    )
    if not getattr(result, "rowcount", 0):
        raise NotFound(f"field {field!r} of {dataset.id} is not normalized on ingest")
    session.flush()
    return normalization_settings(session, dataset.id)


def parse_assignment(text: str) -> tuple[str, str]:
    """`FIELD=ELEMENT` as given on the command line."""
    field, sep, element = text.partition("=")
    if not sep or not field.strip() or not element.strip():
        raise Invalid(f"expected FIELD=ELEMENT, got {text!r}")
    return field.strip(), get_element(element.strip()).id
