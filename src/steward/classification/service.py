"""Classification use cases: the questionnaire, proposals, assessments and field decisions.

The web API, the pages and the CLI all call these functions. Reading a dataset's classification
needs the analyst role in its agency (`classification.view`); recording anything needs the
steward role (`classification.assess`). Assessments and field decisions are append-only: the
latest is current and the rest is the history.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sqlalchemy.orm import Session

from steward.accounts.policy import SYSTEM, Actor, require
from steward.audit import log as audit_log
from steward.catalog.models import Dataset, Field
from steward.catalog.public import current_version
from steward.catalog.service import load_dataset
from steward.catalog.versions import version_file
from steward.classification import questionnaire as q
from steward.classification import records
from steward.classification.gate import dataset_blockers
from steward.classification.models import Assessment, FieldDecision
from steward.classification.propose import FieldFacts, FieldProposal, propose
from steward.classification.review import schema_of
from steward.classification.sample import sample_values
from steward.classification.schemas import (
    AssessmentCreate,
    AssessmentPublic,
    ClassificationHistory,
    ClassificationPublic,
    FieldClassification,
    FieldDecisionCreate,
    FieldDecisionPublic,
    FieldProposalPublic,
    LevelPublic,
    OptionPublic,
    ProposalPublic,
    Questionnaire,
    QuestionPublic,
)
from steward.db.base import utcnow
from steward.errors import Invalid, NotFound

DEFINITIONS = {
    "public": "May be released to anyone: identifies no one, and no law, contract or security "
    "concern keeps it back.",
    "protected": "Identifies no one, but exempt from disclosure or restricted by law, contract, "
    "licence or security; shared only under conditions.",
    "personal": "Identifies a person or could reasonably be used to identify one; protected by "
    "privacy law and policy and shared only under an agreement.",
    "private": "Personal information whose disclosure a statute restricts specially (HIPAA, "
    "FERPA, federal tax information, 42 CFR Part 2, child welfare); the most restrictive.",
}
PUBLIC_ANSWERS = {question.id: "no" for question in q.DATASET_QUESTIONS}


def questionnaire() -> Questionnaire:
    """The questions and the levels they lead to (public: anyone may read them)."""

    def shapes(questions: tuple[q.Question, ...]) -> list[QuestionPublic]:
        return [
            QuestionPublic(
                id=question.id,
                text=question.text,
                help=question.help,
                options=[OptionPublic(value=v, label=label) for v, label in question.options],
            )
            for question in questions
        ]

    levels = [
        LevelPublic(
            value=level,
            label=q.LEVEL_LABELS[level],
            definition=DEFINITIONS[level],
            least_confidentiality=q.MIN_CONFIDENTIALITY[level],
        )
        for level in q.LEVELS
    ]
    return Questionnaire(
        dataset=shapes(q.DATASET_QUESTIONS),
        field=shapes(q.FIELD_QUESTIONS),
        levels=levels,
        impacts=list(q.IMPACTS),
    )


def statuses(session: Session, dataset_ids: Iterable[str]) -> dict[str, str]:
    """Each dataset's assessment status: "missing", "current" or "needs_review"."""
    return records.statuses(session, dataset_ids)


def get_classification(
    session: Session, actor: Actor, data_dir: Path, dataset_id: str
) -> ClassificationPublic:
    """The current assessment, each field's level, proposal and last decision, and what keeps
    the dataset from being made public (analyst+ of the dataset's agency)."""
    dataset = _dataset(session, actor, dataset_id, "classification.view")
    assessment = records.latest_assessment(session, dataset.id)
    decisions = records.latest_decisions(session, dataset.id)
    proposal, proposed = _propose(session, data_dir, dataset)
    fields = [
        FieldClassification(
            name=field.name,
            label=field.label,
            type=field.type,
            level=field.classification,
            proposal=_proposal_public(proposed.get(field.name)),
            decision=_decision_public(decisions.get(field.name)),
        )
        for field in dataset.fields
    ]
    blockers = dataset_blockers(session, dataset)
    return ClassificationPublic(
        dataset_id=dataset.id,
        title=dataset.title,
        agency=dataset.agency.slug,
        access_level=dataset.access_level,
        dataset_status=dataset.status,
        status=records.status_of(assessment),
        level=dataset.classification,
        publishable=not blockers,
        blockers=blockers,
        assessment=AssessmentPublic.model_validate(assessment) if assessment else None,
        proposal=proposal,
        fields=fields,
    )


def record_assessment(
    session: Session, actor: Actor, dataset_id: str, data: AssessmentCreate
) -> AssessmentPublic:
    """Record an answered questionnaire (steward+). The level it yields becomes the dataset's
    classification; a dataset found not Public is closed to the public (access non-public)."""
    dataset = _dataset(session, actor, dataset_id, "classification.assess")
    answers = q.validate(data.answers, q.DATASET_QUESTIONS)
    outcome = q.decide(answers)
    q.check_impacts(outcome.level, data.confidentiality, data.integrity, data.availability)
    reasons = list(outcome.reasons)
    if outcome.level != "public" and dataset.access_level == "public":
        dataset.access_level = "non-public"
        reasons.append("access level set to non-public: only Public data is served to everyone")
    version = current_version(dataset)
    assessment = Assessment(
        dataset_id=dataset.id,
        level=outcome.level,
        answers=answers,
        reasons=reasons,
        rationale=data.rationale,
        confidentiality=data.confidentiality,
        integrity=data.integrity,
        availability=data.availability,
        schema=schema_of(version.schema) if version else [],
        version_number=version.number if version else None,
        assessed_by=actor.label,
        assessed_at=utcnow(),
        needs_review=False,
        review_reason="",
    )
    session.add(assessment)
    previous = dataset.classification
    dataset.classification = outcome.level
    dataset.modified_at = utcnow()
    session.flush()
    details = {"assessment": assessment.id, "level": outcome.level, "previous": previous}
    audit_log.append(
        session,
        actor=actor.label,
        action="classification.assess",
        agency_id=dataset.agency_id,
        dataset_id=dataset.id,
        details=details,
    )
    return AssessmentPublic.model_validate(assessment)


