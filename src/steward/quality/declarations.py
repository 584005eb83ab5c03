"""What stewards declare about a dataset's quality: rules, its key and its date field.

Until accounts exist (issue 7) these are written through the CLI only; the API reads them.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from steward.catalog.service import load_dataset
from steward.db.base import utcnow
from steward.errors import Invalid, NotFound
from steward.quality.check import rule_public
from steward.quality.models import QualityRule, QualitySetting
from steward.quality.rules import declare
from steward.quality.schemas import QualitySettings, RuleCreate, RulePublic

DATE_TYPES = {"floating_timestamp", "calendar_date", "number"}


def list_rules(session: Session, dataset_id: str) -> list[RulePublic]:
    dataset = load_dataset(session, dataset_id)
    rules = session.scalars(
        select(QualityRule).where(QualityRule.dataset_id == dataset.id).order_by(QualityRule.id)
    )
    return [rule_public(rule) for rule in rules]


def add_rule(session: Session, dataset_id: str, data: RuleCreate, created_by: str) -> RulePublic:
    """Check the rule against the data dictionary and keep it; it runs on every new version."""
    dataset = load_dataset(session, dataset_id)
    declared = declare(data, {field.name: field.type for field in dataset.fields})
    rule = QualityRule(
        dataset_id=dataset.id,
        kind=declared.kind,
        fields=declared.fields,
        params=declared.params,
        severity=data.severity,
        description=data.description,
        created_by=created_by,
    )
    session.add(rule)
    session.flush()
    return rule_public(rule)


def remove_rule(session: Session, dataset_id: str, rule_id: int) -> None:
    rule = session.get(QualityRule, rule_id)
    if rule is None or rule.dataset_id != dataset_id:
        raise NotFound(f"dataset {dataset_id} has no rule {rule_id}")
    session.delete(rule)
    session.flush()


def get_settings(session: Session, dataset_id: str) -> QualitySettings:
    dataset = load_dataset(session, dataset_id)
    setting = session.get(QualitySetting, dataset.id)
    return QualitySettings(
        dataset_id=dataset.id,
        key_fields=list(setting.key_fields) if setting else [],
        date_field=setting.date_field if setting else None,
    )


def update_settings(
    session: Session,
    dataset_id: str,
    *,
    key_fields: list[str] | None = None,
    date_field: str | None = None,
    clear_key: bool = False,
    clear_date: bool = False,
) -> QualitySettings:
    """Declare the key (fields that identify a row) and the field whose newest date is the
    data's last date; fields must be in the data dictionary."""
    dataset = load_dataset(session, dataset_id)
    types = {field.name: field.type for field in dataset.fields}
    for name in [*(key_fields or []), *([date_field] if date_field else [])]:
        if name not in types:
            raise Invalid(f"no field {name!r} in dataset {dataset.id}", data={"field": name})
    if date_field and types[date_field] not in DATE_TYPES:
        raise Invalid(f"the date field must hold dates or years, not {types[date_field]}")
    setting = session.get(QualitySetting, dataset.id)
    if setting is None:
        setting = QualitySetting(dataset_id=dataset.id, key_fields=[])
        session.add(setting)
    if key_fields or clear_key:
        setting.key_fields = [] if clear_key else list(dict.fromkeys(key_fields or []))
    if date_field or clear_date:
        setting.date_field = None if clear_date else date_field
    setting.updated_at = utcnow()
    session.flush()
    return get_settings(session, dataset.id)
