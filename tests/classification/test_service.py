"""Classification service on SQLite and PostgreSQL: assessments, field decisions, permissions,
the publish gate and the review flag set by a schema change."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from sqlalchemy import select

from steward.accounts.policy import ANONYMOUS, SYSTEM
from steward.catalog import service as catalog
from steward.catalog.models import Dataset, DatasetVersion
from steward.catalog.schemas import DatasetUpdate
from steward.classification import service
from steward.classification.models import Assessment
from steward.classification.schemas import AssessmentCreate, FieldDecisionCreate
from steward.errors import Conflict, Invalid, NotAuthenticated, NotAuthorized, NotFound

from .conftest import PEOPLE_CSV, TOWNS_CSV, World

NO = {
    "person_level": "no",
    "direct_identifiers": "no",
    "quasi_identifiers": "no",
    "special_statute": "no",
    "legal_restriction": "no",
}
PERSONAL = {**NO, "person_level": "yes", "direct_identifiers": "yes", "quasi_identifiers": "yes"}


def assessment(answers: dict[str, str], confidentiality: str = "low") -> AssessmentCreate:
    return AssessmentCreate(
        answers=answers,
        rationale="Counts by town; no person-level data.",
        confidentiality=confidentiality,  # type: ignore[arg-type]
        integrity="moderate",
        availability="low",
    )


def test_an_assessment_sets_the_level_and_is_kept_with_who_and_when(world: World) -> None:
    world.dataset("town-0001", TOWNS_CSV)
    with world.database.session() as session:
        assert service.statuses(session, ["town-0001", "none-0000"]) == {
            "town-0001": "missing",
            "none-0000": "missing",
        }
        first = service.record_assessment(session, world.steward, "town-0001", assessment(NO))
    assert (first.level, first.assessed_by, first.version_number) == (
        "public",
        "steward@dph.ct.gov",
        1,
    )
    assert [column["name"] for column in first.columns] == [
        "town",
        "year",
        "total_cases",
        "case_rate",
    ]
    with world.database.session() as session:
        second = service.record_assessment(
            session,
            world.ado,
            "town-0001",
            assessment({**NO, "legal_restriction": "yes"}, "moderate"),
        )
        found = service.get_classification(session, world.analyst, world.data_dir, "town-0001")
        history = service.get_history(session, world.analyst, "town-0001")
        assert service.statuses(session, ["town-0001"]) == {"town-0001": "current"}
    assert second.level == "protected" and second.assessed_at >= first.assessed_at
    assert found.assessment is not None and found.assessment.id == second.id
    assert (found.level, found.access_level) == ("protected", "non-public")
    assert "access level set to non-public" in second.reasons[-1]
    assert [item.assessed_by for item in history.assessments] == [
        "ado@dph.ct.gov",
        "steward@dph.ct.gov",
    ]


def test_who_may_see_and_record_classifications(world: World) -> None:
    world.dataset("town-0001", TOWNS_CSV)
    with world.database.session() as session:
        with pytest.raises(NotAuthenticated):
            service.get_classification(session, ANONYMOUS, world.data_dir, "town-0001")
        with pytest.raises(NotAuthorized):
            service.get_classification(session, world.outsider, world.data_dir, "town-0001")
        with pytest.raises(NotAuthorized, match=r"classification\.assess"):
            service.record_assessment(session, world.analyst, "town-0001", assessment(NO))
        with pytest.raises(NotAuthorized):
            service.record_assessment(session, world.outsider, "town-0001", assessment(NO))
        with pytest.raises(NotAuthorized):
            service.decide_field(
                session,
                world.analyst,
                world.data_dir,
                "town-0001",
                "town",
                FieldDecisionCreate(level="public"),
            )
        service.record_assessment(session, world.cdo, "town-0001", assessment(NO))
        assert service.get_history(session, world.analyst, "town-0001").assessments
        with pytest.raises(NotFound):
            service.get_classification(session, world.cdo, world.data_dir, "nope-0000")


def test_bad_answers_are_refused_and_nothing_is_written(world: World) -> None:
    world.dataset("ppl0-0001", PEOPLE_CSV, access_level="public")
    with world.database.session() as session:
        with pytest.raises(Invalid, match="at least moderate for Personal"):
            service.record_assessment(session, world.steward, "ppl0-0001", assessment(PERSONAL))
        with pytest.raises(Invalid, match="missing: legal_restriction"):
            partial = {k: v for k, v in NO.items() if k != "legal_restriction"}
            service.record_assessment(session, world.steward, "ppl0-0001", assessment(partial))
    with pytest.raises(ValidationError):
        AssessmentCreate.model_validate(
            {
                "answers": NO,
                "rationale": " ",
                "confidentiality": "low",
                "integrity": "low",
                "availability": "low",
            }
        )
    with world.database.session() as session:
        assert session.scalars(select(Assessment)).all() == []
        dataset = session.get(Dataset, "ppl0-0001")
        assert dataset is not None and dataset.access_level == "public"


def test_field_proposals_come_from_the_current_versions_values(world: World) -> None:
    world.dataset("ppl0-0001", PEOPLE_CSV)
    world.dataset("empt-0001")
    with world.database.session() as session:
        found = service.get_classification(session, world.analyst, world.data_dir, "ppl0-0001")
        empty = service.get_classification(session, world.analyst, world.data_dir, "empt-0001")
    assert found.proposal is not None
    assert (found.proposal.level, found.proposal.sampled_rows) == ("personal", 4)
    fields = {field.name: field for field in found.fields}
    assert fields["ssn"].proposal is not None
    assert "values look like SSNs (100% of 4 sampled)" in fields["ssn"].proposal.reason
    assert fields["email"].proposal is not None and fields["email"].proposal.kind == "email"
    assert (empty.proposal, empty.fields, empty.status) == (None, [], "missing")


def test_confirming_a_field_writes_the_dictionary_and_keeps_the_proposal(world: World) -> None:
    world.dataset("ppl0-0001", PEOPLE_CSV)
    with world.database.session() as session:
        decided = service.decide_field(
            session,
            world.steward,
            world.data_dir,
            "ppl0-0001",
            "ssn",
            FieldDecisionCreate(level="private", reason="Linked to tax records"),
        )
        by_answers = service.decide_field(
            session,
            world.steward,
            world.data_dir,
            "ppl0-0001",
            "diagnosis",
            FieldDecisionCreate(
                answers={
                    "direct_identifiers": "no",
                    "quasi_identifiers": "yes",
                    "special_statute": "yes",
                    "legal_restriction": "no",
                }
            ),
        )
        with pytest.raises(NotFound, match="no field 'shoe'"):
            service.decide_field(
                session, world.steward, world.data_dir, "ppl0-0001", "shoe",
                FieldDecisionCreate(level="public"),
            )  # fmt: skip
        fields = {
            field.name: field.classification
            for field in catalog.load_dataset(session, "ppl0-0001").fields
        }
    assert (decided.level, decided.proposed_level, decided.decided_by) == (
        "private",
        "personal",
        "steward@dph.ct.gov",
    )
    assert "direct identifier" in decided.proposed_reason
    assert by_answers.level == "private" and "specially protected" in by_answers.reason
    assert fields["ssn"] == "private" and fields["diagnosis"] == "private"
    with pytest.raises(ValidationError, match="either a level or"):
        FieldDecisionCreate(level="public", answers={"direct_identifiers": "no"})


def test_publishing_needs_a_public_assessment_and_no_personal_field(world: World) -> None:
    world.dataset("town-0001", TOWNS_CSV)
    refused = pytest.raises(Conflict, match="no classification assessment yet")
    with refused, world.database.session() as session:
        catalog.set_status(session, world.steward, "town-0001", "published")
    with world.database.session() as session:
        service.record_assessment(session, world.steward, "town-0001", assessment(NO))
        service.decide_field(
            session, world.steward, world.data_dir, "town-0001", "town",
            FieldDecisionCreate(level="personal", reason="small towns"),
        )  # fmt: skip
    refused = pytest.raises(Conflict, match=r"fields classified Personal or Private: town \(Pers")
    with refused, world.database.session() as session:
        catalog.set_status(session, world.steward, "town-0001", "published")
    with world.database.session() as session:
        service.decide_field(
            session, world.steward, world.data_dir, "town-0001", "town",
            FieldDecisionCreate(level="public", reason="counts, not people"),
        )  # fmt: skip
        published = catalog.set_status(session, world.steward, "town-0001", "published")
        found = service.get_classification(session, world.steward, world.data_dir, "town-0001")
    assert published.status == "published" and found.publishable and found.blockers == []


def test_a_personal_dataset_cannot_be_opened_to_the_public(world: World) -> None:
    world.dataset("ppl0-0001", PEOPLE_CSV)
    with world.database.session() as session:
        answers = assessment(PERSONAL, "moderate")
        service.record_assessment(session, world.steward, "ppl0-0001", answers)
        # Not public: its metadata may be listed, its rows stay closed.
        catalog.set_status(session, world.steward, "ppl0-0001", "published")
    opening = DatasetUpdate(access_level="public", classification="public")
    refused = pytest.raises(Conflict, match="classified Personal")
    with refused as raised, world.database.session() as session:  # all of it rolled back
        catalog.update_dataset(session, world.steward, "ppl0-0001", opening)
    assert raised.value.data["blockers"][0].startswith("the dataset is classified Personal")
    with world.database.session() as session:
        dataset = session.get(Dataset, "ppl0-0001")
        assert dataset is not None
        assert (dataset.access_level, dataset.classification) == ("non-public", "personal")


def test_a_schema_change_puts_the_assessment_up_for_review(world: World) -> None:
    world.dataset("town-0001", TOWNS_CSV)
    with world.database.session() as session:
        service.record_assessment(session, world.steward, "town-0001", assessment(NO))
    # The same columns again: nothing to review.
    world.ingest("town-0001", TOWNS_CSV.replace("120", "121"))
    with world.database.session() as session:
        assert service.statuses(session, ["town-0001"]) == {"town-0001": "current"}
    wider = "Town,Total cases,Case rate,Patient Name\nHartford,120,98.5,\nSalem,3,71.0,\n"
    world.ingest("town-0001", wider)
    with world.database.session() as session:
        assert service.statuses(session, ["town-0001"]) == {"town-0001": "needs_review"}
        version = session.scalar(select(DatasetVersion).where(DatasetVersion.number == 3))
        assert version is not None and version.is_current
        assert "classification needs review: schema changed (+patient_name, -year)" in version.notes
        with pytest.raises(Conflict, match=r"needs review \(schema changed in version 3"):
            catalog.set_status(session, world.steward, "town-0001", "published")
    with world.database.session() as session:
        service.decide_field(
            session, world.steward, world.data_dir, "town-0001", "patient_name",
            FieldDecisionCreate(level="public", reason="blank in every published row"),
        )  # fmt: skip
        service.record_assessment(session, world.steward, "town-0001", assessment(NO))
        assert catalog.set_status(session, world.steward, "town-0001", "published").status == (
            "published"
        )
        history = service.get_history(session, world.steward, "town-0001")
    assert [item.needs_review for item in history.assessments] == [False, True]


def test_the_public_assessment_helper_records_a_system_assessment(world: World) -> None:
    world.dataset("town-0001", TOWNS_CSV)
    with world.database.session() as session:
        recorded = service.record_public_assessment(session, "town-0001", "Counts by town.")
        assert recorded.assessed_by == SYSTEM.label == "system"
        assert catalog.set_status(session, SYSTEM, "town-0001", "published").status == "published"


def test_the_questionnaire_is_described_for_clients() -> None:
    found = service.questionnaire()
    assert [q.id for q in found.dataset][:2] == ["person_level", "direct_identifiers"]
    assert [level.value for level in found.levels] == ["public", "protected", "personal", "private"]
    assert found.impacts == ["low", "moderate", "high"]
