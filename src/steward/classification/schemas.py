"""Pydantic shapes going in and out of the classification service."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Level = Literal["public", "protected", "personal", "private"]
Impact = Literal["low", "moderate", "high"]
Status = Literal["missing", "current", "needs_review"]
Rationale = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
Answers = dict[
    Annotated[str, StringConstraints(max_length=64)],
    Annotated[str, StringConstraints(max_length=16)],
]


class OptionPublic(BaseModel):
    value: str
    label: str


class QuestionPublic(BaseModel):
    id: str
    text: str
    help: str
    options: list[OptionPublic]


class LevelPublic(BaseModel):
    value: str
    label: str
    definition: str
    least_confidentiality: str


class Questionnaire(BaseModel):
    """The questions for a dataset and for a single field, and what the levels mean."""

    dataset: list[QuestionPublic]
    field: list[QuestionPublic]
    levels: list[LevelPublic]
    impacts: list[str]


class AssessmentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answers: Answers = Field(description="Question id -> yes / no / unsure, for every question")
    rationale: Rationale
    confidentiality: Impact = Field(description="FIPS 199 confidentiality impact")
    integrity: Impact = Field(description="FIPS 199 integrity impact")
    availability: Impact = Field(description="FIPS 199 availability impact")


class AssessmentPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    dataset_id: str
    level: str
    answers: dict[str, str]
    reasons: list[str]
    rationale: str
    confidentiality: str
    integrity: str
    availability: str
    version_number: int | None
    columns: list[dict[str, Any]] = Field(validation_alias="schema")
    assessed_by: str
    assessed_at: datetime
    needs_review: bool
    review_reason: str
    flagged_at: datetime | None


class FieldDecisionCreate(BaseModel):
    """Confirm or override one field: give the level, or answer the field questionnaire."""

    model_config = ConfigDict(extra="forbid")

    level: Level | None = None
    answers: Answers | None = None
    reason: str = Field(default="", max_length=2000)

    @model_validator(mode="after")
    def _one_way(self) -> FieldDecisionCreate:
        if (self.level is None) == (self.answers is None):
            raise ValueError("give either a level or the field questionnaire's answers")
        return self


class FieldDecisionPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    field_name: str
    level: str
    answers: dict[str, str] | None
    reason: str
    proposed_level: str | None
    proposed_reason: str
    decided_by: str
    decided_at: datetime


class FieldProposalPublic(BaseModel):
    level: str
    kind: str | None
    reason: str


class FieldClassification(BaseModel):
    """One row of the field table: the catalog's level, Steward's proposal, the last decision."""

    name: str
    label: str
    type: str
    level: str
    proposal: FieldProposalPublic | None
    decision: FieldDecisionPublic | None


class ProposalPublic(BaseModel):
    level: str
    person_level: str
    reasons: list[str]
    suggested_answers: dict[str, str]
    version_number: int
    sampled_rows: int


class ClassificationPublic(BaseModel):
    dataset_id: str
    title: str
    agency: str
    access_level: str
    dataset_status: str
    status: Status
    level: str
    publishable: bool
    blockers: list[str]
    assessment: AssessmentPublic | None
    proposal: ProposalPublic | None
    fields: list[FieldClassification]


class ClassificationHistory(BaseModel):
    dataset_id: str
    assessments: list[AssessmentPublic]
    field_decisions: list[FieldDecisionPublic]
