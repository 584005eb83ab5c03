"""The questionnaire's pure core: answers -> level, checked case by case and as properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from steward.classification.questionnaire import (
    DATASET_QUESTIONS,
    FIELD_QUESTIONS,
    check_impacts,
    decide,
    rank,
    validate,
)
from steward.errors import Invalid

ANSWER = st.sampled_from(["yes", "no", "unsure"])
DATASET_ANSWERS = st.fixed_dictionaries({q.id: ANSWER for q in DATASET_QUESTIONS})
NO = {q.id: "no" for q in DATASET_QUESTIONS}


@pytest.mark.parametrize(
    ("changes", "level"),
    [
        ({}, "public"),
        ({"legal_restriction": "yes"}, "protected"),
        ({"legal_restriction": "unsure"}, "protected"),
        ({"person_level": "yes"}, "public"),  # de-identified microdata
        ({"person_level": "yes", "quasi_identifiers": "unsure"}, "personal"),
        ({"person_level": "no", "quasi_identifiers": "unsure"}, "public"),
        ({"direct_identifiers": "yes"}, "personal"),
        ({"direct_identifiers": "unsure"}, "personal"),
        ({"quasi_identifiers": "yes"}, "personal"),
        ({"direct_identifiers": "yes", "special_statute": "yes"}, "private"),
        ({"direct_identifiers": "yes", "legal_restriction": "yes"}, "personal"),
        (
            {"special_statute": "yes"},
            "protected",
        ),  # derived from protected records, not identifying
    ],
)
def test_answers_lead_to_the_level(changes: dict[str, str], level: str) -> None:
    outcome = decide({**NO, **changes})
    assert outcome.level == level
    assert outcome.reasons


@given(DATASET_ANSWERS)
def test_direct_identifiers_never_yield_public_or_protected(answers: dict[str, str]) -> None:
    answers["direct_identifiers"] = "yes"
    assert decide(answers).level in {"personal", "private"}


@given(DATASET_ANSWERS)
def test_identifying_data_under_a_special_statute_is_private(answers: dict[str, str]) -> None:
    answers.update(direct_identifiers="yes", special_statute="yes")
    assert decide(answers).level == "private"


@given(DATASET_ANSWERS, st.sampled_from([q.id for q in DATASET_QUESTIONS]))
def test_unsure_is_never_looser_than_no(answers: dict[str, str], question: str) -> None:
    """Not being able to rule something out never gives a looser level than ruling it out."""
    unsure = decide({**answers, question: "unsure"}).level
    assert rank(unsure) >= rank(decide({**answers, question: "no"}).level)


@given(DATASET_ANSWERS, st.sampled_from([q.id for q in DATASET_QUESTIONS]))
def test_yes_is_never_looser_than_no(answers: dict[str, str], question: str) -> None:
    if question == "person_level":
        return  # "no rows describe one person" is the stricter claim about quasi-identifiers
    assert rank(decide({**answers, question: "yes"}).level) >= rank(
        decide({**answers, question: "no"}).level
    )


@given(st.fixed_dictionaries({q.id: ANSWER for q in FIELD_QUESTIONS}))
def test_the_field_questionnaire_yields_a_level(answers: dict[str, str]) -> None:
    outcome = decide(answers, FIELD_QUESTIONS)
    if "yes" in (answers["direct_identifiers"], answers["quasi_identifiers"]):
        assert outcome.level in {"personal", "private"}


def test_every_question_must_be_answered_with_one_of_its_options() -> None:
    with pytest.raises(Invalid, match="missing: special_statute"):
        decide({k: v for k, v in NO.items() if k != "special_statute"})
    with pytest.raises(Invalid, match="no such question: shoe_size"):
        validate({**NO, "shoe_size": "no"}, DATASET_QUESTIONS)
    with pytest.raises(Invalid, match="answer one of yes, no, unsure"):
        decide({**NO, "person_level": "maybe"})


def test_questions_have_ids_text_help_and_options() -> None:
    for question in (*DATASET_QUESTIONS, *FIELD_QUESTIONS):
        assert question.id and question.text.endswith("?") and question.help
        assert [value for value, _ in question.options] == ["yes", "no", "unsure"]
    assert len({q.id for q in DATASET_QUESTIONS}) == len(DATASET_QUESTIONS)


def test_confidentiality_must_fit_the_level() -> None:
    check_impacts("public", "low", "low", "low")
    check_impacts("personal", "moderate", "low", "high")
    with pytest.raises(Invalid, match="at least high for Private"):
        check_impacts("private", "moderate", "low", "low")
    with pytest.raises(Invalid, match="integrity impact must be one of"):
        check_impacts("public", "low", "extreme", "low")