def record_public_assessment(
    session: Session, dataset_id: str, rationale: str, actor: Actor = SYSTEM
) -> AssessmentPublic:
    """Record that a dataset is Public: every question answered No, every FIPS 199 impact low.

    For loaders, fixtures and scripts that publish data already known to be open (the demo
    catalog, tests); a person assessing a dataset answers the questionnaire instead.
    """
    data = AssessmentCreate(
        answers=PUBLIC_ANSWERS,
        rationale=rationale,
        confidentiality="low",
        integrity="low",
        availability="low",
    )
    return record_assessment(session, actor, dataset_id, data)


def decide_field(
    session: Session,
    actor: Actor,
    data_dir: Path,
    dataset_id: str,
    name: str,
    data: FieldDecisionCreate,
) -> FieldDecisionPublic:
    """Confirm or override one field's classification (steward+); the level is written to the
    data dictionary, and the proposal it answered is kept with the decision."""
    dataset = _dataset(session, actor, dataset_id, "classification.assess")
    field = _field(dataset, name)
    answers = None
    level: str | None = data.level
    reason = data.reason.strip()
    if data.answers is not None:
        answers = q.validate(data.answers, q.FIELD_QUESTIONS)
        outcome = q.decide(answers, q.FIELD_QUESTIONS)
        level, reason = outcome.level, reason or "; ".join(outcome.reasons)
    if level is None:  # pragma: no cover - the schema insists on a level or answers
        raise Invalid("give either a level or the field questionnaire's answers")
    _, proposed = _propose(session, data_dir, dataset)
    proposal = proposed.get(field.name)
    decision = FieldDecision(
        dataset_id=dataset.id,
        field_name=field.name,
        level=level,
        answers=answers,
        reason=reason,
        proposed_level=proposal.level if proposal else None,
        proposed_reason=proposal.reason if proposal else "",
        decided_by=actor.label,
        decided_at=utcnow(),
    )
    session.add(decision)
    previous = field.classification
    field.classification = level
    dataset.modified_at = utcnow()
    session.flush()
    details = {"field": field.name, "level": level, "previous": previous}
    audit_log.append(
        session,
        actor=actor.label,
        action="classification.field",
        agency_id=dataset.agency_id,
        dataset_id=dataset.id,
        details=details,
    )
    return FieldDecisionPublic.model_validate(decision)


def get_history(session: Session, actor: Actor, dataset_id: str) -> ClassificationHistory:
    """Every assessment and field decision, newest first (analyst+)."""
    dataset = _dataset(session, actor, dataset_id, "classification.view")
    assessments, decisions = records.history(session, dataset.id)
    return ClassificationHistory(
        dataset_id=dataset.id,
        assessments=[AssessmentPublic.model_validate(item) for item in assessments],
        field_decisions=[FieldDecisionPublic.model_validate(item) for item in decisions],
    )


def _dataset(session: Session, actor: Actor, dataset_id: str, action: str) -> Dataset:
    dataset = load_dataset(session, dataset_id)
    require(actor, action, dataset.agency_id, what=f"for dataset {dataset.id}")
    return dataset


def _field(dataset: Dataset, name: str) -> Field:
    for field in dataset.fields:
        if field.name == name:
            return field
    raise NotFound(f"dataset {dataset.id} has no field {name!r}")


def _propose(
    session: Session, data_dir: Path, dataset: Dataset
) -> tuple[ProposalPublic | None, dict[str, FieldProposal]]:
    """Proposals from the current version's values; none before the dataset has data."""
    try:
        version, path = version_file(session, data_dir, dataset.id)
    except NotFound:
        return None, {}
    names = [field.name for field in dataset.fields]
    sampled, values = sample_values(path, names)
    facts = [
        FieldFacts(field.name, field.label, field.description, field.type, values[field.name])
        for field in dataset.fields
    ]
    result = propose(facts)
    proposal = ProposalPublic(
        level=result.level,
        person_level=result.person_level,
        reasons=list(result.reasons),
        suggested_answers=result.suggested_answers,
        version_number=version.number,
        sampled_rows=sampled,
    )
    return proposal, {item.name: item for item in result.fields}


def _proposal_public(proposal: FieldProposal | None) -> FieldProposalPublic | None:
    if proposal is None:
        return None
    return FieldProposalPublic(level=proposal.level, kind=proposal.kind, reason=proposal.reason)


def _decision_public(decision: FieldDecision | None) -> FieldDecisionPublic | None:
    return FieldDecisionPublic.model_validate(decision) if decision else None
